"""The ELU paper's MNIST experiment (Clevert et al. 2015, section 4.1).

A fully connected net of 8 hidden layers x 128 units, He initialisation,
SGD with learning rate 0.01 and batch 64, trained with ELU (alpha = 1), ReLU,
Leaky ReLU (alpha = 0.1) and shifted ReLU (SReLU, max(-1, x)). After every
epoch we record each unit's mean activation over a fixed set of training
images: the paper's claim is that ELU keeps these closer to zero and that its
training loss falls faster.

    python examples/mean_activation.py --epochs 20

Writes mean_activation.json and mean_activation.png into --output-dir.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import data  # noqa: E402
import keras_elu  # noqa: E402
import plots  # noqa: E402

ACTIVATIONS = ("elu", "relu", "lrelu", "srelu")


class ShiftedReLU(keras.layers.Layer):
    """SReLU of the paper: max(-1, x)."""

    def call(self, inputs):
        return keras.ops.maximum(inputs, -1.0)


def activation_layer(name: str) -> keras.layers.Layer:
    layers = {"elu": lambda: keras_elu.ELU(alpha=1.0), "relu": keras.layers.ReLU,
              "lrelu": lambda: keras.layers.LeakyReLU(negative_slope=0.1), "srelu": ShiftedReLU}
    return layers[name]()


def build(name: str, depth: int, width: int) -> tuple[keras.Model, keras.Model]:
    """The classifier, and a probe model returning every hidden activation."""
    inputs = keras.Input((28, 28, 1))
    x = keras.layers.Flatten()(inputs)
    hidden = []
    for _ in range(depth):
        x = activation_layer(name)(keras.layers.Dense(width, kernel_initializer="he_normal")(x))
        hidden.append(x)
    outputs = keras.layers.Dense(10, activation="softmax", kernel_initializer="he_normal")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, keras.Model(inputs, hidden)


class MeanActivationRecorder(keras.callbacks.Callback):
    """After each epoch: mean over the probe images of every unit's activation."""

    def __init__(self, probe: keras.Model, images: np.ndarray):
        super().__init__()
        self.probe, self.images, self.means = probe, images, []

    def on_epoch_end(self, epoch, logs=None):
        activations = self.probe.predict(self.images, batch_size=1000, verbose=0)
        self.means.append([np.asarray(a).mean(axis=0).tolist() for a in activations])


def run(name: str, dataset: data.Dataset, args) -> dict:
    keras.utils.set_random_seed(args.seed)
    model, probe = build(name, args.depth, args.width)
    recorder = MeanActivationRecorder(probe, dataset.x_train[: args.probe_images])
    history = model.fit(dataset.x_train, dataset.y_train, batch_size=64, epochs=args.epochs,
                        verbose=args.verbose, callbacks=[recorder])
    _, test_accuracy = model.evaluate(dataset.x_test, dataset.y_test, verbose=0)
    means = np.asarray(recorder.means)  # epochs x layers x units
    print(f"{name}: final loss {history.history['loss'][-1]:.4f}, test accuracy {test_accuracy:.4f}, "
          f"mean |unit mean| last epoch {np.abs(means[-1]).mean():.4f}")
    return {"loss": history.history["loss"], "test_accuracy": float(test_accuracy),
            "unit_means": means.tolist()}


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--depth", type=int, default=8)
    p.add_argument("--width", type=int, default=128)
    p.add_argument("--activations", nargs="+", choices=ACTIVATIONS, default=list(ACTIVATIONS))
    p.add_argument("--probe-images", type=int, default=1000)
    p.add_argument("--seed", type=int, default=0)
    data.add_arguments(p)
    p.add_argument("--verbose", type=int, choices=(0, 1, 2), default=2)
    p.add_argument("--output-dir", default="runs/mean_activation")
    return p


def main(argv=None) -> dict:
    args = parser().parse_args(argv)
    dataset = data.from_arguments(args)
    results = {name: run(name, dataset, args) for name in args.activations}
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "mean_activation.json"), "w") as f:
        json.dump({"dataset": dataset.summary(), "config": vars(args), "results": results}, f)
    plots.mean_activations({k: v["unit_means"] for k, v in results.items()},
                           {k: v["loss"] for k, v in results.items()},
                           os.path.join(args.output_dir, "mean_activation.png"))
    print(f"wrote {args.output_dir}/mean_activation.json, mean_activation.png")
    return results


if __name__ == "__main__":
    main()
