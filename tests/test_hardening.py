"""Bad and awkward input: each case gets a clear error or a documented behaviour.

The matrix covers ``GANSampler.fit``, ``fit_resample``, ``sample`` and
``score`` and ``TabularEncoder``: empty input, one row, one class, a class of
one row, all-missing and constant columns, infinite and overflowing values,
high-cardinality categories (identifiers), mixed types and unhashable values in
one object column, non-string, mixed and duplicate column names, sparse input,
labels of any type, calls before ``fit``, ``sample(0)``, very large
``n_samples`` (streamed in chunks), different columns at ``score`` time and
interrupted training. Errors are checked on the part of their message that says
what to do.

Every model is a tiny GAN trained for two or three epochs: nothing here says
whether samples are any good (``test_sampler_quality.py`` does), nor measures
memory; streaming is checked by the size of the chunks decoded, not by a peak.
"""

import numpy as np
import pandas as pd
import pytest
from _settings import tiny_gan
from scipy import sparse
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback

from skgan import GANSampler, TabularEncoder, load

CHUNK = 16384  # rows GANNet.generate makes per forward pass


def _table(n=120, seed=0):
    rng = np.random.default_rng(seed)
    X = pd.DataFrame(
        {
            "age": rng.integers(18, 80, n),
            "income": np.where(rng.random(n) < 0.1, np.nan, rng.lognormal(10, 1, n)),
            "city": rng.choice(["Oslo", "Rome", "Lima"], n),
            "member": rng.random(n) < 0.4,
        }
    )
    y = np.where(rng.random(n) < 0.3, "churn", "stay")
    return X, y


@pytest.fixture(scope="module")
def table():
    return _table()


@pytest.fixture(scope="module")
def fitted(table):
    """A conditional model of the table; tests must not change it."""
    return tiny_gan().fit(*table)


@pytest.fixture(scope="module")
def fitted_array():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(100, 3))
    return tiny_gan().fit(X), X


# -- empty input ----------------------------------------------------------------

EMPTY = {
    "no-rows-frame": pd.DataFrame({"a": pd.Series([], dtype=float)}),
    "no-columns-frame": pd.DataFrame(index=range(5)),
    "no-rows-array": np.empty((0, 3)),
}


@pytest.mark.parametrize("X", EMPTY.values(), ids=EMPTY.keys())
def test_empty_table_is_rejected_by_fit(X):
    with pytest.raises(ValueError, match=r"0 sample|at least one row"):
        tiny_gan().fit(X)


@pytest.mark.parametrize("X", EMPTY.values(), ids=EMPTY.keys())
def test_empty_table_is_rejected_by_fit_resample(X):
    y = np.zeros(len(X), dtype=int)
    with pytest.raises(ValueError, match=r"0 sample|at least one row"):
        tiny_gan().fit_resample(X, y)


@pytest.mark.parametrize(
    "X, match",
    [
        (EMPTY["no-rows-frame"], "no rows.*at least one row and one column"),
        (EMPTY["no-columns-frame"], "no columns.*at least one row and one column"),
        (EMPTY["no-rows-array"], r"0 sample\(s\)"),
    ],
    ids=["no-rows-frame", "no-columns-frame", "no-rows-array"],
)
def test_empty_table_is_rejected_by_the_encoder(X, match):
    with pytest.raises(ValueError, match=match):
        TabularEncoder().fit(X)


def test_empty_table_is_rejected_by_score(fitted, table):
    with pytest.raises(ValueError, match=r"at least one row"):
        fitted.score(table[0].iloc[:0])


# -- one row, one class, a class of one row -----------------------------------------


def test_one_row_is_rejected_by_fit(table):
    with pytest.raises(ValueError, match="a GAN needs at least 2 rows"):
        tiny_gan().fit(table[0].iloc[:1])


def test_one_row_round_trips_through_the_encoder(table):
    # Every column holds a single value: the encoding is empty, decoding exact.
    row = table[0].iloc[:1]
    encoder = TabularEncoder().fit(row)
    assert encoder.n_features_out_ == 0
    pd.testing.assert_frame_equal(
        encoder.inverse_transform(encoder.transform(row)), row
    )


