"""The MachineCurve comparison: ReLU/ELU x Glorot/He over several seeds.

    python examples/compare_init.py                      # offline default data, 3 seeds
    python examples/compare_init.py --dataset fashion-mnist --seeds 3
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
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402

import data  # noqa: E402
import mnist_cnn  # noqa: E402
import plots  # noqa: E402

# MachineCurve, "How to use ELU with Keras": test accuracy, 25 epochs, full MNIST.
PUBLISHED = {("relu", "glorot_uniform"): 0.9915, ("keras_elu", "glorot_uniform"): 0.9906,
             ("relu", "he_normal"): 0.9918, ("keras_elu", "he_normal"): 0.9922}
GRID = [("relu", "glorot_uniform"), ("keras_elu", "glorot_uniform"),
        ("relu", "he_normal"), ("keras_elu", "he_normal")]


def _clock(seconds: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(max(seconds, 0)))


def run_grid(args, dataset) -> list[dict]:
    runs = [(act, init, seed) for act, init in GRID for seed in range(args.seeds)]
    results, start = [], time.perf_counter()
    for k, (act, init, seed) in enumerate(runs, 1):
        elapsed = time.perf_counter() - start
        left = elapsed / (k - 1) * (len(runs) - k + 1) if k > 1 else float("nan")
        print(f"\n=== run {k} of {len(runs)}: {act} / {init} / seed {seed} — elapsed "
              f"{_clock(elapsed)}, time left ~{_clock(left) if k > 1 else '?'} ===", flush=True)
        config = mnist_cnn.make_config(args, activation=act, init=init, seed=seed)
        model, result = mnist_cnn.train(config, dataset, verbose=args.verbose)
        mnist_cnn.write_outputs(model, result, os.path.join(args.output_dir, f"{act}-{init}-seed{seed}"))
        print(f"    test accuracy {result['test_accuracy']:.4f}, loss {result['test_loss']:.4f}")
        results.append(result)
    return results


def summarize(results: list[dict]) -> list[dict]:
    rows = []
    for act, init in GRID:
        mine = [r for r in results if (r["config"]["activation"], r["config"]["init"]) == (act, init)]
        acc = np.array([r["test_accuracy"] for r in mine])
        loss = np.array([r["test_loss"] for r in mine])
        rows.append({"init": init, "activation": act, "seeds": len(mine),
                     "accuracy_mean": acc.mean(), "accuracy_std": acc.std(ddof=1) if len(acc) > 1 else 0.0,
                     "loss_mean": loss.mean(), "loss_std": loss.std(ddof=1) if len(loss) > 1 else 0.0,
                     "best_val_loss_epoch_mean": np.mean([int(np.argmin(r["history"]["val_loss"])) + 1 for r in mine]),
                     "seconds_per_epoch": np.median([s for r in mine for s in r["seconds_per_epoch"][1:] or r["seconds_per_epoch"]]),
                     "machinecurve_accuracy": PUBLISHED[(act, init)]})
    return rows


def markdown(rows: list[dict], dataset: dict, epochs: int) -> str:
    lines = [f"{dataset['name']} ({dataset['train']} train / {dataset['test']} test), {epochs} epochs, "
             f"{rows[0]['seeds']} seeds",
             "", "| init | activation | test accuracy | test loss | best val-loss epoch | s/epoch | MachineCurve accuracy |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['init']} | {r['activation']} | {r['accuracy_mean']:.4f} ± {r['accuracy_std']:.4f} "
                     f"| {r['loss_mean']:.4f} ± {r['loss_std']:.4f} | {r['best_val_loss_epoch_mean']:.1f} "
                     f"| {r['seconds_per_epoch']:.2f} | {r['machinecurve_accuracy']:.4f} |")
    return "\n".join(lines)


def write_summary(rows, results, args, dataset) -> None:
    os.makedirs(args.output_dir, exist_ok=True)
    with open(os.path.join(args.output_dir, "summary.json"), "w") as f:
        json.dump({"dataset": dataset.summary(), "rows": rows, "runs": results}, f, indent=1, default=float)
    with open(os.path.join(args.output_dir, "summary.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    curves = {f"{act} / {init}": [r["history"] for r in results
                                  if (r["config"]["activation"], r["config"]["init"]) == (act, init)]
              for act, init in GRID}
    plots.grid(curves, os.path.join(args.output_dir, "comparison.png"),
               f"{dataset.name}, {args.epochs} epochs, dropout {args.dropout}")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=int, default=3)
    p.add_argument("--epochs", type=int, default=25)
    p.add_argument("--dropout", type=float, default=0.25)
    p.add_argument("--alpha", type=float, default=1.0)
    p.add_argument("--batch-size", type=int, default=250)
    data.add_arguments(p)
    p.add_argument("--train-limit", type=int, default=None)
    p.add_argument("--machinecurve-long", action="store_true",
                   help="the post's long run: 250 epochs with dropout 0.5")
    p.add_argument("--verbose", type=int, choices=(0, 1, 2), default=2, help="Keras fit verbosity")
    p.add_argument("--output-dir", default=None, help="default: runs/compare_init/<dataset>")
    return p


def main(argv=None) -> list[dict]:
    args = parser().parse_args(argv)
    if args.machinecurve_long:
        args.epochs, args.dropout = 250, 0.5
    dataset = data.from_arguments(args)
    args.output_dir = args.output_dir or os.path.join("runs", "compare_init", dataset.name +
                                                      ("-long" if args.machinecurve_long else ""))
    results = run_grid(args, dataset)
    rows = summarize(results)
    write_summary(rows, results, args, dataset)
    print("\n" + markdown(rows, dataset.summary(), args.epochs))
    print(f"\nwrote {args.output_dir}/summary.json, summary.csv, comparison.png")
    return rows


if __name__ == "__main__":
    main()
