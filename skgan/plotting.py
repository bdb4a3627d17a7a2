"""Figures to judge a GAN by eye: generated images, training curves, marginals.

matplotlib is an optional dependency, imported when a function is called:
install it with ``pip install skgan[plot]``. Every function draws with
:mod:`matplotlib.pyplot`, so ``plt.show()`` displays the figure and
``fig.savefig(...)`` saves it.
"""

from math import ceil, isqrt, prod

import numpy as np
import pandas as pd
from sklearn.exceptions import NotFittedError

from ._encoding.columns import categorical_mask, to_frame

# Categories drawn per column by plot_marginals; the rest are one "other" bar.
_MAX_CATEGORIES = 10
# Inches per image of plot_images' grid.
_INCHES_PER_IMAGE = 0.5


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "skgan.plotting needs matplotlib; install it with: pip install skgan[plot]"
        ) from error
    return plt


def _image_stack(images, image_shape):
    """Images as (n, H, W) grey or (n, H, W, 3) colour values, and which."""
    array = np.asarray(images, dtype=np.float64)
    if array.ndim < 2 or len(array) == 0:
        raise ValueError(
            f"images has shape {array.shape}; give a non-empty array of shape "
            "(n_images, H, W), (n_images, C, H, W) or (n_images, n_pixels)."
        )
    if image_shape is not None:
        shape = tuple(int(size) for size in image_shape)
        per_image = prod(array.shape[1:])
        if len(shape) not in (2, 3) or prod(shape) != per_image:
            raise ValueError(
                f"image_shape={tuple(image_shape)!r} does not fit images of "
                f"{per_image} values each; give the shape of one image as (H, W) "
                "or (C, H, W)."
            )
        array = array.reshape(len(array), *shape)
    elif array.ndim == 2:
        side = isqrt(array.shape[1])
        if side * side != array.shape[1]:
            raise ValueError(
                f"Flat images of {array.shape[1]} values are not square; pass "
                "image_shape=(H, W) or (C, H, W)."
            )
        array = array.reshape(len(array), side, side)
    if array.ndim == 4 and array.shape[1] == 1:
        array = array[:, 0]
    if array.ndim == 4 and array.shape[1] == 3:
        array = array.transpose(0, 2, 3, 1)  # matplotlib wants channels last
    elif array.ndim != 3:
        hint = (
            " They look channels-last: transpose them to (n_images, C, H, W)."
            if array.ndim == 4 and array.shape[-1] in (1, 3)
            else ""
        )
        raise ValueError(
            f"Images of shape {array.shape[1:]} are neither grey (H, W) or "
            f"(1, H, W) nor colour (3, H, W).{hint}"
        )
    if not np.isfinite(array).all():
        raise ValueError("images hold NaN or infinite values; they cannot be drawn.")
    colour = array.ndim == 4
    if colour and (array.min() < 0 or array.max() > 1):
        # One scale for all images, so that their brightness stays comparable.
        low, span = array.min(), np.ptp(array)
        array = (array - low) / (span or 1.0)
    return array, colour


def _tile(stack, grid, n_columns, colour):
    """One canvas holding ``stack[grid[row][column]]`` with 1-pixel gaps.

    Gaps are NaN (grey) or transparent (colour), drawn in the background.
    """
    height, width = stack.shape[1:3]
    shape = (len(grid) * (height + 1) - 1, n_columns * (width + 1) - 1)
    canvas = np.zeros((*shape, 4)) if colour else np.full(shape, np.nan)
    for row, indices in enumerate(grid):
        for column, index in enumerate(indices):
            top, left = row * (height + 1), column * (width + 1)
            cell = canvas[top : top + height, left : left + width]
            if colour:
                cell[..., :3], cell[..., 3] = stack[index], 1.0
            else:
                cell[...] = stack[index]
    return canvas


