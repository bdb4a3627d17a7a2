"""Metrics that train a classifier: telling real from synthetic, and utility."""

import numpy as np
from sklearn.base import clone
from sklearn.dummy import DummyClassifier
from sklearn.ensemble import (
    HistGradientBoostingClassifier,
    HistGradientBoostingRegressor,
)
from sklearn.metrics import get_scorer
from sklearn.model_selection import KFold, StratifiedKFold, cross_val_score
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from ._tables import pair_tables

# HistGradientBoosting handles a categorical feature natively only up to its
# number of bins; codes of larger vocabularies are given to it as numbers.
_MAX_NATIVE_CATEGORIES = 255
# Integer targets with at most this many values are classes, not quantities.
_MAX_CLASSES = 20


def _one_thread():
    """Run the classifiers on one OpenMP thread.

    On a few shared cores, gradient boosting's threads wait on each other
    whenever another process is busy: a detection AUC took 25 s instead of
    0.5 s next to one other busy process. These fits are small enough that
    one thread costs little when the machine is idle.
    """
    return threadpool_limits(limits=1, user_api="openmp")


def _native_categorical(tables, columns):
    return np.array(
        [
            bool(tables.is_categorical[i])
            and tables.n_categories[i] <= _MAX_NATIVE_CATEGORIES
            for i in columns
        ]
    )


def _subsample(matrix, max_rows, rng):
    if max_rows is None or len(matrix) <= max_rows:
        return matrix
    return matrix[rng.choice(len(matrix), max_rows, replace=False)]


def detection_auc(
    real,
    synthetic,
    *,
    categorical_features="auto",
    classifier=None,
    cv=5,
    max_rows=10_000,
    random_state=None,
):
    """How well a classifier tells synthetic rows from real ones: 0.5 is ideal.

    A classifier two-sample test: rows of both tables are labelled real (0)
    or synthetic (1), and the mean ROC-AUC of a classifier over stratified
    ``cv``-fold cross-validation is returned. 0.5 means the classifier cannot
    tell the tables apart; 1.0 that it always can. A gradient-boosting
    classifier (:class:`~sklearn.ensemble.HistGradientBoostingClassifier`,
    with categories as native categorical features and missing values as
    they are) is used unless ``classifier`` is given.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        The tables to compare; they may differ in length.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to treat as categories; see
        :func:`skgan.metrics.column_shapes`.
    classifier : classifier, default=None
        Any scikit-learn classifier with ``predict_proba`` or
        ``decision_function``; it is cloned. It receives numeric columns as
        floats with NaN for missing values and categorical columns as integer
        codes.
    cv : int, default=5
        Number of stratified folds.
    max_rows : int or None, default=10000
        Rows drawn at random from each table when it is longer, to bound the
        cost; None uses all rows.
    random_state : int, RandomState instance or None, default=None
        Seeds the subsample, the folds and the default classifier.

    Returns
    -------
    auc : float
        Mean ROC-AUC over the folds.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import detection_auc
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(500, 2))
    >>> round(detection_auc(real, rng.normal(size=(500, 2)), random_state=0), 1)
    0.5
    >>> detection_auc(real, real + 10, random_state=0)
    1.0
    """
    tables = pair_tables(real, synthetic, categorical_features)
    rng = check_random_state(random_state)
    real_rows = _subsample(tables.matrix("real"), max_rows, rng)
    synthetic_rows = _subsample(tables.matrix("synthetic"), max_rows, rng)
    if min(len(real_rows), len(synthetic_rows)) < cv:
        raise ValueError(
            f"detection_auc needs at least cv={cv} rows in each table; got "
            f"{len(real_rows)} real and {len(synthetic_rows)} synthetic rows."
        )
    rows = np.vstack([real_rows, synthetic_rows])
    is_synthetic = np.r_[np.zeros(len(real_rows)), np.ones(len(synthetic_rows))]
    seed = rng.randint(np.iinfo(np.int32).max)
    if classifier is None:
        classifier = HistGradientBoostingClassifier(
            categorical_features=_native_categorical(tables, range(tables.n_columns)),
            random_state=seed,
        )
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
    with _one_thread():
        scores = cross_val_score(
            clone(classifier), rows, is_synthetic, cv=folds, scoring="roc_auc"
        )
    return float(np.mean(scores))


def _target_index(tables, target):
    if target in tables.names:
        return tables.names.index(target)
    if isinstance(target, int) and -tables.n_columns <= target < tables.n_columns:
        return target % tables.n_columns
    raise ValueError(
        f"target={target!r} is neither a column name nor a column index of the "
        f"tables, whose columns are {tables.names!r}."
    )


