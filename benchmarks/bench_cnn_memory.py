"""Peak memory (RSS) and training-step time of the MachineCurve CNN, one fresh process per model.

    python benchmarks/bench_cnn_memory.py --epochs 3

Peak RSS is per process, so each model trains alone in its own interpreter;
step time is the median over every training step after a warm-up epoch.
Writes bench_cnn_memory.json to --output-dir.
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

CHILD = """
import json, os, resource, statistics, sys, time
sys.path.insert(0, {examples!r})
import keras, data, mnist_cnn
dataset = data.load({dataset!r})
model = mnist_cnn.build_model({activation!r}, 0.1, "he_normal", 0.25)
class Steps(keras.callbacks.Callback):
    seconds = []
    def on_train_batch_begin(self, batch, logs=None): self.t = time.perf_counter()
    def on_train_batch_end(self, batch, logs=None): self.seconds.append(time.perf_counter() - self.t)
steps = Steps()
model.fit(dataset.x_train, dataset.y_train, batch_size=250, epochs=1, verbose=0)  # warm-up
model.fit(dataset.x_train, dataset.y_train, batch_size=250, epochs={epochs}, verbose=0, callbacks=[steps])
print(json.dumps({{"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "median_step_ms": 1e3 * statistics.median(steps.seconds)}}))
"""


def main(argv=None):
    sys.path.insert(0, os.path.join(ROOT, "examples"))
    import mnist_cnn  # noqa: PLC0415

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=3)
    p.add_argument("--dataset", default="mnist-5k")
    p.add_argument("--activations", nargs="+", default=list(mnist_cnn.ACTIVATIONS))
    p.add_argument("--output-dir", default="runs/bench")
    args = p.parse_args(argv)
    results = {}
    for activation in args.activations:
        code = CHILD.format(examples=os.path.join(ROOT, "examples"), dataset=args.dataset,
                            activation=activation, epochs=args.epochs)
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        results[activation] = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{activation:>10}: peak RSS {results[activation]['peak_rss_mb']:.0f} MB, "
              f"median step {results[activation]['median_step_ms']:.1f} ms", flush=True)
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "bench_cnn_memory.json"), "w") as f:
        json.dump(results, f, indent=1)


if __name__ == "__main__":
    main()