@pytest.mark.parametrize("method", ["fit", "fit_resample"])
def test_one_class_is_rejected_with_advice(table, method):
    X, _ = table
    with pytest.raises(ValueError, match=r"one class only \('stay'\).*fit\(X\)"):
        getattr(tiny_gan(), method)(X, np.full(len(X), "stay"))


def test_a_class_of_one_row_is_learnt_and_oversampled(table):
    X, y = table
    y = y.copy()
    y[7] = "rare"
    gan = tiny_gan()
    _, y_res = gan.fit_resample(X, y)
    counts = pd.Series(y_res).value_counts()
    assert counts["rare"] == counts["stay"] == counts.max()
    X_new, y_new = gan.sample(20, y="rare", return_y=True)
    assert len(X_new) == 20 and set(y_new) == {"rare"}
    # Drawn without y, the class of one row comes as often as in training.
    prior = dict(zip(gan.classes_, gan.class_prior_, strict=True))
    assert prior["rare"] == pytest.approx(1 / len(X))


# -- all-missing and constant columns -------------------------------------------

DEGENERATE = {
    "all-nan-float": pd.Series([np.nan] * 120),
    "all-na-Int64": pd.Series([pd.NA] * 120, dtype="Int64"),
    "all-none-object": pd.Series([None] * 120, dtype=object),
    "constant-float": pd.Series([2.5] * 120),
    "constant-int": pd.Series([7] * 120),
    "constant-str": pd.Series(["k"] * 120, dtype="str"),
    "constant-category": pd.Series(pd.Categorical(["k"] * 120, ["k", "unused"])),
    "constant-bool": pd.Series([True] * 120),
}


def _with_column(X, column):
    return X.assign(odd=column)


@pytest.mark.parametrize("column", DEGENERATE.values(), ids=DEGENERATE.keys())
def test_degenerate_column_takes_no_width_and_comes_back_as_it_was(table, column):
    X = _with_column(table[0], column)
    encoder = TabularEncoder(random_state=0).fit(X)
    assert (
        encoder.n_features_out_
        == TabularEncoder(random_state=0).fit(table[0]).n_features_out_
    )
    noise = np.random.default_rng(0).uniform(-1, 1, (50, encoder.n_features_out_))
    decoded = encoder.inverse_transform(noise)["odd"]
    expected = pd.Series(np.repeat(column.iloc[:1].to_numpy(), 50), name="odd")
    pd.testing.assert_series_equal(decoded, expected.astype(column.dtype))


@pytest.mark.parametrize(
    "name", ["all-nan-float", "all-na-Int64", "constant-str", "constant-category"]
)
def test_degenerate_column_comes_back_from_sample_and_can_be_scored(
    fitted, table, name
):
    X, y = _with_column(table[0], DEGENERATE[name]), table[1]
    gan = tiny_gan().fit(X, y)
    X_new = gan.sample(30)
    assert X_new.dtypes.equals(X.dtypes)
    expected = pd.Series([X["odd"].iloc[0]] * 30, name="odd").astype(X["odd"].dtype)
    pd.testing.assert_series_equal(X_new["odd"], expected)
    # The column takes no width, so the model of the other columns is the one
    # fitted without it, and the column, drawn exactly, adds a perfect match
    # to the score (neither NaN nor a penalty).
    pd.testing.assert_frame_equal(X_new.drop(columns="odd"), fitted.sample(30))
    assert gan.score(X, y) > fitted.score(*table)


def test_table_of_constant_columns_is_rejected(table):
    X = pd.DataFrame({"a": [1.0] * 10, "b": ["x"] * 10, "c": [np.nan] * 10})
    with pytest.raises(ValueError, match=r"nothing for a GAN to learn.*column that"):
        tiny_gan().fit(X)


# -- infinite and overflowing values ----------------------------------------------


