"""The skgan model file: a zip archive that loads without running pickled code.

A model file holds four members, and an optional fifth:

``manifest.json``
    The format name ``"skgan"``, the format version, the skgan and torch
    versions that wrote it, the estimator class, and the SHA-256 of every
    other member.
``config.json``
    The sampler's parameters (``get_params()``).
``state.json``
    Its fitted state, each part explicit and versioned: the fitted
    attributes listed in ``_SAMPLER_ATTRIBUTES``, the data kind and the
    plan (each with its ``STATE_VERSION``), the fitted encoder (its
    ``state()``, with its column codecs'), and the training history.
``weights.pt``
    ``torch.save`` of ``{"generator": state_dict, "discriminator": state_dict}``
    (plus ``"generator_average"`` while an average is pending, and
    ``"classifier"``, the auxiliary classifier of a conditional table
    model), CPU tensors only, read back with ``torch.load(weights_only=True)``
    onto the device asked for (a model trained on a GPU loads on a CPU).
``annotations.json`` (optional)
    What an application keeps beside the model and the sampler never reads:
    the command line stores the name, position and dtype of its class column
    here, so that ``skgan sample`` puts the column back where it was.

The JSON members are tagged JSON (:mod:`skgan._io.serialization`): values come
back with their exact types, and only the classes registered below can be
rebuilt from a file.

The checksums detect truncated or accidentally modified files; they do not
stop an attacker, who can recompute them. What makes loading safe is that no
member is unpickled with the general pickle machinery.
"""

import contextlib
import hashlib
import io
import json
import os
import pickle
import secrets
import warnings
import zipfile
import zlib
from collections import OrderedDict
from typing import NamedTuple

import torch
from sklearn.utils.validation import check_is_fitted
from skorch.history import History

from .._encoding.codecs import (
    _CategoricalCodec,
    _DiscreteNumericCodec,
    _NumericCodec,
    _QuantileCodec,
    _TimeCodec,
)
from .._encoding.image import ImageScaler
from .._encoding.tabular import TabularEncoder
from .._kinds import kind_from_state
from .._params import NETWORK_PREFIXES
from .._plan import Plan
from .._version import __version__
from .serialization import checked_state_version, decode, encode, register

__all__ = ["FORMAT_VERSION", "ModelFileError", "read_model", "save_sampler"]

FORMAT_NAME = "skgan"
# Raise FORMAT_VERSION whenever a change to this module would make older skgan
# misread new files (and decide whether to keep reading the old format).
FORMAT_VERSION = 2
_MEMBERS = ("config.json", "state.json", "weights.pt")
_OPTIONAL_MEMBERS = ("annotations.json",)
_NETWORKS = ("generator", "discriminator")
_OPTIONAL_NETWORKS = ("generator_average", "classifier")
# The fitted attributes of GANSampler a file keeps; the plan's (loss_,
# batch_size_, ...) come from the plan, and the encoder, kind, history and
# net have parts of their own.
_SAMPLER_ATTRIBUTES = ("classes_", "class_prior_", "sampling_strategy_",
                       "best_validation_score_", "n_features_in_",
                       "feature_names_in_", "image_shape_")  # fmt: skip
register(
    _CategoricalCodec,
    _DiscreteNumericCodec,
    _NumericCodec,
    _QuantileCodec,
    _TimeCodec,
    TabularEncoder,
    ImageScaler,
)


class ModelFileError(ValueError):
    """A model file cannot be loaded.

    Raised for files that are truncated, are not skgan model files, were
    modified after they were saved, hold anything but tensors in their
    weights, or were written by an incompatible skgan version.
    """


# -- writing ------------------------------------------------------------------


def _config_of(sampler):
    params = sampler.get_params(deep=False)
    if params.get("callbacks"):
        warnings.warn(
            "The sampler's callbacks are not saved: a model file stores no code. "
            "The loaded sampler has callbacks=None; pass them again with "
            "set_params(callbacks=...) before refitting it.",
            UserWarning,
            stacklevel=4,  # the caller of GANSampler.save
        )
    params["callbacks"] = None
    params["device"] = str(params["device"])
    return {
        name: encode(value, f"the parameter {name}") for name, value in params.items()
    }


def _history_rows(history):
    """The history, keeping only the entries a model file can store."""

    def storable(value):
        try:
            encode(value, "")
        except TypeError:
            return False
        return True

    rows = []
    for row in history:
        kept = {k: v for k, v in row.items() if k != "batches" and storable(v)}
        if "batches" in row:
            kept["batches"] = [
                {k: v for k, v in batch.items() if storable(v)}
                for batch in row["batches"]
            ]
        rows.append(kept)
    return rows


