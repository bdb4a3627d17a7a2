"""Input checks that every table passes, and the column facts they rest on.

Shared by the encoder, the metrics and the plots: a table is viewed as a
DataFrame, its columns told apart as numbers and categories.
"""

from numbers import Integral, Number

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.utils import check_array


def to_frame(X):
    """View ``X`` as a DataFrame without copying, or raise a helpful error."""
    if sparse.issparse(X):
        raise TypeError(
            "Sparse input is not supported: GANs learn dense rows. Convert it with "
            "X.toarray() (or DataFrame.sparse.to_dense()) first."
        )
    if isinstance(X, pd.DataFrame):
        _check_unique_columns(X)
        return X
    array = np.asarray(X)
    if array.ndim != 2:
        raise ValueError(
            f"Expected a 2-D table of shape (n_samples, n_features), got an array "
            f"of shape {array.shape}. Reshape a single feature with X.reshape(-1, 1)."
        )
    return pd.DataFrame(array, copy=False)


def check_table(X):
    """Validate a table without converting a DataFrame (its dtypes matter).

    The checks every table passes, in GANSampler and TabularEncoder alike: at
    least one row and one column, dense, two dimensions, a name of its own
    for every column, no infinite numbers. Returns ``X``, an array-like as
    an ndarray.
    """
    if isinstance(X, pd.DataFrame):
        for axis, what in enumerate(("rows", "columns")):
            if X.shape[axis] == 0:
                raise ValueError(
                    f"X has no {what} (a DataFrame of shape {X.shape}): at least "
                    "one row and one column are required."
                )
        _check_unique_columns(X)
        infinite = [
            name
            for name, column in X.items()
            if pd.api.types.is_float_dtype(column.dtype)
            and np.isinf(column.to_numpy(dtype=np.float64, na_value=np.nan)).any()
        ]
    else:
        to_frame(X)  # the advice for sparse input and for other dimensions
        X = check_array(X, dtype=None, ensure_all_finite=False, ensure_min_samples=1)
        infinite = []
        if X.dtype.kind == "f":
            infinite = np.flatnonzero(np.isinf(X).any(axis=0)).tolist()
    if infinite:
        raise ValueError(
            f"X holds infinite values in column(s) {infinite}, which cannot be "
            "modelled or compared. Replace them with NaN (treated as missing) or "
            "with finite values."
        )
    return X


def _check_unique_columns(frame):
    """Refuse a DataFrame whose columns do not each have a name of their own."""
    if frame.columns.has_duplicates:
        duplicated = frame.columns[frame.columns.duplicated()].unique().tolist()
        raise ValueError(
            f"X has duplicate column names {duplicated}; every column needs a "
            "name of its own to come back under. Rename them, e.g. with "
            "X.columns = [f'{name}_{i}' for i, name in enumerate(X.columns)]."
        )


def _is_categorical_dtype(dtype):
    return (
        isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_bool_dtype(dtype)
        or pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
    )


def numeric_values(column):
    """Return a column as float64 with NaN for missing, or raise for non-numbers."""
    values = pd.to_numeric(column, errors="coerce").to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    if np.isinf(values).any():
        raise ValueError(
            f"Column {column.name!r} contains infinite values, which cannot be "
            "modelled or compared. Replace them with NaN (treated as missing) or "
            "finite values."
        )
    return values


def categorical_mask(frame, categorical_features):
    """Boolean mask of the columns of ``frame`` to treat as categories.

    Non-numeric dtypes always are; ``categorical_features`` ("auto", a boolean
    mask, or column names or indices) adds numeric columns to them.
    """
    mask = np.array([_is_categorical_dtype(dtype) for dtype in frame.dtypes])
    if isinstance(categorical_features, str):
        return mask
    chosen = np.asarray(categorical_features)
    if chosen.dtype == bool:
        if len(chosen) != frame.shape[1]:
            raise ValueError(
                f"categorical_features is a boolean mask of length {len(chosen)}, "
                f"but X has {frame.shape[1]} columns."
            )
        return mask | chosen
    for item in chosen.tolist():
        if isinstance(item, str):
            if item not in frame.columns:
                raise ValueError(
                    f"categorical_features names column {item!r}, which is "
                    f"not among the columns of X: {list(frame.columns)}."
                )
            mask |= np.asarray(frame.columns == item)
        elif isinstance(item, Integral) and -frame.shape[1] <= item < frame.shape[1]:
            mask[item] = True
        else:
            raise ValueError(
                f"categorical_features holds {item!r}, which is neither a column "
                f"name nor an index below the {frame.shape[1]} columns of X."
            )
    return mask


def categorical_columns(encoder):
    """Boolean mask of the columns a fitted encoder treats as categories.

    From its ``column_kinds_``: for a fitted :class:`TabularEncoder` the mask
    :func:`categorical_mask` gave it, so that scoring treats columns as the
    encoding did.
    """
    return np.array([kind == "categorical" for kind in encoder.column_kinds_])


def refuse_booleans_among_numbers(observed, name):
    """Refuse booleans mixed with numbers: True == 1, so one would become the other."""
    kind = pd.api.types.infer_dtype(observed, skipna=True)
    if kind not in ("mixed-integer", "mixed"):
        return
    is_bool = np.array([isinstance(v, (bool, np.bool_)) for v in observed])
    is_number = np.array([isinstance(v, Number) for v in observed]) & ~is_bool
    if is_bool.any() and is_number.any():
        raise ValueError(
            f"Column {name!r} mixes booleans with numbers, which Python counts as "
            "equal (True == 1, False == 0), so one would come back as the other. "
            "Convert the booleans, or the numbers, to strings first."
        )
