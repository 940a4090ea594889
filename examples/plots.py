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


def grid(curves: dict, path: str, title: str) -> None:
    """Validation accuracy and loss per configuration, mean over seeds with a min-max band."""
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, metric in zip(axes, ("val_accuracy", "val_loss")):
        for label, runs in curves.items():
            values = np.array([run[metric] for run in runs])
            epochs = np.arange(1, values.shape[1] + 1)
            line, = ax.plot(epochs, values.mean(0), label=label)
            ax.fill_between(epochs, values.min(0), values.max(0), color=line.get_color(), alpha=0.15)
        ax.set(xlabel="epoch", ylabel=metric.replace("_", " "), title=title)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def mean_activations(per_act: dict, losses: dict, path: str) -> None:
    """Per activation: mean over units of each layer's mean activation by epoch; and the loss."""
    names = list(per_act)
    fig, axes = plt.subplots(1, len(names) + 1, figsize=(4.2 * (len(names) + 1), 4), squeeze=False)
    for ax, name in zip(axes[0], names):
        means = np.asarray(per_act[name])  # epochs x layers x units
        for layer in range(means.shape[1]):
            ax.plot(np.arange(1, means.shape[0] + 1), means[:, layer].mean(-1), label=f"layer {layer + 1}")
        ax.axhline(0, color="black", lw=0.5)
        ax.set(xlabel="epoch", ylabel="mean activation", title=name)
    axes[0][0].legend(fontsize=7)
    loss_ax = axes[0][-1]
    for name, loss in losses.items():
        loss_ax.plot(np.arange(1, len(loss) + 1), loss, label=name)
    loss_ax.set(xlabel="epoch", ylabel="training loss", yscale="log", title="training loss")
    loss_ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