def plot_images(
    images,
    labels=None,
    *,
    image_shape=None,
    n_per_class=10,
    max_images=100,
    ax=None,
    cmap="gray_r",
    title=None,
):
    """Draw images in a grid: one row per class, or a near-square grid.

    The images are tiled into one picture, drawn with a single ``imshow``:
    fast even for hundreds of images, and easy to place in a figure of one's
    own with ``ax``.

    Parameters
    ----------
    images : array-like of shape (n_images, H, W), (n_images, C, H, W) or \
(n_images, n_pixels)
        Grey (``C=1``) or colour (``C=3``, channels first) images. Flat images
        need ``image_shape`` unless they are square and grey.
    labels : array-like of shape (n_images,), default=None
        Class of each image. When given, each class (in sorted order) gets a
        row of its first ``n_per_class`` images, labelled on the left.
    image_shape : tuple of int, default=None
        Shape of one image, ``(H, W)`` or ``(C, H, W)``, to reshape the images
        to; e.g. ``(1, 28, 28)`` for flat MNIST rows.
    n_per_class : int, default=10
        Images per class row when ``labels`` is given.
    max_images : int, default=100
        Images drawn (the first ones) when ``labels`` is not given.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure is made when None.
    cmap : str or Colormap, default="gray_r"
        Colour map of grey images, on one value range shared by all images
        (``"gray_r"`` draws high values dark, as ink). Colour images are drawn
        as they are when their values lie in [0, 1], otherwise rescaled from
        their overall minimum and maximum to [0, 1].
    title : str, default=None
        Title of the grid.

    Returns
    -------
    fig : matplotlib Figure
        The figure drawn in.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_digits
    >>> from skgan.plotting import plot_images
    >>> images, labels = load_digits(return_X_y=True)
    >>> fig = plot_images(images, labels, n_per_class=8, title="Digits")
    >>> [label.get_text() for label in fig.axes[0].get_yticklabels()][:3]
    ['0', '1', '2']
    """
    plt = _pyplot()
    stack, colour = _image_stack(images, image_shape)
    if labels is None:
        n_images = min(len(stack), max_images)
        n_columns = ceil(np.sqrt(n_images))
        grid = [
            range(start, min(start + n_columns, n_images))
            for start in range(0, n_images, n_columns)
        ]
        classes = None
    else:
        labels = np.asarray(labels)
        if labels.shape != (len(stack),):
            raise ValueError(
                f"labels has shape {labels.shape} but there are {len(stack)} "
                "images; give one label per image."
            )
        classes = np.unique(labels)
        grid = [np.flatnonzero(labels == label)[:n_per_class] for label in classes]
        n_columns = max(len(indices) for indices in grid)
    canvas = _tile(stack, grid, n_columns, colour)

    if ax is None:
        _, ax = plt.subplots(
            figsize=(
                max(2.0, _INCHES_PER_IMAGE * n_columns),
                max(2.0, _INCHES_PER_IMAGE * len(grid)),
            )
        )
    if colour:
        ax.imshow(canvas, interpolation="nearest")
    else:
        shown = np.ma.masked_invalid(canvas)
        ax.imshow(
            shown,
            cmap=cmap,
            vmin=shown.min(),
            vmax=shown.max(),
            interpolation="nearest",
        )
    ax.set_xticks([])
    height = stack.shape[1]
    if classes is None:
        ax.set_yticks([])
    else:
        centres = np.arange(len(classes)) * (height + 1) + (height - 1) / 2
        ax.set_yticks(centres, labels=[str(label) for label in classes])
        ax.tick_params(axis="y", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title is not None:
        ax.set_title(title)
    return ax.figure


def _history_rows(history):
    """The per-epoch dicts of a fitted estimator, a skorch net or a History."""
    if hasattr(history, "history_"):
        history = history.history_
    elif hasattr(history, "get_params") and not isinstance(history, list):
        # An estimator without history_: not fitted, or not a GAN.
        raise NotFittedError(
            f"This {type(history).__name__} has no history_; fit it before "
            "plotting its training history."
        )
    if not isinstance(history, list) or not all(isinstance(r, dict) for r in history):
        raise TypeError(
            "history must be a fitted GANSampler, a skorch net or a skorch "
            f"History (a list of one dict per epoch); got {type(history).__name__}."
        )
    if not history:
        raise ValueError("The history is empty: no epoch has been run.")
    return list(history)


def _series(rows, epochs, key):
    """Epochs and values of ``key``, for the epochs that recorded it."""
    recorded = [i for i, row in enumerate(rows) if row.get(key) is not None]
    return [epochs[i] for i in recorded], [rows[i][key] for i in recorded]


def plot_history(history, *, keys=("d_loss", "g_loss"), ax=None):
    """Plot training curves: losses per epoch, and fidelity when recorded.

    Parameters
    ----------
    history : GANSampler, skorch net or skorch History
        A fitted :class:`~skgan.GANSampler` (or anything with a ``history_``
        of one dict per epoch), or the History itself.
    keys : sequence of str, default=("d_loss", "g_loss")
        Entries to draw against the epoch, one line each, on one y-axis.
        Keys the history lacks are skipped. ``"fidelity"``, recorded by
        ``early_stopping=True`` or :class:`~skgan.FidelityEarlyStopping` at
        some epochs only, is added with markers on a second y-axis on the
        right when present and not among ``keys``.
    ax : matplotlib Axes, default=None
        Where to draw; a new figure is made when None.

    Returns
    -------
    ax : matplotlib Axes
        The axes of ``keys``; ``ax.figure`` is the figure. The fidelity axes,
        when drawn, is its twin, in ``ax.figure.axes``.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> from sklearn.datasets import load_iris
    >>> from skgan import GANSampler
    >>> from skgan.plotting import plot_history
    >>> X = load_iris().data
    >>> gan = GANSampler(epochs=3, latent_dim=8, generator_layers=(16,),
    ...                  discriminator_layers=(16,), random_state=0).fit(X)
    >>> ax = plot_history(gan)
    >>> [line.get_label() for line in ax.get_lines()]
    ['d_loss', 'g_loss']
    """
    plt = _pyplot()
    rows = _history_rows(history)
    epochs = [row.get("epoch", i + 1) for i, row in enumerate(rows)]
    drawn = {key: _series(rows, epochs, key) for key in keys}
    drawn = {key: series for key, series in drawn.items() if series[0]}
    if not drawn:
        available = sorted({key for row in rows for key in row})
        raise ValueError(
            f"The history records none of keys={tuple(keys)!r}; it records {available}."
        )
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5), layout="constrained")
    for key, (x, y) in drawn.items():
        ax.plot(x, y, label=key)
    ax.set_xlabel("epoch")
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_ylabel(", ".join(drawn) if len(drawn) < 3 else "value")
    handles, names = ax.get_legend_handles_labels()
    fidelity = _series(rows, epochs, "fidelity")
    if "fidelity" not in keys and fidelity[0]:
        twin = ax.twinx()
        twin.plot(*fidelity, marker="o", color=f"C{len(drawn)}", label="fidelity")
        twin.set_ylabel("fidelity")
        more_handles, more_names = twin.get_legend_handles_labels()
        handles, names = handles + more_handles, names + more_names
    ax.legend(handles, names)
    return ax


