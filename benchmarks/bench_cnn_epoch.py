"""Seconds per training epoch of the MachineCurve CNN: keras_elu ELU(0.1) vs ReLU vs keras.layers.ELU(0.1).

    python benchmarks/bench_cnn_epoch.py --rounds 5

Epochs of the three models alternate (interleaved rounds) on the same data.
We report the median training-step time (over every step of every round)
times the steps per epoch, beside the median and minimum whole-epoch times.
On the 2-core VM we measured on, whole epochs of every model (ReLU included)
often snap to ~1.3 s instead of ~0.65 s, so epoch medians mostly measure
those stalls; a stall hits only a few of the hundreds of steps.
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

import keras  # noqa: E402

import data  # noqa: E402
import mnist_cnn  # noqa: E402

class StepTimer(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seconds = []

    def on_train_batch_begin(self, batch, logs=None):
        self._start = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


MODELS = {"keras_elu ELU(0.1)": "keras_elu", "ReLU": "relu", "keras.layers.ELU(0.1)": "keras"}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--dataset", choices=data.DATASETS, default="mnist-5k")
    p.add_argument("--output-dir", default="runs/bench")
    args = p.parse_args(argv)
    dataset = data.load(args.dataset)
    models = {name: mnist_cnn.build_model(act, 0.1, "he_normal", 0.25) for name, act in MODELS.items()}
    steps = {name: StepTimer() for name in models}
    fit = lambda name: models[name].fit(dataset.x_train, dataset.y_train, batch_size=250, epochs=1,  # noqa: E731
                                        verbose=0, callbacks=[steps[name]])
    for name in models:
        fit(name)  # warm-up: tracing and first-touch allocation
        steps[name].seconds.clear()
    seconds = {name: [] for name in models}
    names = list(models)
    for r in range(args.rounds):
        for name in names[r % len(names):] + names[: r % len(names)]:
            start = time.perf_counter()
            fit(name)
            seconds[name].append(time.perf_counter() - start)
    medians = {name: statistics.median(s) for name, s in seconds.items()}
    minima = {name: min(s) for name, s in seconds.items()}
    steps_per_epoch = -(-len(dataset.y_train) // 250)
    per_step = {name: statistics.median(t.seconds) for name, t in steps.items()}
    print(f"\n{dataset.name}, {len(dataset.y_train)} training images, batch 250, median of {args.rounds} epochs\n")
    print("| activation | median step ms | × steps = s / epoch | ÷ ReLU | median epoch s | min epoch s |")
    print("|---|---|---|---|---|---|")
    for name, t in medians.items():
        print(f"| {name} | {per_step[name] * 1e3:.1f} | {per_step[name] * steps_per_epoch:.3f} | "
              f"{per_step[name] / per_step['ReLU']:.3f} | {t:.3f} | {minima[name]:.3f} |")
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "bench_cnn_epoch.json"), "w") as f:
        json.dump({"dataset": dataset.summary(), "seconds": seconds, "median": medians,
                   "min": minima, "median_step_seconds": per_step,
                   "step_seconds": {name: t.seconds for name, t in steps.items()}}, f, indent=1)


if __name__ == "__main__":
    main()
