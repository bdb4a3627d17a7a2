"""TabularEncoder: a mixed-type table to the numbers a GAN learns from, and back."""

from numbers import Integral

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from .codecs import (
    _CategoricalCodec,
    _DiscreteNumericCodec,
    _NumericCodec,
    _QuantileCodec,
    _TimeCodec,
    is_time,
    restore_column,
)
from .columns import categorical_mask, check_table, numeric_values, to_frame


class TabularEncoder(TransformerMixin, BaseEstimator):
    """Encode a mixed-type table for a GAN, and decode generated rows exactly back.

    Numeric columns become one scalar each, their normal score through the
    column's empirical quantiles (``numeric_encoding="quantile"``), or get
    mode-specific normalisation (``"modes"``): a variational Gaussian mixture
    assigns each value to a mode, and the value is stored as a scalar in
    ``[-1, 1]`` plus the one-hot mode. Either is fitted on at most
    ``max_fit_rows`` rows, so large tables stay fast. Numeric columns with at
    most ``max_discrete_values`` distinct values, and categorical columns, are
    one-hot encoded over the values seen in training. Missing values become
    one more category, or a two-way "missing" indicator for numeric columns.
    A column with more than ``max_categories`` distinct values keeps its most
    frequent ones and groups the rest (see ``max_categories``).

    Edge cases: a column that holds a single value, or only missing values,
    takes no width and decodes to that value (all-missing numeric columns are
    ``"discrete"``). Values of mixed types in one object column (``1``,
    ``"a"``, ``2.5``) are categories that come back with their own types;
    ``1`` and ``1.0`` are one value (the first seen comes back), and booleans
    mixed with numbers are refused, since ``True == 1``.
    Dates, times and durations (``datetime64``, time-zone aware or not, and
    ``timedelta64``) are encoded as counts of their finest unit, like a
    numeric column, and come back in their dtype. Infinite values, duplicate
    column names, sparse input and unhashable values (lists, dicts) raise
    errors that say what to do.

    ``inverse_transform`` returns the container the encoder was fitted on
    (DataFrame or ndarray) with the same column names, order, dtypes and
    categories; numeric values are clipped to the training range and rounded
    to the decimals the column was recorded with (a column of tenths comes
    back in tenths, whole numbers as whole numbers; a column that needs more
    than 10 decimals keeps full precision).

    Parameters
    ----------
    categorical_features : "auto" or array-like, default="auto"
        Columns to one-hot encode. ``"auto"`` takes the columns of object,
        string, category or bool dtype. An array-like of column indices,
        column names or a boolean mask adds those columns to them (use it for
        numeric codes such as zip codes). Non-numeric columns are always
        categorical.
    numeric_encoding : {"quantile", "modes"}, default="quantile"
        How a numeric column becomes numbers. ``"quantile"``: one scalar, the
        value's normal score through up to 1,000 empirical quantiles of the
        column (decoded exactly back through them). ``"modes"``: CTGAN's
        mode-specific normalisation, a scalar and a one-hot mode per value.
        Modes follow multimodal columns closely but make how columns move
        together hard to learn: on the development tables a GAN trained on
        quantile scores kept pair trends and classifier utility far better
        (see the benchmarks page).
    n_modes : int, default=10
        Most mixture components per numeric column with
        ``numeric_encoding="modes"``; the variational mixture switches off
        those it does not need.
    max_discrete_values : int, default=10
        Numeric columns with at most this many distinct values are encoded as
        categories of numbers (e.g. counts, ratings, 0/1 flags).
    max_fit_rows : int, default=5000
        Rows sampled to fit each numeric column's quantiles or mixture.
    max_categories : int or None, default=500
        Most one-hot categories of a categorical column. A column with more
        distinct values (identifiers, free text) keeps its
        ``max_categories - 1`` most frequent values as categories and groups
        the rest into one "other" category, with a warning that names the
        column. An "other" row carries one more scalar that says which rare
        value it holds, so training rows still decode exactly and generated
        rows draw the rare values in their training proportions (but not in
        their relation to other columns). This bounds the width of the
        encoding, and so the memory of the networks, whatever the column
        holds. ``None`` gives every value its own category.
    random_state : int, RandomState instance or None, default=None
        Seeds the row subsamples and mixture fits, the stand-in values drawn
        for missing cells, and where a repeated value's rows draw their
        quantile scores.

    Attributes
    ----------
    output_spans_ : list of (str, int)
        Layout of the encoded columns: ``("linear", 1)`` for a normal score,
        ``("tanh", 1)`` for a scalar in ``[-1, 1]`` and ``("softmax", k)`` for
        a one-hot group of ``k`` columns.
    column_kinds_ : list of str
        ``"numeric"``, ``"discrete"``, ``"categorical"`` or ``"time"`` for each
        input column.
    n_features_in_ : int
        Number of input columns.
    feature_names_in_ : ndarray of shape (n_features_in_,)
        Input column names, when they are all strings.

    Examples
    --------
    >>> import pandas as pd
    >>> from skgan import TabularEncoder
    >>> X = pd.DataFrame({"age": [23, 35, 51, 62, 44, 30],
    ...                   "city": ["Oslo", "Rome", "Oslo", "Lima", "Rome", "Oslo"]})
    >>> encoder = TabularEncoder(random_state=0).fit(X)
    >>> encoder.column_kinds_
    ['discrete', 'categorical']
    >>> encoder.inverse_transform(encoder.transform(X)).equals(X)
    True
    """

    # The fitted state a model file keeps (version 1); column_kinds_ and
    # output_spans_ follow from the codecs.
    STATE_VERSION = 1
    _STATE = ("_is_frame", "_columns", "_dtypes", "_array_dtype", "codecs_",
              "n_features_in_", "feature_names_in_")  # fmt: skip

    _parameter_constraints: dict = {
        "categorical_features": [StrOptions({"auto"}), "array-like"],
        "numeric_encoding": [StrOptions({"quantile", "modes"})],
        "n_modes": [Interval(Integral, 1, None, closed="left")],
        "max_discrete_values": [Interval(Integral, 0, None, closed="left")],
        "max_fit_rows": [Interval(Integral, 10, None, closed="left")],
        "max_categories": [Interval(Integral, 2, None, closed="left"), None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        categorical_features="auto",
        numeric_encoding="quantile",
        n_modes=10,
        max_discrete_values=10,
        max_fit_rows=5000,
        max_categories=500,
        random_state=None,
    ):
        self.categorical_features = categorical_features
        self.numeric_encoding = numeric_encoding
        self.n_modes = n_modes
        self.max_discrete_values = max_discrete_values
        self.max_fit_rows = max_fit_rows
        self.max_categories = max_categories
        self.random_state = random_state

    def _make_codec(self, column, is_categorical, rng):
        if is_categorical:
            return _CategoricalCodec(column, self.max_categories)
        if is_time(column.dtype):
            return _TimeCodec(column, self._make_codec, rng)
        dtype = column.dtype
        if pd.api.types.is_complex_dtype(dtype) or not pd.api.types.is_numeric_dtype(
            dtype
        ):
            raise TypeError(
                f"Column {column.name!r} has dtype {dtype}, which skgan cannot model. "
                "Convert it to real numbers, dates (periods with .dt.to_timestamp()) "
                "or strings first."
            )
        values = numeric_values(column)
        observed = values[~np.isnan(values)]
        if observed.size == 0:
            # One value, missing: it takes no width and comes back all missing.
            return _DiscreteNumericCodec(column)
        if np.isnan(values[column.notna().to_numpy()]).any():
            raise ValueError(
                f"Column {column.name!r} mixes numbers with non-numeric values. "
                "Clean it, or list it in categorical_features to treat every "
                "value as a category."
            )
        if len(np.unique(observed)) <= self.max_discrete_values:
            return _DiscreteNumericCodec(column)
        if self.numeric_encoding == "quantile":
            return _QuantileCodec(column, self.max_fit_rows, rng)
        return _NumericCodec(column, self.n_modes, self.max_fit_rows, rng)

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit a codec to every column of ``X``.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            The table; may contain missing values.
        y : None
            Ignored.

        Returns
        -------
        self : TabularEncoder
        """
        X = check_table(X)
        frame = to_frame(X)
        validate_data(self, X=frame, reset=True, skip_check_array=True)
        rng = check_random_state(self.random_state)
        mask = categorical_mask(frame, self.categorical_features)
        self._is_frame = isinstance(X, pd.DataFrame)
        self._columns = frame.columns
        self._dtypes = list(frame.dtypes)
        self._array_dtype = None if self._is_frame else np.asarray(X).dtype
        self.codecs_ = [
            self._make_codec(frame.iloc[:, i], mask[i], rng)
            for i in range(frame.shape[1])
        ]
        self._derive()
        return self

    @property
    def n_features_out_(self):
        return sum(width for _, width in self.output_spans_)

    def state(self):
        """Parameters and fitted state, the explicit state of a model file."""
        check_is_fitted(self)
        fitted = {name: getattr(self, name) for name in self._STATE
                  if hasattr(self, name)}  # fmt: skip
        return {"params": self.get_params(deep=False), "fitted": fitted}

    @classmethod
    def from_state(cls, state, version):
        """The fitted encoder of a :meth:`state`; a ValueError if it is not one."""
        encoder = cls(**state["params"])
        encoder._validate_params()
        unknown = set(state["fitted"]) - set(cls._STATE)
        if unknown:
            raise ValueError(f"unknown encoder attributes {sorted(unknown)}")
        for name, value in state["fitted"].items():
            setattr(encoder, name, value)
        encoder._derive()
        return encoder

    def _derive(self):
        self.column_kinds_ = [codec.kind for codec in self.codecs_]
        self.output_spans_ = [span for codec in self.codecs_ for span in codec.spans]

    def _check_frame(self, X):
        frame = to_frame(X)
        validate_data(self, X=frame, reset=False, skip_check_array=True)
        return frame

    def transform(self, X):
        """Encode ``X`` into a float array of ``n_features_out_`` columns.

        Values never seen in training encode as all-zero one-hot groups.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features_in_)

        Returns
        -------
        Xt : ndarray of shape (n_samples, n_features_out_), float64
        """
        check_is_fitted(self)
        frame = self._check_frame(X)
        rng = check_random_state(self.random_state)
        blocks = [
            codec.encode(frame.iloc[:, i], rng) for i, codec in enumerate(self.codecs_)
        ]
        return np.hstack(blocks) if blocks else np.empty((len(frame), 0))

    def inverse_transform(self, X):
        """Decode encoded rows into the container and dtypes seen in ``fit``.

        Parameters
        ----------
        X : ndarray of shape (n_samples, n_features_out_)
            Encoded rows, e.g. generator output.

        Returns
        -------
        table : DataFrame or ndarray of shape (n_samples, n_features_in_)
        """
        check_is_fitted(self)
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != self.n_features_out_:
            raise ValueError(
                f"Expected encoded rows of shape (n_samples, {self.n_features_out_}), "
                f"got {X.shape}."
            )
        columns, start = [], 0
        for codec in self.codecs_:
            width = sum(w for _, w in codec.spans)
            columns.append(codec.decode(X[:, start : start + width]))
            start += width
        if not self._is_frame:
            restored = [restore_column(values, self._array_dtype) for values in columns]
            return np.column_stack(restored).astype(self._array_dtype, copy=False)
        data = {
            i: restore_column(values, dtype)
            for i, (values, dtype) in enumerate(zip(columns, self._dtypes, strict=True))
        }
        frame = pd.DataFrame(data)
        frame.columns = self._columns
        return frame

    def get_feature_names_out(self, input_features=None):
        """Names of the encoded columns, e.g. ``age.value``, ``city=Oslo``.

        Parameters
        ----------
        input_features : None
            Ignored; names come from the columns seen in ``fit``.

        Returns
        -------
        names : ndarray of str
        """
        check_is_fitted(self)
        names = []
        for name, codec in zip(self._columns, self.codecs_, strict=True):
            if codec.kind == "time":  # encoded as a count of its unit
                codec = codec.inner
            if codec.kind == "numeric":
                names.append(f"{name}.value")
                if codec.n_modes > 1:
                    names += [f"{name}.mode{k}" for k in range(codec.n_modes)]
                if codec.has_missing:
                    names += [f"{name}.observed", f"{name}.missing"]
            elif codec.spans:
                labels = [f"{name}={value}" for value in codec.values]
                if codec._rare is not None:
                    labels[len(codec._lookup)] = f"{name}=<other>"
                    labels.append(f"{name}.other_value")
                names += labels
        return np.asarray(names, dtype=object)