def _with_infinity(X, as_array):
    X = X.copy()
    X.loc[3, "income"] = -np.inf
    return X[["age", "income"]].to_numpy() if as_array else X


@pytest.mark.parametrize("as_array", [False, True], ids=["frame", "array"])
@pytest.mark.parametrize("method", ["fit", "fit_resample"])
def test_infinite_values_are_rejected_with_advice(table, method, as_array):
    X, y = table
    with pytest.raises(ValueError, match=r"infinite values.*Replace them with NaN"):
        getattr(tiny_gan(), method)(_with_infinity(X, as_array), y)


def test_infinite_values_are_rejected_by_score(fitted, table):
    with pytest.raises(ValueError, match=r"infinite values.*Replace them with NaN"):
        fitted.score(_with_infinity(table[0], as_array=False))


def test_infinite_values_are_rejected_by_the_encoder(table):
    with pytest.raises(ValueError, match=r"infinite values.*Replace them with NaN"):
        TabularEncoder().fit(_with_infinity(table[0], as_array=False))


def test_values_whose_spread_overflows_are_rejected_with_advice_by_modes():
    X = pd.DataFrame({"huge": np.linspace(-1e300, 1e300, 40)})
    with pytest.raises(ValueError, match=r"'huge' holds values so large.*Rescale"):
        TabularEncoder(numeric_encoding="modes").fit(X)


def test_values_whose_spread_would_overflow_round_trip_through_quantiles():
    # Quantiles need no mean or spread, so huge values are fine.
    X = pd.DataFrame({"huge": np.linspace(-1e300, 1e300, 40)})
    encoder = TabularEncoder().fit(X)
    np.testing.assert_allclose(
        encoder.inverse_transform(encoder.transform(X)), X, rtol=1e-9
    )


# -- high-cardinality categories --------------------------------------------------


def _ids(n_rows=6000, n_ids=5000, seed=0):
    """An identifier column: 1000 ids on 2 rows each, 4000 on one row."""
    rng = np.random.default_rng(seed)
    ids = np.array([f"id{i:05d}" for i in range(n_ids)], dtype=object)
    column = np.concatenate([ids, ids[: n_rows - n_ids]])
    return pd.DataFrame(
        {"user_id": rng.permutation(column), "x": rng.normal(size=n_rows)}
    )


@pytest.fixture(scope="module")
def ids():
    return _ids()


def test_identifier_column_warns_naming_it_and_suggesting_a_remedy(ids):
    with pytest.warns(UserWarning, match=r"'user_id' has 5000 distinct.*drop it"):
        TabularEncoder(random_state=0).fit(ids)


@pytest.fixture(scope="module")
def id_encoder(ids):
    with pytest.warns(UserWarning, match="max_categories"):
        return TabularEncoder(random_state=0).fit(ids)


def test_identifier_column_width_is_bounded_by_max_categories(id_encoder):
    # 499 frequent values, "other", and the scalar picking a rare value.
    assert id_encoder.output_spans_[:2] == [("softmax", 500), ("tanh", 1)]
    names = id_encoder.get_feature_names_out()
    assert "user_id=<other>" in names and "user_id.other_value" in names


def test_identifier_column_keeps_the_most_frequent_values(id_encoder):
    kept = id_encoder.codecs_[0]._lookup
    assert len(kept) == 499
    assert all(int(value[2:]) < 1000 for value in kept)  # the ids on 2 rows


def test_identifier_column_round_trips_exactly(id_encoder, ids):
    restored = id_encoder.inverse_transform(id_encoder.transform(ids))
    pd.testing.assert_series_equal(restored["user_id"], ids["user_id"])


