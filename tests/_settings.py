"""GANSampler settings shared by the test modules, defined once.

Test modules import these as ``from _settings import TINY``: ``tests`` has
no ``__init__.py`` and pytest runs in its default ``prepend`` import mode
(``pyproject.toml`` sets no ``--import-mode``), so pytest puts ``tests/`` on
``sys.path`` before it imports ``conftest.py`` and the test modules, in the
main process and in every pytest-xdist worker alike. Constants live here and
not in ``conftest.py`` because pytest imports a conftest for its fixtures and
hooks, not as a module for tests to import from.

The dicts are read-only views, so that no test can change what another test
trains with; build a variant with ``{**TINY, "epochs": 1}`` or
``tiny_gan(epochs=1)``.

Settings that a test module chose on purpose (the quality tests' larger
networks and longer training, the convolutional networks of the image tests)
stay in that module, under a name that says what they are for.
"""

from types import MappingProxyType

from skgan import GANSampler

# The smallest networks that train a tabular GAN: a fit takes a fraction of a
# second, and nothing here says whether the samples are any good.
TINY = MappingProxyType(
    {
        "epochs": 2,
        "latent_dim": 8,
        "generator_layers": (16,),
        "discriminator_layers": (16,),
        "batch_size": 50,
        "pac": 5,
        "n_modes": 2,  # numeric_encoding="modes" only
        "random_state": 0,
    }
)

# Small networks with fast learning rates and whole-table batches (75 or 150
# rows of iris): 300 epochs on iris take a few seconds and score about 0.9.
# For tests that need a model to learn something, but not to learn it well.
SMALL = MappingProxyType(
    {
        "latent_dim": 16,
        "generator_layers": (32, 32),
        "discriminator_layers": (32, 32),
        "generator_lr": 2e-3,
        "discriminator_lr": 2e-3,
        "pac": 5,
        "batch_size": 150,
        "n_modes": 2,  # numeric_encoding="modes" only
        "random_state": 0,
    }
)


def tiny_gan(**params):
    """A ``GANSampler`` with the ``TINY`` settings, changed by ``params``."""
    return GANSampler(**{**TINY, **params})


def small_gan(**params):
    """A ``GANSampler`` with the ``SMALL`` settings, changed by ``params``."""
    return GANSampler(**{**SMALL, **params})


def cli_args(settings):
    """``settings`` as ``skgan fit`` or ``skgan resample`` options."""
    args = []
    for name, value in settings.items():
        if name in ("epochs", "random_state"):
            args += [f"--{name.replace('_', '-')}", str(value)]
        else:
            args += ["--param", f"{name}={value!r}"]
    return args
