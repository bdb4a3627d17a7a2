"""Save a fitted GANSampler to a file whose loading never runs pickled code.

A model file is a zip archive of four members, and an optional fifth:

``manifest.json``
    The format name ``"skgan"``, the format version, the skgan and torch
    versions that wrote it, the estimator class, and the SHA-256 of every
    other member.
``config.json``
    The sampler's parameters (``get_params()``).
``state.json``
    Its fitted attributes (``classes_``, ``epochs_``, ...), the training
    history, the fitted ``TabularEncoder`` and the layout of the net.
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

The JSON members use plain JSON for ``None``, bools, ints, finite floats,
strings and lists. Every JSON object inside a value is a tag such as
``{"__type__": "scalar", "dtype": "<i8", "value": 3}``, so numpy scalars and
arrays, NaN versus None versus ``pd.NA``, tuples, timestamps, pandas indexes
and dtypes come back with their exact types. Decoding builds only these
types, and the encoder's column codecs from a fixed list of three classes:
nothing in a file can name any other class or function to call.

The checksums detect truncated or accidentally modified files; they do not
stop an attacker, who can recompute them. What makes loading safe is that no
member is unpickled with the general pickle machinery.
"""

import contextlib
import hashlib
import io
import json
import math
import os
import pickle
import secrets
import warnings
import zipfile
import zlib
from collections import OrderedDict

import numpy as np
import pandas as pd
import torch
from sklearn.utils.validation import check_is_fitted
from skorch.history import History

from ._encoding import (
    TabularEncoder,
    _CategoricalCodec,
    _DiscreteNumericCodec,
    _NumericCodec,
    _QuantileCodec,
    _TimeCodec,
)
from ._images import ImageScaler
from ._kinds import kind_from_state
from ._net import torch_session
from ._plan import Plan
from ._version import __version__

__all__ = ["FORMAT_VERSION", "ModelFileError", "load_sampler", "save_sampler"]

FORMAT_NAME = "skgan"
# Bump when a change to the members means older skgan versions would
# misread new files; raise _OLDEST_READABLE_VERSION when this module stops
# reading old ones.
FORMAT_VERSION = 1
_OLDEST_READABLE_VERSION = 1
_MEMBERS = ("config.json", "state.json", "weights.pt")
_OPTIONAL_MEMBERS = ("annotations.json",)
_NETWORKS = ("generator", "discriminator")
_OPTIONAL_NETWORKS = ("generator_average", "classifier")
# The fitted attributes that are rebuilt from their own members.
_REBUILT = ("net_", "encoder_", "history_", "kind_", "plan_")
_CODECS = {
    cls.__name__: cls
    for cls in (
        _CategoricalCodec,
        _DiscreteNumericCodec,
        _NumericCodec,
        _QuantileCodec,
        _TimeCodec,
    )
}
# numpy kinds whose values JSON holds exactly: bool, int, uint, float, str.
_EXACT_KINDS = "biufU"


class ModelFileError(ValueError):
    """A model file cannot be loaded.

    Raised for files that are truncated, are not skgan model files, were
    modified after they were saved, hold anything but tensors in their
    weights, or were written by an incompatible skgan version.
    """


# -- tagged JSON --------------------------------------------------------------


def _tag(type_name, /, **fields):
    return {"__type__": type_name, **fields}


def _unsupported(value, where):
    kind = f"{type(value).__module__}.{type(value).__qualname__}"
    hint = (
        " A model file stores no code, so it cannot hold a function."
        if callable(value)
        else ""
    )
    return TypeError(
        f"Cannot save {where}: it holds a value of type {kind} ({value!r:.80}), "
        f"which a model file cannot store exactly without pickling.{hint} Convert "
        "it to numbers, strings, booleans or pandas Timestamps (and refit), or "
        "pickle the sampler instead of saving it."
    )


