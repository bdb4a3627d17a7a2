"""How alike two tables are, column by column and pair by pair."""

from itertools import combinations

import numpy as np
import pandas as pd

from ._tables import pair_tables

_CORRELATION_MIN_ROWS = 3


def _ks_statistic(real, synthetic):
    """Kolmogorov-Smirnov statistic, with missing values as one point above all."""
    real = np.sort(np.where(np.isnan(real), np.inf, real))
    synthetic = np.sort(np.where(np.isnan(synthetic), np.inf, synthetic))
    points = np.concatenate([real, synthetic])
    real_cdf = np.searchsorted(real, points, side="right") / len(real)
    synthetic_cdf = np.searchsorted(synthetic, points, side="right") / len(synthetic)
    return float(np.max(np.abs(real_cdf - synthetic_cdf)))


def _frequencies(codes, n_codes):
    return np.bincount(codes, minlength=n_codes) / len(codes)


def _total_variation(real_codes, synthetic_codes, n_codes):
    gap = _frequencies(real_codes, n_codes) - _frequencies(synthetic_codes, n_codes)
    return 0.5 * float(np.abs(gap).sum())


def column_shapes(real, synthetic, *, categorical_features="auto"):
    """Similarity of each column's distribution in two tables, from 0 to 1.

    Numeric columns score ``1 - KS``, one minus the Kolmogorov-Smirnov
    statistic between the two samples; a missing value counts as a value
    above all others, so a different share of missing values lowers the score
    too (without missing values this is ``1 - scipy.stats.ks_2samp(...)
    .statistic``). Categorical columns score ``1 - TV``, one minus the total
    variation distance between the category frequencies, missing being a
    category. 1 means identical distributions, 0 disjoint ones.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        The tables to compare; they may differ in length. DataFrame columns
        are matched by name, arrays by position.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to compare as categories; non-numeric columns always
        are. Names, indices or a boolean mask, as in :class:`skgan.TabularEncoder`.

    Returns
    -------
    scores : Series
        One score per column, indexed by column name.

    See Also
    --------
    pair_trends : Similarity of how pairs of columns vary together.
    fidelity_score : The mean of both, as one number.

    Examples
    --------
    >>> import pandas as pd
    >>> from skgan.metrics import column_shapes
    >>> real = pd.DataFrame({"age": [20, 30, 40, 50], "pet": list("cdcc")})
    >>> synthetic = pd.DataFrame({"age": [25, 30, 40, 45], "pet": list("ddcc")})
    >>> column_shapes(real, synthetic)
    age    0.75
    pet    0.75
    Name: column_shape, dtype: float64
    """
    tables = pair_tables(real, synthetic, categorical_features)
    scores = [
        1.0 - _total_variation(r, s, n) if n else 1.0 - _ks_statistic(r, s)
        for r, s, n in zip(
            tables.real, tables.synthetic, tables.n_categories, strict=True
        )
    ]
    return pd.Series(scores, index=tables.names, name="column_shape", dtype=float)


def _bin_codes(real, synthetic, n_bins):
    """Equal-width bins over the real range, plus one code for missing values."""
    observed = real[~np.isnan(real)]
    if observed.size == 0:
        edges = np.zeros(1)
    else:
        edges = np.histogram_bin_edges(observed, bins=n_bins)[1:-1]
    codes = []
    for values in (real, synthetic):
        # digitize puts values below/above the real range in the end bins.
        binned = np.digitize(values, edges)
        codes.append(np.where(np.isnan(values), len(edges) + 1, binned))
    return codes[0], codes[1], len(edges) + 2


def _correlation(x, y):
    both = ~(np.isnan(x) | np.isnan(y))
    x, y = x[both], y[both]
    if len(x) < _CORRELATION_MIN_ROWS or np.ptp(x) == 0 or np.ptp(y) == 0:
        return np.nan
    return float(np.corrcoef(x, y)[0, 1])


def pair_trends(real, synthetic, *, categorical_features="auto", n_bins=10):
    """Similarity of how each pair of columns varies together, from 0 to 1.

    Two numeric columns score ``1 - |r_real - r_synthetic| / 2``, from their
    Pearson correlations in each table (over rows where both are present);
    the pair is skipped (NaN) when a column is constant in either table. A
    pair with a categorical column scores one minus the total variation
    distance between the two tables' joint frequencies (contingency tables);
    numeric columns enter it in ``n_bins`` equal-width bins over their real
    range, missing values in a bin of their own.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        The tables to compare; they may differ in length.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to compare as categories; see :func:`column_shapes`.
    n_bins : int, default=10
        Bins for numeric columns in a pair with a categorical column.

    Returns
    -------
    scores : Series
        One score per pair of columns, indexed by ``(column_a, column_b)``;
        empty for a single column.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import pair_trends
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=500)
    >>> real = np.column_stack([x, x + rng.normal(scale=0.1, size=500)])
    >>> independent = np.column_stack([x, rng.normal(size=500)])
    >>> bool(pair_trends(real, real).iloc[0] == 1.0)
    True
    >>> round(float(pair_trends(real, independent).iloc[0]), 2)
    0.51
    """
    tables = pair_tables(real, synthetic, categorical_features)
    pairs = list(combinations(range(tables.n_columns), 2))
    scores = [_pair_score(tables, a, b, n_bins) for a, b in pairs]
    index = pd.MultiIndex.from_tuples(
        [(tables.names[a], tables.names[b]) for a, b in pairs],
        names=["column_a", "column_b"],
    )
    return pd.Series(scores, index=index, name="pair_trend", dtype=float)


def _pair_score(tables, a, b, n_bins):
    if not (tables.is_categorical[a] or tables.is_categorical[b]):
        real_r = _correlation(tables.real[a], tables.real[b])
        synthetic_r = _correlation(tables.synthetic[a], tables.synthetic[b])
        return 1.0 - abs(real_r - synthetic_r) / 2.0
    codes = []
    for i in (a, b):
        if tables.is_categorical[i]:
            codes.append((tables.real[i], tables.synthetic[i], tables.n_categories[i]))
        else:
            codes.append(_bin_codes(tables.real[i], tables.synthetic[i], n_bins))
    (real_a, synthetic_a, n_a), (real_b, synthetic_b, n_b) = codes
    return 1.0 - _total_variation(
        real_a * n_b + real_b, synthetic_a * n_b + synthetic_b, n_a * n_b
    )


def fidelity_score(real, synthetic, *, categorical_features="auto"):
    """One number for how alike two tables are: higher is better, 1 is identical.

    The mean of the average :func:`column_shapes` score and the average
    :func:`pair_trends` score (skipped pairs left out), so that single columns
    and relations between columns weigh equally, as in SDMetrics' quality
    report. A single-column table scores its column shape. This is
    :meth:`skgan.GANSampler.score`.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        The tables to compare; they may differ in length.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to compare as categories; see :func:`column_shapes`.

    Returns
    -------
    score : float
        Between 0 and 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import fidelity_score
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(1000, 3))
    >>> round(fidelity_score(real, rng.normal(size=(1000, 3))), 2)
    0.97
    >>> round(fidelity_score(real, rng.normal(loc=3, size=(1000, 3))), 2)
    0.55
    """
    shapes = column_shapes(real, synthetic, categorical_features=categorical_features)
    trends = pair_trends(real, synthetic, categorical_features=categorical_features)
    if trends.notna().any():
        return float((shapes.mean() + trends.mean()) / 2.0)
    return float(shapes.mean())
