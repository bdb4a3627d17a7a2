"""``skgan.load``: a GANSampler back from a model file.

The file format, and what each member holds, is :mod:`skgan._io.model_file`;
this module assembles the sampler from what it read: parameters, fitted
attributes, the data kind, the plan (which builds the net), the encoder,
the history and the weights.
"""

import torch

from .._assembly import assemble_net
from .._plan import FitConfig
from .._random import torch_session
from .._sampler import GANSampler
from .model_file import ModelFileError, malformed, read_model

__all__ = ["load_sampler"]


def load_sampler(path, *, device="cpu"):
    """Load a :class:`GANSampler` saved by :meth:`GANSampler.save`, without pickle.

    Parameters and fitted attributes are read from JSON and the network
    weights with ``torch.load(weights_only=True)``, so a file cannot run code
    when it is loaded. The sampler comes back fitted: ``sample``, ``score``
    and the fitted attributes work as they did before saving.

    Parameters
    ----------
    path : str, path-like or binary file object
        A file written by :meth:`GANSampler.save`.
    device : str or torch.device, default="cpu"
        Where to put the networks; it becomes the sampler's ``device``
        parameter. A model trained on a GPU loads on the CPU by default.

    Returns
    -------
    sampler : GANSampler
        The fitted sampler, with ``callbacks=None``.

    Raises
    ------
    ModelFileError
        If the file is truncated or not an skgan model file, was modified
        after it was saved, holds anything but tensors in its weights, or was
        written by an incompatible version of skgan (the message says which
        version wrote it). A subclass of ValueError.

    See Also
    --------
    GANSampler.save : Write the file.

    Examples
    --------
    >>> import io
    >>> from sklearn.datasets import load_iris
    >>> import skgan
    >>> X, _ = load_iris(return_X_y=True)
    >>> gan = skgan.GANSampler(epochs=2, random_state=0).fit(X)
    >>> file = io.BytesIO()
    >>> _ = gan.save(file)
    >>> loaded = skgan.load(io.BytesIO(file.getvalue()), device="cpu")
    >>> loaded.device, loaded.sample(3).shape
    ('cpu', (3, 4))
    """
    return _load_annotated(path, device=device)[0]


def _load_annotated(path, *, device="cpu"):
    """:func:`load_sampler`, and the annotations saved with it (None if none)."""
    try:
        # Fail here, not as an unreadable weights.pt, if the device is missing.
        torch.empty(0, device=device)
    except (RuntimeError, AssertionError) as error:
        raise ValueError(
            f"Cannot load onto device={device!r}: {error}. Load with "
            "device='cpu', or on a machine that has this device."
        ) from error
    saved = read_model(path, GANSampler().get_params(), device)
    sampler = GANSampler(**{**saved.params, "device": device})
    try:
        sampler._validate_params()
    except (TypeError, ValueError) as error:
        raise ModelFileError(
            f"{saved.where}: config.json holds an invalid parameter ({error}). The "
            "file was not written by skgan, or was modified after it was saved."
        ) from error
    for name, value in saved.attributes.items():
        setattr(sampler, name, value)
    for name, value in saved.plan.fitted_attributes().items():
        setattr(sampler, name, value)
    sampler.kind_, sampler.plan_, sampler.encoder_ = (
        saved.kind, saved.plan, saved.encoder
    )  # fmt: skip
    try:
        labelled = sampler.classes_ is not None
        sampler.config_ = config = FitConfig.from_plan(
            sampler.get_params(deep=False), saved.kind, saved.plan, labelled
        )
        n_classes = len(sampler.classes_) if labelled else 0
        # Initialising draws random weights, replaced below; a session keeps
        # the caller's global torch RNG as it was.
        with torch_session(0, device, config.n_threads):
            net = assemble_net(config, saved.encoder, n_classes, callbacks=[])
    except (AttributeError, KeyError, TypeError, ValueError, IndexError) as error:
        raise malformed(saved.where, "state.json", error) from error
    _load_weights_into(net, saved)
    net.history_ = sampler.history_ = saved.history
    sampler.net_ = net
    return sampler, saved.annotations


def _load_weights_into(net, saved):
    weights = saved.weights
    try:
        net.module_.load_state_dict(weights["generator"])
        net.discriminator_.load_state_dict(weights["discriminator"])
        # Only a net that trains an auxiliary classifier has one.
        if "classifier" in weights and getattr(net, "classifier_", None) is not None:
            net.classifier_.load_state_dict(weights["classifier"])
    except RuntimeError as error:
        raise ModelFileError(
            f"{saved.where}: weights.pt does not fit the networks described by "
            "config.json and state.json. The file was modified after it was saved."
        ) from error
    if "generator_average" in weights:
        net._generator_average = weights["generator_average"]