def _checked(tag, value, where):
    """Return ``tag`` if it decodes back to exactly ``value``, else raise."""
    try:
        restored = _decode(tag)
    except (KeyError, TypeError, ValueError) as error:
        raise _unsupported(value, where) from error
    if not _same(restored, value):
        raise _unsupported(value, where)
    return tag


def _encode_float(value):
    value = float(value)
    return value if math.isfinite(value) else _tag("float", value=repr(value))


def _encode_index(index, where):
    if isinstance(index, pd.MultiIndex):
        tag = _tag(
            "multi_index",
            items=[_encode(item, where) for item in index],
            names=_encode(list(index.names), where),
        )
    elif type(index) is pd.RangeIndex:
        tag = _tag(
            "range_index",
            start=index.start,
            stop=index.stop,
            step=index.step,
            name=_encode(index.name, where),
        )
    else:
        tag = _tag(
            "index",
            dtype=_encode(index.dtype, where),
            items=[_encode(item, where) for item in index.to_numpy(dtype=object)],
            name=_encode(index.name, where),
        )
    return _checked(tag, index, where)


def _encode_dtype(dtype, where):
    if isinstance(dtype, np.dtype):
        tag = _tag("numpy_dtype", str=dtype.str)
    elif isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories
        tag = _tag(
            "categorical_dtype",
            categories=None if categories is None else _encode(categories, where),
            ordered=dtype.ordered,
        )
    elif isinstance(dtype, pd.StringDtype):
        # pandas >= 2.3 tells "string" (missing is pd.NA) from "str" (NaN).
        na_value = getattr(dtype, "na_value", pd.NA)
        tag = _tag(
            "string_dtype", storage=dtype.storage, na_value=_encode(na_value, where)
        )
    else:
        # Int64, boolean, Float32, datetime64[ns, UTC], ...: pandas parses
        # their names back; _checked catches those it does not.
        tag = _tag("pandas_dtype", name=str(dtype))
    return _checked(tag, dtype, where)


def _encode(value, where):
    """``value`` as JSON data that :func:`_decode` turns back into it exactly.

    ``where`` names the value in the TypeError raised for an unsupported type.
    """
    kind = type(value)
    # Exact types only: np.float64 subclasses float, bool subclasses int, and
    # a subclass (an enum, say) would not come back as itself.
    if value is None or kind in (bool, int, str):
        return value
    if kind is float:
        return _encode_float(value)
    if kind is list:
        return [_encode(item, where) for item in value]
    if kind is tuple:
        return _tag("tuple", items=[_encode(item, where) for item in value])
    if kind in (dict, OrderedDict):
        items = [[_encode(k, where), _encode(v, where)] for k, v in value.items()]
        return _tag("dict" if kind is dict else "ordered_dict", items=items)
    if value is pd.NA:
        return _tag("NA")
    if value is pd.NaT:
        return _tag("NaT")
    if isinstance(value, np.generic) and value.dtype.kind in _EXACT_KINDS:
        item = value.item()
        item = _encode_float(item) if value.dtype.kind == "f" else item
        return _checked(_tag("scalar", dtype=value.dtype.str, value=item), value, where)
    if kind is np.ndarray and value.dtype.kind in _EXACT_KINDS + "O":
        flat = value.ravel()
        if value.dtype.kind == "O":
            items = [_encode(item, where) for item in flat]
        else:
            items = [_encode(item, where) for item in flat.tolist()]
        tag = _tag(
            "ndarray", dtype=value.dtype.str, shape=list(value.shape), items=items
        )
        return tag if value.dtype.kind == "O" else _checked(tag, value, where)
    if isinstance(value, (np.dtype, pd.api.extensions.ExtensionDtype)):
        return _encode_dtype(value, where)
    if isinstance(value, pd.Index):
        return _encode_index(value, where)
    if kind is pd.Timestamp:
        tz = None if value.tz is None else str(value.tz)
        tag = _tag("timestamp", iso=value.isoformat(), unit=value.unit, tz=tz)
        return _checked(tag, value, where)
    if kind is pd.Timedelta:
        tag = _tag("timedelta", nanoseconds=value.value, unit=value.unit)
        return _checked(tag, value, where)
    if kind is np.random.RandomState:
        return _tag("random_state", state=_encode(value.get_state(), where))
    if kind in _CODECS.values():
        attributes = {name: _encode(v, where) for name, v in vars(value).items()}
        return _tag("codec", name=kind.__name__, attributes=attributes)
    raise _unsupported(value, where)


