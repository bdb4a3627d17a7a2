"""How alike two tables are, column by column and pair by pair."""

from itertools import combinations

import numpy as np
import pandas as pd
from scipy.stats.contingency import association

from ._tables import pair_tables

_CORRELATION_MIN_ROWS = 3
# A pair counts as associated in the real table, as in SDMetrics 0.32's
# QualityReport, when two numeric columns have |Pearson r| above 0.5 or, for a
# pair with a categorical column, the real contingency table has a Cramer's V
# above 0.3. Unrelated pairs would otherwise dominate the mean: a table whose
# columns were shuffled independently scored 0.939 over all pairs where the
# associated pairs gave 0.809.
_MIN_CORRELATION = 0.5
_MIN_CRAMERS_V = 0.3
_PAIRS = ("associated", "all")


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
    """Each table's values in ``n_bins`` equal-width bins over its own range.

    This is how SDMetrics' ``QualityReport`` bins a numeric column paired
    with a categorical one: ``np.digitize`` over each table's own bin edges,
    so a column's maximum gets a code of its own next to the ``n_bins``
    bins. Missing values get one more code.
    """
    codes = []
    for values in (real, synthetic):
        missing = np.isnan(values)
        edges = np.histogram_bin_edges(values[~missing], bins=n_bins)
        codes.append(np.where(missing, n_bins + 2, np.digitize(values, edges)))
    return codes[0], codes[1], n_bins + 3


def _correlation(x, y):
    both = ~(np.isnan(x) | np.isnan(y))
    x, y = x[both], y[both]
    if len(x) < _CORRELATION_MIN_ROWS or np.ptp(x) == 0 or np.ptp(y) == 0:
        return np.nan
    return float(np.corrcoef(x, y)[0, 1])


def pair_trends(
    real, synthetic, *, categorical_features="auto", n_bins=10, pairs="associated"
):
    """Similarity of how pairs of columns vary together, from 0 to 1.

    Two numeric columns score ``1 - |r_real - r_synthetic| / 2``, from their
    Pearson correlations in each table (over rows where both are present);
    the pair is skipped (NaN) when a column is constant in either table. A
    pair with a categorical column scores one minus the total variation
    distance between the two tables' joint frequencies (contingency tables);
    numeric columns enter it in ``n_bins`` equal-width bins over each table's
    own range, as SDMetrics bins them, missing values in a bin of their own.

    By default only the pairs associated in the real table are scored, as in
    SDMetrics' ``QualityReport``: two numeric columns with ``|r_real| > 0.5``,
    or a pair with a categorical column whose real contingency table has a
    Cramer's V above 0.3. The others are NaN, so that ``.mean()`` is the mean
    over associated pairs: most pairs of a real table are unrelated, and a
    mean over them rewards synthetic columns drawn independently of each
    other, which keep no relation at all.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        The tables to compare; they may differ in length.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to compare as categories; see :func:`column_shapes`.
    n_bins : int, default=10
        Bins for numeric columns in a pair with a categorical column.
    pairs : {"associated", "all"}, default="associated"
        Score the pairs associated in the real table only, or every pair
        (which also sees relations the synthetic table invents).

    Returns
    -------
    scores : Series
        One score per pair of columns, indexed by ``(column_a, column_b)``;
        NaN for a pair left out; empty for a single column.

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
    if pairs not in _PAIRS:
        raise ValueError(f"pairs must be one of {_PAIRS}, got {pairs!r}.")
    tables = pair_tables(real, synthetic, categorical_features)
    column_pairs = list(combinations(range(tables.n_columns), 2))
    scores = [
        _pair_score(tables, a, b, n_bins, associated_only=pairs == "associated")
        for a, b in column_pairs
    ]
    index = pd.MultiIndex.from_tuples(
        [(tables.names[a], tables.names[b]) for a, b in column_pairs],
        names=["column_a", "column_b"],
    )
    return pd.Series(scores, index=index, name="pair_trend", dtype=float)


def _cramers_v(codes_a, codes_b, n_a, n_b):
    """Cramer's V of two coded columns; NaN when either holds a single value."""
    counts = np.bincount(codes_a * n_b + codes_b, minlength=n_a * n_b)
    table = counts.reshape(n_a, n_b)
    table = table[table.any(axis=1)][:, table.any(axis=0)]
    if min(table.shape) < 2:
        return np.nan
    return float(association(table, method="cramer"))


def _pair_score(tables, a, b, n_bins, associated_only=False):
    if not (tables.is_categorical[a] or tables.is_categorical[b]):
        real_r = _correlation(tables.real[a], tables.real[b])
        if associated_only and not abs(real_r) > _MIN_CORRELATION:
            return np.nan
        synthetic_r = _correlation(tables.synthetic[a], tables.synthetic[b])
        return 1.0 - abs(real_r - synthetic_r) / 2.0
    codes = []
    for i in (a, b):
        if tables.is_categorical[i]:
            codes.append((tables.real[i], tables.synthetic[i], tables.n_categories[i]))
        else:
            codes.append(_bin_codes(tables.real[i], tables.synthetic[i], n_bins))
    (real_a, synthetic_a, n_a), (real_b, synthetic_b, n_b) = codes
    if associated_only and not _cramers_v(real_a, real_b, n_a, n_b) > _MIN_CRAMERS_V:
        return np.nan
    return 1.0 - _total_variation(
        real_a * n_b + real_b, synthetic_a * n_b + synthetic_b, n_a * n_b
    )


def fidelity_score(real, synthetic, *, categorical_features="auto", pairs="associated"):
    """One number for how alike two tables are: higher is better, 1 is identical.

    The mean of the average :func:`column_shapes` score and the average
    :func:`pair_trends` score over the pairs associated in the real table,
    so that single columns and relations between columns weigh equally, as
    in SDMetrics' ``QualityReport``. A table without associated pairs (or
    with a single column) scores its column shapes. This is
    :meth:`skgan.GANSampler.score`.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        The tables to compare; they may differ in length.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to compare as categories; see :func:`column_shapes`.
    pairs : {"associated", "all"}, default="associated"
        The pairs whose trends count; see :func:`pair_trends`.

    Returns
    -------
    score : float
        Between 0 and 1.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import fidelity_score
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=1000)
    >>> real = np.column_stack([x, x + rng.normal(scale=0.5, size=1000)])
    >>> same = real[rng.permutation(1000)]
    >>> shuffled = np.column_stack([same[:, 0], rng.permutation(same[:, 1])])
    >>> round(fidelity_score(real, same), 2)
    1.0
    >>> round(fidelity_score(real, shuffled), 2)
    0.78
    """
    shapes = column_shapes(real, synthetic, categorical_features=categorical_features)
    trends = pair_trends(
        real, synthetic, categorical_features=categorical_features, pairs=pairs
    )
    if trends.notna().any():
        return float((shapes.mean() + trends.mean()) / 2.0)
    return float(shapes.mean())
