"""The configuration of a fit: every parameter and "auto" setting, resolved once.

``GANSampler`` validates its parameters (``_params``) and resolves them into
a :class:`FitConfig` at the start of ``fit`` and ``fit_resample``, before
any data is encoded. The configuration is immutable and complete: the
kinds, the encoder factory, the net's assembly (``_assembly``) and early
stopping read it, never the sampler. Its :class:`Plan` holds the training
settings that "auto" decides (loss, pack and batch sizes, learning rates,
epochs, network); they become the fitted attributes (``loss_``,
``batch_size_``, ...), and model files save the plan as it is.
"""

import dataclasses
import math
import warnings

from ._nn.losses import LOSSES
from ._params import NETWORK_PREFIXES
from ._random import resolve_threads

# epochs="auto" trains for the kind's "passes" over the data
# ("passes_labelled" for a class-conditional model), but on at least the
# kind's "min_rows" rows drawn (small tables need more steps, which are cheap
# with small batches) and for at most AUTO_MAX_STEPS generator steps.
AUTO_MAX_STEPS = 5000
# With early_stopping, the validation rows are scored about this many times
# over the scheduled epochs.
VALIDATION_CHECKS = 30


def _fitted():
    """A plan field that becomes a fitted attribute of the sampler (``loss_``)."""
    return dataclasses.field(metadata={"fitted": True})


@dataclasses.dataclass(frozen=True, kw_only=True)
class Plan:
    """How a fit trains, with every ``"auto"`` resolved.

    Attributes
    ----------
    loss : str
    pac : int
    batch_size : int
        Rows per discriminator step, after capping at the training rows and
        rounding down to a multiple of ``pac``.
    batches_per_epoch : int
        Generator steps per epoch.
    epochs : int
    generator_lr, discriminator_lr : float
    classifier_weight : float
    n_modes : int or None
        None for kinds that do not encode modes (images).
    network : str
    validation_every : int or None
        Epochs between early stopping's scorings; None without it.
    """

    loss: str = _fitted()
    pac: int = _fitted()
    batch_size: int = _fitted()
    batches_per_epoch: int
    epochs: int = _fitted()
    generator_lr: float = _fitted()
    discriminator_lr: float = _fitted()
    classifier_weight: float = _fitted()
    n_modes: int | None = _fitted()
    network: str
    validation_every: int | None = None

    STATE_VERSION = 1  # of state(), in model files

    @classmethod
    def resolve(cls, params, kind, n_rows, labelled=False):
        """The plan of the parameters ``params`` for ``n_rows`` rows of ``kind``.

        ``params``: the sampler's ``get_params(deep=False)``, validated.
        ``labelled``: the model is conditioned on class labels, which sets
        the passes of ``epochs="auto"``.
        """

        def resolved(name):
            value = params[name]
            return kind.auto.get(name) if value == "auto" else value

        pac = resolved("pac")
        batch_size = _batch_size(resolved("batch_size"), pac, n_rows)
        rows_per_step = batch_size * params["discriminator_steps"]
        batches_per_epoch = max(1, round(n_rows / rows_per_step))
        epochs = params["epochs"]
        if epochs == "auto":
            passes = kind.auto["passes_labelled" if labelled else "passes"]
            rows = max(kind.auto["min_rows"], passes * n_rows)
            steps = min(math.ceil(rows / batch_size), AUTO_MAX_STEPS)
            epochs = max(1, math.ceil(steps / batches_per_epoch))
        validation_every = None
        if params["early_stopping"]:
            validation_every = max(1, round(epochs / VALIDATION_CHECKS))
        return cls(
            loss=resolved("loss"),
            pac=pac,
            batch_size=batch_size,
            batches_per_epoch=batches_per_epoch,
            epochs=epochs,
            generator_lr=resolved("generator_lr"),
            discriminator_lr=resolved("discriminator_lr"),
            classifier_weight=resolved("classifier_weight"),
            n_modes=resolved("n_modes"),
            network=resolved("network"),
            validation_every=validation_every,
        )

    def fitted_attributes(self):
        """The fitted attributes of the sampler, ``loss_`` and the like."""
        return {
            f"{field.name}_": getattr(self, field.name)
            for field in dataclasses.fields(self)
            if field.metadata.get("fitted")
        }

    def state(self):
        """The plan as a dict of JSON values, for a model file."""
        return dataclasses.asdict(self)

    @classmethod
    def from_state(cls, state, version):
        """The plan a model file saved; a ValueError if it cannot be one."""
        plan = cls(**state)
        sizes = (plan.pac, plan.batch_size, plan.batches_per_epoch, plan.epochs)
        if plan.n_modes is not None:
            sizes += (plan.n_modes,)
        if not all(type(size) is int and size > 0 for size in sizes):
            raise ValueError("the plan's sizes must be positive ints")
        if plan.loss not in LOSSES:
            raise ValueError(f"the plan names an unknown loss {plan.loss!r}")
        return plan


