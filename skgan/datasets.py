"""Small data sets for trying skgan, made from scikit-learn's bundled data.

They are the tables of ``skgan demo`` and of the gallery examples: an
imbalanced binary task for oversampling and a table of mixed column types.
Each is built from a data set that ships with scikit-learn, so nothing is
downloaded.
"""

import numbers

import numpy as np
import pandas as pd
from imblearn.datasets import make_imbalance
from sklearn.datasets import load_breast_cancer, load_wine
from sklearn.utils import check_random_state

__all__ = ["load_mixed_wine", "make_imbalanced_breast_cancer"]


def make_imbalanced_breast_cancer(minority_size=0.1, *, random_state=0, as_frame=True):
    """Breast-cancer data with few malignant tumours: an imbalanced binary task.

    :func:`~sklearn.datasets.load_breast_cancer` has 357 benign and 212
    malignant tumours, 30 numeric measurements each. This keeps every benign
    row and a random subset of the malignant ones, with
    :func:`imblearn.datasets.make_imbalance`. The labels are flipped from
    scikit-learn's, so that the rare class is the positive class 1: scorers
    such as ``"f1"`` and ``"average_precision"`` then measure it.

    Parameters
    ----------
    minority_size : float or int, default=0.1
        How many malignant rows to keep. A float is a share of the 357
        benign rows, rounded to the nearest whole number (0.1 keeps 36); an
        int is the number itself. Either way from 1 to 212.

    random_state : int, RandomState instance or None, default=0
        Seed of the choice of malignant rows. An int gives the same rows in
        every call.

    as_frame : bool, default=True
        Return a DataFrame and a Series, or NumPy arrays.

    Returns
    -------
    X : DataFrame or ndarray of shape (n_samples, 30)
        The measurements, as floats: the benign rows first, then the
        malignant ones. The DataFrame's columns are the feature names of
        ``load_breast_cancer`` and its index the rows' positions there.

    y : Series or ndarray of shape (n_samples,)
        The labels, integers: 1 for malignant, 0 for benign. The Series is
        named ``"malignant"``.

    Examples
    --------
    >>> from skgan.datasets import make_imbalanced_breast_cancer
    >>> X, y = make_imbalanced_breast_cancer()
    >>> X.shape
    (393, 30)
    >>> y.value_counts().to_dict()
    {0: 357, 1: 36}
    >>> X, y = make_imbalanced_breast_cancer(30, as_frame=False)
    >>> X.shape, np.bincount(y).tolist()
    ((387, 30), [357, 30])
    """
    if not isinstance(as_frame, bool | np.bool_):
        raise TypeError(f"as_frame must be True or False, got {as_frame!r}.")
    try:
        check_random_state(random_state)  # an error before any work
    except ValueError as error:
        raise ValueError(
            f"random_state must be an int, a RandomState instance or None: {error}."
        ) from None
    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    # Label 0 is malignant in scikit-learn: make it the positive class 1.
    y = (y == 0).astype(np.int64).rename("malignant")
    n_malignant = _minority_count(
        minority_size, n_majority=int((y == 0).sum()), n_available=int(y.sum())
    )
    X, y = make_imbalance(
        X, y, sampling_strategy={1: n_malignant}, random_state=random_state
    )
    if not as_frame:
        return X.to_numpy(), y.to_numpy()
    return X, y


def _minority_count(minority_size, n_majority, n_available):
    """The number of minority rows that ``minority_size`` asks for, checked."""
    if isinstance(minority_size, bool | np.bool_) or not isinstance(
        minority_size, numbers.Real
    ):
        raise TypeError(
            "minority_size must be a float (a share of the benign rows) or an int "
            f"(a number of rows), got {minority_size!r}."
        )
    if isinstance(minority_size, numbers.Integral):
        count = int(minority_size)
        asked = f"minority_size={minority_size!r}"
    else:
        if not np.isfinite(minority_size) or minority_size <= 0:
            raise ValueError(
                f"minority_size must be a positive share, got {minority_size!r}."
            )
        count = round(minority_size * n_majority)
        asked = (
            f"minority_size={minority_size!r} ({count} malignant rows for "
            f"{n_majority} benign)"
        )
    if not 1 <= count <= n_available:
        raise ValueError(
            f"{asked} is out of range: the data has {n_available} malignant rows, "
            f"so keep from 1 to {n_available} of them (a share of about "
            f"{1 / n_majority:.3f} to {n_available / n_majority:.3f})."
        )
    return count


def load_mixed_wine():
    """The wine data set as a table of mixed column types, cultivar included.

    :func:`~sklearn.datasets.load_wine` holds 178 wines of 3 cultivars, with
    13 chemical measurements stored as floats. This table keeps them as the
    kinds of columns a real table has, to try a sampler on:

    - 11 float64 columns;
    - ``magnesium`` and ``proline`` as int64, since they are whole numbers;
    - ``cultivar``, categorical, with the categories ``"class_0"``,
      ``"class_1"`` and ``"class_2"`` (59, 71 and 48 wines).

    Returns
    -------
    table : DataFrame of shape (178, 14)
        The measurements in the column order of ``load_wine``, then
        ``cultivar``; the rows in the order of ``load_wine``, which lists
        the wines cultivar by cultivar (shuffle or stratify before you split
        them).

    Examples
    --------
    >>> from skgan.datasets import load_mixed_wine
    >>> table = load_mixed_wine()
    >>> table.shape
    (178, 14)
    >>> table.dtypes.astype(str).value_counts().to_dict()
    {'float64': 11, 'int64': 2, 'category': 1}
    >>> table["cultivar"].value_counts(sort=False).to_dict()
    {'class_0': 59, 'class_1': 71, 'class_2': 48}
    """
    wine = load_wine(as_frame=True)
    table = wine.frame.drop(columns="target")
    table = table.astype({"magnesium": "int64", "proline": "int64"})
    table["cultivar"] = pd.Categorical.from_codes(
        wine.target, categories=wine.target_names.tolist()
    )
    return table
