"""Tagged JSON: values restored with their exact types, without pickle.

Plain JSON holds ``None``, bools, ints, finite floats, strings and lists.
Every JSON object inside a value is a tag such as
``{"__type__": "scalar", "dtype": "<i8", "value": 3}``, so that numpy
scalars and arrays, NaN versus None versus ``pd.NA``, tuples, timestamps,
pandas indexes and dtypes come back with their exact types. Objects of the
classes :func:`register`-ed here are stored as their explicit ``state()``
with their ``STATE_VERSION``, and rebuilt by ``from_state(state, version)``.
Decoding builds only these types: nothing in the data can name any other
class or function to call.

This module knows nothing of skgan's models; ``skgan._io.model_file`` registers the
classes a model file holds.
"""

import math
from collections import OrderedDict

import numpy as np
import pandas as pd

__all__ = ["checked_state_version", "decode", "encode", "register", "same"]

# Classes whose objects are stored by their explicit state, by class name.
_CLASSES = {}

# numpy kinds whose values JSON holds exactly: bool, int, uint, float, str.
_EXACT_KINDS = "biufU"


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
        restored = decode(tag)
    except (KeyError, TypeError, ValueError) as error:
        raise _unsupported(value, where) from error
    if not same(restored, value):
        raise _unsupported(value, where)
    return tag


def _encode_float(value):
    value = float(value)
    return value if math.isfinite(value) else _tag("float", value=repr(value))


def _encode_index(index, where):
    if isinstance(index, pd.MultiIndex):
        tag = _tag(
            "multi_index",
            items=[encode(item, where) for item in index],
            names=encode(list(index.names), where),
        )
    elif type(index) is pd.RangeIndex:
        tag = _tag(
            "range_index",
            start=index.start,
            stop=index.stop,
            step=index.step,
            name=encode(index.name, where),
        )
    else:
        tag = _tag(
            "index",
            dtype=encode(index.dtype, where),
            items=[encode(item, where) for item in index.to_numpy(dtype=object)],
            name=encode(index.name, where),
        )
    return _checked(tag, index, where)


def _encode_dtype(dtype, where):
    if isinstance(dtype, np.dtype):
        tag = _tag("numpy_dtype", str=dtype.str)
    elif isinstance(dtype, pd.CategoricalDtype):
        categories = dtype.categories
        tag = _tag(
            "categorical_dtype",
            categories=None if categories is None else encode(categories, where),
            ordered=dtype.ordered,
        )
    elif isinstance(dtype, pd.StringDtype):
        # pandas >= 2.3 tells "string" (missing is pd.NA) from "str" (NaN).
        na_value = getattr(dtype, "na_value", pd.NA)
        tag = _tag(
            "string_dtype", storage=dtype.storage, na_value=encode(na_value, where)
        )
    else:
        # Int64, boolean, Float32, datetime64[ns, UTC], ...: pandas parses
        # their names back; _checked catches those it does not.
        tag = _tag("pandas_dtype", name=str(dtype))
    return _checked(tag, dtype, where)


def encode(value, where):
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
        return [encode(item, where) for item in value]
    if kind is tuple:
        return _tag("tuple", items=[encode(item, where) for item in value])
    if kind in (dict, OrderedDict):
        items = [[encode(k, where), encode(v, where)] for k, v in value.items()]
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
            items = [encode(item, where) for item in flat]
        else:
            items = [encode(item, where) for item in flat.tolist()]
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
        return _tag("random_state", state=encode(value.get_state(), where))
    if _CLASSES.get(kind.__name__) is kind:
        state = {name: encode(v, where) for name, v in value.state().items()}
        return _tag(
            "object", name=kind.__name__, version=kind.STATE_VERSION, state=state
        )
    raise _unsupported(value, where)


def _decode_items(items):
    if not isinstance(items, list):
        raise TypeError(f"expected a list of items, got {type(items).__name__}")
    return [decode(item) for item in items]


