"""MachineCurve's "How to use ELU with Keras" MNIST CNN, on keras_elu.

Conv2D(32, 3x3) -> act -> MaxPool(2) -> Dropout -> Conv2D(64, 3x3) -> act ->
MaxPool(2) -> Dropout -> Flatten -> Dense(256) -> act -> Dense(10, softmax);
Adam, batch 250, 25 epochs, validation_split 0.2.

    python examples/mnist_cnn.py --activation keras_elu --init he_normal --dataset mnist-5k

Writes results.json, model.keras (input: float32 images in [0, 1], shape
(28, 28, 1)), accuracy.png and loss.png into --output-dir.
"""

import argparse
import json
import os
import sys
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import keras  # noqa: E402
import numpy as np  # noqa: E402

import data  # noqa: E402
import keras_elu  # noqa: E402
import plots  # noqa: E402

# The models, named once for the CLI, the JSON and the plots: keras_elu's ELU,
# Keras' own ELU (keras.layers.ELU), and ReLU.
ACTIVATIONS = ("keras_elu", "keras", "relu")
# Spellings before 0.2, still accepted (with a warning): "elu" meant keras_elu's.
OLD_NAMES = {"elu": "keras_elu", "keras-elu": "keras"}
INITS = ("he_normal", "glorot_uniform")


def activation_name(name: str) -> str:
    """The current name for `name`, warning once where an old spelling is used."""
    if name in OLD_NAMES:
        warnings.warn(f"activation {name!r} is now called {OLD_NAMES[name]!r}", FutureWarning, stacklevel=2)
        return OLD_NAMES[name]
    if name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {ACTIVATIONS}; received activation={name!r}")
    return name


def activation_layer(name: str, alpha: float) -> keras.layers.Layer:
    name = activation_name(name)
    if name == "keras_elu":
        return keras_elu.ELU(alpha=alpha)
    if name == "keras":
        return keras.layers.ELU(alpha=alpha)  # Keras' built-in, for comparison
    return keras.layers.ReLU()


def build_model(activation: str, alpha: float, init: str, dropout: float) -> keras.Model:
    act = lambda: activation_layer(activation, alpha)  # noqa: E731  (a fresh layer each time)
    model = keras.Sequential([
        keras.Input((28, 28, 1)),
        keras.layers.Conv2D(32, (3, 3), kernel_initializer=init), act(),
        keras.layers.MaxPooling2D((2, 2)), keras.layers.Dropout(dropout),
        keras.layers.Conv2D(64, (3, 3), kernel_initializer=init), act(),
        keras.layers.MaxPooling2D((2, 2)), keras.layers.Dropout(dropout),
        keras.layers.Flatten(),
        keras.layers.Dense(256, kernel_initializer=init), act(),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


class EpochTimer(keras.callbacks.Callback):
    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)


def make_config(args, **choices) -> dict:
    """One run's settings: the shared flags from args, per-run choices (activation, init, seed) given."""
    config = {"alpha": getattr(args, "alpha", None), "epochs": args.epochs, "batch_size": args.batch_size,
              "dropout": args.dropout, "train_limit": args.train_limit}
    config.update(choices)
    return config


def train(config: dict, dataset: data.Dataset, verbose: int = 1) -> tuple[keras.Model, dict]:
    """Trains one configuration; returns the model and a JSON-ready result."""
    keras.utils.set_random_seed(config["seed"])
    model = build_model(config["activation"], config["alpha"], config["init"], config["dropout"])
    timer = EpochTimer()
    x_train, y_train = dataset.x_train, dataset.y_train
    if config.get("train_limit"):
        x_train, y_train = x_train[: config["train_limit"]], y_train[: config["train_limit"]]
    history = model.fit(x_train, y_train, batch_size=config["batch_size"], epochs=config["epochs"],
                        validation_split=0.2, verbose=verbose, callbacks=[timer])
    test_loss, test_accuracy = model.evaluate(dataset.x_test, dataset.y_test, verbose=0)
    result = {
        "config": config, "dataset": dataset.summary(),
        "test_loss": float(test_loss), "test_accuracy": float(test_accuracy),
        "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
        "seconds_per_epoch": timer.seconds,
    }
    return model, result


def write_outputs(model: keras.Model, result: dict, output_dir: str) -> None:
    os.makedirs(output_dir, exist_ok=True)
    with open(os.path.join(output_dir, "results.json"), "w") as f:
        json.dump(result, f, indent=1)
    model.save(os.path.join(output_dir, "model.keras"))
    title = f"{result['config']['activation']} / {result['config']['init']} on {result['dataset']['name']}"
    plots.history(result["history"], output_dir, title)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--activation", type=activation_name, default="keras_elu",
                   help=f"one of {', '.join(ACTIVATIONS)} (default keras_elu)")
    p.add_argument("--alpha", type=float, default=1.0, help="ELU alpha (default 1.0)")
    p.add_argument("--init", choices=INITS, default="he_normal")
    p.add_argument("--epochs", type=int, default=25)
    p.add_argument("--batch-size", type=int, default=250)
    p.add_argument("--dropout", type=float, default=0.25)
    p.add_argument("--seed", type=int, default=0)
    data.add_arguments(p)
    p.add_argument("--train-limit", type=int, default=None, help="use only the first N training images")
    p.add_argument("--output-dir", default="runs/mnist_cnn")
    return p


def main(argv=None) -> dict:
    args = parser().parse_args(argv)
    dataset = data.from_arguments(args)
    config = make_config(args, activation=args.activation, init=args.init, seed=args.seed)
    model, result = train(config, dataset)
    write_outputs(model, result, args.output_dir)
    print(f"test accuracy {result['test_accuracy']:.4f}, test loss {result['test_loss']:.4f}; "
          f"wrote {args.output_dir}")
    return result


if __name__ == "__main__":
    main()
