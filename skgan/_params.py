"""The parameters of GANSampler: their declared constraints, and the networks'.

``GANSampler`` takes, beyond its signature, the parameters of its networks
as skorch does: ``generator__NAME``, ``discriminator__NAME`` and
``classifier__NAME`` go to that network as ``NAME``. They are parameters
like the others: ``get_params``, ``set_params``, ``clone`` and grid searches
reach them.
"""

from numbers import Integral, Real

import torch
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions

from ._nn.losses import LOSSES

# Constructor keywords with these prefixes go to the networks, as in skorch.
NETWORK_PREFIXES = ("generator__", "discriminator__", "classifier__")


class _SequenceConstraint(HasMethods):
    # scikit-learn's validation passes its own constraint classes through;
    # HasMethods with no methods is the one a value-checking rule can extend.
    def __init__(self):
        super().__init__([])


class _PositiveSizes(_SequenceConstraint):
    """A tuple or list of positive ints: the widths of a network's layers."""

    def is_satisfied_by(self, val):
        return isinstance(val, (tuple, list)) and all(
            isinstance(size, Integral) and not isinstance(size, bool) and size > 0
            for size in val
        )

    def __str__(self):
        return "a tuple of positive ints, e.g. (256, 256)"


class _AdamBetas(_SequenceConstraint):
    """Two numbers in [0, 1): Adam's ``(beta1, beta2)``."""

    def is_satisfied_by(self, val):
        return (
            isinstance(val, (tuple, list))
            and len(val) == 2
            and all(isinstance(b, Real) and 0 <= b < 1 for b in val)
        )

    def __str__(self):
        return "two numbers in [0, 1), e.g. (0.5, 0.9)"


# GANSampler's own parameters, as scikit-learn's validation declares them;
# the sampler adds them to those of imblearn's BaseOverSampler.
PARAMETER_CONSTRAINTS = {
    "loss": [StrOptions({"auto", *LOSSES})],
    "latent_dim": [Interval(Integral, 1, None, closed="left")],
    "generator_layers": [_PositiveSizes()],
    "discriminator_layers": [_PositiveSizes()],
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
    "betas": [_AdamBetas()],
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


def check_network_params(params, declared):
    """Refuse keyword parameters that are neither declared nor a network's."""
    unknown = [
        name
        for name in params
        if name not in declared and not name.startswith(NETWORK_PREFIXES)
    ]
    if unknown:
        raise TypeError(
            f"GANSampler got unexpected parameter(s) {unknown}; only "
            f"{', '.join(p + '*' for p in NETWORK_PREFIXES)} may be added to its own."
        )


def check_fit(conditional, n_rows, has_labels, resampling):
    """Whether the fit conditions on its labels; refuse one that cannot work.

    Refused before anything is trained: fewer than 2 rows, ``conditional=True``
    without labels, and ``fit_resample`` (``resampling``) of a model that
    ``conditional=False`` keeps unconditional.
    """
    if conditional != "auto":
        conditional = bool(conditional)  # numpy booleans too
    if resampling and conditional is False:
        raise ValueError(
            "fit_resample needs a class-conditional model, and conditional="
            "False trains one without classes; use conditional='auto' or True."
        )
    if conditional is True and not has_labels:
        raise ValueError(
            "conditional=True needs class labels: call fit(X, y), or use "
            "conditional='auto' to train without them."
        )
    if n_rows < 2:
        raise ValueError(
            f"Found {n_rows} row(s); a GAN needs at least 2 rows to learn from."
        )
    return has_labels and conditional is not False


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

    def _validate_params(self):
        # The networks' NAME__* have no declared constraints: check their
        # prefixes here, then scikit-learn checks the declared parameters.
        check_network_params(self.get_params(deep=False), self._get_param_names())
        super()._validate_params()

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
