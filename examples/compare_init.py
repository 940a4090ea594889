"""The MachineCurve comparison: ReLU / ELU(alpha = 1.0) / ELU(alpha = 0.1) x Glorot / He.

MachineCurve's post ("How to use ELU with Keras") is ambiguous about alpha:
its code sets ``elu_alpha = 0.1``, its text says 1.0. Both ELU rows run, named
by their alpha.

    python examples/compare_init.py                      # the real MNIST, 1 seed (27 min on 2 cores)
    python examples/compare_init.py --seeds 3            # what the README's tables show
    python examples/compare_init.py --quick              # mnist-5k, 3 epochs: a minute
    python examples/compare_init.py --machinecurve-long  # the post's 250 epochs, dropout 0.5

Prints a Markdown table of mean +- std test accuracy and loss beside
MachineCurve's published numbers, and writes summary.json, summary.csv,
comparison.png and each run's own outputs under --output-dir.
"""

import argparse
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import data  # noqa: E402
import mnist_cnn  # noqa: E402
import plots  # noqa: E402
from progress import Progress, clock  # noqa: E402

# MachineCurve, "How to use ELU with Keras": test accuracy, 25 epochs, full MNIST,
# one run each. Its ELU numbers come from its code, so from alpha = 0.1.
PUBLISHED = {("relu", "glorot_uniform"): 0.9915, ("keras_elu", "glorot_uniform"): 0.9906,
             ("relu", "he_normal"): 0.9918, ("keras_elu", "he_normal"): 0.9922}
INITS = ("glorot_uniform", "he_normal")
ELU_ALPHAS = (1.0, 0.1)  # the post's text, the post's code
QUICK = {"dataset": "mnist-5k", "seeds": 1, "epochs": 3}


def grid(args) -> list[tuple[str, float | None, str]]:
    """(activation, alpha, init) per configuration; alpha is None for ReLU."""
    models = [("relu", None)] if "relu" in args.activations else []
    if "keras_elu" in args.activations:
        models += [("keras_elu", alpha) for alpha in args.alphas]
    return [(act, alpha, init) for init in args.inits for act, alpha in models]


def label(activation: str, alpha: float | None) -> str:
    return activation if alpha is None else f"{activation} α={alpha:g}"


def _key(result: dict) -> tuple:
    config = result["config"]
    return config["activation"], config["alpha"] if config["activation"] != "relu" else None, config["init"]


def run_grid(args, dataset) -> list[dict]:
    runs = [(act, alpha, init, seed) for act, alpha, init in grid(args) for seed in range(args.seeds)]
    results, progress = [], Progress(len(runs))
    for act, alpha, init, seed in runs:
        progress.begin(f"{label(act, alpha)} / {init} / seed {seed}")
        config = mnist_cnn.make_config(args, activation=act, alpha=alpha if alpha is not None else 0.0,
                                       init=init, seed=seed)
        model, result = mnist_cnn.train(config, dataset, verbose=args.verbose)
        name = f"{act}{'' if alpha is None else f'-alpha{alpha:g}'}-{init}-seed{seed}"
        mnist_cnn.write_outputs(model, result, os.path.join(args.output_dir, name))
        print(f"    test accuracy {result['test_accuracy']:.4f}, loss {result['test_loss']:.4f}", flush=True)
        results.append(result)
        progress.end()
    print(f"\ngrid done in {clock(progress.elapsed())}", flush=True)
    return results


def _mean_std(values) -> tuple[float, float]:
    values = np.asarray(values, float)
    return float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.0


def summarize(results: list[dict], configurations) -> list[dict]:
    rows = []
    for act, alpha, init in configurations:
        mine = [r for r in results if _key(r) == (act, alpha, init)]
        accuracy, loss = _mean_std([r["test_accuracy"] for r in mine]), _mean_std([r["test_loss"] for r in mine])
        best_epochs = [int(np.argmin(r["history"]["val_loss"])) + 1 for r in mine]
        rows.append({"init": init, "activation": label(act, alpha), "alpha": alpha, "seeds": len(mine),
                     "accuracy_mean": accuracy[0], "accuracy_std": accuracy[1],
                     "loss_mean": loss[0], "loss_std": loss[1],
                     "train_accuracy_mean": _mean_std([r["history"]["accuracy"][-1] for r in mine])[0],
                     "best_val_loss_mean": _mean_std([min(r["history"]["val_loss"]) for r in mine])[0],
                     "last_val_loss_mean": _mean_std([r["history"]["val_loss"][-1] for r in mine])[0],
                     "best_val_loss_epoch_mean": float(np.mean(best_epochs)),
                     "seconds_per_epoch": float(np.median([s for r in mine for s in r["seconds_per_epoch"][1:]
                                                           or r["seconds_per_epoch"]])),
                     "machinecurve_accuracy": PUBLISHED[(act, init)]})
    return rows