def _encoder_state(encoder):
    try:
        return encode(encoder, "the encoder")
    except TypeError:
        if isinstance(encoder, TabularEncoder):
            # Encode each column's part on its own, so that the error names
            # the column that cannot be stored.
            for column, codec, dtype in zip(
                encoder._columns, encoder.codecs_, encoder._dtypes, strict=True
            ):
                encode([codec, dtype], f"column {column!r}")
        raise


def _encode_named(values, what):
    """A mapping of names to values as a JSON object of encoded values."""
    return {name: encode(value, f"{what} {name}") for name, value in values.items()}


def _decode_named(data):
    if not isinstance(data, dict):
        raise TypeError(f"expected a mapping of names to values, got {data!r:.40}")
    return {name: decode(value) for name, value in data.items()}


def _state_of(sampler):
    attributes = {
        name: getattr(sampler, name)
        for name in _SAMPLER_ATTRIBUTES
        if hasattr(sampler, name)
    }
    kind, plan = sampler.kind_, sampler.plan_
    return {
        "attributes": _encode_named(attributes, "the fitted attribute"),
        "kind": {
            "name": kind.name,
            "version": kind.STATE_VERSION,
            "state": _encode_named(kind.state(), "the data kind's"),
        },
        "plan": {
            "version": plan.STATE_VERSION,
            "state": _encode_named(plan.state(), "the plan's"),
        },
        "encoder": _encoder_state(sampler.encoder_),
        "history": encode(_history_rows(sampler.history_), "the history"),
    }


def _weights_of(net):
    # CPU copies make the file the same whichever device trained the model.
    def cpu(state):
        return OrderedDict((k, v.detach().cpu()) for k, v in state.items())

    weights = {
        "generator": cpu(net.module_.state_dict()),
        "discriminator": cpu(net.discriminator_.state_dict()),
    }
    average = getattr(net, "_generator_average", None)
    if average is not None:
        weights["generator_average"] = cpu(average)
    if getattr(net, "classifier_", None) is not None:  # conditional tables
        weights["classifier"] = cpu(net.classifier_.state_dict())
    buffer = io.BytesIO()
    torch.save(weights, buffer)
    return buffer.getvalue()


def _dump_json(data):
    return json.dumps(data, allow_nan=False, ensure_ascii=False, indent=1).encode()