def test_rare_values_are_drawn_in_their_training_proportions():
    # 4 frequent values, then "b" on 3 rows and "a" on 1: a uniform scalar
    # over "other" rows should pick "b" three times as often as "a".
    column = ["f1"] * 5 + ["f2"] * 5 + ["f3"] * 5 + ["f4"] * 5 + ["b"] * 3 + ["a"]
    X = pd.DataFrame({"c": column})
    with pytest.warns(UserWarning, match="'c' has 6 distinct"):
        encoder = TabularEncoder(max_categories=5).fit(X)
    other = np.zeros((4000, encoder.n_features_out_))
    other[:, 4] = 1.0  # the "other" category, after f1..f4
    other[:, -1] = np.linspace(-1, 1, 4000)
    decoded = encoder.inverse_transform(other)["c"].value_counts(normalize=True)
    assert set(decoded.index) == {"a", "b"}
    assert decoded["b"] == pytest.approx(0.75, abs=0.01)


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(pd.Categorical([f"c{i}" for i in range(40)] * 2)),
        pd.Series(np.arange(80) % 40),  # numeric codes, listed as categorical
        pd.Series(np.arange(80) % 40, dtype=object),
    ],
    ids=["category", "forced-numeric", "object-ints"],
)
def test_any_categorical_column_is_capped(column):
    X = pd.DataFrame({"c": column, "x": np.linspace(0, 1, 80)})
    with pytest.warns(UserWarning, match="'c' has 40 distinct"):
        encoder = TabularEncoder(max_categories=10, categorical_features=["c"]).fit(X)
    assert encoder.output_spans_[:2] == [("softmax", 10), ("tanh", 1)]
    noise = np.random.default_rng(0).uniform(-1, 1, (300, encoder.n_features_out_))
    decoded = encoder.inverse_transform(noise)
    assert decoded.dtypes.equals(X.dtypes)
    assert set(decoded["c"]) <= set(X["c"])
    restored = encoder.inverse_transform(encoder.transform(X))
    pd.testing.assert_frame_equal(restored[["c"]], X[["c"]])


def test_max_categories_none_gives_every_value_its_own_category():
    X = pd.DataFrame({"c": [f"v{i}" for i in range(600)]})
    encoder = TabularEncoder(max_categories=None).fit(X)  # no warning
    assert encoder.output_spans_ == [("softmax", 600)]


def test_capped_column_survives_save_and_load(tmp_path):
    X = _ids(n_rows=300, n_ids=200)
    with pytest.warns(UserWarning, match="'user_id' has 200 distinct"):
        gan = tiny_gan(max_categories=20).fit(X)
    gan.save(tmp_path / "ids.skgan")
    loaded = load(tmp_path / "ids.skgan")
    samples = loaded.sample(500)
    pd.testing.assert_frame_equal(samples, gan.sample(500))
    # Some rows drew a rare id through "other": the lookup came back too.
    kept = loaded.encoder_.codecs_[0]._lookup
    assert len(kept) == 19 and not samples["user_id"].isin(kept).all()


def test_sampler_caps_an_identifier_column_and_samples_seen_ids(ids):
    with pytest.warns(UserWarning, match="'user_id' has 5000 distinct"):
        gan = tiny_gan(epochs=1).fit(ids)
    assert gan.encoder_.n_features_out_ < 520
    X_new = gan.sample(200)
    assert X_new.dtypes.equals(ids.dtypes)


# -- mixed types, unhashable values --------------------------------------------------