def _is_classification(tables, target_index):
    if tables.is_categorical[target_index]:
        return True
    values = tables.real[target_index]
    observed = values[~np.isnan(values)]
    integer_valued = np.array_equal(observed, np.round(observed))
    return integer_valued and len(np.unique(observed)) <= _MAX_CLASSES


def _features_and_target(tables, target_index, which):
    """Features and target of one table; rows with a missing target are dropped."""
    matrix = tables.matrix(which)[~tables.is_missing(target_index, which)]
    if len(matrix) == 0:
        raise ValueError(f"The {which} table has no row with a target value.")
    return np.delete(matrix, target_index, axis=1), matrix[:, target_index]


def _default_estimator(tables, feature_columns, classification, seed):
    native = _native_categorical(tables, feature_columns)
    if classification:
        return HistGradientBoostingClassifier(
            categorical_features=native, random_state=seed
        )
    return HistGradientBoostingRegressor(categorical_features=native, random_state=seed)


def utility_score(
    synthetic,
    real,
    target,
    *,
    categorical_features="auto",
    estimator=None,
    scoring=None,
    random_state=None,
):
    """Train on synthetic rows, test on real ones (TSTR): is the data useful?

    A model is fitted to predict column ``target`` from the others on the
    synthetic table, and scored on the real table, which should be data the
    generator did not see. Compare it with the same model trained on real
    data (:func:`evaluate` reports both): synthetic data that is as useful
    scores as high. A target that is categorical, or integer-valued with at
    most 20 distinct values, is a classification task scored with macro F1;
    any other is a regression task scored with R². When the synthetic rows
    hold a single class, the model predicts that class.

    Parameters
    ----------
    synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        Training table, including the target column.
    real : DataFrame or array-like of shape (n_rows, n_columns)
        Test table with the same columns.
    target : str or int
        Name (or index) of the column to predict.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to treat as categories; see
        :func:`skgan.metrics.column_shapes`.
    estimator : estimator, default=None
        Model to train (cloned). It receives numeric columns as floats with
        NaN for missing values and categorical columns as integer codes. The
        default is a histogram gradient-boosting classifier or regressor.
    scoring : str or callable, default=None
        A scikit-learn scorer; None means ``"f1_macro"`` for classification
        and ``"r2"`` for regression.
    random_state : int, RandomState instance or None, default=None
        Seeds the default estimator.

    Returns
    -------
    score : float
        The scorer's value on the real table (higher is better).

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skgan.metrics import utility_score
    >>> iris = load_iris(as_frame=True).frame
    >>> train, test = iris.iloc[::2], iris.iloc[1::2]
    >>> round(utility_score(train, test, "target", random_state=0), 2)
    0.97
    """
    tables = pair_tables(real, synthetic, categorical_features)
    target_index = _target_index(tables, target)
    classification = _is_classification(tables, target_index)
    X_train, y_train = _features_and_target(tables, target_index, "synthetic")
    X_test, y_test = _features_and_target(tables, target_index, "real")
    if classification and len(np.unique(y_train)) < 2:
        model = DummyClassifier(strategy="most_frequent")
    elif estimator is not None:
        model = clone(estimator)
    else:
        seed = check_random_state(random_state).randint(np.iinfo(np.int32).max)
        features = [i for i in range(tables.n_columns) if i != target_index]
        model = _default_estimator(tables, features, classification, seed)
    if scoring is None:
        scoring = "f1_macro" if classification else "r2"
    with _one_thread():
        model.fit(X_train, y_train)
        return float(get_scorer(scoring)(model, X_test, y_test))


def cross_validated_utility(
    real, target, *, categorical_features="auto", cv=5, random_state=None
):
    """The default model trained and tested on real data under ``cv``-fold CV.

    The reference for :func:`utility_score` when there is no separate real
    test table: the score that real training data reaches.
    """
    tables = pair_tables(real, real, categorical_features)
    target_index = _target_index(tables, target)
    classification = _is_classification(tables, target_index)
    X, y = _features_and_target(tables, target_index, "real")
    rng = check_random_state(random_state)
    seed = rng.randint(np.iinfo(np.int32).max)
    features = [i for i in range(tables.n_columns) if i != target_index]
    model = _default_estimator(tables, features, classification, seed)
    splitter = StratifiedKFold if classification else KFold
    folds = splitter(n_splits=cv, shuffle=True, random_state=seed)
    scoring = "f1_macro" if classification else "r2"
    with _one_thread():
        scores = cross_val_score(model, X, y, cv=folds, scoring=scoring)
    return float(np.mean(scores))
