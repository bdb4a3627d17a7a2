"""Choose, among generated rows, those that look most like their class.

An oversampler's synthetic rows help a classifier when they lie where their
class lies, and hurt it when they fall among another class's rows. A GAN
samples the whole of what it learnt of a class, tails included; drawing more
candidates than needed and keeping those whose nearest real neighbours are
of their own class trims those tails, much as SMOTE keeps its rows between
two rows of the class.
"""

import numpy as np
from joblib import parallel_config
from sklearn.neighbors import NearestNeighbors

from .metrics._distance import _row_space
from .metrics._tables import pair_tables


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
    real_rows, candidate_rows = _row_space(pair_tables(real, candidates, **kwargs))
    typicality = np.zeros(len(candidate_labels))
    for label in np.unique(candidate_labels):
        mine = np.asarray(candidate_labels == label)
        own = np.asarray(real_labels == label)
        if own.all():  # no other class to be near: all equally typical
            continue
        d_own = _nearest_distance(real_rows[own], candidate_rows[mine])
        d_other = _nearest_distance(real_rows[~own], candidate_rows[mine])
        total = d_own + d_other
        typicality[mine] = np.divide(d_own, total, out=np.zeros_like(total),
                                     where=total > 0)  # fmt: skip
    return typicality


def _nearest_distance(reference, queries):
    neighbours = NearestNeighbors(n_neighbors=1).fit(reference)
    # Under a caller's joblib backend such as dask, each query batch would
    # otherwise be sent out as a task of its own.
    with parallel_config(backend="sequential"):
        return neighbours.kneighbors(queries)[0][:, 0]


def most_typical(typicality, labels, wanted):
    """Indices of the ``wanted[label]`` most typical rows of each label, in order."""
    keep = []
    for label, n in wanted.items():
        rows = np.flatnonzero(labels == label)
        keep.append(rows[np.argsort(typicality[rows], kind="stable")[:n]])
    return np.sort(np.concatenate(keep))