def _decode_items(items):
    if not isinstance(items, list):
        raise TypeError(f"expected a list of items, got {type(items).__name__}")
    return [_decode(item) for item in items]


def _object_array(items):
    # np.array would turn items that are tuples or lists into more dimensions.
    array = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        array[i] = item
    return array


def _set_attributes(obj, attributes, forbidden):
    """Set decoded ``attributes`` on ``obj``, refusing names it must not take.

    A file may set data attributes only: no dunders, no parameters, and
    nothing that would shadow a method or property of the class.
    """
    if not isinstance(attributes, dict):
        raise TypeError("expected a mapping of attribute names to values")
    for name, value in attributes.items():
        if (
            not name.isidentifier()
            or name.startswith("__")
            or name in forbidden
            or hasattr(type(obj), name)
        ):
            raise ValueError(f"attribute {name!r} may not be set from a file")
        setattr(obj, name, _decode(value))


def _decode_ndarray(data):
    dtype = np.dtype(data["dtype"])
    items = _decode_items(data["items"])
    if dtype.kind == "O":
        array = _object_array(items)
    elif dtype.kind in _EXACT_KINDS:
        array = np.array(items, dtype=dtype)
    else:
        raise ValueError(f"arrays of dtype {dtype} are not stored by skgan")
    return array.reshape([int(n) for n in data["shape"]])


def _decode_index(data):
    dtype = _decode(data["dtype"])
    items = _decode_items(data["items"])
    return pd.Index(
        _object_array(items),
        dtype=dtype,
        name=_decode(data["name"]),
        tupleize_cols=False,
    )


def _decode_scalar(data):
    dtype = np.dtype(data["dtype"])
    if dtype.kind not in _EXACT_KINDS:
        raise ValueError(f"scalars of dtype {dtype} are not stored by skgan")
    return dtype.type(_decode(data["value"]))


def _decode_timestamp(data):
    stamp = pd.Timestamp(data["iso"])
    if data["tz"] is not None:
        stamp = stamp.tz_convert(data["tz"])
    return stamp.as_unit(data["unit"])


def _decode_string_dtype(data):
    na_value = _decode(data["na_value"])
    if na_value is pd.NA:
        return pd.StringDtype(data["storage"])
    return pd.StringDtype(data["storage"], na_value=na_value)


def _decode_categorical_dtype(data):
    categories = data["categories"]
    categories = None if categories is None else _decode(categories)
    return pd.CategoricalDtype(categories, ordered=data["ordered"])


def _decode_random_state(data):
    random_state = np.random.RandomState()
    random_state.set_state(_decode(data["state"]))
    return random_state


def _decode_codec(data):
    # The codec classes set their state in __init__ from a column; rebuild
    # the instance from that state instead.
    codec = object.__new__(_CODECS[data["name"]])
    _set_attributes(codec, data["attributes"], forbidden=())
    return codec


_DECODERS = {
    "float": lambda data: float(data["value"]),
    "tuple": lambda data: tuple(_decode_items(data["items"])),
    "dict": lambda data: {_decode(k): _decode(v) for k, v in data["items"]},
    "ordered_dict": lambda data: OrderedDict(
        (_decode(k), _decode(v)) for k, v in data["items"]
    ),
    "NA": lambda data: pd.NA,
    "NaT": lambda data: pd.NaT,
    "scalar": _decode_scalar,
    "ndarray": _decode_ndarray,
    "numpy_dtype": lambda data: np.dtype(data["str"]),
    "categorical_dtype": _decode_categorical_dtype,
    "string_dtype": _decode_string_dtype,
    "pandas_dtype": lambda data: pd.api.types.pandas_dtype(data["name"]),
    "index": _decode_index,
    "range_index": lambda data: pd.RangeIndex(
        data["start"], data["stop"], data["step"], name=_decode(data["name"])
    ),
    "multi_index": lambda data: pd.MultiIndex.from_tuples(
        _decode_items(data["items"]), names=_decode(data["names"])
    ),
    "timestamp": _decode_timestamp,
    "timedelta": lambda data: pd.Timedelta(data["nanoseconds"], unit="ns").as_unit(
        data["unit"]
    ),
    "random_state": _decode_random_state,
    "codec": _decode_codec,
}


