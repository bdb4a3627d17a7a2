"""Column codecs: one column to numbers a GAN learns from, and exactly back."""

import contextlib
import threading
import warnings

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

from .columns import numeric_values, refuse_booleans_among_numbers

# Serialises the blocks that silence a mixture's ConvergenceWarning.
_WARNINGS_LOCK = threading.Lock()
# Mixture components lighter than this carry too few rows to be a mode.
_MIN_MODE_WEIGHT = 0.005
# A scalar is stored as (x - mean) / (4 * std) of its mode, so that 4 standard
# deviations map to the tanh range [-1, 1] the generator produces.
_MODE_SCALE = 4.0
# The quantile codec keeps this many reference quantiles per column (all the
# distinct values of a smaller column): 1,000 points put every decoded value
# within a 0.1-percentile step of the real distribution.
_N_QUANTILES = 1000
# Levels are squeezed into [1e-4, 1 - 1e-4], so that normal scores stay within
# +-3.72.
_QUANTILE_MARGIN = 1e-4


class _ExplicitState:
    """The state a model file keeps of a codec: the attributes in ``_STATE``.

    Named explicitly, so that renaming a private attribute cannot break
    saved models; ``from_state`` rebuilds what is derived from them.
    ``STATE_VERSION`` goes up when the state changes meaning.
    """

    STATE_VERSION = 1
    _STATE = ()

    def state(self):
        return {name: getattr(self, name) for name in self._STATE}

    @classmethod
    def from_state(cls, state, version):
        codec = object.__new__(cls)  # __init__ fits on a column
        for name in cls._STATE:
            setattr(codec, name, state[name])
        codec._derive()
        return codec

    def _derive(self):
        """Rebuild what the state implies (lookups, defaults)."""


