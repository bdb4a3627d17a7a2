"""Property-based tests: random valid tables keep their schema through skgan.

Hypothesis builds DataFrames of 20 to 60 rows and 1 to 4 columns with random
names (non-ASCII included), each column of one kind: float with missing
values, int64, bool, category (with missing values and unused categories),
text (pandas ``str`` or ``object`` with missing values) and nullable
``Int64``; a column may be constant or all missing. The properties:

* ``TabularEncoder``: ``inverse_transform(transform(X))`` has X's column
  names, order and dtypes, gives back categorical, boolean, text and integer
  columns exactly, and numeric columns with the same missing cells and values
  within the training range (close to the originals);
* ``GANSampler``: a model trained for one epoch samples rows with exactly
  X's column names, order and dtypes (or refuses, clearly, a table with
  nothing to learn).

The values are drawn by numpy from a seed hypothesis chooses, so shrinking
simplifies the table's layout rather than single values. Nothing here judges
the quality of samples.
"""

import numpy as np
import pandas as pd
import pytest
from _settings import tiny_gan
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from skgan import TabularEncoder

# Derandomised, so that CI runs the same examples every time, and without an
# example database, so that no .hypothesis folder is left behind.
HYPOTHESIS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow],
}
KINDS = ("float", "int", "bool", "category", "str", "object", "Int64")
TEXT = np.array(["a", "b b", "é", "北京", "Zürich", "🙂", ""], dtype=object)


def _column(kind, n_rows, rng, n_distinct, missing_rate, scale):
    """One column of ``kind``: ``n_distinct`` values at most, some missing."""
    missing = rng.random(n_rows) < missing_rate
    if kind in ("float", "int", "Int64"):
        pool = np.round(rng.normal(0.0, scale, n_distinct), 3)
        values = rng.choice(pool, n_rows)
        if kind == "float":
            return np.where(missing, np.nan, values)
        values = np.round(values).astype(np.int64)
        if kind == "int":
            return values
        return pd.array(np.where(missing, None, values), dtype="Int64")
    if kind == "bool":
        return rng.random(n_rows) < rng.random()
    pool = TEXT[: max(1, min(n_distinct, len(TEXT)))]
    values = rng.choice(pool, n_rows).astype(object)
    values[missing] = None
    if kind == "category":
        return pd.Categorical(values, categories=[*pool, "never seen"])
    return pd.Series(values, dtype="str" if kind == "str" else object)


@st.composite
def tables(draw):
    n_rows = draw(st.integers(20, 60))
    names = draw(
        st.lists(st.text(min_size=1, max_size=6), min_size=1, max_size=4, unique=True)
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    columns = {}
    for name in names:
        kind = draw(st.sampled_from(KINDS))
        columns[name] = _column(
            kind,
            n_rows,
            rng,
            n_distinct=draw(st.sampled_from([1, 3, 12, 60])),
            missing_rate=draw(st.sampled_from([0.0, 0.2, 1.0])),
            scale=draw(st.sampled_from([1e-3, 1.0, 1e6])),
        )
    return pd.DataFrame(columns)


def _is_numeric(dtype):
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(
        dtype
    )


@settings(max_examples=40, **HYPOTHESIS)
@given(X=tables())
def test_encoder_round_trips_schema_and_values(X):
    encoder = TabularEncoder(n_modes=3, random_state=0).fit(X)
    restored = encoder.inverse_transform(encoder.transform(X))
    assert list(restored.columns) == list(X.columns)
    assert restored.dtypes.equals(X.dtypes)
    for name in X.columns:
        original, back = X[name], restored[name]
        if not _is_numeric(original.dtype) or pd.api.types.is_integer_dtype(
            original.dtype
        ):
            pd.testing.assert_series_equal(back, original)
            continue
        np.testing.assert_array_equal(back.isna(), original.isna())
        observed = original.dropna().to_numpy(dtype=np.float64)
        values = back.dropna().to_numpy(dtype=np.float64)
        if observed.size:
            low, high = observed.min(), observed.max()
            assert ((values >= low) & (values <= high)).all()
            np.testing.assert_allclose(
                values, observed, rtol=1e-9, atol=1e-9 * (high - low)
            )


@settings(max_examples=10, **HYPOTHESIS)
@given(X=tables())
def test_sampler_samples_the_columns_and_dtypes_it_was_fitted_on(X):
    gan = tiny_gan(epochs=1)
    if all(X[name].nunique(dropna=False) <= 1 for name in X.columns):
        with pytest.raises(ValueError, match="nothing for a GAN to learn"):
            gan.fit(X)
        return
    X_new = gan.fit(X).sample(5)
    assert isinstance(X_new, pd.DataFrame)
    assert list(X_new.columns) == list(X.columns)
    assert X_new.dtypes.equals(X.dtypes)
    assert len(X_new) == 5