def _decode(data):
    """Invert :func:`_encode`; raises KeyError, TypeError or ValueError on bad data."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [_decode(item) for item in data]
    if type(data) is not dict:
        raise TypeError(f"unexpected JSON value of type {type(data).__name__}")
    name = data.get("__type__")
    if name not in _DECODERS:
        raise ValueError(f"unknown type tag {name!r}")
    return _DECODERS[name](data)


def _same(a, b):
    """Whether ``b`` is ``a`` restored exactly: same type and value, NaN is NaN."""
    if a is b:
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, np.ndarray):
        return (
            a.dtype == b.dtype
            and a.shape == b.shape
            and np.array_equal(a, b, equal_nan=a.dtype.kind == "f")
        )
    if isinstance(a, pd.Index):
        return a.equals(b) and _same(a.dtype, b.dtype) and list(a.names) == b.names
    if isinstance(a, pd.CategoricalDtype):
        if a.categories is None or b.categories is None:
            return a.categories is b.categories and a.ordered == b.ordered
        return a.ordered == b.ordered and _same(a.categories, b.categories)
    if isinstance(a, pd.api.extensions.ExtensionDtype):
        return a == b and repr(a) == repr(b)
    if isinstance(a, pd.Timestamp):
        return a == b and a.unit == b.unit and str(a.tz) == str(b.tz)
    if isinstance(a, pd.Timedelta):
        return a == b and a.unit == b.unit
    try:
        return bool(a == b) or bool(a != a and b != b)
    except (TypeError, ValueError):
        return False


# -- what goes into the members -----------------------------------------------


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
        name: _encode(value, f"the parameter {name}") for name, value in params.items()
    }


def _history_rows(history):
    """The history, keeping only the entries a model file can store."""

    def storable(value):
        try:
            _encode(value, "")
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
    if isinstance(encoder, ImageScaler):
        return {
            "kind": "image",
            "sample_shape": [int(side) for side in encoder.sample_shape],
            "attributes": {
                name: _encode(value, f"the image scaler's attribute {name}")
                for name, value in vars(encoder).items()
                if name != "sample_shape"
            },
        }
    params = encoder.get_params(deep=False)
    columns = list(encoder._columns)
    attributes = {}
    for name, value in vars(encoder).items():
        if name in params:
            continue
        if type(value) is list and len(value) == len(columns):
            # Per-column lists (codecs_, _dtypes): name the column in errors.
            attributes[name] = [
                _encode(item, f"column {column!r}")
                for item, column in zip(value, columns, strict=True)
            ]
        else:
            attributes[name] = _encode(value, f"the encoder's attribute {name}")
    return {
        "params": {
            n: _encode(v, f"the encoder's parameter {n}") for n, v in params.items()
        },
        "attributes": attributes,
    }


def _state_of(sampler):
    params = sampler.get_params(deep=False)
    attributes = {
        name: _encode(value, f"the fitted attribute {name}")
        for name, value in vars(sampler).items()
        if name not in params and name not in _REBUILT
    }
    net = sampler.net_
    return {
        "attributes": attributes,
        "encoder": _encoder_state(sampler.encoder_),
        "history": _encode(_history_rows(sampler.history_), "the history"),
        "kind": {"name": sampler.kind_.name, "state": sampler.kind_.state()},
        "plan": sampler.plan_.state(),
        "net": {
            "batch_size": int(net.batch_size),
            "batches_per_epoch": int(getattr(net, "iterator_train__n_batches", 1)),
        },
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
    the module docstring for its layout. :func:`load_sampler` reads it back
    into a sampler whose ``sample`` returns the same rows as the original's
    (with an int ``random_state``). Callbacks are not saved.

    Parameters
    ----------
    sampler : GANSampler
        A fitted sampler. Subclasses are not supported: pickle them instead.
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
    load_sampler : Load the file back.

    Examples
    --------
    >>> import os, tempfile
    >>> from sklearn.datasets import load_iris
    >>> from skgan import GANSampler
    >>> from skgan._persistence import load_sampler, save_sampler
    >>> X, y = load_iris(return_X_y=True)
    >>> gan = GANSampler(epochs=2, random_state=0).fit(X, y)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = os.path.join(folder, "iris.skgan")
    ...     save_sampler(gan, path)
    ...     loaded = load_sampler(path)
    >>> bool((loaded.sample(5, y=2) == gan.sample(5, y=2)).all())
    True
    """
    # Imported here because _sampler imports this module to offer save().
    from ._sampler import GANSampler

    if type(sampler) is not GANSampler:
        raise TypeError(
            f"save_sampler saves a GANSampler, not a {type(sampler).__name__}: a "
            "model file stores no code, so it could not rebuild a subclass or "
            "another estimator. Pickle it instead."
        )
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
        members["annotations.json"] = _dump_json(_encode(annotations, "annotations"))
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