class _CategoricalCodec(_ExplicitState):
    """One-hot over the values seen in training; missing is one more value.

    With more than ``max_categories`` distinct values, the most frequent
    ``max_categories - 1`` keep a category each and the rest share an "other"
    category plus a scalar that says which of them a row holds: each rare
    value owns a slice of ``[-1, 1]`` as wide as its share of the rare rows,
    so decoding a scalar picks a value with its training frequency, and
    encoded training rows decode back to exactly their value.
    """

    kind = "categorical"
    _STATE = ("values", "has_missing", "other_values", "other_cdf")

    def __init__(self, column, max_categories=None):
        missing = column.isna().to_numpy()
        observed = column[~missing]
        try:
            if isinstance(column.dtype, pd.CategoricalDtype):
                codes = observed.cat.codes.to_numpy()
                present = np.unique(codes)
                values = list(column.cat.categories[present])
                counts = np.bincount(codes)[present] if len(codes) else codes
            else:
                refuse_booleans_among_numbers(observed, column.name)
                values = list(pd.unique(observed))
                # Mixed types such as 1 and "a" cannot be sorted: keep first-seen
                # order.
                with contextlib.suppress(TypeError):
                    values.sort()
                counts = None
        except TypeError as error:  # lists, dicts, sets...
            raise TypeError(
                f"Column {column.name!r} holds values that cannot be compared as "
                f"categories ({error}). Convert them to strings, or split them "
                "into columns of their own."
            ) from error
        self.other_values = self.other_cdf = None
        if max_categories is not None and len(values) > max_categories:
            if counts is None:
                codes = pd.Index(values).get_indexer(observed.to_numpy(dtype=object))
                counts = np.bincount(codes, minlength=len(values))
            values = self._group_rare(column.name, values, counts, max_categories)
        self._lookup = pd.Index(values)
        if self.other_values is not None:
            # The "other" category; decode overwrites this stand-in with the
            # rare value the scalar picks.
            values.append(self.other_values[0])
        self.values = np.empty(len(values) + missing.any(), dtype=object)
        self.values[: len(values)] = values
        self.has_missing = bool(missing.any())
        if self.has_missing:
            # Give back the column's own marker: None stays None, NaN NaN.
            self.values[-1] = column[missing].iloc[0]
        if self.other_values is not None:
            self._other_lookup = pd.Index(self.other_values)

    def _derive(self):
        # values ends with the "other" stand-in and the missing marker, if any.
        n_kept = len(self.values) - self.has_missing - (self.other_values is not None)
        self._lookup = pd.Index(list(self.values[:n_kept]))
        if self.other_values is not None:
            self._other_lookup = pd.Index(self.other_values)

    def _group_rare(self, name, values, counts, max_categories):
        """Keep the most frequent values; store the rest as ``other_values``."""
        by_count = np.argsort(-counts, kind="stable")
        kept = np.sort(by_count[: max_categories - 1])
        rare = np.sort(by_count[max_categories - 1 :])
        self.other_values = np.empty(len(rare), dtype=object)
        self.other_values[:] = [values[i] for i in rare]
        self.other_cdf = np.cumsum(counts[rare]) / counts[rare].sum()
        self.other_cdf[-1] = 1.0
        warnings.warn(
            f"Column {name!r} has {len(values)} distinct values, more than "
            f"max_categories={max_categories}. The {len(kept)} most frequent keep "
            f"a category each; the other {len(rare)} share one and are drawn in "
            "their training proportions, without links to the other columns. If "
            "the column is an identifier, drop it before fitting; otherwise raise "
            "max_categories to model every value (each one widens the networks).",
            UserWarning,
            stacklevel=5,
        )
        return [values[i] for i in kept]

    @property
    def _rare(self):
        """(values, cdf) of the values that share the "other" category, or None."""
        values = self.other_values
        return None if values is None else (values, self.other_cdf)

    @property
    def spans(self):
        # A single value needs no output: it is always that value.
        if len(self.values) <= 1:
            return []
        spans = [("softmax", len(self.values))]
        if self._rare is not None:
            spans.append(("tanh", 1))  # which rare value an "other" row holds
        return spans

    def encode(self, column, rng):
        if not self.spans:
            return np.empty((len(column), 0))
        raw = column.to_numpy(dtype=object, na_value=np.nan)
        codes = self._lookup.get_indexer(raw)
        if self.has_missing:
            codes[column.isna().to_numpy()] = len(self.values) - 1
        out = np.zeros((len(column), sum(width for _, width in self.spans)))
        if self._rare is not None:
            cdf = self.other_cdf
            rare = np.where(codes < 0, self._other_lookup.get_indexer(raw), -1)
            is_rare = rare >= 0
            codes[is_rare] = len(self._lookup)  # the "other" category
            # A point inside the rare value's slice, away from its edges so
            # that rounding cannot move it into a neighbour's.
            high = cdf[rare[is_rare]]
            low = np.where(rare[is_rare] > 0, cdf[rare[is_rare] - 1], 0.0)
            where = low + (high - low) * rng.uniform(0.1, 0.9, size=len(high))
            out[is_rare, -1] = 2.0 * where - 1.0
        known = codes >= 0  # unseen values encode as all zeros
        out[np.flatnonzero(known), codes[known]] = 1.0
        return out

    def decode(self, block):
        if block.shape[1] == 0:
            return np.repeat(self.values, len(block))
        index = block[:, : len(self.values)].argmax(axis=1)
        decoded = self.values[index]
        if self._rare is not None:
            rare_values, cdf = self._rare
            is_rare = index == len(self._lookup)
            where = (block[is_rare, -1] + 1.0) / 2.0
            picked = np.searchsorted(cdf, where, side="right")
            decoded[is_rare] = rare_values[np.minimum(picked, len(cdf) - 1)]
        return decoded


class _DiscreteNumericCodec(_CategoricalCodec):
    """A numeric column with few distinct values, one-hot encoded like a category."""

    kind = "discrete"

    def __init__(self, column):
        super().__init__(pd.Series(numeric_values(column), name=column.name))

    def encode(self, column, rng):
        return super().encode(pd.Series(numeric_values(column)), rng)

    def decode(self, block):
        return super().decode(block).astype(np.float64)


# Most decimals a column is taken to be recorded with; a column that needs
# more (computed values, say) is decoded at full precision.
_MAX_DECIMALS = 10