def _paired_frames(real, synthetic):
    """Both tables with the real table's column names, matched by name or place."""
    real_frame, synthetic_frame = to_frame(real), to_frame(synthetic)
    if isinstance(real, pd.DataFrame) and isinstance(synthetic, pd.DataFrame):
        missing = [c for c in real_frame.columns if c not in synthetic_frame.columns]
        if missing:
            raise ValueError(
                f"The synthetic table lacks the column(s) {missing!r} of the real "
                "table; compare tables with the same columns."
            )
        return real_frame, synthetic_frame[list(real_frame.columns)]
    if real_frame.shape[1] != synthetic_frame.shape[1]:
        raise ValueError(
            f"The real table has {real_frame.shape[1]} columns and the synthetic "
            f"table {synthetic_frame.shape[1]}; compare tables with the same columns."
        )
    names = (
        synthetic_frame if isinstance(synthetic, pd.DataFrame) else real_frame
    ).columns
    return (
        real_frame.set_axis(names, axis=1),
        synthetic_frame.set_axis(names, axis=1),
    )


def _draw_numeric(ax, real, synthetic, name, bins):
    observed = {}
    for role, column in (("real", real), ("synthetic", synthetic)):
        try:
            numbers = pd.to_numeric(column).to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError) as error:
            raise ValueError(
                f"Column {name!r} is numeric in the real table but holds other "
                f"values in the {role} one; list it in categorical_features to "
                "draw its values as categories."
            ) from error
        observed[role] = numbers[np.isfinite(numbers)]
    both = np.concatenate(list(observed.values()))
    if both.size == 0:
        ax.text(0.5, 0.5, "no values", ha="center", va="center", transform=ax.transAxes)
        return
    edges = np.histogram_bin_edges(both, bins=bins)
    for (role, values), colour in zip(observed.items(), ("C0", "C1"), strict=True):
        ax.hist(values, bins=edges, density=True, alpha=0.5, color=colour, label=role)
    ax.set_ylabel("density")