def _write_atomically(path, data):
    """Write ``data`` to ``path`` so that a crash never leaves half a file there."""
    if not isinstance(path, (str, os.PathLike)):
        path.write(data)  # a binary file object
        return
    # Beside the target, so that os.replace is a rename on one file system;
    # open() rather than mkstemp, so the file gets the usual permissions.
    temporary = f"{os.fspath(path)}.{secrets.token_hex(4)}.tmp"
    try:
        with open(temporary, "xb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        # When open() itself failed there is nothing to remove, and the
        # error to report is open()'s, not unlink's.
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def save_sampler(sampler, path, *, annotations=None):
    """Save a fitted :class:`GANSampler` to a file that loads without pickle.

    The file is a zip archive of JSON (parameters, fitted attributes, the
    encoder) and a ``torch.save`` of the network weights as CPU tensors; see
    the module docstring for its layout. :func:`skgan.load` reads it back
    into a sampler whose ``sample`` returns the same rows as the original's
    (with an int ``random_state``). Callbacks are not saved.

    Parameters
    ----------
    sampler : GANSampler
        A fitted sampler.
    path : str, path-like or binary file object
        Where to write. An existing file is replaced only once the new one is
        complete.
    annotations : dict, default=None
        What the caller wants kept beside the model (values of the types a
        model file stores), read back by ``_load_annotated``; the sampler
        itself never reads it. None writes no annotations member.

    Raises
    ------
    sklearn.exceptions.NotFittedError
        If ``sampler`` is not fitted.
    TypeError
        If a parameter or fitted value has a type a model file cannot store
        exactly without pickling, e.g. a column of ``decimal.Decimal`` or a
        function as ``sampling_strategy``; the message names it.

    Warns
    -----
    UserWarning
        If the sampler has callbacks, which are not saved.

    See Also
    --------
    skgan.load : Load the file back.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from skgan import GANSampler
    >>> from skgan._io.loading import load_sampler
    >>> from skgan._io.model_file import save_sampler
    >>> X, y = load_iris(return_X_y=True)
    >>> gan = GANSampler(epochs=2, random_state=0).fit(X, y)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "iris.skgan")
    ...     save_sampler(gan, path)
    ...     loaded = load_sampler(path)
    >>> bool((loaded.sample(5, y=2) == gan.sample(5, y=2)).all())
    True
    """
    check_is_fitted(
        sampler,
        "net_",
        msg="This %(name)s is not fitted yet, so there is nothing to save: call "
        "fit before saving it.",
    )
    members = {
        "config.json": _dump_json(_config_of(sampler)),
        "state.json": _dump_json(_state_of(sampler)),
        "weights.pt": _weights_of(sampler.net_),
    }
    if annotations is not None:
        members["annotations.json"] = _dump_json(encode(annotations, "annotations"))
    manifest = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "estimator": "GANSampler",
        "skgan_version": __version__,
        "torch_version": torch.__version__,
        "sha256": {
            name: hashlib.sha256(data).hexdigest() for name, data in members.items()
        },
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", _dump_json(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
    _write_atomically(path, archive.getvalue())


# -- reading --------------------------------------------------------------------


def _describe(path):
    if isinstance(path, (str, os.PathLike)):
        return f"{os.fspath(path)!r}"
    return "The model file"


def _load_json(data, member, where):
    try:
        return json.loads(data, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as error:
        raise ModelFileError(
            f"{where}: {member} is not valid JSON ({error}). The file is corrupt "
            "or was not written by skgan."
        ) from None


def _reject_constant(name):
    raise ValueError(f"{name} is not standard JSON")


def _read_members(path, where):
    """Check the archive, its manifest and checksums; return manifest and members."""

    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "manifest.json" not in names:
                raise ModelFileError(
                    f"{where} is not an skgan model file: it has no manifest.json. "
                    "Load files written by GANSampler.save only."
                )
            data = {name: zf.read(name) for name in set(names)}
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        # Encrypted members, and compression methods zipfile lacks.
        RuntimeError,
        NotImplementedError,
    ) as error:
        raise ModelFileError(
            f"{where} is truncated or not an skgan model file: it could not be "
            f"read as a zip archive ({error}). Load files written by "
            "GANSampler.save, and save the model again if this one was cut short."
        ) from error

    manifest = _load_json(data.pop("manifest.json"), "manifest.json", where)
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise ModelFileError(
            f"{where} is not an skgan model file: its manifest does not name the "
            "skgan format. Load files written by GANSampler.save only."
        )
    saved_by = manifest.get("skgan_version", "an unknown version")
    version = manifest.get("format_version")
    if type(version) is not int:
        raise ModelFileError(f"{where} has a malformed manifest: no format_version.")
    if version > FORMAT_VERSION:
        raise ModelFileError(
            f"{where} was saved by skgan {saved_by} in model format {version}; this "
            f"is skgan {__version__}, which reads format {FORMAT_VERSION}. Upgrade "
            "skgan to load it, or refit the model with this version."
        )
    if version < FORMAT_VERSION:
        raise ModelFileError(
            f"{where} was saved by skgan {saved_by} in model format {version}; this "
            f"is skgan {__version__}, which reads format {FORMAT_VERSION}. Refit the "
            f"model with this version and save it again, or load it with skgan "
            f"{saved_by}."
        )
    if manifest.get("estimator") != "GANSampler":
        raise ModelFileError(
            f"{where} holds a {manifest.get('estimator')!r}; only GANSampler model "
            "files can be loaded."
        )
    hashes = manifest.get("sha256")
    if not isinstance(hashes, dict) or len(names) != len(set(names)):
        raise ModelFileError(f"{where} has a malformed manifest or duplicate members.")
    for name in _MEMBERS:
        if name not in data or name not in hashes:
            raise ModelFileError(
                f"{where} has no {name}: it is truncated or was modified after it "
                "was saved. Save the model again with GANSampler.save."
            )
    unexpected = sorted(set(data) - set(_MEMBERS) - set(_OPTIONAL_MEMBERS))
    if unexpected:
        raise ModelFileError(
            f"{where} holds unexpected members {unexpected}: it was modified after "
            "it was saved. Save the model again with GANSampler.save."
        )
    for name in data:
        if hashlib.sha256(data[name]).hexdigest() != hashes.get(name):
            raise ModelFileError(
                f"{where} was modified after it was saved: the checksum of {name} "
                "does not match its manifest. Save the model again with "
                "GANSampler.save, and do not edit model files."
            )
    return manifest, data


# What decoding a member that skgan did not write may raise.
_DECODING_ERRORS = (KeyError, TypeError, ValueError, AttributeError, RecursionError)


def malformed(where, member, error):
    return ModelFileError(
        f"{where}: {member} is malformed ({type(error).__name__}: {error}). The file "
        "was not written by skgan, or was modified after it was saved."
    )


def _check_config(config, saved_by, where, known):
    """Decode the parameters and refuse those this skgan version does not know."""
    if not isinstance(config, dict):
        raise ModelFileError(f"{where}: config.json does not hold parameters.")
    # generator__* and discriminator__* go to the networks, which say at
    # rebuild time whether they take them.
    unknown = sorted(
        name
        for name in set(config) - set(known)
        if not name.startswith(NETWORK_PREFIXES)
    )
    if unknown:
        raise ModelFileError(
            f"{where} was saved by skgan {saved_by}, whose GANSampler has "
            f"parameter(s) {unknown} that this skgan {__version__} does not know. "
            f"Load it with skgan {saved_by}, or refit the model with this version."
        )
    try:
        params = {name: decode(value) for name, value in config.items()}
    except (KeyError, TypeError, ValueError, RecursionError) as error:
        raise malformed(where, "config.json", error) from error
    if params.get("callbacks") is not None:
        raise ModelFileError(
            f"{where}: config.json holds callbacks, which a model file never "
            "stores. The file was modified after it was saved."
        )
    return params


def _load_weights(data, device, where):
    try:
        weights = torch.load(io.BytesIO(data), map_location=device, weights_only=True)
    except pickle.UnpicklingError as error:
        raise ModelFileError(
            f"{where}: weights.pt holds objects other than tensors, which skgan "
            "refuses to load because unpickling them could run arbitrary code. "
            "The file was not written by skgan, or was tampered with: do not use it."
        ) from error
    except (RuntimeError, ValueError, EOFError, OSError) as error:
        raise malformed(where, "weights.pt", error) from error

    def is_state_dict(state):
        return isinstance(state, dict) and all(
            isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in state.items()
        )

    allowed = set(_NETWORKS + _OPTIONAL_NETWORKS)
    if (
        not isinstance(weights, dict)
        or not set(_NETWORKS) <= set(weights) <= allowed
        or not all(is_state_dict(state) for state in weights.values())
    ):
        raise ModelFileError(
            f"{where}: weights.pt does not hold the generator's and the "
            "discriminator's tensors. The file was not written by skgan, or was "
            "modified after it was saved."
        )
    return weights


class SavedModel(NamedTuple):
    """What a model file holds, read, checked and rebuilt, but not assembled."""

    where: str  # the file, as messages name it
    params: dict
    attributes: dict  # fitted attributes of the sampler (_SAMPLER_ATTRIBUTES)
    kind: object
    plan: Plan
    encoder: object
    history: History
    weights: dict
    annotations: dict | None


def _fitted_state(state):
    """The attributes, kind, plan, encoder and history a state holds."""
    attributes = _decode_named(state["attributes"])
    unknown = set(attributes) - set(_SAMPLER_ATTRIBUTES)
    if unknown:
        raise ValueError(f"unknown fitted attributes {sorted(unknown)}")
    entry = state["kind"]
    kind = kind_from_state(
        entry["name"], _decode_named(entry["state"]), entry["version"]
    )
    plan = Plan.from_state(
        _decode_named(state["plan"]["state"]),
        checked_state_version(Plan, state["plan"]["version"], "plan"),
    )
    encoder = decode(state["encoder"])
    if not isinstance(encoder, (TabularEncoder, ImageScaler)):
        raise TypeError(f"the encoder is a {type(encoder).__name__}")
    return attributes, kind, plan, encoder, History(decode(state["history"]))


def read_model(path, known_params, device):
    """Read and check a model file; rebuild what it holds.

    Parameters
    ----------
    path : str, path-like or binary file object
    known_params : dict
        The parameters this skgan's GANSampler takes, with their defaults.
    device : str or torch.device
        Where to load the weights.

    Returns
    -------
    saved : SavedModel

    Raises
    ------
    ModelFileError
        If the file is not one skgan wrote and can read.
    """
    where = _describe(path)
    manifest, data = _read_members(path, where)
    saved_by = manifest.get("skgan_version", "an unknown version")
    config = _load_json(data["config.json"], "config.json", where)
    state = _load_json(data["state.json"], "state.json", where)
    params = _check_config(config, saved_by, where, known_params)
    try:
        attributes, kind, plan, encoder, history = _fitted_state(state)
    except _DECODING_ERRORS as error:
        raise malformed(where, "state.json", error) from error
    annotations = None
    if "annotations.json" in data:
        encoded = _load_json(data["annotations.json"], "annotations.json", where)
        try:
            annotations = decode(encoded)
        except _DECODING_ERRORS as error:
            raise malformed(where, "annotations.json", error) from error
    weights = _load_weights(data["weights.pt"], device, where)
    return SavedModel(
        where, params, attributes, kind, plan, encoder, history, weights, annotations
    )
