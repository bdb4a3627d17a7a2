"""The parameters of GANSampler: their declared constraints, and the networks'.

``GANSampler`` takes, beyond its signature, the parameters of its networks
as skorch does: ``generator__NAME``, ``discriminator__NAME`` and
``classifier__NAME`` go to that network as ``NAME``. They are parameters
like the others: ``get_params``, ``set_params``, ``clone`` and grid searches
reach them.
"""

from numbers import Integral, Real

import torch
from sklearn.utils._param_validation import Interval, StrOptions

from ._nn.losses import LOSSES

# Constructor keywords with these prefixes go to the networks, as in skorch.
NETWORK_PREFIXES = ("generator__", "discriminator__", "classifier__")

# GANSampler's own parameters, as scikit-learn's validation declares them;
# the sampler adds them to those of imblearn's BaseOverSampler.
PARAMETER_CONSTRAINTS = {
    "loss": [StrOptions({"auto", *LOSSES})],
    "latent_dim": [Interval(Integral, 1, None, closed="left")],
    "generator_layers": [tuple, list],
    "discriminator_layers": [tuple, list],
    "pac": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "epochs": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "batch_size": [
        Interval(Integral, 1, None, closed="left"),
        StrOptions({"auto"}),
    ],
    "generator_lr": [
        Interval(Real, 0, None, closed="neither"),
        StrOptions({"auto"}),
    ],
    "discriminator_lr": [
        Interval(Real, 0, None, closed="neither"),
        StrOptions({"auto"}),
    ],
    "betas": [tuple, list],
    "discriminator_steps": [Interval(Integral, 1, None, closed="left")],
    "gp_weight": [Interval(Real, 0, None, closed="left")],
    "classifier_weight": [
        StrOptions({"auto"}),
        Interval(Real, 0, None, closed="left"),
    ],
    "generator_averaging": [Interval(Real, 0, 1, closed="left")],
    "conditional": ["boolean", StrOptions({"auto"})],
    "categorical_features": [StrOptions({"auto"}), "array-like"],
    "numeric_encoding": [StrOptions({"quantile", "modes"})],
    "n_modes": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
    "max_categories": [Interval(Integral, 2, None, closed="left"), None],
    "device": [str, torch.device],
    "n_threads": [
        Interval(Integral, 1, None, closed="left"),
        StrOptions({"auto"}),
        None,
    ],
    "verbose": ["verbose"],
    "callbacks": [list, None],
    "early_stopping": ["boolean"],
    "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
    "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
    "image_shape": [tuple, list, None],
    "oversampling_candidates": [Interval(Integral, 1, None, closed="left")],
    "network": [StrOptions({"auto", "mlp", "conv"})],
    "generator": [type, None],
    "discriminator": [type, None],
}


def check_network_params(sampler):
    declared = set(sampler._get_param_names())
    unknown = [
        name
        for name in sampler.get_params(deep=False)
        if name not in declared and not name.startswith(NETWORK_PREFIXES)
    ]
    if unknown:
        raise TypeError(
            f"GANSampler got unexpected parameter(s) {unknown}; only "
            f"{', '.join(p + '*' for p in NETWORK_PREFIXES)} may be added to its own."
        )


class NetworkParamsMixin:
    """``get_params`` and ``set_params`` that include the networks' ``NAME__*``."""

    def _network_params(self):
        """The keyword parameters beyond the signature (``generator__*`` ...)."""
        declared = self._get_param_names()
        return {
            name: value
            for name, value in vars(self).items()
            if name not in declared and not name.startswith("_")
            and not name.endswith("_")  # fitted attributes
        }  # fmt: skip

    def get_params(self, deep=True):
        """Get the parameters, the networks' ``NAME__*`` included.

        Parameters
        ----------
        deep : bool, default=True
            Also return the parameters of contained estimators.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return {**super().get_params(deep=deep), **self._network_params()}

    def set_params(self, **params):
        """Set parameters, the networks' ``NAME__*`` included.

        Parameters
        ----------
        **params : dict
            Parameter names mapped to their new values.

        Returns
        -------
        self : GANSampler
            The sampler.
        """
        for name in [name for name in params if name.startswith(NETWORK_PREFIXES)]:
            setattr(self, name, params.pop(name))
        return super().set_params(**params)
