"""Put a real and a synthetic table side by side in one numeric representation."""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._encoding.columns import categorical_mask, numeric_values, to_frame


@dataclass
class PairedTables:
    """A real and a synthetic table with shared column kinds and category codes.

    Numeric columns hold float64 values with NaN for missing; categorical
    columns hold int codes shared by both tables, missing being a code of its
    own (``missing_codes``), so that equal values have equal codes.
    """

    names: list
    is_categorical: np.ndarray
    real: list
    synthetic: list
    n_categories: list
    missing_codes: list

    @property
    def n_columns(self):
        return len(self.names)

    def numeric_index(self):
        """Numeric columns with at least one observed real value."""
        return [
            i
            for i, categorical in enumerate(self.is_categorical)
            if not categorical and not np.isnan(self.real[i]).all()
        ]

    def is_missing(self, column, which):
        """Boolean mask of the missing values of one column of one table."""
        values = (self.real if which == "real" else self.synthetic)[column]
        if self.is_categorical[column]:
            return values == self.missing_codes[column]
        return np.isnan(values)

    def matrix(self, which):
        """The table as a float matrix: numeric values and category codes."""
        columns = self.real if which == "real" else self.synthetic
        return np.column_stack([np.asarray(c, dtype=np.float64) for c in columns])


def _as_numbers(column, name, role):
    values = numeric_values(column)  # the encoder's parsing: refuses infinities
    if np.isnan(values[column.notna().to_numpy()]).any():
        raise ValueError(
            f"Column {name!r} of the {role} table mixes numbers with other values. "
            "List it in categorical_features to compare its values as categories."
        )
    return values


def _align(real, synthetic):
    real_frame, synthetic_frame = to_frame(real), to_frame(synthetic)
    for role, frame in (("real", real_frame), ("synthetic", synthetic_frame)):
        if frame.shape[0] == 0 or frame.shape[1] == 0:
            raise ValueError(
                f"The {role} table has shape {frame.shape}; at least one row and "
                "one column are needed."
            )
    if real_frame.shape[1] != synthetic_frame.shape[1]:
        raise ValueError(
            f"The real table has {real_frame.shape[1]} columns and the synthetic "
            f"table {synthetic_frame.shape[1]}; compare tables with the same columns."
        )
    both_frames = isinstance(real, pd.DataFrame) and isinstance(synthetic, pd.DataFrame)
    if both_frames:
        missing = [c for c in real_frame.columns if c not in synthetic_frame.columns]
        if missing:
            raise ValueError(
                f"The synthetic table lacks the column(s) {missing!r} of the real "
                "table; compare tables with the same columns."
            )
        synthetic_frame = synthetic_frame[real_frame.columns]
    else:
        synthetic_frame = synthetic_frame.set_axis(real_frame.columns, axis=1)
    return real_frame, synthetic_frame


def pair_tables(real, synthetic, categorical_features="auto"):
    """Align ``real`` and ``synthetic`` and code their columns alike.

    A column is categorical when its dtype is non-numeric in either table or
    ``categorical_features`` names it (see :class:`skgan.TabularEncoder`).
    Synthetic DataFrame columns are matched to the real ones by name; arrays
    by position.
    """
    real_frame, synthetic_frame = _align(real, synthetic)
    mask = categorical_mask(real_frame, categorical_features) | categorical_mask(
        synthetic_frame, "auto"
    )
    real_columns, synthetic_columns, n_categories, missing_codes = [], [], [], []
    for i, name in enumerate(real_frame.columns):
        r, s = real_frame.iloc[:, i], synthetic_frame.iloc[:, i]
        if mask[i]:
            # Codes over both tables at once: a value gets one code everywhere.
            pooled = pd.concat([r.astype(object), s.astype(object)], ignore_index=True)
            pooled = pooled.where(pooled.notna(), np.nan)  # None and NaN alike
            codes, uniques = pd.factorize(pooled, use_na_sentinel=False)
            real_columns.append(codes[: len(r)])
            synthetic_columns.append(codes[len(r) :])
            n_categories.append(len(uniques))
            missing = np.flatnonzero(pd.isna(uniques))
            missing_codes.append(int(missing[0]) if missing.size else -1)
        else:
            real_columns.append(_as_numbers(r, name, "real"))
            synthetic_columns.append(_as_numbers(s, name, "synthetic"))
            n_categories.append(0)
            missing_codes.append(-1)
    return PairedTables(
        names=list(real_frame.columns),
        is_categorical=mask,
        real=real_columns,
        synthetic=synthetic_columns,
        n_categories=n_categories,
        missing_codes=missing_codes,
    )