# -- loading --------------------------------------------------------------------


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
            f"is skgan {__version__}, which reads formats {_OLDEST_READABLE_VERSION} "
            f"to {FORMAT_VERSION}. Upgrade skgan to load it, or refit the model with "
            "this version."
        )
    if version < _OLDEST_READABLE_VERSION:
        raise ModelFileError(
            f"{where} was saved by skgan {saved_by} in model format {version}; this "
            f"is skgan {__version__}, which no longer reads formats older than "
            f"{_OLDEST_READABLE_VERSION}. Refit the model with this version and save "
            f"it again, or load it with skgan {saved_by}."
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


def _malformed(where, member, error):
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
        if not name.startswith(("generator__", "discriminator__"))
    )
    if unknown:
        raise ModelFileError(
            f"{where} was saved by skgan {saved_by}, whose GANSampler has "
            f"parameter(s) {unknown} that this skgan {__version__} does not know. "
            f"Load it with skgan {saved_by}, or refit the model with this version."
        )
    try:
        params = {name: _decode(value) for name, value in config.items()}
    except (KeyError, TypeError, ValueError, RecursionError) as error:
        raise _malformed(where, "config.json", error) from error
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
        raise _malformed(where, "weights.pt", error) from error

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


def _kind_and_plan(sampler, state):
    """The sampler's data kind and plan; files of format 1 derive them."""
    if "plan" in state:
        kind = kind_from_state(state["kind"]["name"], state["kind"]["state"], 1)
        return kind, Plan.from_state(state["plan"], 1)
    if sampler.image_shape_ is None:
        kind = kind_from_state("table", {}, 1)
    else:
        kind = kind_from_state("image", {"image_shape": sampler.image_shape_}, 1)
    network = sampler.network if sampler.network != "auto" else kind.auto["network"]
    batches_per_epoch = state["net"]["batches_per_epoch"]
    if not (type(batches_per_epoch) is int and batches_per_epoch > 0):
        raise ValueError("the net's batches per epoch must be a positive int")
    plan = Plan(
        **{name: getattr(sampler, f"{name}_") for name in Plan.FITTED},
        batches_per_epoch=batches_per_epoch,
        network=network,
    )
    return kind, plan


