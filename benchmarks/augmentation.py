"""Augmentation: do synthetic rows help a classifier more than copies of real rows?

The augmentation protocol of ``docs/benchmarks.md``. For each development
table, a fixed 20% test split (stratified on the target, seed 0); from the
other 80%, for every ``--sizes`` and ``--seeds``, a stratified training set
of that many rows. Every method is fitted on the training set once and makes
``max(--ratios)`` times its size in extra rows, with the target, in the
classes' training proportions; for each ratio the first ``ratio * size`` of
them are added to the real rows (a prefix of a random sample is a random
sample). Methods:

- ``none``: the real rows alone (no rows added);
- ``copies``: bootstrap copies of real rows, the floor any augmentation must
  beat: a regularised learner gains from duplicated rows without any new
  information;
- ``smote``: SMOTE rows (SMOTENC with categorical columns) added to every
  class in its training proportion, from the rows with missing values
  filled (median, or a "missing" category) for the interpolation only;
- ``tvae``: ``ctgan.TVAE()`` defaults fitted on the rows with the target
  as a discrete column (rows with missing numbers dropped), when ``ctgan``
  is installed;
- ``gan``: ``GANSampler()`` (updated with ``--gan-params``) fitted with the
  target as ``y``; ``sample(n, return_y=True)`` draws the classes in their
  training proportions;
- ``gan-agree``: the same model's rows, drawing 4 times as many candidates
  and keeping, per class, those that a gradient-boosting classifier of the
  real training rows gives the highest probability of their class;
- ``smote-agree``: SMOTE's rows filtered the same way, to tell the filter's
  share of a gain from the generator's.

Classifiers: ``hgb`` (HistGradientBoosting, categorical columns native) and
``lr`` (logistic regression on imputed, one-hot encoded, scaled columns).
Scores on the test split: macro-F1 and ROC-AUC (one-vs-rest macro for more
than two classes). The report gives, per method and ratio, the mean over
tables, sizes, seeds and classifiers, its difference to ``copies`` with the
spread over seeds, and the difference per table at each size.

Run (``ctgan`` pins pandas below 3: run it in an environment of its own that
has skgan installed, or leave ``tvae`` out)::

    python benchmarks/augmentation.py [--tables Default Wage] [--sizes 250 500]
        [--seeds 0 1 2] [--ratios 0.5 1 2] [--methods none copies smote gan]
        [--n-jobs 2] [--out benchmarks/results/augmentation]
"""

import argparse
import json
import os
import platform
import shlex
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context

import numpy as np
import pandas as pd
from defaults import ALL_TABLES, markdown_table
from defaults import load as load_table
from imblearn.over_sampling import SMOTE, SMOTENC
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

TABLES = ("Default", "Wage", "HMDA", "attrition", "penguins", "lending_club")
METHODS = ("none", "copies", "smote", "smote-agree", "tvae", "gan", "gan-agree")
CLASSIFIERS = ("hgb", "lr")
CANDIDATES = 4  # gan-agree draws this many candidates per row it keeps


def load(name):
    """(X with every non-numeric column categorical, y as strings)."""
    X, y = load_table(name)
    X = X.copy()
    for column in X:
        values = X[column]
        numeric = pd.api.types.is_numeric_dtype(values) and not (
            pd.api.types.is_bool_dtype(values)
        )
        if not numeric:
            X[column] = values.astype(str).where(values.notna()).astype("category")
        else:
            X[column] = values.astype(float)
    return X.reset_index(drop=True), pd.Series(y).astype(str).to_numpy()


def splits(name, size, seed):
    """(X_train, y_train, X_test, y_test): a fixed test split, a seeded subset."""
    X, y = load(name)
    X_rest, X_test, y_rest, y_test = train_test_split(
        X, y, test_size=0.2, stratify=y, random_state=0
    )
    X_train, _, y_train, _ = train_test_split(
        X_rest, y_rest, train_size=size, stratify=y_rest, random_state=seed
    )
    return (X_train.reset_index(drop=True), y_train,
            X_test.reset_index(drop=True), y_test)  # fmt: skip


def categorical_columns(X):
    return [c for c in X if isinstance(X[c].dtype, pd.CategoricalDtype)]