def _batch_size(wanted, pac, n_rows):
    """``wanted`` capped at the rows (at least a pack), a multiple of ``pac``."""
    batch_size = min(wanted, max(n_rows, pac))
    rounded = max(pac, batch_size - batch_size % pac)
    if wanted % pac and rounded != batch_size:
        warnings.warn(
            f"batch_size={wanted} is not a multiple of pac={pac}; using "
            f"batch_size={rounded}. Choose a multiple of pac to silence this "
            "warning.",
            UserWarning,
            stacklevel=6,  # the caller of fit
        )
    return rounded


@dataclasses.dataclass(frozen=True, kw_only=True)
class FitConfig:
    """Everything one fit needs to know, validated and resolved.

    Built by :meth:`resolve` from the sampler's parameters at ``fit``, and by
    :meth:`from_plan` from a model file's parameters and plan. The
    attributes are the sampler's parameters of the same names (layer sizes
    and betas as tuples), except those below.

    Attributes
    ----------
    plan : Plan
        The training settings, "auto" resolved.
    kind : TableKind or ImageKind
        The kind of data the fit models.
    labelled : bool
        The model is conditioned on class labels.
    n_threads : int or None
        torch's and the encoder's thread count, "auto" resolved.
    network_params : dict
        Each of ``NETWORK_PREFIXES`` mapped to the user's ``NAME: value``
        parameters with that prefix.
    """

    plan: Plan
    kind: object
    labelled: bool
    n_threads: int | None
    latent_dim: int
    generator_layers: tuple
    discriminator_layers: tuple
    betas: tuple
    discriminator_steps: int
    gp_weight: float
    generator_averaging: float
    categorical_features: object
    numeric_encoding: str
    max_categories: int | None
    n_iter_no_change: int
    oversampling_candidates: int
    generator: type | None
    discriminator: type | None
    network_params: dict
    device: object
    verbose: int

    @classmethod
    def resolve(cls, params, kind, n_rows, labelled):
        """The configuration of ``params`` (validated ``get_params(deep=False)``)
        for a fit on ``n_rows`` rows of ``kind``, labelled or not."""
        plan = Plan.resolve(params, kind, n_rows, labelled)
        return cls.from_plan(params, kind, plan, labelled)

    @classmethod
    def from_plan(cls, params, kind, plan, labelled):
        """The configuration of ``params`` around a resolved ``plan``."""
        network_params = {
            prefix: {
                name[len(prefix) :]: value
                for name, value in params.items()
                if name.startswith(prefix)
            }
            for prefix in NETWORK_PREFIXES
        }
        own = {
            field.name: params[field.name]
            for field in dataclasses.fields(cls)
            if field.name in params
        }
        return cls(
            **{
                **own,
                "plan": plan,
                "kind": kind,
                "labelled": bool(labelled),
                "n_threads": resolve_threads(params["n_threads"]),
                "generator_layers": tuple(params["generator_layers"]),
                "discriminator_layers": tuple(params["discriminator_layers"]),
                "betas": tuple(params["betas"]),
                "network_params": network_params,
            }
        )
