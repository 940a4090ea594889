"""The ELU paper's MNIST learning behaviour (Clevert et al. 2015, section 4.1, Figure 1).

A fully connected net of 8 hidden layers x 128 units, He initialisation,
SGD with learning rate 0.01 and batch 64, on the real MNIST, with ELU
(alpha = 1), ReLU, Leaky ReLU (0.1) and SReLU (max(-1, x)); several seeds.
After every epoch: each unit's average activation over a fixed set of
training images, and the median of those averages over the units (all layers,
and per layer), the training cross-entropy (Keras' running mean over the
epoch's batches) and the validation cross-entropy on the last --validation
images of the training set, held out (never trained on). The paper's claim:
ELU keeps the average unit activations closer to zero and its training loss
falls faster. The paper ran 5 seeds x 300 epochs; choose what fits.

    python examples/mean_activation.py                        # full MNIST, 3 seeds, 20 epochs
    python examples/mean_activation.py --seeds 5 --epochs 300 # the paper's scale

Writes mean_activation.json and mean_activation.png (lines: mean over seeds;
bands: min to max) into --output-dir and prints Markdown tables (mean +- std).
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import data  # noqa: E402
import paper_activations as acts  # noqa: E402
import plots  # noqa: E402
from progress import Progress  # noqa: E402


def build(name: str, depth: int, width: int) -> tuple[keras.Model, keras.Model]:
    """The classifier, and a probe model returning every hidden activation."""
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Flatten()(inputs)
    hidden = []
    for _ in range(depth):
        x = acts.activation_layer(name)(keras.layers.Dense(width, kernel_initializer="he_normal")(x))
        hidden.append(x)
    outputs = keras.layers.Dense(10, activation="softmax", kernel_initializer="he_normal")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, keras.Model(inputs, hidden)


class UnitAverages(keras.callbacks.Callback):
    """After each epoch: every unit's average activation over the probe images (layers x units)."""

    def __init__(self, probe: keras.Model, images: np.ndarray):
        super().__init__()
        self.probe, self.images, self.per_epoch = probe, images, []

    def on_epoch_end(self, epoch, logs=None):
        activations = self.probe.predict(self.images, batch_size=1000, verbose=0)
        self.per_epoch.append(np.stack([np.asarray(a).mean(axis=0) for a in activations]))


def split(dataset: data.Dataset, validation: int) -> tuple[int, str]:
    """How many training images to hold out, and how that is described."""
    n = len(dataset.y_train)
    held = validation if n >= 2 * validation else n // 5
    return held, f"the last {held:,} of the {n:,} training images, held out"


def run(name: str, seed: int, dataset: data.Dataset, args) -> dict:
    keras.utils.set_random_seed(seed)
    model, probe = build(name, args.depth, args.width)
    cut = len(dataset.y_train) - args.held_out
    x_train, y_train = dataset.x_train[:cut], dataset.y_train[:cut]
    recorder = UnitAverages(probe, x_train[: args.probe_images])
    history = model.fit(x_train, y_train, batch_size=64, epochs=args.epochs, verbose=args.verbose,
                        validation_data=(dataset.x_train[cut:], dataset.y_train[cut:]), callbacks=[recorder])
    test_loss, test_accuracy = model.evaluate(dataset.x_test, dataset.y_test, verbose=0)
    averages = np.asarray(recorder.per_epoch)  # epochs x layers x units
    result = {"activation": name, "seed": seed, "train_loss": history.history["loss"],
              "val_loss": history.history["val_loss"], "val_accuracy": history.history["val_accuracy"],
              "test_loss": float(test_loss), "test_accuracy": float(test_accuracy),
              "median_unit_average": np.median(averages.reshape(len(averages), -1), axis=1).tolist(),
              "layer_median_unit_average": np.median(averages, axis=2).tolist(),
              "mean_abs_unit_average": np.abs(averages).mean(axis=(1, 2)).tolist(),
              "unit_averages_last_epoch": averages[-1].tolist()}
    print(f"    {name} seed {seed}: train CE {result['train_loss'][-1]:.4f}, validation CE "
          f"{result['val_loss'][-1]:.4f}, median unit average {result['median_unit_average'][-1]:+.4f}, "
          f"test accuracy {test_accuracy:.4f}", flush=True)
    return result