def restore_dtypes(frame, like):
    """``frame`` with the columns and dtypes of ``like`` (unseen categories NaN)."""
    frame = pd.DataFrame(frame, columns=like.columns).reset_index(drop=True)
    for column in like:
        dtype = like[column].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            values = frame[column].astype(object)
            values = values.where(values.isin(dtype.categories))
            frame[column] = pd.Categorical(values, categories=dtype.categories)
        else:
            frame[column] = pd.to_numeric(frame[column], errors="coerce")
    return frame


def proportional_counts(y, n):
    """Rows per class adding up to ``n``, in the classes' shares of ``y``."""
    labels, counts = np.unique(y, return_counts=True)
    shares = counts / counts.sum() * n
    whole = np.floor(shares).astype(int)
    rest = np.argsort(-(shares - whole))[: n - whole.sum()]
    whole[rest] += 1
    return dict(zip(labels, whole, strict=True))


def copies(X, y, n, seed):
    rows = np.random.default_rng(seed).integers(len(X), size=n)
    return X.iloc[rows].reset_index(drop=True), y[rows]


def smote_rows(X, y, n, seed):
    """``n`` SMOTE(NC) rows, the classes in their training shares."""
    filled = X.copy()
    categorical = categorical_columns(X)
    for column in X:
        if column in categorical:
            values = filled[column].astype(object).fillna("missing")
            filled[column] = values.astype(str)
        else:
            filled[column] = filled[column].fillna(filled[column].median())
    extra = proportional_counts(y, n)
    _, counts = np.unique(y, return_counts=True)
    labels = np.unique(y)
    strategy = {
        label: int(c + extra[label]) for label, c in zip(labels, counts, strict=True)
    }
    k = max(1, min(5, counts.min() - 1))
    if categorical:
        index = [X.columns.get_loc(c) for c in categorical]
        sampler = SMOTENC(index, sampling_strategy=strategy, k_neighbors=k,
                          random_state=seed)  # fmt: skip
    else:
        sampler = SMOTE(sampling_strategy=strategy, k_neighbors=k, random_state=seed)
    X_res, y_res = sampler.fit_resample(filled, y)
    X_new = pd.DataFrame(X_res).iloc[len(X) :].reset_index(drop=True)
    y_new = np.asarray(y_res)[len(X) :]
    order = np.random.default_rng(seed).permutation(len(X_new))
    return restore_dtypes(X_new.iloc[order], X), y_new[order]


def tvae_rows(X, y, n, seed):
    import torch
    from ctgan import TVAE

    torch.manual_seed(seed)
    np.random.seed(seed)  # noqa: NPY002 - ctgan draws from the global state
    frame = X.assign(__target__=y)
    numeric = [c for c in X if c not in categorical_columns(X)]
    frame = frame.dropna(subset=numeric)
    for column in categorical_columns(X):
        frame[column] = frame[column].astype(object).fillna("missing").astype(str)
    model = TVAE()
    model.fit(frame, discrete_columns=[*categorical_columns(X), "__target__"])
    synthetic = model.sample(n)
    return restore_dtypes(synthetic.drop(columns="__target__"), X), (
        synthetic["__target__"].astype(str).to_numpy()
    )


def agreeing(X, y, X_new, y_new, n, seed):
    """``n`` of the candidates, per class those that a classifier of the real
    rows gives the highest probability of their own class."""
    judge = make_classifier("hgb", X, seed).fit(X, y)
    proba = judge.predict_proba(X_new)
    column = {label: i for i, label in enumerate(judge.classes_)}
    keep = []
    for label, wanted in proportional_counts(y, n).items():
        rows = np.flatnonzero(np.asarray(y_new) == label)
        best = rows[np.argsort(-proba[rows, column[label]], kind="stable")]
        keep.extend(best[:wanted])
    keep = np.random.default_rng(seed).permutation(np.array(keep, dtype=int))
    return X_new.iloc[keep].reset_index(drop=True), np.asarray(y_new)[keep]


def with_agreeing(name, X, y, X_new, y_new, n, seed):
    """``{name: the first n candidates, name-agree: n filtered ones}``."""
    plain = (X_new.iloc[:n].reset_index(drop=True), np.asarray(y_new)[:n])
    return {name: plain, f"{name}-agree": agreeing(X, y, X_new, y_new, n, seed)}