def _mixed_object_column(n=60):
    values = np.empty(n, dtype=object)
    values[:] = ["a", 1, 2.5, None, "b", 10**20] * (n // 6)
    return values


def test_mixed_types_in_an_object_column_round_trip_with_their_types():
    X = pd.DataFrame({"mixed": _mixed_object_column(), "x": np.linspace(0, 1, 60)})
    encoder = TabularEncoder(random_state=0).fit(X)
    assert encoder.column_kinds_[0] == "categorical"
    restored = encoder.inverse_transform(encoder.transform(X))["mixed"]
    assert [type(v) for v in restored] == [type(v) for v in X["mixed"]]
    pd.testing.assert_series_equal(restored, X["mixed"])


def test_mixed_types_in_an_object_column_are_sampled_as_categories():
    X = pd.DataFrame({"mixed": _mixed_object_column(), "x": np.linspace(0, 1, 60)})
    X_new = tiny_gan().fit(X).sample(100)
    assert X_new["mixed"].dtype == object
    # Every value is drawn, each with its own type (1 and 10**20 as int, 2.5
    # as float, "a" and "b" as str).
    seen = {(type(v), v) for v in X["mixed"] if v is not None}
    assert {(type(v), v) for v in X_new["mixed"] if v is not None} == seen


def test_booleans_mixed_with_numbers_are_rejected_with_advice():
    X = pd.DataFrame(
        {"flag": pd.Series([True, 1, 0, False] * 5, dtype=object), "x": range(20)}
    )
    with pytest.raises(ValueError, match=r"'flag' mixes booleans.*Convert the boo"):
        TabularEncoder().fit(X)


def test_tuples_in_an_object_column_are_categories():
    X = pd.DataFrame({"pair": [("a", 1), ("b", 2)] * 10, "x": np.arange(20.0)})
    encoder = TabularEncoder(random_state=0).fit(X)
    pd.testing.assert_frame_equal(encoder.inverse_transform(encoder.transform(X)), X)


def test_unhashable_values_are_rejected_with_advice():
    X = pd.DataFrame({"tags": [{"a": 1}, ["b", "c"]] * 10, "x": np.arange(20.0)})
    with pytest.raises(TypeError, match=r"'tags'.*Convert them to strings"):
        TabularEncoder().fit(X)
    with pytest.raises(TypeError, match=r"'tags'.*Convert them to strings"):
        tiny_gan().fit(X)


@pytest.mark.parametrize(
    "column",
    [
        pd.Series(np.arange(20) + 1j),
        pd.Series(pd.period_range("2024-01", periods=20, freq="M")),
    ],
    ids=["complex", "period"],
)
def test_columns_of_unsupported_dtypes_are_rejected_with_advice(column):
    X = pd.DataFrame({"odd": column, "x": np.arange(20.0)})
    with pytest.raises(TypeError, match=r"'odd' has dtype .* Convert it to real"):
        TabularEncoder().fit(X)


# -- column names -------------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [[0, 1, 2, 3], [10, -1, 3, 7], ["âge", "收入", "город", "é e"]],
    ids=["ints", "unordered-ints", "non-ascii"],
)
def test_column_names_come_back_as_they_were(fitted, table, names):
    X, y = table
    X = X.set_axis(names, axis=1)
    gan = tiny_gan().fit(X, y)
    X_new = gan.sample(10)
    assert list(X_new.columns) == names
    assert X_new.dtypes.equals(X.dtypes)
    X_res, _ = tiny_gan().fit_resample(X, y)
    assert list(X_res.columns) == names
    # Names are only labels: the model, its samples and its score are those
    # of the same table under its own names.
    original = list(table[0].columns)
    pd.testing.assert_frame_equal(X_new.set_axis(original, axis=1), fitted.sample(10))
    assert gan.score(X, y) == fitted.score(*table)


def test_mixed_string_and_int_column_names_are_rejected_with_advice(table):
    X = table[0].set_axis(["age", 1, "city", 3], axis=1)
    with pytest.raises(TypeError, match=r"convert them all to strings"):
        tiny_gan().fit(X)


@pytest.mark.parametrize("method", ["fit", "fit_resample", "encoder"])
def test_duplicate_column_names_are_rejected_with_advice(table, method):
    X, y = table
    X = X.set_axis(["age", "city", "city", "member"], axis=1)
    with pytest.raises(ValueError, match=r"duplicate column names \['city'\].*Rename"):
        if method == "encoder":
            TabularEncoder().fit(X)
        else:
            getattr(tiny_gan(), method)(X, y)


# -- sparse input ---------------------------------------------------------------


@pytest.mark.parametrize("method", ["fit", "fit_resample", "score", "encoder"])
def test_sparse_input_is_rejected_with_toarray_advice(fitted_array, method):
    gan, X = fitted_array
    X_sparse = sparse.csr_matrix(X)
    y = np.arange(len(X)) % 2
    with pytest.raises(TypeError, match=r"toarray\(\)"):
        if method == "encoder":
            TabularEncoder().fit(X_sparse)
        elif method == "score":
            gan.score(X_sparse)
        else:
            getattr(tiny_gan(), method)(X_sparse, y)


