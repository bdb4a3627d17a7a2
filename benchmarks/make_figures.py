"""Draw the figures of docs/benchmarks.md from benchmarks/results/*.csv.

Run it from anywhere after a benchmark has written new results:

    python benchmarks/make_figures.py

It reads the result files only (nothing is re-run) and writes PNGs next to
itself; ``--tables`` also prints the page's Markdown tables from the same
files. Needs matplotlib and pandas.
"""

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
# The figures of the documentation's benchmarks page.
FIGURES = HERE.parent / "docs" / "_static" / "benchmarks"
DPI = 100

# Models in the order and colours of every figure.
MODELS = {
    "skgan": ("skgan", "#1f77b4"),
    "skgan-y": ("skgan, fitted with y", "#6baed6"),
    "ctgan": ("CTGAN", "#d62728"),
    "tvae": ("TVAE", "#ff7f0e"),
    "marginals": ("independent columns", "#7f7f7f"),
}
TABLES = ["penguins", "HMDA", "attrition", "Wage", "Default", "lending_club", "Caravan"]
SAMPLERS = {
    "none": "none",
    "random": "random",
    "smote": "SMOTE",
    "borderline": "BorderlineSMOTE",
    "adasyn": "ADASYN",
    "polyfit_star": "polynom_fit_SMOTE_star",
    "prowsyn": "ProWSyn",
    "skgan": "GANSampler",
}
METRICS = {
    "f1": "F1",
    "gmean": "G-mean",
    "bacc": "balanced acc.",
    "roc_auc": "ROC-AUC",
    "pr_auc": "PR-AUC",
}


def _bar_positions(x, i, n_series, width):
    """Where the i-th of ``n_series`` bars of width ``width`` sits around ``x``."""
    return x + (i - (n_series - 1) / 2) * width


def _save(fig, out):
    fig.tight_layout()
    fig.savefig(FIGURES / out, dpi=DPI, bbox_inches="tight")
    plt.close(fig)


def _tables(frame):
    return [t for t in TABLES if t in set(frame["table"])]


def grouped_bars(frame, column, ylabel, title, out, reference=None, ylim=None):
    """One group of bars per table, one bar per model."""
    tables = _tables(frame)
    models = [m for m in MODELS if m in set(frame["model"])]
    width = 0.8 / len(models)
    x = np.arange(len(tables))
    fig, ax = plt.subplots(figsize=(9, 3.6))
    for i, model in enumerate(models):
        rows = frame[frame["model"] == model].set_index("table")
        values = [rows[column].get(t, np.nan) for t in tables]
        label, colour = MODELS[model]
        ax.bar(
            _bar_positions(x, i, len(models), width),
            values,
            width,
            label=label,
            color=colour,
        )
    if reference is not None:
        ref = frame.groupby("table")[reference].first()
        for j, table in enumerate(tables):
            ax.hlines(
                ref[table],
                j - 0.45,
                j + 0.45,
                colors="black",
                linestyles="--",
                linewidth=1.2,
                label="trained on real rows (TRTR)" if j == 0 else None,
            )
    ax.set_xticks(x, tables)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, ncol=3, loc="lower center", bbox_to_anchor=(0.5, -0.38))
    _save(fig, out)


def fit_time(frame, out):
    """Fit seconds per table and model, log scale."""
    frame = frame[frame["model"] != "marginals"]
    tables = _tables(frame)
    models = [m for m in MODELS if m in set(frame["model"])]
    width = 0.8 / len(models)
    x = np.arange(len(tables))
    fig, ax = plt.subplots(figsize=(7, 3.4))
    for i, model in enumerate(models):
        rows = frame[frame["model"] == model].set_index("table")
        label, colour = MODELS[model]
        ax.bar(
            _bar_positions(x, i, len(models), width),
            [rows["fit_s"].get(t, np.nan) for t in tables],
            width,
            label=label,
            color=colour,
        )
    ax.set_xticks(x, tables)
    ax.set_ylabel("fit time (s)")
    ax.set_title("Fit time, one process per fit, 2-core CPU")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8)
    _save(fig, out)


def scaling(frame, out):
    """Rows against seconds, log-log."""
    fig, ax = plt.subplots(figsize=(6, 3.6))
    ax.loglog(
        frame["rows"], frame["fit_s"], "o-", label="fit (1 epoch, encoder included)"
    )
    ax.loglog(frame["rows"], frame["epoch_s"], "s-", label="training epoch")
    ax.loglog(frame["rows"], frame["encode_s"], "^-", label="encoder fit + transform")
    ax.set_xlabel("rows in the training table")
    ax.set_ylabel("seconds")
    ax.set_title("Scaling on a 20-column mixed table")
    ax.grid(which="both", alpha=0.3)
    ax.legend(fontsize=8)
    _save(fig, out)


