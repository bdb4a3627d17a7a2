"""Oversampling: which rows ``fit_resample`` generates, and which it keeps.

For each class ``sampling_strategy`` asks rows of, ``fit_resample`` draws
``oversampling_candidates`` candidates per row it adds
(:func:`candidate_classes`), keeps those that look most like their class
(:func:`select_candidates`), and appends them to the caller's rows
(:func:`append_resampled`).

An oversampler's synthetic rows help a classifier when they lie where their
class lies, and hurt it when they fall among another class's rows. A GAN
samples the whole of what it learnt of a class, tails included; drawing more
candidates than needed and keeping those whose nearest real neighbours are
of their own class trims those tails, much as SMOTE keeps its rows between
two rows of the class. Keeping only the most typical candidates, though,
piles them into the core of the class, where a classifier needs no help; so
each real row of the class gets its share of the kept candidates, the most
typical of those nearest to it, as SMOTE starts from every row of the class.
"""

import numpy as np
import pandas as pd
from joblib import parallel_config
from sklearn.neighbors import NearestNeighbors
from sklearn.utils import check_random_state
from threadpoolctl import threadpool_limits

from ._encoding.columns import categorical_columns
from ._generation import check_labels, class_indices
from .metrics._distance import row_space
from .metrics._tables import pair_tables


class OversamplingMixin:
    """``fit_resample`` of GANSampler: train, then add rows to the rare classes.

    Relies on the sampler's ``_fit`` and ``_generate``, as imblearn's
    ``BaseOverSampler.fit_resample`` relies on ``_fit_resample``.
    """

    def fit_resample(self, X, y, **params):
        """Train on ``X`` and ``y``, then add synthetic rows to the rarer classes.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Training table; may mix types and contain missing values.
        y : array-like of shape (n_samples,)
            Class labels of any one type, at least 2 classes, none missing.
        **params : dict
            In imbalanced-learn's signature, for samplers that take extra
            fit parameters; GANSampler takes none, and refuses any.

        Returns
        -------
        X_resampled : DataFrame or ndarray of shape (n_samples_new, n_features)
            The rows of ``X``, unchanged and first, then the synthetic rows
            that ``sampling_strategy`` asks for, in the container of ``X``.
        y_resampled : array-like of shape (n_samples_new,)
            Their labels, in the container and dtype of ``y``.
        """
        if params:
            raise TypeError(
                f"GANSampler.fit_resample takes no extra parameters; got "
                f"{sorted(params)}. Set the sampler's parameters with set_params."
            )
        check_labels(y)  # before imblearn's own checks trip over them
        return super().fit_resample(X, y, **params)

    def _fit_resample(self, X, y):
        self._fit(X, y, resampling=True)
        config = self.config_
        wanted = {label: n for label, n in self.sampling_strategy_.items() if n > 0}
        if not wanted:
            return X, y
        candidates = config.oversampling_candidates
        indices = candidate_classes(self.classes_, wanted, candidates)
        random_state = check_random_state(self.random_state)
        X_new = self._generate(indices, len(indices), random_state)
        if candidates > 1:
            with threadpool_limits(limits=config.n_threads):
                keep = select_candidates(
                    config.kind.rows(X), y, config.kind.rows(X_new), indices,
                    self.classes_, wanted, categorical_columns(self.encoder_),
                )  # fmt: skip
            X_new = X_new.iloc[keep].reset_index(drop=True) if isinstance(
                X_new, pd.DataFrame
            ) else X_new[keep]  # fmt: skip
            indices = indices[keep]
        return append_resampled(X, y, X_new, self.classes_[indices])


def candidate_classes(classes, wanted, candidates):
    """Class index of each candidate row: ``candidates`` per row ``wanted``.

    ``wanted`` maps labels of ``classes`` to the number of rows to add.
    """
    labels = list(wanted)
    counts = np.array([wanted[label] * candidates for label in labels])
    return np.repeat(class_indices(classes, labels), counts)


def select_candidates(rows, y, candidates, indices, classes, wanted, categorical):
    """Sorted indices of the candidates to keep: ``wanted`` rows per class.

    Per class, the candidates most typical of it near each of its real
    ``rows`` (:func:`class_typicality`, :func:`spread_over_anchors`), the
    columns of the boolean mask ``categorical`` compared as categories.
    ``indices``: the class index of each candidate.
    """
    typicality, anchors = _typicality_and_anchors(
        rows, class_indices(classes, y), candidates, indices,
        categorical_features=categorical,
    )  # fmt: skip
    wanted_indices = dict(zip(class_indices(classes, list(wanted)),
                              wanted.values(), strict=True))  # fmt: skip
    return spread_over_anchors(typicality, anchors, indices, wanted_indices)


