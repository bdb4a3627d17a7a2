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

# "auto" settings for images; the measurements behind each are in
# docs/benchmarks.md ("Why the auto settings are what they are").
IMAGE_AUTO = {
    "loss": "hinge",  # as good as WGAN-GP at a third of a step's cost
    "pac": 1,
    "batch_size": 128,
    "passes": 125,  # epochs="auto": passes over the data,
    "passes_labelled": 125,  # with or without labels
    "min_rows": 500_000,  # epochs="auto" draws at least this many images
    "classifier_weight": 0.0,  # raised class accuracy, but worsened Frechet
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

    def make_encoder(self, data, config, random_state):
        """An unfitted ImageScaler for images shaped as in ``data``."""
        return ImageScaler(sample_shape=np.shape(data)[1:])

    def networks(self, config, encoder):
        """The convolutional networks, or the MLPs for images as rows of pixels."""
        if config.plan.network == "mlp":
            return mlp_networks(config, encoder)
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