def oversampling_ranks(frame, out):
    """Mean rank of each sampler on each measure; lower is better."""
    frame = frame.set_index("sampler").loc[list(SAMPLERS)]
    metrics = list(METRICS)
    width = 0.8 / len(frame)
    x = np.arange(len(metrics))
    colours = plt.get_cmap("tab10").colors
    fig, ax = plt.subplots(figsize=(9, 3.8))
    for i, (sampler, row) in enumerate(frame.iterrows()):
        colour = "#1f77b4" if sampler == "skgan" else colours[(i % 9) + 1]
        ax.bar(
            _bar_positions(x, i, len(frame), width),
            row[metrics],
            width,
            label=SAMPLERS[sampler],
            color=colour,
            edgecolor="black" if sampler == "skgan" else None,
        )
    ax.set_xticks(x, [METRICS[m] for m in metrics])
    ax.set_ylabel("mean rank (1 = best)")
    ax.set_ylim(1, 7.5)
    ax.set_title("Oversampling: mean rank over 20 data sets x 4 classifiers")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(fontsize=8, ncol=4, loc="lower center", bbox_to_anchor=(0.5, -0.42))
    _save(fig, out)


def print_tables(fidelity, four, scaling_frame, loop, ranks):
    """The page's Markdown tables, from the same files as the figures."""

    def per_model(frame, column, extra=None):
        models = [m for m in MODELS if m in set(frame["model"])]
        head = ["table"] + [MODELS[m][0] for m in models]
        if extra:
            head.append(extra[1])
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for table in _tables(frame):
            rows = frame[frame["table"] == table].set_index("model")
            cells = [table] + [
                f"{rows[column][m]:.3f}" if m in rows.index else "" for m in models
            ]
            if extra:
                cells.append(f"{rows[extra[0]].iloc[0]:.3f}")
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    for column in ("quality", "trends", "detect_auc"):
        print(f"\n{column} (fidelity.csv)\n" + per_model(fidelity, column))
    print(
        "\ntstr_f1 (fidelity.csv)\n"
        + per_model(fidelity, "tstr_f1", ("trtr_f1", "TRTR"))
    )
    fits = four[four["model"] != "marginals"]
    print("\nfit_s (fidelity_four_tables.csv)")
    print(per_model(fits, "fit_s").replace(".000", ""))
    print("\nquality (fidelity_four_tables.csv)\n" + per_model(four, "quality"))
    print("\nscaling.csv")
    print("| rows | fit_s | encode_s | epoch_s | us_per_row | sample_s | peak_mb |")
    print("|---|---|---|---|---|---|---|")
    for _, r in scaling_frame.iterrows():
        print(
            f"| {int(r.rows):,} | {r.fit_s:.1f} | {r.encode_s:.1f} | {r.epoch_s:.1f} "
            f"| {r.us_per_row:.1f} | {r.sample_s:.1f} | {r.peak_mb:,.0f} |"
        )
    print("\nloop_efficiency.csv")
    print(
        "| table | rows | encoded columns | steps | steps per s | fit_s "
        "| sampled rows per s |"
    )
    print("|---|---|---|---|---|---|---|")
    for _, r in loop.iterrows():
        print(
            f"| {r.table} | {int(r.rows):,} | {int(r.encoded)} | {int(r.steps)} "
            f"| {r.steps_s:.1f} | {r.fit_s:.1f} | {r.sample_rows_s:,.0f} |"
        )
    print("\noversampling_ranks.csv")
    print("| sampler | " + " | ".join(METRICS.values()) + " |")
    print("|---|" + "---|" * len(METRICS))
    for _, r in ranks.set_index("sampler").loc[list(SAMPLERS)].reset_index().iterrows():
        print(
            f"| {SAMPLERS[r.sampler]} | "
            + " | ".join(f"{r[m]:.2f}" for m in METRICS)
            + " |"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--tables", action="store_true", help="also print the page's Markdown tables"
    )
    args = parser.parse_args()

    fidelity = pd.read_csv(RESULTS / "fidelity.csv")
    four = pd.read_csv(RESULTS / "fidelity_four_tables.csv")
    scaling_frame = pd.read_csv(RESULTS / "scaling.csv")
    loop = pd.read_csv(RESULTS / "loop_efficiency.csv")
    ranks = pd.read_csv(RESULTS / "oversampling_ranks.csv")

    grouped_bars(
        fidelity,
        "quality",
        "SDMetrics quality score",
        "Quality (higher is better)",
        "quality.png",
        ylim=(0.6, 1.0),
    )
    grouped_bars(
        fidelity,
        "trends",
        "SDMetrics Column Pair Trends",
        "Column pair trends (higher is better)",
        "trends.png",
        ylim=(0.5, 1.0),
    )
    grouped_bars(
        fidelity,
        "tstr_f1",
        "macro F1 on real test rows",
        "Train on synthetic, test on real (higher is better)",
        "tstr.png",
        reference="trtr_f1",
        ylim=(0.0, 1.05),
    )
    fit_time(four, "fit_time.png")
    scaling(scaling_frame, "scaling.png")
    oversampling_ranks(ranks, "oversampling_ranks.png")
    if args.tables:
        print_tables(fidelity, four, scaling_frame, loop, ranks)


if __name__ == "__main__":
    main()
