"""The training plan: every "auto" setting of a fit, resolved once.

``GANSampler`` resolves its parameters into a :class:`Plan` at the start of
``fit`` (and of ``fit_resample``), before any data is encoded: the loss,
pack and batch sizes, learning rates, epochs, network. The plan is
immutable; it builds the net, its values become the fitted attributes
(``loss_``, ``batch_size_``, ...), and model files save it as it is.
"""

import dataclasses
import inspect
import math
import warnings
from numbers import Integral

from threadpoolctl import threadpool_limits

from ._nn.losses import LOSSES
from ._params import NETWORK_PREFIXES, check_network_params
from ._random import resolve_threads
from ._training.net import GANNet

# epochs="auto" trains for the kind's "passes" over the data
# ("passes_labelled" for a class-conditional model), but on at least the
# kind's "min_rows" rows drawn (small tables need more steps, which are cheap
# with small batches) and for at most AUTO_MAX_STEPS generator steps (the
# kinds' modules say what was measured).
AUTO_MAX_STEPS = 5000
# With early_stopping, the validation rows are scored about this many times
# over the scheduled epochs.
VALIDATION_CHECKS = 30


@dataclasses.dataclass(frozen=True)
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
    n_modes : int
    network : str
    validation_every : int or None
        Epochs between early stopping's scorings; None without it.
    """

    loss: str
    pac: int
    batch_size: int
    batches_per_epoch: int
    epochs: int
    generator_lr: float
    discriminator_lr: float
    classifier_weight: float
    n_modes: int
    network: str
    validation_every: int | None = None

    STATE_VERSION = 1  # of state(), in model files
    # The fitted attributes of GANSampler that the plan sets.
    FITTED = ("loss", "pac", "batch_size", "epochs", "generator_lr",
              "discriminator_lr", "classifier_weight", "n_modes")  # fmt: skip

    @classmethod
    def resolve(cls, sampler, kind, n_rows, labelled=False):
        """The plan of ``sampler``'s parameters for ``n_rows`` rows of ``kind``.

        ``labelled``: the model is conditioned on class labels, which sets
        the passes of ``epochs="auto"``.

        Raises the errors that are knowable before training: layer sizes,
        betas and network parameters that cannot work.
        """
        _check_layers(sampler)
        check_network_params(sampler)

        def resolved(name):
            value = getattr(sampler, name)
            return kind.auto[name] if value == "auto" else value

        pac = resolved("pac")
        batch_size = _batch_size(resolved("batch_size"), pac, n_rows)
        rows_per_step = batch_size * sampler.discriminator_steps
        batches_per_epoch = max(1, round(n_rows / rows_per_step))
        epochs = sampler.epochs
        if epochs == "auto":
            passes = kind.auto["passes_labelled" if labelled else "passes"]
            rows = max(kind.auto["min_rows"], passes * n_rows)
            steps = min(math.ceil(rows / batch_size), AUTO_MAX_STEPS)
            epochs = max(1, math.ceil(steps / batches_per_epoch))
        validation_every = None
        if sampler.early_stopping:
            validation_every = max(1, round(epochs / VALIDATION_CHECKS))
        network = resolved("network")
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
            network=network,
            validation_every=validation_every,
        )

    def fitted_attributes(self):
        """The fitted attributes of the sampler, ``loss_`` and the like."""
        return {f"{name}_": getattr(self, name) for name in self.FITTED}

    def fit_encoder(self, kind, X, sampler, random_state):
        """The kind's encoder fitted on ``X``, and ``X`` encoded for the net."""
        rows = kind.rows(X)
        # The encoder's mixtures run on OpenMP/BLAS threads, which n_threads
        # caps too: on 2 cores, a 30-column encoder took 7.0 s with the
        # default threads and 2.6 s with one. (None: no limit.)
        with threadpool_limits(limits=resolve_threads(sampler.n_threads)):
            encoder = kind.make_encoder(X, sampler, self.n_modes, random_state)
            encoded = encoder.fit(rows).transform(rows)
        if encoded.shape[1] == 0:
            raise ValueError(
                "Every column of X holds a single value (or only missing values), "
                "so there is nothing for a GAN to learn: every row it made would "
                "be the same. Give it at least one column that varies."
            )
        return encoder, encoded

    def build_net(self, sampler, n_classes, callbacks):
        """The (uninitialised) GANNet this plan trains on the rows of the
        sampler's ``encoder_``, with the networks of its ``kind_``."""
        n_features = sampler.encoder_.n_features_out_
        generator, discriminator, generator_offered, discriminator_offered = (
            sampler.kind_.networks(self.network, sampler, sampler.encoder_)
        )
        generator_offered.update(latent_dim=sampler.latent_dim, n_classes=n_classes)
        discriminator_offered.update(
            n_features=n_features, n_classes=n_classes, pac=self.pac
        )
        generator = sampler.generator or generator
        discriminator = sampler.discriminator or discriminator
        own = {
            prefix: _strip(sampler.get_params(deep=False), prefix)
            for prefix in NETWORK_PREFIXES
        }
        generator_params = _network_arguments(
            generator, generator_offered, own["generator__"], "generator__"
        )
        discriminator_params = _network_arguments(
            discriminator, discriminator_offered, own["discriminator__"],
            "discriminator__",
        )  # fmt: skip
        return GANNet(
            module=generator,
            discriminator=discriminator,
            **{f"module__{k}": v for k, v in generator_params.items()},
            **{f"discriminator__{k}": v for k, v in discriminator_params.items()},
            **{f"classifier__{k}": v for k, v in own["classifier__"].items()},
            latent_dim=sampler.latent_dim,
            n_classes=n_classes,
            discriminator_steps=sampler.discriminator_steps,
            gp_weight=sampler.gp_weight,
            classifier_weight=self.classifier_weight,
            n_features=n_features,
            generator_averaging=sampler.generator_averaging,
            criterion__loss=self.loss,
            lr=self.generator_lr,
            optimizer__betas=tuple(sampler.betas),
            optimizer_discriminator__lr=self.discriminator_lr,
            optimizer_discriminator__betas=tuple(sampler.betas),
            batch_size=self.batch_size * sampler.discriminator_steps,
            iterator_train__n_batches=self.batches_per_epoch,
            iterator_train__pac=self.pac,
            max_epochs=self.epochs,
            callbacks=callbacks,
            device=sampler.device,
            verbose=sampler.verbose,
        )

    def state(self):
        """The plan as a dict of JSON values, for a model file."""
        return dataclasses.asdict(self)

    @classmethod
    def from_state(cls, state, version):
        """The plan a model file saved; a ValueError if it cannot be one."""
        plan = cls(**state)
        sizes = (plan.pac, plan.batch_size, plan.batches_per_epoch, plan.epochs,
                 plan.n_modes)  # fmt: skip
        if not all(type(size) is int and size > 0 for size in sizes):
            raise ValueError("the plan's sizes must be positive ints")
        if plan.loss not in LOSSES:
            raise ValueError(f"the plan names an unknown loss {plan.loss!r}")
        return plan


