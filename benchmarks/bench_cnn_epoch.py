"""Seconds per training epoch of the MachineCurve CNN: keras_elu ELU(0.1) vs ReLU vs keras.layers.ELU(0.1).

    python benchmarks/bench_cnn_epoch.py --rounds 5

Epochs of the three models alternate (interleaved rounds) on the same data;
we report the median epoch time and its ratio to ReLU's, and the minimum too:
on the 2-core VM we measured on, epochs of every model (ReLU included) are
bimodal (~0.65 s or ~1.3 s), which the median alone hides.
"""

import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "examples"))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import data  # noqa: E402
import mnist_cnn  # noqa: E402

MODELS = {"keras_elu ELU(0.1)": "elu", "ReLU": "relu", "keras.layers.ELU(0.1)": "keras-elu"}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--dataset", choices=data.DATASETS, default="mnist-5k")
    p.add_argument("--output-dir", default="runs/bench")
    args = p.parse_args(argv)
    dataset = data.load(args.dataset)
    models = {name: mnist_cnn.build_model(act, 0.1, "he_normal", 0.25) for name, act in MODELS.items()}
    fit = lambda m: m.fit(dataset.x_train, dataset.y_train, batch_size=250, epochs=1, verbose=0)  # noqa: E731
    for model in models.values():
        fit(model)  # warm-up: tracing and first-touch allocation
    seconds = {name: [] for name in models}
    names = list(models)
    for r in range(args.rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            start = time.perf_counter()
            fit(models[name])
            seconds[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(s) for name, s in seconds.items()}
    minima = {name: min(s) for name, s in seconds.items()}
    print(f"\n{dataset.name}, {len(dataset.y_train)} training images, batch 250, median of {args.rounds} epochs\n")
    print("| activation | median s / epoch | ÷ ReLU | min s / epoch | ÷ ReLU |\n|---|---|---|---|---|")
    for name, t in medians.items():
        print(f"| {name} | {t:.3f} | {t / medians['ReLU']:.3f} | {minima[name]:.3f} | "
              f"{minima[name] / minima['ReLU']:.3f} |")
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "bench_cnn_epoch.json"), "w") as f:
        json.dump({"dataset": dataset.summary(), "seconds": seconds, "median": medians,
                   "min": minima}, f, indent=1)


if __name__ == "__main__":
    main()
