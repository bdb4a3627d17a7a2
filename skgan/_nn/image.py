"""Convolutional generator and discriminator networks for images (DCGAN-style).

They share the interface of :class:`~skgan.Generator` and
:class:`~skgan.Discriminator`, so :class:`~skgan.GANNet` trains them unchanged:
images travel as flat rows, ``images.reshape(n, -1)`` of a channels-first array
of shape ``(n, C, H, W)``, scaled to ``[-1, 1]`` (the generator ends in
``tanh``). Both networks work on a pyramid of resolutions chosen from the image
size: the generator starts from a grid of about 4 x 4 and doubles it ``k``
times, the discriminator halves the image ``k`` times back to that grid.
"""

import math

import torch
from torch import nn
from torch.nn.utils.parametrizations import spectral_norm as _spectral_norm

from .._encoding.image import _check_positive_int, check_image_shape
from .table import FastDropout

# The coarsest grid has at least this many cells a side: 4 x 4 as in DCGAN
# (Radford et al., 2016), 7 x 7 for 28 x 28 images.
MIN_GRID_SIDE = 4
# Widths double at each coarser resolution, up to this multiple of
# ``channels`` (DCGAN's widest layer is 8 times its narrowest).
MAX_WIDTH_FACTOR = 8


def _n_resolutions(height, width):
    """Number of times ``k`` the smaller side can be halved and keep 4 cells."""
    k, side = 0, min(height, width)
    while side >= MIN_GRID_SIDE * 2 ** (k + 1):
        k += 1
    return k


def _widths(channels, k):
    """Channels at each resolution, finest first: ``channels * 2**j``, capped."""
    channels = _check_positive_int(
        channels, "channels", "Pass the width of the finest layer, e.g. 32 or 64."
    )
    return [channels * min(2**j, MAX_WIDTH_FACTOR) for j in range(k + 1)]


def _check_condition(condition, n_classes, n_rows):
    if n_classes and condition is None:
        raise ValueError(
            f"This network is conditioned on {n_classes} classes: pass a one-hot "
            "condition of shape (n_rows, n_classes)."
        )
    if condition is None:
        return
    if not n_classes:
        raise ValueError(
            "This network was built with n_classes=0 (unconditional): pass "
            "condition=None, or build it with n_classes > 0."
        )
    if tuple(condition.shape) != (n_rows, n_classes):
        raise ValueError(
            f"condition must have shape (n_rows, n_classes) = ({n_rows}, "
            f"{n_classes}), got {tuple(condition.shape)}."
        )


