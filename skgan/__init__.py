"""skgan: generative adversarial networks as scikit-learn estimators.

``GANSampler`` learns the distribution of a table with a (class-conditional)
GAN trained by skorch, samples new rows, and oversamples rare classes inside
imbalanced-learn pipelines. ``TabularEncoder`` is its reversible encoding of
mixed-type tables. ``skgan.metrics`` measures how realistic synthetic data
is, and ``FidelityEarlyStopping`` stops training when samples stop improving.
"""

from . import metrics
from ._callbacks import EpochProgressBar, FidelityEarlyStopping
from ._encoding import TabularEncoder
from ._image_modules import ConvDiscriminator, ConvGenerator
from ._images import ImageScaler
from ._losses import AdversarialLoss
from ._modules import Discriminator, Generator
from ._net import ClassBalancedBatches, GANNet
from ._persistence import ModelFileError
from ._persistence import load_sampler as load
from ._sampler import GANSampler

__version__ = "0.1.0.dev0"

__all__ = [
    "AdversarialLoss",
    "ClassBalancedBatches",
    "ConvDiscriminator",
    "ConvGenerator",
    "Discriminator",
    "EpochProgressBar",
    "FidelityEarlyStopping",
    "GANNet",
    "GANSampler",
    "Generator",
    "ImageScaler",
    "ModelFileError",
    "TabularEncoder",
    "__version__",
    "load",
    "metrics",
]