def _rebuild_encoder(state):
    if state.get("kind") == "image":
        encoder = ImageScaler(sample_shape=tuple(state["sample_shape"]))
        _set_attributes(encoder, state["attributes"], forbidden={"sample_shape"})
        return encoder
    params = {name: _decode(value) for name, value in state["params"].items()}
    params.setdefault("numeric_encoding", "modes")  # files of older versions
    encoder = TabularEncoder(**params)
    encoder._validate_params()
    _set_attributes(encoder, state["attributes"], forbidden=params)
    return encoder


def load_sampler(path, *, device="cpu"):
    """Load a :class:`GANSampler` saved by :func:`save_sampler`, without pickle.

    Parameters and fitted attributes are read from JSON and the network
    weights with ``torch.load(weights_only=True)``, so a file cannot run code
    when it is loaded. The sampler comes back fitted: ``sample``, ``score``
    and the fitted attributes work as they did before saving.

    Parameters
    ----------
    path : str, path-like or binary file object
        A file written by :func:`save_sampler`.
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
    save_sampler : Write the file.

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
    # Imported here because _sampler imports this module to offer save().
    from ._sampler import GANSampler

    try:
        # Fail here, not as an unreadable weights.pt, if the device is missing.
        torch.empty(0, device=device)
    except (RuntimeError, AssertionError) as error:
        raise ValueError(
            f"Cannot load onto device={device!r}: {error}. Load with "
            "device='cpu', or on a machine that has this device."
        ) from error
    where = _describe(path)
    manifest, data = _read_members(path, where)
    saved_by = manifest.get("skgan_version", "an unknown version")
    config = _load_json(data["config.json"], "config.json", where)
    state = _load_json(data["state.json"], "state.json", where)
    params = _check_config(config, saved_by, where, GANSampler().get_params())
    # Files written before numeric_encoding existed were mode-encoded; the
    # parameter must say so, or a refit of the loaded model would change.
    params.setdefault("numeric_encoding", "modes")
    params["device"] = device
    sampler = GANSampler(**params)
    try:
        sampler._validate_params()
    except (TypeError, ValueError) as error:
        raise ModelFileError(
            f"{where}: config.json holds an invalid parameter ({error}). The file "
            "was not written by skgan, or was modified after it was saved."
        ) from error
    try:
        _set_attributes(sampler, state["attributes"], forbidden=params)
        sampler.encoder_ = _rebuild_encoder(state["encoder"])
        history = History(_decode(state["history"]))
        sampler.kind_, sampler.plan_ = _kind_and_plan(sampler, state)
        n_classes = 0 if sampler.classes_ is None else len(sampler.classes_)
    except _DECODING_ERRORS as error:
        raise _malformed(where, "state.json", error) from error

    weights = _load_weights(data["weights.pt"], device, where)
    try:
        net = sampler.plan_.build_net(sampler, n_classes, callbacks=[])
        # Initialising draws random weights, replaced below; a session keeps
        # the caller's global torch RNG as it was.
        with torch_session(0, device, sampler.n_threads):
            net.initialize()
    except (KeyError, TypeError, ValueError, IndexError) as error:
        raise _malformed(where, "state.json", error) from error
    try:
        net.module_.load_state_dict(weights["generator"])
        net.discriminator_.load_state_dict(weights["discriminator"])
        # Files saved before skgan kept the auxiliary classifier have none:
        # it only guides training, so sampling is the same without it.
        if "classifier" in weights and getattr(net, "classifier_", None) is not None:
            net.classifier_.load_state_dict(weights["classifier"])
    except RuntimeError as error:
        raise ModelFileError(
            f"{where}: weights.pt does not fit the networks described by "
            "config.json and state.json. The file was modified after it was saved."
        ) from error
    if "generator_average" in weights:
        net._generator_average = weights["generator_average"]
    net.history_ = history
    sampler.net_ = net
    sampler.history_ = history
    annotations = None
    if "annotations.json" in data:
        encoded = _load_json(data["annotations.json"], "annotations.json", where)
        try:
            annotations = _decode(encoded)
        except (
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            RecursionError,
        ) as error:
            raise _malformed(where, "annotations.json", error) from error
    return sampler, annotations