class ConvGenerator(nn.Module):
    """DCGAN generator: noise and an optional one-hot label to a flat image.

    ``z`` (with the label) is projected to a small grid, doubled ``k`` times by
    transposed convolutions with batch norm and ReLU, halving the channels each
    time, then mapped to ``C`` channels by a 3 x 3 convolution and ``tanh``.
    The start grid is ``ceil(H / 2**k) x ceil(W / 2**k)``, with ``k`` the most
    halvings that leave 4 cells on the smaller side (8 x 8 images start from
    4 x 4, 28 x 28 from 7 x 7, 32 x 32 from 4 x 4); the last grid is cropped
    to ``H x W`` when it overshoots.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector ``z``.
    n_classes : int
        Size of the one-hot class condition; 0 for an unconditional generator.
    image_shape : tuple of int
        ``(C, H, W)``: channels (1 for grey, 3 for colour), height and width.
    channels : int, default=32
        Channels of the finest (full-size) layer; each coarser layer has twice
        as many, up to 8 times. With the default, a WGAN-GP step on 128
        digits of 8 x 8 takes about 35 ms on one CPU thread; raise it on a GPU
        or for larger images.
    spectral_norm : bool, default=False
        Wrap every convolution and linear layer in spectral normalisation.

    Examples
    --------
    >>> import torch
    >>> from skgan import ConvGenerator
    >>> generator = ConvGenerator(
    ...     latent_dim=16, n_classes=10, image_shape=(1, 28, 28), channels=8
    ... )
    >>> z = torch.randn(4, 16, generator=torch.Generator().manual_seed(0))
    >>> condition = torch.eye(10)[[0, 1, 2, 3]]  # one-hot labels 0, 1, 2, 3
    >>> images = generator(z, condition)
    >>> images.shape  # flat: 1 * 28 * 28 values per row
    torch.Size([4, 784])
    >>> bool(images.abs().max() <= 1)
    True
    """

    def __init__(
        self, latent_dim, n_classes, image_shape, channels=32, spectral_norm=False
    ):
        super().__init__()
        self.latent_dim = latent_dim
        self.n_classes = n_classes
        self.image_shape = check_image_shape(image_shape)
        n_colours, height, width = self.image_shape
        k = _n_resolutions(height, width)
        widths = _widths(channels, k)
        wrap = _spectral_norm if spectral_norm else _identity
        self.start_shape = (widths[k], -(-height // 2**k), -(-width // 2**k))

        # The one-hot label is concatenated to z, so the columns of the
        # projection that read it are the label embedding: a separate
        # bias-free nn.Linear before concatenating would compose into the same
        # linear map. Concatenating keeps every noise dimension alive for every
        # class, which multiplying z by an embedding does not.
        self.project = wrap(
            nn.Linear(latent_dim + n_classes, math.prod(self.start_shape), bias=False)
        )  # (n, latent_dim + n_classes) -> (n, widths[k] * h0 * w0)
        self.project_norm = nn.Sequential(nn.BatchNorm2d(widths[k]), nn.ReLU())
        blocks = []
        for j in range(k, 0, -1):
            # The bias is dropped because batch norm removes it anyway.
            blocks += [
                wrap(nn.ConvTranspose2d(widths[j], widths[j - 1], 4, 2, 1, bias=False)),
                nn.BatchNorm2d(widths[j - 1]),
                nn.ReLU(),
            ]  # (n, widths[j], h, w) -> (n, widths[j - 1], 2h, 2w)
        self.upsample = nn.Sequential(*blocks)
        self.to_image = nn.Sequential(
            wrap(nn.Conv2d(widths[0], n_colours, 3, padding=1)), nn.Tanh()
        )  # (n, widths[0], H, W) -> (n, C, H, W) in [-1, 1]

    def forward(self, z, condition=None):
        # z: (n, latent_dim), condition: (n, n_classes) or None
        _check_condition(condition, self.n_classes, z.shape[0])
        if condition is not None:
            z = torch.cat([z, condition], dim=1)  # (n, latent_dim + n_classes)
        grid = self.project(z).reshape(-1, *self.start_shape)  # (n, widths[k], h0, w0)
        grid = self.upsample(self.project_norm(grid))  # (n, widths[0], h0*2^k, w0*2^k)
        # Crop the centre when ceil(H / 2**k) * 2**k overshoots H (or W).
        _, height, width = self.image_shape
        top = (grid.shape[2] - height) // 2
        left = (grid.shape[3] - width) // 2
        grid = grid[:, :, top : top + height, left : left + width]
        return self.to_image(grid).flatten(1)  # (n, C * H * W)


class ConvDiscriminator(nn.Module):
    """DCGAN discriminator with a projection for the label and PacGAN packing.

    Each flat row is reshaped to ``(C, H, W)`` and halved ``k`` times (``k``
    as in :class:`ConvGenerator`) by 4 x 4 convolutions of stride 2, each
    followed by LeakyReLU(0.2) and doubling the channels. There is no batch
    norm: the gradient penalty of WGAN-GP needs each sample's score to depend
    on that sample alone. The last grid, flattened, is the feature vector ``h``
    of the row.

    The ``pac`` feature vectors of each group of consecutive rows are
    concatenated and scored by one linear layer (PacGAN, Lin et al., 2018), so
    the discriminator sees several images at once and mode collapse becomes
    visible to it. A conditional discriminator adds ``<embed(y), h>`` of each
    row of the group to the score (projection discriminator, Miyato & Koyama,
    2018): it asks whether ``h`` fits the class, rather than leaving the label
    as one more input to learn to use.

    Parameters
    ----------
    n_features : int
        Width of a flat row; must equal ``C * H * W``.
    n_classes : int
        Size of the one-hot class condition; 0 for an unconditional model.
    image_shape : tuple of int
        ``(C, H, W)``: channels (1 for grey, 3 for colour), height and width.
    channels : int, default=32
        Channels of the first convolution, which halves the image; each
        coarser layer has twice as many, up to 8 times.
    spectral_norm : bool, default=False
        Wrap every convolution and linear layer (the label embedding included)
        in spectral normalisation (Miyato et al., 2018).
    pac : int, default=1
        Number of rows scored together; batches must be a multiple of it.
    dropout : float, default=0.0
        Dropout after each LeakyReLU.

    Examples
    --------
    >>> import torch
    >>> from skgan import ConvDiscriminator
    >>> discriminator = ConvDiscriminator(
    ...     n_features=64, n_classes=2, image_shape=(1, 8, 8), channels=8, pac=2
    ... )
    >>> rows = torch.rand(6, 64, generator=torch.Generator().manual_seed(0))
    >>> condition = torch.eye(2)[[0, 0, 1, 1, 0, 0]]  # one class per pack
    >>> discriminator(rows, condition).shape  # one score per pack of 2 rows
    torch.Size([3])
    """

    def __init__(
        self,
        n_features,
        n_classes,
        image_shape,
        channels=32,
        spectral_norm=False,
        pac=1,
        dropout=0.0,
    ):
        super().__init__()
        self.image_shape = check_image_shape(image_shape)
        if n_features != math.prod(self.image_shape):
            raise ValueError(
                f"n_features={n_features} does not match image_shape="
                f"{self.image_shape}, which holds {math.prod(self.image_shape)} "
                "values per image. Pass n_features = C * H * W, the width of "
                "images.reshape(n_images, -1)."
            )
        self.n_features = n_features
        self.n_classes = n_classes
        self.pac = _check_positive_int(
            pac, "pac", "Pass the number of rows to score together, e.g. 1 or 4."
        )
        n_colours, height, width = self.image_shape
        k = _n_resolutions(height, width)
        widths = _widths(channels, k)
        wrap = _spectral_norm if spectral_norm else _identity

        # As in DCGAN, 4 x 4 convolutions of stride 2 halve the image; one
        # under 8 pixels a side is not halved but goes through a 3 x 3 one.
        layers, in_width = [], n_colours
        for j, (kernel, stride) in enumerate([(4, 2)] * k or [(3, 1)]):
            layers += [
                wrap(nn.Conv2d(in_width, widths[j], kernel, stride, padding=1)),
                nn.LeakyReLU(0.2),
                FastDropout(dropout),
            ]  # (n, in_width, h, w) -> (n, widths[j], h // stride, w // stride)
            in_width = widths[j]
        self.features = nn.Sequential(*layers, nn.Flatten())
        self.n_hidden = in_width * (height // 2**k) * (width // 2**k)  # size of h
        self.score = wrap(nn.Linear(self.pac * self.n_hidden, 1))
        self.embed = None
        if n_classes:
            self.embed = wrap(nn.Linear(n_classes, self.n_hidden, bias=False))

    def forward(self, rows, condition=None):
        # rows: (n, n_features), condition: (n, n_classes) or None
        n_rows = rows.shape[0]
        if rows.ndim != 2 or rows.shape[1] != self.n_features or n_rows % self.pac:
            raise ValueError(
                f"rows must have shape (n_rows, {self.n_features}) with n_rows a "
                f"multiple of pac={self.pac}, got {tuple(rows.shape)}."
            )
        _check_condition(condition, self.n_classes, n_rows)
        h = self.features(rows.reshape(n_rows, *self.image_shape))  # (n, n_hidden)
        packed = h.reshape(n_rows // self.pac, self.pac * self.n_hidden)
        scores = self.score(packed).squeeze(1)  # (n / pac,)
        if self.embed is not None:
            projection = (self.embed(condition) * h).sum(dim=1)  # (n,)
            scores = scores + projection.reshape(-1, self.pac).sum(dim=1)  # (n / pac,)
        return scores


def _identity(module):
    return module
