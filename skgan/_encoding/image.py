"""Image input for GANSampler: recognise images, flatten them, scale the pixels.

Images reach the networks as flat rows, ``images.reshape(n, -1)`` of a
channels-first array, with pixels scaled to ``[-1, 1]`` (the range of the
generators' ``tanh``). :class:`ImageScaler` plays for images the part that
:class:`~skgan.TabularEncoder` plays for tables: it scales, and
``inverse_transform`` gives generated images back in the shape, dtype and
pixel range of the training images.
"""

import numbers

import numpy as np
from scipy import sparse


def _check_positive_int(value, name, hint):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be a positive integer, got {value!r}. {hint}")
    return int(value)


def check_image_shape(image_shape):
    """``image_shape`` as a tuple of three Python ints, or a ValueError."""
    hint = (
        "Pass image_shape=(channels, height, width), e.g. (1, 28, 28) for grey "
        "or (3, 32, 32) for colour images."
    )
    try:
        shape = tuple(image_shape)
    except TypeError:
        raise ValueError(
            f"image_shape must be a tuple, got {image_shape!r}. {hint}"
        ) from None
    if len(shape) != 3:
        raise ValueError(f"image_shape must have 3 entries, got {shape!r}. {hint}")
    return tuple(
        _check_positive_int(side, "Each entry of image_shape", hint) for side in shape
    )


def image_layout(X, image_shape):
    """The ``(C, H, W)`` of images in ``X``, or None for a table.

    Arrays of 3 dimensions ``(n, H, W)`` and 4 dimensions ``(n, C, H, W)``
    are images; so is a 2-D ``X`` whose ``image_shape`` is given, as
    ``(H, W)`` or ``(C, H, W)``.
    """
    ndim = getattr(X, "ndim", None)
    if ndim is None and not sparse.issparse(X) and not hasattr(X, "iloc"):
        ndim = np.ndim(X)
    if ndim in (3, 4):
        shape = tuple(np.shape(X)[1:])
        layout = (1, *shape) if ndim == 3 else shape
        if image_shape is not None and _as_layout(image_shape) != layout:
            raise ValueError(
                f"image_shape={tuple(image_shape)!r} does not match images of "
                f"shape {shape!r}; leave image_shape=None for arrays of images."
            )
        return layout
    if ndim is not None and ndim > 4:
        raise ValueError(
            f"Expected a table or images of shape (n, H, W) or (n, C, H, W), got "
            f"an array of {ndim} dimensions."
        )
    if image_shape is None:
        return None
    if hasattr(X, "iloc") or sparse.issparse(X):
        raise ValueError(
            "image_shape needs images in a dense array; pass X.to_numpy() (or "
            "X.toarray()) instead."
        )
    layout = _as_layout(image_shape)
    n_features = np.shape(X)[1] if ndim == 2 else None
    if n_features != int(np.prod(layout)):
        raise ValueError(
            f"image_shape={tuple(image_shape)!r} holds {int(np.prod(layout))} "
            f"pixels, but X has shape {np.shape(X)!r}. Pass flat images of "
            "shape (n, C*H*W) in channels-first order."
        )
    return layout


def _as_layout(image_shape):
    shape = tuple(image_shape)
    return check_image_shape((1, *shape) if len(shape) == 2 else shape)


def as_rows(data):
    """Images as rows of pixels (a view); a table or flat rows as they are."""
    return np.reshape(data, (len(data), -1)) if np.ndim(data) > 2 else data


def flatten_images(X):
    """``X`` as a 2-D float-capable array of flat images (a view when possible)."""
    X = np.asarray(X)
    if X.dtype.kind not in "biuf":
        raise ValueError(
            f"Images must hold numbers (bool, int or float pixels), got dtype "
            f"{X.dtype}."
        )
    flat = X.reshape(len(X), -1)
    if not np.isfinite(flat).all():
        raise ValueError(
            "Images contain NaN or infinite pixels; a GAN cannot learn missing "
            "pixels. Fill or drop those images first."
        )
    return flat


class ImageScaler:
    """Scale pixels to ``[-1, 1]`` and back, restoring the images' shape and dtype.

    The pixel range is the range over all training images (0 to 16 for
    :func:`~sklearn.datasets.load_digits`, 0 to 255 for 8-bit images), so
    that relative brightness between images is kept. Generated pixels are
    clipped to that range, rounded for integer dtypes, and reshaped to the
    shape each training image had: ``(H, W)``, ``(C, H, W)``, or flat.

    Parameters
    ----------
    sample_shape : tuple of int
        Shape of one training image as given, e.g. ``(8, 8)`` or ``(64,)``.

    Attributes
    ----------
    low_, high_ : float
        Smallest and largest training pixel.
    dtype_ : numpy.dtype
        The training images' dtype.
    output_spans_ : list of (str, int)
        One ``("tanh", n_pixels)`` span, the generators' output layout.
    column_kinds_ : list of str
        ``"numeric"`` for each pixel, ``"categorical"`` for boolean images.

    Examples
    --------
    >>> import numpy as np
    >>> images = np.arange(8, dtype=np.uint8).reshape(2, 2, 2) * 30
    >>> scaler = ImageScaler(sample_shape=(2, 2)).fit(images.reshape(2, -1))
    >>> scaler.transform(images.reshape(2, -1))[0]
    array([-1.        , -0.71428571, -0.42857143, -0.14285714])
    >>> scaler.inverse_transform(scaler.transform(images.reshape(2, -1)))[1]
    array([[120, 150],
           [180, 210]], dtype=uint8)
    """

    STATE_VERSION = 1

    def __init__(self, sample_shape):
        self.sample_shape = tuple(sample_shape)

    def fit(self, flat, y=None):
        self.dtype_ = flat.dtype
        self.low_, self.high_ = float(flat.min()), float(flat.max())
        self.output_spans_ = [("tanh", flat.shape[1])]
        return self

    def state(self):
        """What a model file keeps: the shape, dtype and range of the pixels."""
        return {
            "sample_shape": [int(side) for side in self.sample_shape],
            "dtype_": self.dtype_,
            "low_": self.low_,
            "high_": self.high_,
        }

    @classmethod
    def from_state(cls, state, version):
        scaler = cls(state["sample_shape"])
        scaler.dtype_ = np.dtype(state["dtype_"])
        scaler.low_, scaler.high_ = float(state["low_"]), float(state["high_"])
        scaler.output_spans_ = [("tanh", int(np.prod(scaler.sample_shape)))]
        return scaler

    @property
    def n_features_out_(self):
        return self.output_spans_[0][1]

    @property
    def column_kinds_(self):
        """What each pixel is as a column: a number (a category if boolean)."""
        return ["categorical" if self.dtype_.kind == "b" else "numeric"] * (
            self.n_features_out_
        )

    def transform(self, flat):
        width = (self.high_ - self.low_) or 1.0  # a constant image maps to -1
        return 2.0 * (np.asarray(flat, dtype=np.float64) - self.low_) / width - 1.0

    def inverse_transform(self, block):
        width = self.high_ - self.low_
        pixels = np.clip((np.asarray(block) + 1.0) / 2.0 * width + self.low_,
                         self.low_, self.high_)  # fmt: skip
        if self.dtype_.kind in "biu":
            pixels = np.round(pixels)
        if self.dtype_.kind == "b":
            pixels = pixels > 0.5
        return pixels.astype(self.dtype_, copy=False).reshape(
            len(pixels), *self.sample_shape
        )
