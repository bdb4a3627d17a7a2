"""The data sets of ``skgan.datasets``, built from scikit-learn's bundled data.

What this file checks: ``make_imbalanced_breast_cancer`` keeps every benign
row and the requested number of malignant ones (a share of the benign rows or
a count), labels malignant 1, returns the rows of ``load_breast_cancer``
unchanged, the same rows for the same seed and other rows for another, arrays
with ``as_frame=False``, and one clear error per bad argument;
``load_mixed_wine`` has the shape, column order, dtypes and class counts its
docstring promises, and the values of ``load_wine``; ``skgan.datasets`` is
part of the lazy public namespace.

What it does not check: the demo and the examples that use these tables
(``tests/test_cli.py`` runs the demo).
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_breast_cancer, load_wine

import skgan
from skgan.datasets import load_mixed_wine, make_imbalanced_breast_cancer

N_BENIGN, N_MALIGNANT = 357, 212


def test_imbalanced_breast_cancer_default_shapes_dtypes_and_counts():
    X, y = make_imbalanced_breast_cancer()
    assert isinstance(X, pd.DataFrame) and isinstance(y, pd.Series)
    assert X.shape == (N_BENIGN + 36, 30)
    assert (X.dtypes == np.float64).all()
    assert y.name == "malignant" and y.dtype == np.int64
    assert y.value_counts().to_dict() == {0: N_BENIGN, 1: 36}
    assert y.index.equals(X.index)
    # The benign rows first, then the malignant ones.
    assert (np.diff(y.to_numpy()) >= 0).all()


def test_imbalanced_breast_cancer_rows_and_labels_are_the_originals():
    X, y = make_imbalanced_breast_cancer(minority_size=50, random_state=3)
    original = load_breast_cancer(as_frame=True)
    assert list(X.columns) == list(original.feature_names)
    assert X.index.is_unique
    pd.testing.assert_frame_equal(X, original.data.loc[X.index])
    # scikit-learn's label 0, malignant, is 1 here.
    np.testing.assert_array_equal(y, original.target.loc[X.index] == 0)
    assert set(X.index[y == 0]) == set(np.flatnonzero(original.target == 1))


@pytest.mark.parametrize(
    ("minority_size", "expected"),
    [(0.1, 36), (36, 36), (np.int64(30), 30), (0.2, 71), (1, 1), (N_MALIGNANT, 212)],
)
def test_imbalanced_breast_cancer_minority_size_share_or_count(minority_size, expected):
    X, y = make_imbalanced_breast_cancer(minority_size)
    assert y.value_counts().to_dict() == {0: N_BENIGN, 1: expected}
    assert len(X) == N_BENIGN + expected


def test_imbalanced_breast_cancer_share_and_count_give_the_same_rows():
    X_share, y_share = make_imbalanced_breast_cancer(0.1, random_state=7)
    X_count, y_count = make_imbalanced_breast_cancer(36, random_state=7)
    pd.testing.assert_frame_equal(X_share, X_count)
    pd.testing.assert_series_equal(y_share, y_count)


def test_imbalanced_breast_cancer_is_reproducible_with_random_state():
    X, y = make_imbalanced_breast_cancer(random_state=1)
    X_again, y_again = make_imbalanced_breast_cancer(random_state=1)
    pd.testing.assert_frame_equal(X, X_again)
    pd.testing.assert_series_equal(y, y_again)
    X_state, _ = make_imbalanced_breast_cancer(random_state=np.random.RandomState(1))
    pd.testing.assert_frame_equal(X, X_state)
    X_other, _ = make_imbalanced_breast_cancer(random_state=2)
    assert not X.index.equals(X_other.index)
    _, y_none = make_imbalanced_breast_cancer(random_state=None)
    assert y_none.value_counts().to_dict() == {0: N_BENIGN, 1: 36}


def test_imbalanced_breast_cancer_as_arrays():
    X_frame, y_frame = make_imbalanced_breast_cancer(30)
    X, y = make_imbalanced_breast_cancer(30, as_frame=False)
    assert isinstance(X, np.ndarray) and isinstance(y, np.ndarray)
    assert X.shape == (N_BENIGN + 30, 30) and X.dtype == np.float64
    assert y.shape == (N_BENIGN + 30,) and y.dtype == np.int64
    np.testing.assert_array_equal(X, X_frame.to_numpy())
    np.testing.assert_array_equal(y, y_frame.to_numpy())


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"minority_size": 0}, ValueError, r"minority_size=0 is out of range"),
        ({"minority_size": 213}, ValueError, r"has 212 malignant rows"),
        ({"minority_size": -5}, ValueError, r"keep from 1 to 212"),
        ({"minority_size": 0.7}, ValueError, r"0\.7 \(250 malignant rows"),
        ({"minority_size": 0.001}, ValueError, r"\(0 malignant rows"),
        ({"minority_size": 0.0}, ValueError, r"positive share, got 0\.0"),
        ({"minority_size": float("nan")}, ValueError, r"positive share, got nan"),
        ({"minority_size": float("inf")}, ValueError, r"positive share, got inf"),
        ({"minority_size": True}, TypeError, r"float .* or an int"),
        ({"minority_size": "10%"}, TypeError, r"got '10%'"),
        ({"minority_size": None}, TypeError, r"got None"),
        ({"as_frame": 1}, TypeError, r"as_frame must be True or False, got 1"),
        ({"as_frame": "yes"}, TypeError, r"as_frame must be True or False"),
        ({"random_state": 0.5}, ValueError, r"random_state must be an int"),
        ({"random_state": "seed"}, ValueError, r"random_state must be an int"),
    ],
)
def test_imbalanced_breast_cancer_rejects_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        make_imbalanced_breast_cancer(**kwargs)


def test_imbalanced_breast_cancer_minority_size_is_positional_the_rest_not():
    with pytest.raises(TypeError):
        make_imbalanced_breast_cancer(0.1, 0)


def test_mixed_wine_columns_dtypes_and_counts():
    table = load_mixed_wine()
    wine = load_wine(as_frame=True)
    assert table.shape == (178, 14)
    assert list(table.columns) == [*wine.feature_names, "cultivar"]
    expected = {name: np.dtype("float64") for name in wine.feature_names}
    expected.update(magnesium=np.dtype("int64"), proline=np.dtype("int64"))
    assert table.drop(columns="cultivar").dtypes.to_dict() == expected
    cultivar = table["cultivar"]
    assert isinstance(cultivar.dtype, pd.CategoricalDtype)
    assert list(cultivar.cat.categories) == ["class_0", "class_1", "class_2"]
    assert cultivar.value_counts(sort=False).to_dict() == {
        "class_0": 59,
        "class_1": 71,
        "class_2": 48,
    }
    assert table.notna().all().all()


def test_mixed_wine_holds_the_values_of_load_wine():
    table = load_mixed_wine()
    wine = load_wine(as_frame=True)
    # The integer columns were whole numbers: nothing was rounded away.
    pd.testing.assert_frame_equal(
        table.drop(columns="cultivar").astype(np.float64), wine.data
    )
    np.testing.assert_array_equal(table["cultivar"].cat.codes, wine.target)
    assert table.index.equals(wine.data.index)


def test_mixed_wine_is_a_new_table_every_call():
    table = load_mixed_wine()
    table.loc[0, "alcohol"] = -1.0
    assert load_mixed_wine().loc[0, "alcohol"] > 0


def test_datasets_is_in_the_lazy_public_namespace():
    import skgan.datasets as module

    assert "datasets" in skgan.__all__ and "datasets" in dir(skgan)
    assert skgan.datasets is module
    # Every public name is a loader that runs offline and returns data.
    for name in module.__all__:
        assert len(getattr(module, name)()) > 0