def gan_rows(X, y, n, seed, gan_params):
    """``gan`` and ``gan-agree`` rows from one fit, and the fit's seconds."""
    from skgan import GANSampler

    start = time.perf_counter()
    gan = GANSampler(**{**gan_params, "random_state": seed}).fit(X, y)
    fit_s = time.perf_counter() - start
    X_new, y_new = gan.sample(n * CANDIDATES, return_y=True)
    return with_agreeing("gan", X, y, restore_dtypes(X_new, X), y_new, n, seed), fit_s


def make_classifier(name, X, seed):
    categorical = categorical_columns(X)
    if name == "hgb":
        return HistGradientBoostingClassifier(
            categorical_features="from_dtype", random_state=seed
        )
    numeric = [c for c in X if c not in categorical]
    preprocess = ColumnTransformer(
        [
            ("categorical", make_pipeline(
                SimpleImputer(strategy="most_frequent"),
                OneHotEncoder(handle_unknown="ignore"),
            ), categorical),
            ("numeric", make_pipeline(SimpleImputer(), StandardScaler()), numeric),
        ],
        sparse_threshold=0,
    )  # fmt: skip
    return make_pipeline(preprocess, LogisticRegression(max_iter=2000))


def scores(model, X_test, y_test):
    proba = model.predict_proba(X_test)
    classes = model.classes_
    if len(classes) == 2:
        auc = roc_auc_score(y_test == classes[1], proba[:, 1])
    else:
        auc = roc_auc_score(y_test, proba, multi_class="ovr", labels=classes)
    predicted = classes[proba.argmax(axis=1)]
    return {"f1": f1_score(y_test, predicted, average="macro"), "roc_auc": auc}


def run_task(table, size, seed, methods, ratios, classifiers, gan_params):
    """Every method, ratio and classifier on one (table, size, seed)."""
    from threadpoolctl import threadpool_limits

    warnings.filterwarnings("ignore")
    with threadpool_limits(1):
        X, y, X_test, y_test = splits(table, size, seed)
        n_max = round(max(ratios) * size)
        made, fit_s, notes = {}, {}, {}
        for method in methods:
            start = time.perf_counter()
            try:
                if method == "none":
                    made[method] = (X.iloc[:0], y[:0])
                elif method == "copies":
                    made[method] = copies(X, y, n_max, seed)
                elif method in ("smote", "smote-agree") and method not in made:
                    candidates = smote_rows(X, y, n_max * CANDIDATES, seed)
                    rows = with_agreeing("smote", X, y, *candidates, n_max, seed)
                    made.update(rows)
                elif method == "tvae":
                    made[method] = tvae_rows(X, y, n_max, seed)
                elif method in ("gan", "gan-agree") and method not in made:
                    rows, seconds = gan_rows(X, y, n_max, seed, gan_params)
                    made.update(rows)
                    fit_s.update(dict.fromkeys(rows, seconds))
            except Exception as error:  # kept in the results, never hidden
                notes[method] = f"{type(error).__name__}: {str(error)[:150]}"
            fit_s.setdefault(method, time.perf_counter() - start)
        rows = []
        for method in methods:
            for ratio in [0.0] if method == "none" else ratios:
                n = round(ratio * size)
                for classifier in classifiers:
                    row = {"table": table, "size": size, "seed": seed,
                           "method": method, "ratio": ratio,
                           "classifier": classifier, "f1": np.nan,
                           "roc_auc": np.nan, "fit_s": fit_s[method],
                           "note": notes.get(method, "")}  # fmt: skip
                    if method in made:
                        X_new, y_new = made[method]
                        X_aug = pd.concat([X, X_new.iloc[:n]], ignore_index=True)
                        y_aug = np.concatenate([y, y_new[:n]])
                        model = make_classifier(classifier, X, seed).fit(X_aug, y_aug)
                        row.update(scores(model, X_test, y_test))
                    rows.append(row)
    return rows