def _checkpoints(epochs: int) -> list[int]:
    return sorted({e for e in (1, 2, 5, 10, 25, 50, 100, 300) if e < epochs} | {epochs})[-6:]


def markdown(runs: list[dict], args) -> str:
    names = [a for a in args.activations if any(r["activation"] == a for r in runs)]
    by = {a: [r for r in runs if r["activation"] == a] for a in names}
    last = lambda key, a: [r[key][-1] for r in by[a]]  # noqa: E731
    lines = [f"| activation | seeds | median unit average (last epoch) | mean abs unit average "
             f"| train CE | validation CE | best validation CE (epoch) | test accuracy |",
             "|---|---|---|---|---|---|---|---|"]
    for a in names:
        best = [min(r["val_loss"]) for r in by[a]]
        when = np.mean([int(np.argmin(r["val_loss"])) + 1 for r in by[a]])
        lines.append(f"| {acts.LABELS[a]} | {len(by[a])} | {acts.pm(last('median_unit_average', a))} "
                     f"| {acts.pm(last('mean_abs_unit_average', a))} | {acts.pm(last('train_loss', a))} "
                     f"| {acts.pm(last('val_loss', a))} | {acts.pm(best)} ({when:.1f}) "
                     f"| {acts.pm([r['test_accuracy'] for r in by[a]])} |")
    marks = _checkpoints(min(len(r["train_loss"]) for r in runs))
    lines += ["", "Training cross-entropy by epoch:", "",
              "| activation | " + " | ".join(f"epoch {e}" for e in marks) + " |",
              "|---|" + "---|" * len(marks)]
    for a in names:
        lines.append(f"| {acts.LABELS[a]} | " + " | ".join(acts.pm([r["train_loss"][e - 1] for r in by[a]])
                                                          for e in marks) + " |")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--seeds", type=int, default=3, help="seeds per activation (the paper: 5)")
    p.add_argument("--depth", type=int, default=8)
    p.add_argument("--width", type=int, default=128)
    p.add_argument("--activations", nargs="+", choices=acts.ACTIVATIONS, default=list(acts.ACTIVATIONS))
    p.add_argument("--validation", type=int, default=10_000,
                   help="hold out the last N training images (default 10000; 20%% if the set is small)")
    p.add_argument("--probe-images", type=int, default=10_000,
                   help="training images over which each unit's activation is averaged")
    data.add_arguments(p)
    p.add_argument("--verbose", type=int, choices=(0, 1, 2), default=0, help="Keras fit verbosity")
    p.add_argument("--output-dir", default="runs/mean_activation")
    return p


def main(argv=None) -> list[dict]:
    args = parser().parse_args(argv)
    dataset = data.from_arguments(args)
    args.held_out, validation = split(dataset, args.validation)
    print(f"validation: {validation}")
    os.makedirs(args.output_dir, exist_ok=True)
    runs, progress = [], Progress(args.seeds * len(args.activations))
    for seed in range(args.seeds):  # seeds outermost: a stopped job still compares every activation
        for name in args.activations:
            progress.begin(f"{name} / seed {seed}")
            runs.append(run(name, seed, dataset, args))
            progress.end()
            with open(os.path.join(args.output_dir, "mean_activation.json"), "w") as f:
                json.dump({"dataset": dataset.summary(), "validation": validation,
                           "config": {k: v for k, v in vars(args).items() if k != "held_out"},
                           "seconds": progress.elapsed(), "runs": runs}, f)
    plots.learning_behaviour(runs, os.path.join(args.output_dir, "mean_activation.png"),
                             f"{dataset.name}, {args.epochs} epochs, {args.seeds} seed(s)")
    print(f"\n{dataset.name}, {args.epochs} epochs, validation: {validation}; mean ± std over seeds\n")
    print(markdown(runs, args))
    print(f"\nwrote {args.output_dir}/mean_activation.json, mean_activation.png")
    return runs


if __name__ == "__main__":
    main()