def check_trainable(sampler, n_rows, labelled):
    """Refuse what no plan can train: fewer than 2 rows, or
    ``conditional=True`` without labels."""
    if sampler.conditional is True and not labelled:
        raise ValueError(
            "conditional=True needs class labels: call fit(X, y), or use "
            "conditional='auto' to train without them."
        )
    if n_rows < 2:
        raise ValueError(
            f"Found {n_rows} row(s); a GAN needs at least 2 rows to learn from."
        )


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
            stacklevel=5,  # the caller of fit
        )
    return rounded


def _check_layers(sampler):
    for name in ("generator_layers", "discriminator_layers"):
        sizes = getattr(sampler, name)
        if not all(isinstance(s, Integral) and s > 0 for s in sizes):
            raise ValueError(
                f"{name} must be a tuple of positive ints, e.g. (256, 256); "
                f"got {sizes!r}."
            )
    if len(sampler.betas) != 2 or not all(0 <= b < 1 for b in sampler.betas):
        raise ValueError(
            "betas must be two numbers in [0, 1), e.g. (0.5, 0.9); "
            f"got {sampler.betas!r}."
        )


def _strip(params, prefix):
    """The ``prefix*`` entries of ``params``, without the prefix."""
    return {
        name[len(prefix) :]: value
        for name, value in params.items()
        if name.startswith(prefix)
    }


def _network_arguments(network, offered, chosen, prefix):
    """Keyword arguments for ``network``: those it takes of ``offered``, and ``chosen``.

    A user's network takes what it declares: ``(latent_dim, n_classes)``
    alone is enough. ``chosen`` are the user's own ``generator__*`` or
    ``discriminator__*`` values, which must be parameters of the network.
    """
    parameters = inspect.signature(network).parameters
    takes_any = any(p.kind is p.VAR_KEYWORD for p in parameters.values())
    unknown = [name for name in chosen if name not in parameters and not takes_any]
    if unknown:
        raise ValueError(
            f"{', '.join(prefix + name for name in unknown)} is not a parameter "
            f"of {network.__name__}, which takes {sorted(parameters)}."
        )
    kept = {k: v for k, v in offered.items() if takes_any or k in parameters}
    return {**kept, **chosen}
