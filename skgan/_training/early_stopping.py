"""``early_stopping=True``: held-out rows, and training that stops on them."""

import numpy as np
import pandas as pd

from .callbacks import FidelityEarlyStopping


def _validation_split(y, n_rows, fraction, seed):
    """Row indices to train on and to validate on, ``fraction`` of each class.

    A class whose share rounds down to no row keeps all its rows for training,
    so that even a class of a few rows is learnt.
    """
    rng = np.random.default_rng(seed)
    groups = [np.arange(n_rows)]
    if y is not None:
        groups = [np.flatnonzero(y == label) for label in np.unique(y)]
    valid = np.sort(
        np.concatenate(
            [rng.permutation(rows)[: int(fraction * len(rows))] for rows in groups]
        )
    )
    train = np.setdiff1d(np.arange(n_rows), valid)
    if valid.size == 0 or train.size < 2:
        raise ValueError(
            f"early_stopping with validation_fraction={fraction} leaves "
            f"{valid.size} validation and {train.size} training rows out of "
            f"{n_rows}; it needs at least 1 and 2. Change validation_fraction, "
            "or set early_stopping=False for so small a table."
        )
    return train, valid


def hold_out(X, y, fraction, seed):
    """``(X, y)`` to train on and ``(X, y)`` to validate on: ``fraction`` of
    each class (of all rows when ``y`` is None)."""
    train, valid = _validation_split(y, len(X), fraction, seed)

    def take(rows):
        X_part = X.iloc[rows] if isinstance(X, pd.DataFrame) else X[rows]
        return X_part, None if y is None else y[rows]

    return take(train), take(valid)


def train_stopping_early(net, data, labels, validation, sampling, config,
                         categorical, seed):  # fmt: skip
    """Train the initialised ``net``, stopping early on ``validation``.

    A :class:`FidelityEarlyStopping` with the fit's ``config`` scores the
    ``validation`` rows and labels, with samples drawn by ``sampling`` and
    the columns of the boolean mask ``categorical`` scored as categories.
    It joins the net for this training only: the fitted net keeps no real
    rows, and its scores stay in the history. Returns the best score.
    """
    stopper = FidelityEarlyStopping(
        *validation,
        every=config.plan.validation_every,
        patience=config.n_iter_no_change,
        categorical_features=categorical,
        random_state=seed,
    ).set_sampling(sampling)
    entry = ("fidelity_early_stopping", stopper.initialize())
    # Before skorch's PrintLog (always last), so that verbose=1 prints the
    # fidelity column it writes.
    names = [name for name, _ in net.callbacks_]
    at = names.index("print_log") if "print_log" in names else len(names)
    net.callbacks_.insert(at, entry)
    try:
        net.partial_fit(data, labels)
    finally:
        net.callbacks_.remove(entry)
    return stopper.best_score_
