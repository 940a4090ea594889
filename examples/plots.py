"""PNG plots for the examples (matplotlib, no display needed)."""

import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def history(hist: dict, output_dir: str, title: str) -> None:
    """accuracy.png and loss.png: training and validation curves of one run."""
    for metric in ("accuracy", "loss"):
        fig, ax = plt.subplots(figsize=(6, 4))
        epochs = np.arange(1, len(hist[metric]) + 1)
        ax.plot(epochs, hist[metric], label="training")
        if f"val_{metric}" in hist:
            ax.plot(epochs, hist[f"val_{metric}"], label="validation")
        ax.set(xlabel="epoch", ylabel=metric, title=title)
        ax.legend()
        fig.tight_layout()
        fig.savefig(os.path.join(output_dir, f"{metric}.png"), dpi=100)
        plt.close(fig)


def _band(ax, runs: list, label: str, style: str = "-", color=None):
    """Mean over seeds with a min-max band (it stays positive on a log axis); returns the line's colour."""
    values = np.asarray(runs, float)
    epochs = np.arange(1, values.shape[1] + 1)
    line, = ax.plot(epochs, values.mean(0), style, label=label, color=color)
    ax.fill_between(epochs, values.min(0), values.max(0), color=line.get_color(), alpha=0.15)
    return line.get_color()


def grid(curves: dict, path: str, title: str) -> None:
    """Validation accuracy and loss per configuration, mean over seeds with a min-max band."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, metric in zip(axes, ("val_accuracy", "val_loss")):
        for label, runs in curves.items():
            _band(ax, [run[metric] for run in runs], label)
        ax.set(xlabel="epoch", ylabel=metric.replace("_", " "), title=title)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def learning_behaviour(runs: list[dict], path: str, title: str) -> None:
    """The paper's Figure 1 layout: median unit average, train (solid) and validation (dotted) CE."""
    names = list(dict.fromkeys(r["activation"] for r in runs))
    fig, axes = plt.subplots(1, 3, figsize=(16, 4.5))
    for name in names:
        mine = [r for r in runs if r["activation"] == name]
        color = _band(axes[0], [r["median_unit_average"] for r in mine], name)
        _band(axes[1], [r["train_loss"] for r in mine], f"{name} train", "-", color)
        _band(axes[1], [r["val_loss"] for r in mine], f"{name} validation", ":", color)
        layers = np.asarray([r["layer_median_unit_average"][-1] for r in mine])
        mean = layers.mean(0)
        axes[2].errorbar(np.arange(1, layers.shape[1] + 1), mean, color=color, marker="o", capsize=3,
                         yerr=[mean - layers.min(0), layers.max(0) - mean], label=name)
    axes[0].set(xlabel="epoch", ylabel="median of the average unit activation", title=title)
    axes[1].set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="training (—) and validation (··)")
    axes[2].set(xlabel="hidden layer", ylabel="median unit average, last epoch", title="per layer")
    axes[2].xaxis.get_major_locator().set_params(integer=True)
    for ax in (axes[0], axes[2]):
        ax.axhline(0, color="black", lw=0.5)
    for ax in axes:
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def reconstruction(runs: list[dict], path: str, title: str) -> None:
    """Test-set reconstruction error by epoch, one panel per learning rate, bands over seeds."""
    rates = sorted({r["learning_rate"] for r in runs}, reverse=True)
    fig, axes = plt.subplots(1, len(rates), figsize=(4.5 * len(rates), 4), squeeze=False)
    for ax, rate in zip(axes[0], rates):
        for name in dict.fromkeys(r["activation"] for r in runs):
            mine = [r["test_error"] for r in runs if r["activation"] == name and r["learning_rate"] == rate]
            if mine:
                _band(ax, mine, name)
        ax.set(xlabel="epoch", ylabel="test reconstruction error", yscale="log", title=f"lr {rate:g}")
        ax.legend(fontsize=7)
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
