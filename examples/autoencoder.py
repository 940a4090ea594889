"""The ELU paper's deep MNIST autoencoder (Clevert et al. 2015, section 4.1, Figure 4).

Encoder 784-1000-500-250-30, symmetric decoder 30-250-500-1000-784. Every
hidden layer (the 30-unit code too) uses the activation under test: ELU
(keras_elu, alpha = 1), ReLU, Leaky ReLU (0.1) or SReLU (max(-1, x)); He-normal
weights. The output layer is 784 sigmoid units (pixels are in [0, 1]), with
Keras' default Glorot-uniform weights. The reconstruction error reported is
the squared error summed over an image's 784 pixels, averaged over images
(divide by 784 for the per-pixel MSE); training minimises half of it
(--loss-scale 0.5, the 1/2 ||x' - x||^2 of Caffe's EuclideanLoss). The scale
multiplies the learning rate, and we found none in the paper: with the full
sum, ELU and SReLU stall at lr 1e-2 here (test error 91-105 after an epoch on
20k images, no better than a blank output's 89; 3 of 3 seeds); with half,
they train. Plain SGD, batch 64, one run per learning rate (default 1e-2,
1e-3, 1e-4, 1e-5), trained on the 60,000 training images; after every epoch
the error on the 10,000 test images is recorded (for reporting only: nothing
is selected on it). The paper ran 500 epochs and found ELU best at every
learning rate.

    python examples/autoencoder.py --epochs 10
    python examples/autoencoder.py --learning-rates 1e-2 1e-3 --seeds 2

Writes autoencoder.json and autoencoder.png (test error by epoch, one panel per
learning rate) into --output-dir and prints a Markdown table.
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

ENCODER = (1000, 500, 250, 30)
LEARNING_RATES = (1e-2, 1e-3, 1e-4, 1e-5)


def squared_error(y_true, y_pred):
    """Per image: the squared error summed over its pixels."""
    return keras.ops.sum(keras.ops.square(y_true - y_pred), axis=-1)


def build(name: str, learning_rate: float, encoder=ENCODER, loss_scale: float = 0.5) -> keras.Model:
    widths = list(encoder) + list(encoder[-2::-1])  # 1000 500 250 30 250 500 1000
    inputs = keras.Input((784,))
    x = inputs
    for width in widths:
        x = acts.activation_layer(name)(keras.layers.Dense(width, kernel_initializer="he_normal")(x))
    outputs = keras.layers.Dense(784, activation="sigmoid")(x)
    model = keras.Model(inputs, outputs)
    def scaled_squared_error(y_true, y_pred):
        return loss_scale * squared_error(y_true, y_pred)

    model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate), loss=scaled_squared_error,
                  metrics=[squared_error])
    return model


def run(name: str, learning_rate: float, seed: int, x_train, x_test, args) -> dict:
    keras.utils.set_random_seed(seed)
    model = build(name, learning_rate, tuple(args.encoder), args.loss_scale)
    history = model.fit(x_train, x_train, batch_size=64, epochs=args.epochs, verbose=args.verbose,
                        validation_data=(x_test, x_test), callbacks=[keras.callbacks.TerminateOnNaN()])
    errors = history.history
    pad = [float("nan")] * (args.epochs - len(errors["loss"]))  # diverged: NaN from then on
    result = {"activation": name, "learning_rate": learning_rate, "seed": seed,
              "train_error": errors["squared_error"] + pad, "test_error": errors["val_squared_error"] + pad,
              "diverged": bool(pad) or not np.isfinite(errors["loss"][-1])}
    print(f"    {name} lr {learning_rate:g} seed {seed}: train {result['train_error'][-1]:.3f}, "
          f"test {result['test_error'][-1]:.3f}{' (diverged)' if result['diverged'] else ''}", flush=True)
    return result


def markdown(runs: list[dict], args) -> str:
    rates = sorted({r["learning_rate"] for r in runs}, reverse=True)
    names = [a for a in args.activations if any(r["activation"] == a for r in runs)]
    final = {(a, lr): [r["test_error"][-1] for r in runs if r["activation"] == a and r["learning_rate"] == lr]
             for a in names for lr in rates}
    score = lambda a, lr: np.mean(final[a, lr]) if np.all(np.isfinite(final[a, lr])) else np.inf  # noqa: E731
    best = {lr: min((a for a in names if final[a, lr]), key=lambda a: score(a, lr)) for lr in rates}
    lines = ["| activation | " + " | ".join(f"lr {lr:g}" for lr in rates) + " |", "|---|" + "---|" * len(rates)]
    for a in names:
        cells = [("**{}**" if best[lr] == a else "{}").format(acts.pm(final[a, lr], 3)) if final[a, lr] else "—"
                 for lr in rates]
        lines.append(f"| {acts.LABELS[a]} | " + " | ".join(cells) + " |")
    lines += ["", "Best per learning rate: " + ", ".join(f"lr {lr:g}: {best[lr]}" for lr in rates)]
    lines.append(f"ELU best at every learning rate: {'yes' if all(b == 'elu' for b in best.values()) else 'no'}")
    return "\n".join(lines)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--epochs", type=int, default=10, help="the paper: 500")
    p.add_argument("--learning-rates", type=float, nargs="+", default=list(LEARNING_RATES))
    p.add_argument("--seeds", type=int, default=1)
    p.add_argument("--activations", nargs="+", choices=acts.ACTIVATIONS, default=list(acts.ACTIVATIONS))
    p.add_argument("--encoder", type=int, nargs="+", default=list(ENCODER),
                   help="encoder widths; the decoder mirrors them (default 1000 500 250 30)")
    p.add_argument("--loss-scale", type=float, default=0.5,
                   help="training loss = scale x squared error summed over pixels (default 0.5)")
    p.add_argument("--train-limit", type=int, default=None, help="use only the first N training images")
    data.add_arguments(p)
    p.add_argument("--verbose", type=int, choices=(0, 1, 2), default=0, help="Keras fit verbosity")
    p.add_argument("--output-dir", default="runs/autoencoder")
    return p


def main(argv=None) -> list[dict]:
    args = parser().parse_args(argv)
    dataset = data.from_arguments(args)
    x_train = dataset.x_train.reshape(len(dataset.x_train), 784)[: args.train_limit]
    x_test = dataset.x_test.reshape(len(dataset.x_test), 784)
    os.makedirs(args.output_dir, exist_ok=True)
    configs = [(s, lr, a) for s in range(args.seeds) for lr in args.learning_rates for a in args.activations]
    runs, progress = [], Progress(len(configs))
    for seed, rate, name in configs:  # seeds outermost: a stopped job still compares every activation
        progress.begin(f"{name} / lr {rate:g} / seed {seed}")
        runs.append(run(name, rate, seed, x_train, x_test, args))
        progress.end()
        with open(os.path.join(args.output_dir, "autoencoder.json"), "w") as f:
            json.dump({"dataset": dataset.summary(), "train_images": len(x_train), "config": vars(args),
                       "seconds": progress.elapsed(), "runs": runs}, f)
    plots.reconstruction(runs, os.path.join(args.output_dir, "autoencoder.png"),
                         f"{dataset.name}, {args.epochs} epochs, {args.seeds} seed(s): test reconstruction error")
    print(f"\n{dataset.name} ({len(x_train):,} train / {len(x_test):,} test), {args.epochs} epochs, "
          f"{args.seeds} seed(s): test reconstruction error (squared error per image, summed over 784 pixels)"
          f" after the last epoch, mean ± std over seeds; best per column in bold\n")
    print(markdown(runs, args))
    print(f"\nwrote {args.output_dir}/autoencoder.json, autoencoder.png")
    return runs


if __name__ == "__main__":
    main()
