"""Distances between rows and between distributions: memorisation and MMD."""

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.metrics.pairwise import euclidean_distances, rbf_kernel
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state

from ._tables import pair_tables

# Above this many encoded columns (one-hot categories), rows stay sparse.
_MAX_DENSE_WIDTH = 512


def row_space(tables):
    """Embed both tables where a category mismatch and a full range weigh 1.

    Numeric columns are scaled by their real range (missing values get 0 and
    an indicator column); categories are one-hot vectors scaled by 1/sqrt(2),
    so two different categories are at distance 1.
    """
    blocks = {"real": [], "synthetic": []}
    for i, n_codes in enumerate(tables.n_categories):
        real, synthetic = tables.real[i], tables.synthetic[i]
        if n_codes:
            for which, codes in (("real", real), ("synthetic", synthetic)):
                one_hot = sparse.csr_matrix(
                    (np.full(len(codes), np.sqrt(0.5)), (np.arange(len(codes)), codes)),
                    shape=(len(codes), n_codes),
                )
                blocks[which].append(one_hot)
            continue
        observed = real[~np.isnan(real)]
        low, span = (observed.min(), np.ptp(observed)) if observed.size else (0, 0)
        span = span or 1.0
        has_missing = np.isnan(real).any() or np.isnan(synthetic).any()
        for which, values in (("real", real), ("synthetic", synthetic)):
            missing = np.isnan(values)
            columns = [np.where(missing, 0.0, (values - low) / span)]
            if has_missing:
                columns.append(missing.astype(float))
            blocks[which].append(sparse.csr_matrix(np.column_stack(columns)))
    real_rows = sparse.hstack(blocks["real"], format="csr")
    synthetic_rows = sparse.hstack(blocks["synthetic"], format="csr")
    if real_rows.shape[1] <= _MAX_DENSE_WIDTH:
        return real_rows.toarray(), synthetic_rows.toarray()
    return real_rows, synthetic_rows


def distance_to_closest_record(real, synthetic, *, categorical_features="auto"):
    """Distance from each synthetic row to its nearest real row (DCR).

    Small distances flag synthetic rows that copy or nearly copy real ones.
    Compare the distribution with the distances of real rows the generator
    did not see to the training rows (``evaluate(..., holdout=...)`` reports
    both medians): a generator that generalises is no closer to its training
    data than fresh real data is. Rows live in a space where each numeric
    column is scaled by its real range (a missing value adds an indicator)
    and two different categories are at distance 1; distances are Euclidean.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        Reference rows and rows to check.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to treat as categories; see
        :func:`skgan.metrics.column_shapes`.

    Returns
    -------
    distances : ndarray of shape (n_synthetic_rows,)
        0 for an exact copy.

    Examples
    --------
    >>> import pandas as pd
    >>> from skgan.metrics import distance_to_closest_record
    >>> real = pd.DataFrame({"x": [0.0, 10.0], "c": ["a", "b"]})
    >>> synthetic = pd.DataFrame({"x": [0.0, 5.0], "c": ["a", "b"]})
    >>> distance_to_closest_record(real, synthetic)
    array([0. , 0.5])
    """
    tables = pair_tables(real, synthetic, categorical_features)
    real_rows, synthetic_rows = row_space(tables)
    algorithm = "brute" if sparse.issparse(real_rows) else "auto"
    neighbours = NearestNeighbors(n_neighbors=1, algorithm=algorithm).fit(real_rows)
    nearest = neighbours.kneighbors(synthetic_rows, return_distance=False)[:, 0]
    # Recompute the distance to the neighbour found: the brute-force search
    # expands |x - y|² and leaves ~1e-8 where a row is an exact copy.
    gaps = synthetic_rows - real_rows[nearest]
    if sparse.issparse(gaps):
        squared = np.asarray(gaps.multiply(gaps).sum(axis=1)).ravel()
    else:
        squared = np.einsum("ij,ij->i", gaps, gaps)
    return np.sqrt(squared)


def _row_keys(matrix):
    # + 0.0 turns -0.0 into 0.0, and every NaN bit pattern becomes np.nan, so
    # that equal values hash alike (older pandas hashes NaN payloads apart).
    canonical = np.where(np.isnan(matrix), np.nan, matrix + 0.0)
    return pd.util.hash_pandas_object(pd.DataFrame(canonical), index=False)


