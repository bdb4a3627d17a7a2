"""What a fit builds from its configuration: the fitted encoder, and the net.

``fit`` and ``skgan.load`` assemble the net through :func:`assemble_net`
alike, from a :class:`~skgan._plan.FitConfig`; it initialises the networks,
so callers run it inside the :func:`~skgan._random.torch_session` whose
generator seeds their weights.
"""

import inspect

from threadpoolctl import threadpool_limits

from ._training.net import GANNet


def fit_encoder(config, X, random_state):
    """The kind's encoder fitted on ``X``, and ``X`` encoded for the net."""
    rows = config.kind.rows(X)
    # The encoder's mixtures run on OpenMP/BLAS threads, which n_threads
    # caps too: on 2 cores, a 30-column encoder took 7.0 s with the
    # default threads and 2.6 s with one. (None: no limit.)
    with threadpool_limits(limits=config.n_threads):
        encoder = config.kind.make_encoder(X, config, random_state)
        encoded = encoder.fit(rows).transform(rows)
    if encoded.shape[1] == 0:
        raise ValueError(
            "Every column of X holds a single value (or only missing values), "
            "so there is nothing for a GAN to learn: every row it made would "
            "be the same. Give it at least one column that varies."
        )
    return encoder, encoded


def assemble_net(config, encoder, n_classes, callbacks):
    """The initialised GANNet of ``config`` for the rows ``encoder`` makes.

    The networks are those of the configuration's kind, or the user's own
    ``generator`` and ``discriminator``, with the arguments they take.
    """
    plan = config.plan
    n_features = encoder.n_features_out_
    generator, discriminator, generator_offered, discriminator_offered = (
        config.kind.networks(config, encoder)
    )
    generator_offered.update(latent_dim=config.latent_dim, n_classes=n_classes)
    discriminator_offered.update(
        n_features=n_features, n_classes=n_classes, pac=plan.pac
    )
    generator = config.generator or generator
    discriminator = config.discriminator or discriminator
    own = config.network_params
    generator_params = _network_arguments(
        generator, generator_offered, own["generator__"], "generator__"
    )
    discriminator_params = _network_arguments(
        discriminator, discriminator_offered, own["discriminator__"],
        "discriminator__",
    )  # fmt: skip
    net = GANNet(
        module=generator,
        discriminator=discriminator,
        **_prefixed("module__", generator_params),
        **_prefixed("discriminator__", discriminator_params),
        **_prefixed("classifier__", own["classifier__"]),
        latent_dim=config.latent_dim,
        n_classes=n_classes,
        discriminator_steps=config.discriminator_steps,
        gp_weight=config.gp_weight,
        classifier_weight=plan.classifier_weight,
        n_features=n_features,
        generator_averaging=config.generator_averaging,
        criterion__loss=plan.loss,
        lr=plan.generator_lr,
        optimizer__betas=config.betas,
        optimizer_discriminator__lr=plan.discriminator_lr,
        optimizer_discriminator__betas=config.betas,
        batch_size=plan.batch_size * config.discriminator_steps,
        iterator_train__n_batches=plan.batches_per_epoch,
        iterator_train__pac=plan.pac,
        max_epochs=plan.epochs,
        callbacks=callbacks,
        device=config.device,
        verbose=config.verbose,
    )
    return net.initialize()


def _prefixed(prefix, arguments):
    """``arguments`` as skorch's ``prefix``-ed parameters of a module."""
    return {prefix + name: value for name, value in arguments.items()}


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
