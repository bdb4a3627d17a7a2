"""All fidelity, privacy and utility metrics at once, as one tidy table."""

import numpy as np
import pandas as pd
from sklearn.utils import check_random_state

from ._classifier import cross_validated_utility, detection_auc, utility_score
from ._distance import distance_to_closest_record, exact_copy_rate, mmd
from ._similarity import column_shapes, pair_trends
from ._tables import pair_tables


def evaluate(
    real,
    synthetic,
    target=None,
    *,
    holdout=None,
    categorical_features="auto",
    random_state=None,
):
    """Compare a synthetic table with real data on every skgan metric.

    Parameters
    ----------
    real : DataFrame or array-like of shape (n_rows, n_columns)
        The real rows the generator was trained on.
    synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        Generated rows with the same columns.
    target : str or int, default=None
        Column to predict for the utility rows; None leaves them out.
    holdout : DataFrame or array-like, default=None
        Real rows the generator did not see, with the same columns. When
        given, utility is measured on them (train on synthetic or on
        ``real``, test on ``holdout``), and their distance to ``real`` is the
        reference for the synthetic rows' distance. Without it, utility is
        tested on ``real`` and its reference is cross-validated on ``real``.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to treat as categories; see
        :func:`skgan.metrics.column_shapes`.
    random_state : int, RandomState instance or None, default=None
        Seeds the classifiers, folds and subsamples.

    Returns
    -------
    report : DataFrame
        One row per metric with columns ``metric``, ``value``, ``ideal`` (the
        value of a perfect generator, NaN where only a comparison means
        something) and ``description``. Rows: ``column_shapes``,
        ``pair_trends``, ``fidelity`` (their mean, as
        :func:`fidelity_score`), ``detection_auc``, ``mmd`` (when there are
        numeric columns), ``exact_copy_rate``, ``dcr_median`` (and
        ``dcr_holdout_median``), and with a ``target``, ``utility_synthetic``
        and ``utility_real``.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skgan.metrics import evaluate
    >>> iris = load_iris(as_frame=True).frame
    >>> report = evaluate(iris.iloc[::2], iris.iloc[1::2], "target", random_state=0)
    >>> report.set_index("metric").loc["detection_auc", "ideal"]
    np.float64(0.5)
    """
    rng = check_random_state(random_state)
    options = {"categorical_features": categorical_features}
    shapes = column_shapes(real, synthetic, **options).mean()
    trends = pair_trends(real, synthetic, **options).mean()
    fidelity = shapes if np.isnan(trends) else (shapes + trends) / 2.0
    rows = [
        ("column_shapes", shapes, 1.0, "mean per-column similarity (1 - KS or TV)"),
        (
            "pair_trends",
            trends,
            1.0,
            "correlation/contingency match of associated pairs",
        ),
        ("fidelity", fidelity, 1.0, "mean of column_shapes and pair_trends"),
        (
            "detection_auc",
            detection_auc(real, synthetic, random_state=rng, **options),
            0.5,
            "ROC-AUC of a classifier telling real from synthetic",
        ),
    ]
    if pair_tables(real, synthetic, categorical_features).numeric_index():
        rows.append(
            (
                "mmd",
                mmd(real, synthetic, random_state=rng, **options),
                0.0,
                "squared MMD of the numeric columns (RBF kernel)",
            )
        )
    rows += [
        (
            "exact_copy_rate",
            exact_copy_rate(real, synthetic, **options),
            0.0,
            "share of synthetic rows copied from real rows",
        ),
        (
            "dcr_median",
            float(np.median(distance_to_closest_record(real, synthetic, **options))),
            np.nan,
            "median distance of synthetic rows to their closest real row",
        ),
    ]
    if holdout is not None:
        rows.append(
            (
                "dcr_holdout_median",
                float(np.median(distance_to_closest_record(real, holdout, **options))),
                np.nan,
                "the same for holdout rows: the reference for dcr_median",
            )
        )
    if target is not None:
        rows += _utility_rows(real, synthetic, target, holdout, rng, options)
    return pd.DataFrame(rows, columns=["metric", "value", "ideal", "description"])


def _utility_rows(real, synthetic, target, holdout, rng, options):
    test = real if holdout is None else holdout
    synthetic_score = utility_score(
        synthetic, test, target, random_state=rng, **options
    )
    if holdout is None:
        real_score = cross_validated_utility(real, target, random_state=rng, **options)
        reference = "the same model cross-validated on real rows"
    else:
        real_score = utility_score(real, holdout, target, random_state=rng, **options)
        reference = "the same model trained on real rows, tested on holdout"
    return [
        (
            "utility_synthetic",
            synthetic_score,
            np.nan,
            "train on synthetic, test on real (macro F1 or R2)",
        ),
        ("utility_real", real_score, np.nan, reference),
    ]
