"""From class labels to decoded rows: the one generation path.

The net generates encoded rows; the encoder turns them back into the
caller's data. ``sample``, ``score``, ``fit_resample`` and early stopping
all generate through :func:`generate_rows`, and map class labels to the
net's class indices through :func:`class_indices`. Labels are checked here
too, once per call of ``fit`` or ``fit_resample``.
"""

from numbers import Integral

import numpy as np
import pandas as pd
import torch


def check_labels(y):
    """Refuse missing labels and labels of mixed types, with advice.

    scikit-learn's target checks trip over both deep inside (a cast warning,
    or a failed sort), so they are caught here first.
    """
    labels = np.asarray(y)
    missing = pd.isna(labels)
    if missing.any():
        raise ValueError(
            f"y has {int(missing.sum())} missing label(s) (NaN or None); every row "
            "needs a class. Drop those rows, or give them a class of their own, "
            "e.g. 'unknown'."
        )
    if labels.dtype == object:
        try:
            np.unique(labels)
        except TypeError:
            kinds = sorted({type(label).__name__ for label in labels.ravel()})
            raise ValueError(
                f"y mixes labels of types {kinds}, which cannot be ordered into "
                "classes. Convert them to one type first, e.g. y.astype(str)."
            ) from None


def fit_classes(y):
    """The classes of ``y``, their shares, and the class index of each label."""
    classes, indices, counts = np.unique(y, return_inverse=True, return_counts=True)
    return classes, counts / counts.sum(), indices


def check_request(n_samples, return_y, classes):
    """Refuse a number of rows that is not a whole number, and ``return_y``
    from a model without classes."""
    if not isinstance(n_samples, Integral) or isinstance(n_samples, bool) or (
        n_samples < 0
    ):  # fmt: skip
        raise ValueError(f"n_samples must be a positive int or 0, got {n_samples!r}.")
    if return_y and classes is None:
        raise ValueError(
            "return_y=True needs a model fitted with class labels: call fit(X, y)."
        )


def requested_classes(classes, prior, n_samples, y, random_state):
    """Class index of each row to generate; None for an unconditional model.

    ``y``: one label for every row, a label per row, or None to draw the
    classes from their training shares ``prior``.
    """
    if classes is None:
        if y is not None:
            raise ValueError(
                "This GANSampler was fitted without class labels, so it cannot "
                "generate a given class. Fit it with fit(X, y) to sample by class."
            )
        return None
    if y is None:
        return random_state.choice(len(classes), size=n_samples, p=prior)
    requested = np.asarray(y, dtype=object if np.ndim(y) == 0 else None)
    if requested.ndim == 0:
        requested = np.full(n_samples, y, dtype=object)
    if len(requested) != n_samples:
        raise ValueError(
            f"y has {len(requested)} labels but n_samples={n_samples}; give one "
            "label, or one label per row."
        )
    return class_indices(classes, requested)


def class_indices(classes, labels):
    """The index in ``classes`` of each label of ``labels``, as int64.

    Raises a ValueError naming the labels that are not among ``classes``.
    """
    lookup = {label: i for i, label in enumerate(classes.tolist())}
    labels = labels.tolist() if isinstance(labels, np.ndarray) else list(labels)
    unknown = [label for label in pd.unique(np.asarray(labels, dtype=object))
               if label not in lookup]  # fmt: skip
    if unknown:
        raise ValueError(
            f"Label(s) {unknown!r} were not seen in fit; choose among the "
            f"classes {classes.tolist()!r}."
        )
    return np.array([lookup[label] for label in labels], dtype=np.int64)


def generate_rows(net, encoder, label_indices, n_samples, count=None):
    """Generate ``n_samples`` rows with ``net`` and decode them with ``encoder``.

    Parameters
    ----------
    net : GANNet
        A fitted net; the caller sets up the random session and device.
    encoder : TabularEncoder or ImageScaler
        Its fitted encoding.
    label_indices : ndarray of int or None
        Class index of each row, for a conditional net.
    n_samples : int
        Number of rows (``len(label_indices)`` for a conditional net).
    count : callable or None
        Called with the number of rows of each chunk once it is decoded.

    Returns
    -------
    rows : DataFrame or ndarray
        In the container, columns and dtypes of the training data; no rows
        for ``n_samples=0``.
    """
    labels = None if label_indices is None else torch.as_tensor(label_indices)
    decoded = []
    for encoded in net.generate(labels=labels, n_samples=n_samples):
        decoded.append(encoder.inverse_transform(encoded))
        if count is not None:
            count(len(encoded))
    if not decoded:  # no rows, in the training data's container and dtypes
        empty = np.zeros((0, encoder.n_features_out_), dtype=np.float32)
        return encoder.inverse_transform(empty)
    if isinstance(decoded[0], pd.DataFrame):
        return pd.concat(decoded, ignore_index=True)
    return np.concatenate(decoded)


def sample_labelled(net, n_samples, labels, *, encoder, classes):
    """Rows of the requested ``labels`` (None: unconditional), decoded.

    The sampling function :class:`FidelityEarlyStopping` receives from
    ``GANSampler``, bound to its encoder and classes with ``functools.partial``.
    """
    indices = None if labels is None else class_indices(classes, labels)
    return generate_rows(net, encoder, indices, n_samples)