def append_resampled(X, y, X_new, y_new):
    """``X`` and ``y`` with the new rows after them, in their containers."""
    y_new = np.asarray(y_new, dtype=y.dtype)
    if isinstance(X, pd.DataFrame):
        X_resampled = pd.concat([X, X_new], ignore_index=True)
    else:
        X_resampled = np.concatenate([X, X_new.astype(X.dtype, copy=False)])
    return X_resampled, np.concatenate([y, y_new])


def class_typicality(real, real_labels, candidates, candidate_labels, **kwargs):
    """How far each candidate is from its class, relative to other classes.

    Returns ``d_own / (d_own + d_other)`` per candidate: ``d_own`` is the
    distance to the nearest real row of the candidate's class, ``d_other``
    to the nearest real row of any other class, both in the space of
    :func:`skgan.metrics.distance_to_closest_record` (numbers scaled by their
    range, a category mismatch weighing 1). Lower is more typical: below 0.5
    the candidate is nearer its own class than any other.

    Parameters
    ----------
    real, candidates : DataFrame or ndarray of shape (n, n_features)
        Real rows and generated rows, with the same columns.
    real_labels, candidate_labels : ndarray
        Their classes; every candidate class must occur among the real rows.
    **kwargs
        ``categorical_features``, as for :func:`skgan.metrics.pair_tables`.

    Returns
    -------
    typicality : ndarray of shape (len(candidates),)
        In [0, 1]; 0 for a candidate on a real row of its class.

    Examples
    --------
    >>> import numpy as np
    >>> real = np.array([[0.0], [1.0], [10.0], [11.0]])
    >>> labels = np.array([0, 0, 1, 1])
    >>> candidates = np.array([[0.5], [9.0]])
    >>> class_typicality(real, labels, candidates, np.array([0, 0])).round(3)
    array([0.05 , 0.889])
    """
    return _typicality_and_anchors(
        real, real_labels, candidates, candidate_labels, **kwargs
    )[0]


def _typicality_and_anchors(real, real_labels, candidates, candidate_labels, **kwargs):
    """``class_typicality``, and the index in ``real`` of each candidate's
    nearest real row of its class (its anchor)."""
    real_rows, candidate_rows = row_space(pair_tables(real, candidates, **kwargs))
    typicality = np.zeros(len(candidate_labels))
    anchors = np.zeros(len(candidate_labels), dtype=np.int64)
    for label in np.unique(candidate_labels):
        mine = np.asarray(candidate_labels == label)
        own = np.asarray(real_labels == label)
        d_own, nearest = _nearest(real_rows[own], candidate_rows[mine])
        anchors[mine] = np.flatnonzero(own)[nearest]
        if own.all():  # no other class to be near: all equally typical
            continue
        d_other = _nearest(real_rows[~own], candidate_rows[mine])[0]
        total = d_own + d_other
        typicality[mine] = np.divide(d_own, total, out=np.zeros_like(total),
                                     where=total > 0)  # fmt: skip
    return typicality, anchors


def _nearest(reference, queries):
    """Distance to, and index of, the nearest reference row of each query."""
    neighbours = NearestNeighbors(n_neighbors=1).fit(reference)
    # Under a caller's joblib backend such as dask, each query batch would
    # otherwise be sent out as a task of its own.
    with parallel_config(backend="sequential"):
        distances, indices = neighbours.kneighbors(queries)
    return distances[:, 0], indices[:, 0]


def spread_over_anchors(typicality, anchors, labels, wanted):
    """Indices of ``wanted[label]`` rows of each label, shared out over anchors.

    Candidates are ranked within their anchor by typicality; the kept ones
    are every anchor's best, then every anchor's second best, and so on,
    the more typical first within a round. An anchor with fewer candidates
    drops out of later rounds.

    Parameters
    ----------
    typicality : ndarray of shape (n,)
        Lower is better, e.g. from :func:`class_typicality`.
    anchors : ndarray of shape (n,)
        Real row each candidate is nearest to.
    labels : ndarray of shape (n,)
        Class of each candidate.
    wanted : dict
        Rows to keep per label.

    Returns
    -------
    keep : ndarray of int
        Sorted indices of the kept candidates.

    Examples
    --------
    >>> import numpy as np
    >>> typicality = np.array([0.1, 0.2, 0.3, 0.4])
    >>> anchors = np.array([0, 0, 0, 1])
    >>> spread_over_anchors(typicality, anchors, np.zeros(4), {0: 2})
    array([0, 3])
    """
    keep = []
    for label, n in wanted.items():
        rows = np.flatnonzero(labels == label)
        by_anchor = rows[np.lexsort((typicality[rows], anchors[rows]))]
        # Rank of each candidate within its anchor: its position minus
        # where its anchor's run starts.
        _, starts, sizes = np.unique(
            anchors[by_anchor], return_index=True, return_counts=True
        )
        rank = np.arange(len(by_anchor)) - np.repeat(starts, sizes)
        order = np.lexsort((typicality[by_anchor], rank))
        keep.append(by_anchor[order[:n]])
    return np.sort(np.concatenate(keep))