def _recorded_decimals(observed, dtype):
    """Fewest decimals that write every observed value exactly, or None.

    Compared at the column's own precision, so that a float32 ``30.2``
    (30.200000762939453 as float64) counts as one decimal.
    """
    dtype = getattr(dtype, "numpy_dtype", dtype)  # pandas' nullable Float32
    precision = np.float32 if dtype == np.float32 else np.float64

    def fewest(values, start):
        exact = values.astype(precision)
        for decimals in range(start, _MAX_DECIMALS + 1):
            if np.array_equal(np.round(values, decimals).astype(precision), exact):
                return decimals
        return None

    # A sample needs at most the decimals the whole column needs: it settles
    # the search, and the column is rounded once or twice instead of 11 times.
    start = fewest(observed[:: max(1, len(observed) // 1000)], 0)
    return None if start is None else fewest(observed, start)


class _ScalarCodec(_ExplicitState):
    """What the two encodings of continuous numbers share: the training range,
    the precision values were recorded at, and a two-way missing indicator
    after the scalar."""

    _STATE = ("has_missing", "low", "high", "decimals")

    def _fit_range(self, column, max_fit_rows, rng):
        """Record range, precision and missing values; return the observed
        values, at most ``max_fit_rows`` of them, to fit the encoding on."""
        values = numeric_values(column)
        missing = np.isnan(values)
        observed = values[~missing]
        self.has_missing = bool(missing.any())
        self.low, self.high = observed.min(), observed.max()
        self.decimals = _recorded_decimals(observed, column.dtype)
        if len(observed) > max_fit_rows:
            observed = rng.choice(observed, max_fit_rows, replace=False)
        return observed

    def _with_stand_ins(self, column, rng):
        """The column's numbers with missing cells replaced by ``_stand_ins``,
        and where they were missing."""
        values = numeric_values(column)
        missing = np.isnan(values)
        if missing.any():
            # The value of a missing cell is never decoded; a plausible stand-in
            # keeps the generator from having to learn an arbitrary filler.
            values = values.copy()
            values[missing] = self._stand_ins(int(missing.sum()), rng)
        return values, missing

    def _with_indicator(self, blocks, missing):
        """The encoded ``blocks`` side by side, then the missing indicator."""
        if self.has_missing:
            blocks.append(np.eye(2)[missing.astype(int)])
        return np.hstack(blocks)

    def _restore(self, values, block):
        """Round values to the decimals the column was recorded with, and
        blank the rows decoded as missing."""
        if self.decimals is not None:
            values = np.round(values, self.decimals)
        if self.has_missing:
            values[block[:, -2:].argmax(axis=1) == 1] = np.nan
        return values


class _NumericCodec(_ScalarCodec):
    """Mode-specific normalisation (Xu et al., 2019) with a missing indicator.

    A variational Gaussian mixture finds the modes of the column; each value is
    stored as its mode (one-hot) and its offset within that mode, scaled so
    that four standard deviations map to [-1, 1].
    """

    kind = "numeric"
    _STATE = (*_ScalarCodec._STATE, "means", "stds", "log_weights")

    def __init__(self, column, n_modes, max_fit_rows, rng):
        observed = self._fit_range(column, max_fit_rows, rng)
        with np.errstate(over="ignore", invalid="ignore"):
            center, scale = observed.mean(), observed.std()
        if not (np.isfinite(center) and np.isfinite(scale)):
            raise ValueError(
                f"Column {column.name!r} holds values so large (up to "
                f"{max(abs(self.low), abs(self.high)):.3g}) that their spread "
                "overflows float64. Rescale the column, e.g. divide it by a power "
                "of ten, before fitting."
            )
        scale = scale or 1.0
        means, stds, weights = self._fit_modes(
            (observed - center) / scale, n_modes, rng
        )
        self.means = center + scale * means
        # A floor keeps a mode on a single repeated value from dividing by zero.
        self.stds = scale * np.maximum(stds, 1e-6)
        self.log_weights = np.log(weights / weights.sum())

    @staticmethod
    def _fit_modes(standardised, n_modes, rng):
        """Means, standard deviations and weights of the modes of a standardised column.

        The mixture is fitted on standardised values because its covariance
        regularisation is absolute and would swamp columns of small scale.
        """
        n_components = min(n_modes, len(np.unique(standardised)))
        if n_components == 1:
            return np.zeros(1), np.ones(1), np.ones(1)
        mixture = BayesianGaussianMixture(
            n_components=n_components,
            weight_concentration_prior_type="dirichlet_process",
            weight_concentration_prior=1e-3,
            max_iter=100,
            random_state=rng.randint(np.iinfo(np.int32).max),
        )
        # catch_warnings swaps process-wide filters: when two threads' blocks
        # overlapped, the first to leave restored the filters under the
        # other, whose warning then escaped (as an error under pytest).
        with _WARNINGS_LOCK, warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            mixture.fit(standardised.reshape(-1, 1))
        keep = mixture.weights_ > _MIN_MODE_WEIGHT
        keep[np.argmax(mixture.weights_)] = True
        stds = np.sqrt(mixture.covariances_[keep].ravel())
        return mixture.means_[keep, 0], stds, mixture.weights_[keep]

    @property
    def n_modes(self):
        return len(self.means)

    @property
    def spans(self):
        spans = [("tanh", 1)]
        if self.n_modes > 1:
            spans.append(("softmax", self.n_modes))
        if self.has_missing:
            spans.append(("softmax", 2))
        return spans

    def _stand_ins(self, n, rng):
        """Draw ``n`` values from the fitted mixture, to stand in for missing ones."""
        modes = rng.choice(self.n_modes, size=n, p=np.exp(self.log_weights))
        draws = self.means[modes] + self.stds[modes] * rng.standard_normal(n)
        return np.clip(draws, self.low, self.high)

    def encode(self, column, rng):
        values, missing = self._with_stand_ins(column, rng)
        z = (values[:, None] - self.means) / self.stds
        log_likelihood = self.log_weights - 0.5 * z**2 - np.log(self.stds)
        mode = log_likelihood.argmax(axis=1)
        blocks = [(z[np.arange(len(values)), mode] / _MODE_SCALE)[:, None]]
        if self.n_modes > 1:
            blocks.append(np.eye(self.n_modes)[mode])
        return self._with_indicator(blocks, missing)

    def decode(self, block):
        mode = block[:, 1 : 1 + self.n_modes].argmax(axis=1) if self.n_modes > 1 else 0
        values = block[:, 0] * _MODE_SCALE * self.stds[mode] + self.means[mode]
        return self._restore(np.clip(values, self.low, self.high), block)


class _QuantileCodec(_ScalarCodec):
    """Each value as its normal score through the column's empirical quantiles.

    A value ``x`` becomes ``Phi^-1(F(x))``, where ``F`` interpolates the
    column's reference quantiles and ``Phi`` is the standard normal CDF: one
    scalar per column, normally distributed whatever the column's shape (as
    TabDDPM encodes numbers). Unlike mode-specific normalisation there is no
    mode indicator, so how two columns move together is a smooth function
    of two scalars that a network learns easily. The score is a ``"linear"``
    output, left unbounded by the generator and at the scale of the one-hot
    outputs (a standard deviation of 1), so that the discriminator weighs
    numbers and categories alike. Decoding inverts the map
    exactly: a training value comes back as itself (up to float rounding),
    and a repeated value (a spike at 0, say) owns an interval of scores that
    all decode to it, from which its rows draw their scores. A missing value
    is a two-way indicator, as in :class:`_NumericCodec`.
    """

    kind = "numeric"
    n_modes = 1
    _STATE = (*_ScalarCodec._STATE, "references", "levels")

    def __init__(self, column, max_fit_rows, rng):
        observed = self._fit_range(column, max_fit_rows, rng)
        # A column of at most 1,000 (sampled) values keeps every value as a
        # reference; the range's ends always are, so decoding stays within
        # the training range.
        levels = np.linspace(0.0, 1.0, min(_N_QUANTILES, len(observed)))
        references = np.quantile(observed, levels)
        references[0], references[-1] = self.low, self.high
        self.references = np.maximum.accumulate(references)
        self.levels = levels

    @property
    def spans(self):
        spans = [("linear", 1)]
        if self.has_missing:
            spans.append(("softmax", 2))
        return spans

    def _levels(self, values, rng):
        """``F(x)``, drawn uniformly from the levels of ``x`` where it is tied.

        A value repeated in the references (a spike at 0, a count) spans an
        interval of levels; a uniform draw from it makes the encoded column
        continuous, so the discriminator cannot tell real rows by an exact
        repeated score, and every draw decodes back to the value.
        """
        top = np.interp(values, self.references, self.levels)
        bottom = -np.interp(-values, -self.references[::-1], -self.levels[::-1])
        return bottom + (top - bottom) * rng.uniform(size=len(values))

    def _stand_ins(self, n, rng):
        """Draw ``n`` values from the column, to stand in for missing ones."""
        return np.interp(rng.uniform(size=n), self.levels, self.references)

    def encode(self, column, rng):
        values, missing = self._with_stand_ins(column, rng)
        levels = self._levels(values, rng)
        squeezed = _QUANTILE_MARGIN + (1.0 - 2.0 * _QUANTILE_MARGIN) * levels
        return self._with_indicator([ndtri(squeezed)[:, None]], missing)

    def decode(self, block):
        squeezed = ndtr(block[:, 0])
        levels = (squeezed - _QUANTILE_MARGIN) / (1.0 - 2.0 * _QUANTILE_MARGIN)
        return self._restore(np.interp(levels, self.levels, self.references), block)


# Resolutions a time column is recorded at, coarsest first, in nanoseconds.
_TIME_UNITS = (
    ("D", 86_400 * 10**9),
    ("h", 3_600 * 10**9),
    ("min", 60 * 10**9),
    ("s", 10**9),
    ("ms", 10**6),
    ("us", 10**3),
    ("ns", 1),
)


def is_time(dtype):
    return pd.api.types.is_datetime64_any_dtype(
        dtype
    ) or pd.api.types.is_timedelta64_dtype(dtype)


class _TimeCodec(_ExplicitState):
    """Dates, times and durations, as counts of the column's resolution.

    A ``datetime64`` column (naive or time-zone aware) or ``timedelta64``
    column becomes a number: its wall-clock time since 1970 (or its
    duration) in the coarsest unit, from days to nanoseconds, that writes
    every value exactly. That number is encoded like any numeric column
    (so missing values, the range and whole units are kept), and decoded
    back to the column's dtype and time zone: generated dates fall on the
    column's resolution and within its training range.
    """

    kind = "time"
    _STATE = ("dtype", "tz", "unit", "unit_ns", "inner")

    def __init__(self, column, make_codec, rng):
        dtype = column.dtype
        self.dtype = dtype
        self.tz = None if getattr(dtype, "tz", None) is None else str(dtype.tz)
        ticks, missing = self._nanoseconds(column)
        observed = ticks[~missing]  # int64: exact, where float64 is not past 2**53
        self.unit, self.unit_ns = next(
            (name, size) for name, size in _TIME_UNITS if np.all(observed % size == 0)
        )
        self.inner = make_codec(self._counts(column), False, rng)

    @property
    def spans(self):
        return self.inner.spans

    def _nanoseconds(self, column):
        """Wall-clock nanoseconds (durations: their length), and where missing."""
        if self.tz is not None:  # local time: days start at local midnight
            column = column.dt.tz_localize(None)
        as_ns = column.astype(
            "timedelta64[ns]" if pd.api.types.is_timedelta64_dtype(column.dtype)
            else "datetime64[ns]"
        )  # fmt: skip
        return as_ns.to_numpy().view(np.int64), as_ns.isna().to_numpy()

    def _counts(self, column):
        """Values as float counts of the column's unit, NaN for missing."""
        ticks, missing = self._nanoseconds(column)
        counts = (ticks // self.unit_ns).astype(np.float64)
        counts[missing] = np.nan
        return pd.Series(counts, name=column.name)

    def encode(self, column, rng):
        return self.inner.encode(self._counts(column), rng)

    def decode(self, block):
        counts = np.asarray(self.inner.decode(block), dtype=np.float64)
        missing = np.isnan(counts)
        ticks = np.where(missing, 0, np.round(counts)).astype(np.int64) * self.unit_ns
        if pd.api.types.is_timedelta64_dtype(self.dtype):
            values = pd.Series(ticks.view("timedelta64[ns]"))
        else:
            values = pd.Series(ticks.view("datetime64[ns]"))
        values[missing] = pd.NaT
        if self.tz is not None:
            values = values.dt.tz_localize(
                self.tz, ambiguous=np.zeros(len(values), dtype=bool),
                nonexistent="shift_forward",
            )  # fmt: skip
        return values.astype(self.dtype).array


def restore_column(values, dtype):
    """Cast decoded values back to the column's original dtype."""
    if isinstance(dtype, pd.CategoricalDtype):
        return pd.Categorical(values, dtype=dtype)
    if pd.api.types.is_integer_dtype(dtype):
        # float(2**63 - 1) rounds up to 2**63, which would wrap around to -2**63.
        info = np.iinfo(np.dtype(getattr(dtype, "numpy_dtype", dtype)))
        values = np.clip(values, info.min, np.nextafter(float(info.max), 0.0))
    # Keep object values as they are: pandas 3 would infer its "str" dtype from
    # strings, and turn the None of an object column into NaN.
    series = pd.Series(values, dtype=object if values.dtype == object else None)
    return series.astype(dtype)