def markdown(rows: list[dict], dataset: dict, epochs: int) -> str:
    lines = [f"{dataset['name']} ({dataset['train']} train, of which 20% validate / {dataset['test']} test), "
             f"{epochs} epochs, {rows[0]['seeds']} seed(s), mean ± std",
             "", "| init | activation | test accuracy | test loss | final train accuracy | best val loss (epoch) "
             "| last val loss | s/epoch | MachineCurve accuracy |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['init']} | {r['activation']} | {r['accuracy_mean']:.4f} ± {r['accuracy_std']:.4f} "
                     f"| {r['loss_mean']:.4f} ± {r['loss_std']:.4f} | {r['train_accuracy_mean']:.4f} "
                     f"| {r['best_val_loss_mean']:.4f} ({r['best_val_loss_epoch_mean']:.1f}) "
                     f"| {r['last_val_loss_mean']:.4f} | {r['seconds_per_epoch']:.1f} "
                     f"| {r['machinecurve_accuracy']:.4f} |")
    return "\n".join(lines)


def write_summary(rows, results, args, dataset) -> None:
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "summary.json"), "w") as f:
        json.dump({"dataset": dataset.summary(), "rows": rows, "runs": results}, f, indent=1, default=float)
    with open(os.path.join(args.output_dir, "summary.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    curves = {f"{label(act, alpha)} / {init}": [r["history"] for r in results if _key(r) == (act, alpha, init)]
              for act, alpha, init in grid(args)}
    plots.grid(curves, os.path.join(args.output_dir, "comparison.png"),
               f"{dataset.name}, {args.epochs} epochs, dropout {args.dropout}")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, default=1,
                   help="seeds per configuration (default 1: the six runs took 27 minutes on 2 cores)")
    p.add_argument("--epochs", type=int, default=25)
    p.add_argument("--dropout", type=float, default=0.25)
    p.add_argument("--alphas", type=float, nargs="+", default=list(ELU_ALPHAS),
                   help="the ELU alphas to run (default: 1.0 and 0.1, the post's text and code)")
    p.add_argument("--activations", nargs="+", choices=("relu", "keras_elu"), default=["relu", "keras_elu"])
    p.add_argument("--inits", nargs="+", choices=INITS, default=list(INITS))
    p.add_argument("--batch-size", type=int, default=250)
    data.add_arguments(p)
    p.add_argument("--train-limit", type=int, default=None)
    p.add_argument("--quick", action="store_true",
                   help=f"a minute's check: {QUICK['dataset']}, {QUICK['seeds']} seed, {QUICK['epochs']} epochs")
    p.add_argument("--machinecurve-long", action="store_true",
                   help="the post's long run: 250 epochs with dropout 0.5")
    p.add_argument("--verbose", type=int, choices=(0, 1, 2), default=0, help="Keras fit verbosity")
    p.add_argument("--output-dir", default=None, help="default: runs/compare_init/<dataset>")
    return p


def main(argv=None) -> list[dict]:
    p = parser()
    args = p.parse_args(argv)
    if args.quick:  # defaults only: flags given explicitly still win
        p.set_defaults(**QUICK)
        args = p.parse_args(argv)
    if args.machinecurve_long:
        args.epochs, args.dropout = 250, 0.5
    dataset = data.from_arguments(args)
    args.output_dir = args.output_dir or os.path.join("runs", "compare_init", dataset.name +
                                                      ("-long" if args.machinecurve_long else ""))
    results = run_grid(args, dataset)
    rows = summarize(results, grid(args))
    write_summary(rows, results, args, dataset)
    print("\n" + markdown(rows, dataset.summary(), args.epochs))
    print(f"\nwrote {args.output_dir}/summary.json, summary.csv, comparison.png")
    return rows


if __name__ == "__main__":
    main()