def exact_copy_rate(real, synthetic, *, categorical_features="auto"):
    """Share of synthetic rows that are exact copies of a real row.

    Values are compared as numbers (so ``1`` equals ``1.0``) or as categories;
    two missing values are equal.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        Training rows and generated rows.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to treat as categories; see
        :func:`skgan.metrics.column_shapes`.

    Returns
    -------
    rate : float
        Between 0 (no copies) and 1 (every row copied).

    Examples
    --------
    >>> import pandas as pd
    >>> from skgan.metrics import exact_copy_rate
    >>> real = pd.DataFrame({"x": [1, 2], "c": ["a", "b"]})
    >>> synthetic = pd.DataFrame({"x": [1.0, 2.0, 3.0, 1.0], "c": ["a", "a", "b", "a"]})
    >>> exact_copy_rate(real, synthetic)
    0.5
    """
    tables = pair_tables(real, synthetic, categorical_features)
    real_keys = _row_keys(tables.matrix("real"))
    synthetic_keys = _row_keys(tables.matrix("synthetic"))
    return float(np.isin(synthetic_keys, real_keys).mean())


def _standardised_numeric(tables):
    columns = tables.numeric_index()
    if not columns:
        raise ValueError(
            "mmd compares numeric columns, and these tables have none with "
            "observed values; use column_shapes or detection_auc for categories."
        )
    real = tables.matrix("real")[:, columns]
    synthetic = tables.matrix("synthetic")[:, columns]
    mean, std = np.nanmean(real, axis=0), np.nanstd(real, axis=0)
    std[std == 0] = 1.0
    real, synthetic = (real - mean) / std, (synthetic - mean) / std
    # A missing value sits at the real mean.
    return np.nan_to_num(real, nan=0.0), np.nan_to_num(synthetic, nan=0.0)


def mmd(
    real,
    synthetic,
    *,
    gamma=None,
    categorical_features="auto",
    max_rows=2000,
    random_state=None,
):
    """Maximum mean discrepancy between the numeric columns of two tables.

    The squared MMD with a Gaussian (RBF) kernel ``exp(-gamma * ||x - y||²)``
    on numeric columns standardised by the real mean and standard deviation
    (missing values at the mean), as the biased V-statistic
    ``mean K(r, r') + mean K(s, s') - 2 mean K(r, s)``. It is 0 for identical
    samples, always >= 0, and grows as the joint distributions part; unlike
    per-column measures it sees every dependence between columns.
    Categorical columns are left out.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        The tables to compare; they may differ in length.
    gamma : float, default=None
        Kernel width; None takes the median heuristic, one over the median
        squared distance between the pooled rows.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to treat as categories (and leave out); see
        :func:`skgan.metrics.column_shapes`.
    max_rows : int or None, default=2000
        Rows drawn at random from each table when it is longer (the cost is
        quadratic in rows); None uses all rows.
    random_state : int, RandomState instance or None, default=None
        Seeds the subsample.

    Returns
    -------
    mmd2 : float
        Squared maximum mean discrepancy, between 0 and 2.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import mmd
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(300, 2))
    >>> mmd(real, real)
    0.0
    >>> bool(mmd(real, real + 1) > mmd(real, rng.normal(size=(300, 2))))
    True
    """
    tables = pair_tables(real, synthetic, categorical_features)
    real_rows, synthetic_rows = _standardised_numeric(tables)
    rng = check_random_state(random_state)
    if max_rows is not None:
        if len(real_rows) > max_rows:
            real_rows = real_rows[rng.choice(len(real_rows), max_rows, replace=False)]
        if len(synthetic_rows) > max_rows:
            picked = rng.choice(len(synthetic_rows), max_rows, replace=False)
            synthetic_rows = synthetic_rows[picked]
    if gamma is None:
        pooled = np.vstack([real_rows, synthetic_rows])
        squared = euclidean_distances(pooled, squared=True)
        median = np.median(squared[np.triu_indices(len(pooled), k=1)])
        gamma = 1.0 / median if median > 0 else 1.0
    within_real = rbf_kernel(real_rows, gamma=gamma).mean()
    within_synthetic = rbf_kernel(synthetic_rows, gamma=gamma).mean()
    across = rbf_kernel(real_rows, synthetic_rows, gamma=gamma).mean()
    return max(0.0, float(within_real + within_synthetic - 2.0 * across))