def summarise(results):
    """(overall, per_table) against ``copies``: the report's two tables."""
    base = results[results["method"] == "copies"].set_index(
        ["table", "size", "seed", "ratio", "classifier"]
    )
    alone = results[results["method"] == "none"].set_index(
        ["table", "size", "seed", "classifier"]
    )
    frame = results.set_index(["table", "size", "seed", "ratio", "classifier"])
    frame = frame.assign(
        vs_copies=frame["f1"] - base["f1"].reindex(frame.index).to_numpy(),
        gain=frame["f1"].to_numpy()
        - alone["f1"].reindex(frame.index.droplevel("ratio")).to_numpy(),
    ).reset_index()
    overall = frame.groupby(["method", "ratio"]).agg(
        f1=("f1", "mean"), roc_auc=("roc_auc", "mean"), gain=("gain", "mean"),
        vs_copies=("vs_copies", "mean"), fit_s=("fit_s", "median"),
    )  # fmt: skip
    by_seed = frame.groupby(["method", "ratio", "seed"])["vs_copies"].mean()
    overall["vs_copies_seed_sd"] = by_seed.groupby(["method", "ratio"]).std()
    per_table = frame[frame["ratio"] == 1.0].pivot_table(
        index=["table", "size"], columns="method", values="vs_copies", aggfunc="mean"
    )
    return overall.reset_index(), per_table.reset_index()


def table(frame):
    """``markdown_table`` of ``frame`` rounded, missing values written "nan"."""
    frame = frame.round(4)
    return markdown_table(frame.astype(object).where(frame.notna(), "nan"))


def report(results, out=None):
    overall, per_table = summarise(results)
    machine = (
        f"{platform.processor() or platform.machine()}, Python {sys.version.split()[0]}"
    )
    text = "\n\n".join([
        f"`python benchmarks/augmentation.py {shlex.join(sys.argv[1:])}` on {machine}",
        "Mean over tables, sizes, seeds and classifiers (`gain`: macro-F1 over "
        "the real rows alone; `vs_copies`: macro-F1 minus that of as many "
        "bootstrap copies; `vs_copies_seed_sd`: spread of that difference "
        "over seeds):\n\n" + table(overall),
        "macro-F1 minus copies' per table and size, rows added = 1x the "
        "training size (mean over seeds and classifiers):\n\n"
        + table(per_table),
    ])  # fmt: skip
    if out:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        results.to_csv(f"{out}.csv", index=False)
        with open(f"{out}.md", "w") as handle:
            handle.write(text + "\n")
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", nargs="+", default=list(TABLES),
                        choices=list(ALL_TABLES))  # fmt: skip
    parser.add_argument("--sizes", nargs="+", type=int, default=[250, 500, 1000])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--ratios", nargs="+", type=float, default=[0.5, 1.0, 2.0])
    parser.add_argument("--methods", nargs="+", default=list(METHODS),
                        choices=list(METHODS))  # fmt: skip
    parser.add_argument("--classifiers", nargs="+", default=list(CLASSIFIERS),
                        choices=list(CLASSIFIERS))  # fmt: skip
    parser.add_argument("--gan-params", default="{}", help="JSON dict")
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument(
        "--out",
        default=os.path.join(os.path.dirname(__file__), "results", "augmentation"),
    )
    parser.add_argument(
        "--combine", nargs="+", default=None,
        help="report the rows of earlier result CSVs together; fit nothing",
    )  # fmt: skip
    args = parser.parse_args()
    if args.combine:
        combined = pd.concat([pd.read_csv(path) for path in args.combine])
        combined["note"] = combined["note"].astype(object).fillna("")
        print(report(combined, args.out))
        return
    if "copies" not in args.methods or "none" not in args.methods:
        parser.error("--methods must include none and copies, the baselines")
    gan_params = json.loads(args.gan_params)
    settings = (tuple(args.methods), tuple(args.ratios), tuple(args.classifiers))
    # A size needs that many rows outside the test split (penguins has 275).
    tasks = [
        (table, size, seed, *settings, gan_params)
        for table in args.tables
        for size in args.sizes
        if size < 0.8 * len(load(table)[0])
        for seed in args.seeds
    ]
    rows = []
    with ProcessPoolExecutor(args.n_jobs, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(run_task, *task) for task in tasks]
        for future in as_completed(futures):
            rows.extend(future.result())
            done = rows[-1]
            print(
                f"done {done['table']} {done['size']} seed {done['seed']}", flush=True
            )
            report(pd.DataFrame(rows), args.out)  # a long run keeps its results
    print(report(pd.DataFrame(rows), args.out))


if __name__ == "__main__":
    main()