def test_pandas_sparse_columns_are_modelled_and_come_back_sparse():
    values = np.r_[np.zeros(60), np.linspace(1, 5, 60)]
    X = pd.DataFrame({"s": pd.arrays.SparseArray(values), "x": np.arange(120.0)})
    X_new = tiny_gan().fit(X).sample(20)
    assert X_new.dtypes.equals(X.dtypes)
    # The spike at 0 is modelled as one: some rows are exactly 0, some not.
    assert (X_new["s"] == 0).any() and (X_new["s"] > 0).any()


# -- labels of any type ------------------------------------------------------------

LABELS = {
    "str": np.array(["yes", "no"]),
    "bool": np.array([True, False]),
    "negative-int": np.array([-1, -7]),
    "float": np.array([-1.0, 3.0]),
    "object-str": np.array(["yes", "no"], dtype=object),
}


@pytest.mark.parametrize("labels", LABELS.values(), ids=LABELS.keys())
def test_labels_of_any_type_come_back_with_their_type(table, labels):
    X, y = table
    y = labels[(y == "churn").astype(int)]
    gan = tiny_gan()
    _, y_res = gan.fit_resample(X, y)
    assert y_res.dtype == y.dtype
    X_new, y_new = gan.sample(20, y=labels[1], return_y=True)
    assert y_new.dtype.kind == y.dtype.kind
    assert set(y_new.tolist()) == {labels[1]}
    assert len(X_new) == 20


def test_labels_in_a_series_come_back_in_a_series(table):
    X, y = table
    y = pd.Series(y, name="status", dtype="category")
    _, y_res = tiny_gan().fit_resample(X, y)
    assert isinstance(y_res, pd.Series) and y_res.name == "status"
    assert set(y_res) == set(y)


@pytest.mark.parametrize(
    "y, match",
    [
        (np.linspace(0, 1, 120), "Unknown label type: continuous"),
        (np.where(np.arange(120) % 3, 1.0, np.nan), r"40 missing label.*Drop"),
        (np.array(["a", None] * 60, dtype=object), r"60 missing label.*Drop"),
        (np.array(["a", 1] * 60, dtype=object), r"mixes labels of types.*astype"),
    ],
    ids=["continuous", "nan", "none", "mixed"],
)
@pytest.mark.parametrize("method", ["fit", "fit_resample"])
def test_labels_that_are_not_classes_are_rejected(table, method, y, match):
    with pytest.raises(ValueError, match=match):
        getattr(tiny_gan(), method)(table[0], y)


def test_labels_of_another_length_are_rejected(table):
    X, y = table
    with pytest.raises(ValueError, match="inconsistent numbers of samples"):
        tiny_gan().fit(X, y[:-1])


# -- calls before fit, sample(0), large n_samples ---------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda gan, X: gan.sample(3),
        lambda gan, X: gan.score(X),
        lambda gan, X: TabularEncoder().transform(X),
        lambda gan, X: TabularEncoder().inverse_transform(np.zeros((2, 3))),
    ],
    ids=["sample", "score", "transform", "inverse_transform"],
)
def test_calls_before_fit_raise_not_fitted(table, call):
    with pytest.raises(NotFittedError, match="Call 'fit'"):
        call(GANSampler(), table[0])


def test_sample_zero_gives_an_empty_frame_with_the_training_dtypes(fitted, table):
    X_new, y_new = fitted.sample(0, return_y=True)
    assert X_new.shape == (0, table[0].shape[1])
    assert list(X_new.columns) == list(table[0].columns)
    assert X_new.dtypes.equals(table[0].dtypes)
    assert y_new.shape == (0,) and y_new.dtype == fitted.classes_.dtype
    assert fitted.sample(0, y="churn").shape == (0, 4)