def _draw_categorical(ax, real, synthetic):
    real_shares = real.value_counts(normalize=True, dropna=True)
    synthetic_shares = synthetic.value_counts(normalize=True, dropna=True)
    order = real_shares.index if len(real_shares) else synthetic_shares.index
    top = list(order[:_MAX_CATEGORIES])
    names = [str(value) for value in top]
    heights = {
        "real": [real_shares.get(value, 0.0) for value in top],
        "synthetic": [synthetic_shares.get(value, 0.0) for value in top],
    }
    others = set(real_shares.index).union(synthetic_shares.index).difference(top)
    if others:
        names.append("other")
        for role in heights:
            heights[role].append(max(1.0 - sum(heights[role]), 0.0))
    positions = np.arange(len(names))
    for offset, role, colour in ((-0.2, "real", "C0"), (0.2, "synthetic", "C1")):
        ax.bar(positions + offset, heights[role], width=0.4, color=colour, label=role)
    long_names = len(names) > 4 or max(map(len, names), default=0) > 6
    ax.set_xticks(
        positions,
        labels=names,
        rotation=45 if long_names else 0,
        ha="right" if long_names else "center",
    )
    ax.set_ylabel("share")


def plot_marginals(
    real,
    synthetic,
    *,
    columns=None,
    categorical_features="auto",
    max_columns=12,
    bins=30,
):
    """Compare each column's distribution in the real and synthetic tables.

    One subplot per column. Numeric columns get overlaid density histograms
    on bins shared by both tables; categorical ones get side-by-side bars of
    the share of each category among the observed values: the 10 most
    frequent real categories, and "other" for the rest. When a column has
    missing values, their share in each table is given in the subplot title.

    Parameters
    ----------
    real, synthetic : DataFrame or array-like of shape (n_rows, n_columns)
        The tables to compare; they may differ in length. Two DataFrames are
        matched by column name, otherwise columns are matched by position.
    columns : list, default=None
        Columns to draw (names of the real table's columns); None draws the
        first ``max_columns``.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to treat as categories; see
        :class:`~skgan.TabularEncoder`. Columns of non-numeric dtype (object,
        string, category, bool) always are.
    max_columns : int, default=12
        Columns drawn when ``columns`` is None.
    bins : int or str, default=30
        Histogram bins of numeric columns, as in :func:`numpy.histogram_bin_edges`.

    Returns
    -------
    fig : matplotlib Figure
        The figure, with one axes per column, in order.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> import numpy as np
    >>> import pandas as pd
    >>> from skgan.plotting import plot_marginals
    >>> rng = np.random.default_rng(0)
    >>> real = pd.DataFrame({"age": rng.normal(40, 10, 200),
    ...                      "colour": rng.choice(["red", "blue"], 200)})
    >>> synthetic = pd.DataFrame({"age": rng.normal(45, 12, 150),
    ...                           "colour": rng.choice(["red", "blue"], 150)})
    >>> fig = plot_marginals(real, synthetic)
    >>> [ax.get_title() for ax in fig.axes]
    ['age', 'colour']
    """
    plt = _pyplot()
    real_frame, synthetic_frame = _paired_frames(real, synthetic)
    mask = categorical_mask(real_frame, categorical_features)
    is_categorical = dict(zip(real_frame.columns, mask, strict=True))
    if columns is None:
        columns = list(real_frame.columns[:max_columns])
    unknown = [c for c in columns if c not in is_categorical]
    if unknown or not columns:
        raise ValueError(
            f"columns must name columns of the real table; {unknown!r} are not "
            f"among {list(real_frame.columns)}."
            if unknown
            else "columns is empty; name at least one column to draw."
        )

    n_columns = min(3, len(columns))
    n_rows = ceil(len(columns) / n_columns)
    fig, axes = plt.subplots(
        n_rows,
        n_columns,
        figsize=(4 * n_columns, 3 * n_rows),
        squeeze=False,
        layout="constrained",
    )
    for ax, name in zip(axes.flat, columns, strict=False):  # spare axes go
        real_column, synthetic_column = real_frame[name], synthetic_frame[name]
        if is_categorical[name]:
            _draw_categorical(ax, real_column, synthetic_column)
        else:
            _draw_numeric(ax, real_column, synthetic_column, name, bins)
        missing = real_column.isna().mean(), synthetic_column.isna().mean()
        title = str(name)
        if max(missing) > 0:
            title += f"\nmissing: real {missing[0]:.0%}, synthetic {missing[1]:.0%}"
        ax.set_title(title)
    for ax in axes.flat[len(columns) :]:
        ax.remove()
    axes.flat[0].legend()
    return fig
