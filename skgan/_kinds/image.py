"""Images as a kind of data: their checks, scaling, "auto" settings, networks.

See :mod:`skgan._kinds.table` for what a data kind owns. Images are arrays
of shape ``(n, H, W)`` or ``(n, C, H, W)``, or flat rows of ``C * H * W``
pixels with ``image_shape`` given; they reach the networks as flat rows of
pixels scaled to ``[-1, 1]`` (:class:`ImageScaler`).
"""

import numpy as np

from .._encoding.image import ImageScaler, as_rows, flatten_images, image_layout
from .._nn.image import ConvDiscriminator, ConvGenerator
from .table import mlp_networks

# "auto" settings for images. On load_digits the tables' settings (WGAN-GP,
# packs of 10, batches of 500, 500 steps) drew digits a classifier
# recognised 25% of the time; hinge loss without packing in batches of 128
# reached 96% after 1320 steps and a Frechet distance ratio of 3.2, 2.2
# after 3300 (examples/plot_digits.py, docs/images.md). The gradient
# penalty's double backward made a convolutional step three times costlier,
# for no better digits. The auxiliary classifier raised class accuracy from
# 0.972 to 0.990 but worsened the Frechet distance ratio from 1.74 to 2.05.
IMAGE_AUTO = {
    "loss": "hinge",
    "pac": 1,
    "batch_size": 128,
    "passes": 125,  # epochs="auto": passes over the data,
    "passes_labelled": 125,  # with or without labels
    "min_rows": 500_000,  # epochs="auto" draws at least this many images
    "classifier_weight": 0.0,
    "n_modes": 10,  # unused: images are not mode-encoded
    "generator_lr": 2e-4,
    "discriminator_lr": 2e-4,
    "network": "conv",
}


class ImageKind:
    """Images of one shape ``(C, H, W)``.

    Parameters
    ----------
    image_shape : tuple of int
        ``(C, H, W)`` of the images.

    Attributes
    ----------
    name : str
        ``"image"``, as saved in model files.
    auto : dict
        What ``"auto"`` means for each setting of :class:`GANSampler`.
    """

    name = "image"
    STATE_VERSION = 1  # of state(), in model files
    auto = IMAGE_AUTO

    def __init__(self, image_shape):
        self.image_shape = tuple(int(side) for side in image_shape)

    @classmethod
    def recognise(cls, X, image_shape):
        """An ImageKind if ``X`` holds images (see ``image_layout``), else None."""
        layout = image_layout(X, image_shape)
        return None if layout is None else cls(layout)

    def check(self, X):
        """Validate images or flat rows of them; return them in their own shape."""
        if np.ndim(X) > 2:
            layout = image_layout(X, None)
            if layout != self.image_shape:
                raise ValueError(
                    f"Images of shape {layout} were given, but the model was "
                    f"fitted on images of shape {self.image_shape}."
                )
        flatten_images(X)  # numbers, all finite
        return np.asarray(X)

    def rows(self, data):
        """Images as rows of pixels (a view)."""
        return as_rows(data)

    def make_encoder(self, data, sampler, n_modes, random_state):
        """An unfitted ImageScaler for images shaped as in ``data``."""
        return ImageScaler(sample_shape=np.shape(data)[1:])

    def networks(self, network, sampler, encoder):
        """The convolutional networks, or the MLPs for images as rows of pixels."""
        if network == "mlp":
            return mlp_networks(sampler, encoder)
        return (
            ConvGenerator,
            ConvDiscriminator,
            {"image_shape": self.image_shape},
            {"image_shape": self.image_shape},
        )

    def state(self):
        """What a model file keeps of this kind: the image shape."""
        return {"image_shape": list(self.image_shape)}

    @classmethod
    def from_state(cls, state, version):
        return cls(state["image_shape"])