def test_sample_zero_gives_an_empty_array_of_the_training_dtype(fitted_array):
    gan, X = fitted_array
    X_new = gan.sample(0)
    assert X_new.shape == (0, 3) and X_new.dtype == X.dtype


def test_sample_zero_gives_no_images_in_the_training_shape():
    images = np.random.default_rng(0).integers(0, 17, (40, 8, 8), dtype=np.uint8)
    gan = GANSampler(epochs=1, latent_dim=8, batch_size=20, random_state=0)
    X_new = gan.fit(images, np.arange(40) % 2).sample(0)
    assert X_new.shape == (0, 8, 8) and X_new.dtype == np.uint8


@pytest.mark.parametrize("n_samples", [-1, 2.0, "5", None])
def test_sample_rejects_what_is_not_a_row_count(fitted, n_samples):
    with pytest.raises(ValueError, match=r"n_samples must be a positive int or 0"):
        fitted.sample(n_samples)


@pytest.mark.parametrize("which", ["array", "frame"])
def test_large_sample_is_generated_and_decoded_chunk_by_chunk(
    fitted_array, fitted, monkeypatch, which
):
    gan = fitted_array[0] if which == "array" else fitted
    encoder = gan.encoder_
    decoded_rows = []

    def spy(encoded):
        decoded_rows.append(len(encoded))
        return type(encoder).inverse_transform(encoder, encoded)

    monkeypatch.setattr(encoder, "inverse_transform", spy)
    X_new = gan.sample(200_000)
    assert len(X_new) == 200_000
    assert sum(decoded_rows) == 200_000 and max(decoded_rows) == CHUNK
    # Each chunk draws fresh noise, not the first chunk's again.
    first, second = X_new[:CHUNK], X_new[CHUNK : 2 * CHUNK]
    if which == "frame":
        assert X_new.index.equals(pd.RangeIndex(200_000))
        assert not first.reset_index(drop=True).equals(second.reset_index(drop=True))
    else:
        assert np.isfinite(X_new).all()
        assert not np.array_equal(first, second)


# -- different columns at score time ---------------------------------------------


@pytest.mark.parametrize(
    "change, match",
    [
        (lambda X: X.rename(columns={"city": "town"}), "feature names should match"),
        (lambda X: X.drop(columns="member"), "feature names should match"),
        (lambda X: X.assign(extra=1.0), "feature names should match"),
        (lambda X: X[X.columns[::-1]], "same order"),
    ],
    ids=["renamed", "missing", "extra", "reordered"],
)
def test_score_rejects_a_frame_with_other_columns(fitted, table, change, match):
    with pytest.raises(ValueError, match=match):
        fitted.score(change(table[0]))


def test_score_rejects_an_array_of_another_width(fitted_array):
    gan, X = fitted_array
    with pytest.raises(
        ValueError, match=r"has 2 features, but GANSampler is expecting"
    ):
        gan.score(X[:, :2])


# -- interrupted training ------------------------------------------------------------


class InterruptAfter(Callback):
    """Raise KeyboardInterrupt at the end of epoch ``epoch``, as Ctrl-C would."""

    def __init__(self, epoch):
        self.epoch = epoch

    def on_epoch_end(self, net, **kwargs):
        if len(net.history) == self.epoch:
            raise KeyboardInterrupt


@pytest.mark.parametrize("method", ["fit", "fit_resample"])
def test_interrupted_training_leaves_a_usable_model(table, method):
    X, y = table
    gan = tiny_gan(epochs=10, callbacks=[InterruptAfter(3)])
    result = getattr(gan, method)(X, y)
    assert len(gan.history_) == 3 and gan.epochs_ == 10
    assert np.isfinite(gan.history_[:, "g_loss"]).all()
    X_new = gan.sample(50, y="churn")
    assert X_new.dtypes.equals(X.dtypes)
    if method == "fit":
        assert result is gan
    if method == "fit_resample":
        counts = pd.Series(result[1]).value_counts()
        assert counts["churn"] == counts["stay"]
