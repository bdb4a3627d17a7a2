"""skgan: generative adversarial networks as scikit-learn estimators.

``GANSampler`` learns the distribution of a table with a (class-conditional)
GAN trained by skorch, samples new rows, and oversamples rare classes inside
imbalanced-learn pipelines. ``TabularEncoder`` is its reversible encoding of
mixed-type tables. ``skgan.metrics`` measures how realistic synthetic data
is, and ``FidelityEarlyStopping`` stops training when samples stop improving.
``skgan.datasets`` holds small tables to try them on.
"""

import importlib

from ._compat import allow_skorch_without_docstrings
from ._version import __version__  # noqa: F401 (listed in __all__ below)

allow_skorch_without_docstrings()

# Each public name and the module that defines it. They are imported on first
# use (PEP 562), so that `import skgan` and `skgan --version` do not wait
# seconds for torch, pandas and scikit-learn.
_MODULES = {
    "AdversarialLoss": "._nn.losses",
    "ClassBalancedBatches": "._training.batches",
    "ConvDiscriminator": "._nn.image",
    "ConvGenerator": "._nn.image",
    "Discriminator": "._nn.table",
    "EpochProgressBar": "._training.callbacks",
    "FidelityEarlyStopping": "._training.callbacks",
    "GANNet": "._training.net",
    "GANSampler": "._sampler",
    "Generator": "._nn.table",
    "ImageScaler": "._encoding.image",
    "ModelFileError": "._io.model_file",
    "TabularEncoder": "._encoding.tabular",
    "datasets": ".datasets",
    "load": "._io.loading",
    "metrics": ".metrics",
    "plotting": ".plotting",
}
# Public names that their module defines under another name.
_ALIASES = {"load": "load_sampler"}
# Public names that are modules themselves.
_SUBMODULES = {"datasets", "metrics", "plotting"}

__all__ = sorted([*_MODULES, "__version__"])


def __getattr__(name):
    if name not in _MODULES:
        raise AttributeError(f"module 'skgan' has no attribute {name!r}")
    module = importlib.import_module(_MODULES[name], __name__)
    value = module if name in _SUBMODULES else getattr(module, _ALIASES.get(name, name))
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__():
    return __all__