def _object_array(items):
    # np.array would turn items that are tuples or lists into more dimensions.
    array = np.empty(len(items), dtype=object)
    for i, item in enumerate(items):
        array[i] = item
    return array


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
    dtype = decode(data["dtype"])
    items = _decode_items(data["items"])
    return pd.Index(
        _object_array(items),
        dtype=dtype,
        name=decode(data["name"]),
        tupleize_cols=False,
    )


def _decode_scalar(data):
    dtype = np.dtype(data["dtype"])
    if dtype.kind not in _EXACT_KINDS:
        raise ValueError(f"scalars of dtype {dtype} are not stored by skgan")
    return dtype.type(decode(data["value"]))


def _decode_timestamp(data):
    stamp = pd.Timestamp(data["iso"])
    if data["tz"] is not None:
        stamp = stamp.tz_convert(data["tz"])
    return stamp.as_unit(data["unit"])


def _decode_string_dtype(data):
    na_value = decode(data["na_value"])
    if na_value is pd.NA:
        return pd.StringDtype(data["storage"])
    return pd.StringDtype(data["storage"], na_value=na_value)


def _decode_categorical_dtype(data):
    categories = data["categories"]
    categories = None if categories is None else decode(categories)
    return pd.CategoricalDtype(categories, ordered=data["ordered"])


def _decode_random_state(data):
    random_state = np.random.RandomState()
    random_state.set_state(decode(data["state"]))
    return random_state


def checked_state_version(cls, version, what):
    """``version`` of a saved state of ``cls``, if this skgan reads it."""
    if type(version) is not int or not 1 <= version <= cls.STATE_VERSION:
        raise ValueError(
            f"{what} state version {version!r}; this skgan reads versions 1 to "
            f"{cls.STATE_VERSION}"
        )
    return version


def _decode_object(data):
    cls = _CLASSES[data["name"]]  # a KeyError for any other name
    version = checked_state_version(cls, data["version"], data["name"])
    if not isinstance(data["state"], dict):
        raise TypeError(f"the state of a {data['name']} must be a mapping")
    state = {name: decode(value) for name, value in data["state"].items()}
    return cls.from_state(state, version)


_DECODERS = {
    "float": lambda data: float(data["value"]),
    "tuple": lambda data: tuple(_decode_items(data["items"])),
    "dict": lambda data: {decode(k): decode(v) for k, v in data["items"]},
    "ordered_dict": lambda data: OrderedDict(
        (decode(k), decode(v)) for k, v in data["items"]
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
        data["start"], data["stop"], data["step"], name=decode(data["name"])
    ),
    "multi_index": lambda data: pd.MultiIndex.from_tuples(
        _decode_items(data["items"]), names=decode(data["names"])
    ),
    "timestamp": _decode_timestamp,
    "timedelta": lambda data: pd.Timedelta(data["nanoseconds"], unit="ns").as_unit(
        data["unit"]
    ),
    "random_state": _decode_random_state,
    "object": _decode_object,
}


def decode(data):
    """Invert :func:`_encode`; raises KeyError, TypeError or ValueError on bad data."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(item) for item in data]
    if type(data) is not dict:
        raise TypeError(f"unexpected JSON value of type {type(data).__name__}")
    name = data.get("__type__")
    if name not in _DECODERS:
        raise ValueError(f"unknown type tag {name!r}")
    return _DECODERS[name](data)


def same(a, b):
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
        return a.equals(b) and same(a.dtype, b.dtype) and list(a.names) == b.names
    if isinstance(a, pd.CategoricalDtype):
        if a.categories is None or b.categories is None:
            return a.categories is b.categories and a.ordered == b.ordered
        return a.ordered == b.ordered and same(a.categories, b.categories)
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


def register(*classes):
    """Store objects of ``classes`` by their explicit state.

    Each class has ``state()``, a dict of the values to store,
    ``STATE_VERSION``, and a classmethod ``from_state(state, version)``.
    """
    for cls in classes:
        _CLASSES[cls.__name__] = cls
