"""Saving and loading a fitted GANSampler without pickle (``skgan._io.model_file``,
``skgan._io.loading``, ``skgan._io.serialization``).

What this file checks:

* a loaded sampler samples exactly the rows the saved one does (int
  ``random_state``), for a conditional model of a mixed-type DataFrame (NaN,
  None, pd.NA, category, ordered integer category, bool, nullable boolean and
  Int64, ``string`` and ``str``, an object column mixing ints and strings, a
  time-zone-aware timestamp column made categorical) and for an unconditional
  model of a float32 array; and that pickling does the same;
* the fitted encoder, the fitted attributes, the parameters and the history
  come back with their exact types, and the tagged JSON encoding round-trips
  numpy scalars and arrays, None/NaN/pd.NA/NaT, timestamps, pandas dtypes
  and indexes exactly;
* values that cannot be stored (a Decimal column, a function, a subclass,
  an unfitted sampler) fail at save time with a clear error, and callbacks
  are dropped with one warning;
* truncated, foreign, tampered, incompatible and malicious files fail at load
  time with a ``ModelFileError`` whose message says what to do, and a crafted
  pickle in ``weights.pt`` (with checksums recomputed, as an attacker would)
  does not run its code;
* a model saved with ``device="cuda"`` loads on the CPU (simulated: no GPU
  is needed, the config is rewritten).

What it does not check: loading on a real GPU, files from other skgan
versions (skgan writes one format so far), or the quality of samples.
"""

import copy
import hashlib
import io
import json
import pickle
import warnings
import zipfile
from collections import OrderedDict
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
import torch
from _settings import TINY
from sklearn.exceptions import NotFittedError
from skorch.callbacks import Callback

import skgan
from skgan import GANSampler
from skgan._io.loading import _load_annotated, load_sampler
from skgan._io.model_file import FORMAT_VERSION, ModelFileError, save_sampler
from skgan._io.serialization import decode as _decode
from skgan._io.serialization import encode as _encode

# Model files written by earlier versions of skgan, and what they sampled.

N_ROWS = 200


def _mixed_frame():
    """A table with one column of every kind a model file has to restore."""
    rng = np.random.RandomState(0)
    n = N_ROWS
    missing = rng.rand(8, n) < 0.15
    age = np.where(rng.rand(n) < 0.5, rng.normal(30, 3, n), rng.normal(60, 5, n))
    age[missing[0]] = np.nan
    visits = pd.array(rng.randint(0, 5, n), dtype="Int64")
    visits[missing[1]] = pd.NA
    city = pd.Categorical(
        rng.choice(["Oslo", "Rome", "Lima"], n),
        categories=["Lima", "Oslo", "Rome", "Ulm"],
    )
    city[missing[2]] = np.nan
    member = pd.array(rng.rand(n) < 0.4, dtype="boolean")
    member[missing[3]] = pd.NA
    note = pd.Series(rng.choice(["x", "y", "z"], n), dtype="string")
    note[missing[4]] = pd.NA
    code = pd.Series(rng.choice(["AB", "CD"], n), dtype="str")
    code[missing[5]] = np.nan
    mixed = np.array(rng.choice([1, 2, "a"], n).tolist(), dtype=object)
    mixed[mixed == "1"] = 1  # a Python int beside strings
    mixed[missing[6]] = None
    when = pd.Series(
        pd.date_range("2024-03-01", periods=4, freq="D", tz="Europe/Oslo")[
            rng.randint(0, 4, n)
        ]
    )
    when[missing[7]] = pd.NaT
    X = pd.DataFrame(
        {
            "age": age,
            "visits": visits,
            "income": rng.randint(1000, 9000, n).astype(np.int64),
            "city": city,
            "grade": pd.Categorical(
                rng.randint(1, 4, n), categories=[1, 2, 3], ordered=True
            ),
            "flag": rng.rand(n) < 0.3,
            "member": member,
            "note": note,
            "code": code,
            "mixed": mixed,
            "when": when,
        }
    )
    y = np.where(rng.rand(n) < 0.3, "yes", "no").astype(object)
    return X, y


@pytest.fixture(scope="module")
def frame_data():
    return _mixed_frame()


@pytest.fixture(scope="module")
def frame_gan(frame_data):
    X, y = frame_data
    return GANSampler(**TINY, categorical_features=["when"]).fit(X, y)


@pytest.fixture(scope="module")
def array_gan():
    rng = np.random.RandomState(1)
    X = rng.normal(size=(N_ROWS, 3)).astype(np.float32)
    X[rng.rand(N_ROWS) < 0.1, 2] = np.nan
    return GANSampler(**TINY).fit(X)


@pytest.fixture(scope="module")
def saved(frame_gan, tmp_path_factory):
    path = tmp_path_factory.mktemp("models") / "frame.skgan"
    save_sampler(frame_gan, path)
    return path


@pytest.fixture(scope="module")
def loaded(saved):
    return load_sampler(saved)


def _members(path):
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _forge(source, target, edit, *, recompute_hashes=True):
    """Write to ``target`` the file ``source`` with its members changed by ``edit``.

    ``edit`` gets the parsed manifest and the other members (name -> bytes) and
    changes them in place. With ``recompute_hashes`` the checksums are made to
    match again, as an attacker would.
    """
    members = _members(source)
    manifest = json.loads(members.pop("manifest.json"))
    edit(manifest, members)
    if recompute_hashes:
        manifest["sha256"] = {
            name: hashlib.sha256(data).hexdigest() for name, data in members.items()
        }
    with zipfile.ZipFile(target, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, data in members.items():
            zf.writestr(name, data)
    return target


def _edit_json(member, change):
    """An ``edit`` for :func:`_forge` that changes one JSON member."""

    def edit(_manifest, members):
        data = json.loads(members[member])
        data = change(data) or data
        members[member] = json.dumps(data).encode()

    return edit


def _round_trip(value):
    return _decode(json.loads(json.dumps(_encode(value, "the value"), allow_nan=False)))


def _assert_identical(a, b):
    """``b`` has the type and value of ``a``, recursively; NaN equals NaN."""
    assert type(a) is type(b), (a, b)
    if isinstance(a, pd.Index):
        pd.testing.assert_index_equal(a, b, exact=True)
        assert list(a.names) == list(b.names)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape
        if a.dtype == object:
            for x, z in zip(a.ravel(), b.ravel(), strict=True):
                _assert_identical(x, z)
        else:
            np.testing.assert_array_equal(a, b)
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, z in zip(a, b, strict=True):
            _assert_identical(x, z)
    elif isinstance(a, dict):
        _assert_identical(list(a.items()), list(b.items()))
    elif isinstance(a, np.random.RandomState):
        _assert_identical(a.get_state(), b.get_state())
    elif isinstance(a, pd.CategoricalDtype):
        assert a.ordered == b.ordered
        _assert_identical(a.categories, b.categories)
    elif isinstance(a, pd.api.extensions.ExtensionDtype):
        assert a == b and repr(a) == repr(b)
    elif isinstance(a, pd.Timestamp):
        assert a == b and a.unit == b.unit and str(a.tz) == str(b.tz)
    elif isinstance(a, pd.Timedelta):
        assert a == b and a.unit == b.unit
    elif a is pd.NA or a is pd.NaT or a is None:
        assert a is b
    elif isinstance(a, (float, np.floating)) and np.isnan(a):
        assert np.isnan(b)
    else:
        assert a == b, (a, b)


# -- loaded models behave as the saved ones ----------------------------------


def test_pickled_sampler_samples_identical_rows(frame_gan):
    restored = pickle.loads(pickle.dumps(frame_gan))
    pd.testing.assert_frame_equal(restored.sample(100), frame_gan.sample(100))
    pd.testing.assert_frame_equal(
        restored.sample(40, y="yes"), frame_gan.sample(40, y="yes")
    )


def test_loaded_sampler_samples_identical_rows(frame_gan, loaded, frame_data):
    samples = loaded.sample(300)
    pd.testing.assert_frame_equal(samples, frame_gan.sample(300))
    # The container, columns and dtypes of the training table come back too.
    pd.testing.assert_series_equal(samples.dtypes, frame_data[0].dtypes)


@pytest.mark.parametrize("label", ["yes", "no"])
def test_loaded_conditional_sampler_samples_class_identically(frame_gan, loaded, label):
    X_new, y_new = loaded.sample(60, y=label, return_y=True)
    X_old, y_old = frame_gan.sample(60, y=label, return_y=True)
    pd.testing.assert_frame_equal(X_new, X_old)
    np.testing.assert_array_equal(y_new, y_old)


def test_loaded_array_sampler_samples_identical_array(array_gan, tmp_path):
    save_sampler(array_gan, tmp_path / "array.skgan")
    restored = load_sampler(tmp_path / "array.skgan")
    samples = restored.sample(300)
    assert isinstance(samples, np.ndarray) and samples.dtype == np.float32
    np.testing.assert_array_equal(samples, array_gan.sample(300))
    assert restored.classes_ is None


def test_loaded_encoder_encodes_and_decodes_identically(frame_gan, loaded, frame_data):
    X, _ = frame_data
    np.testing.assert_array_equal(
        loaded.encoder_.transform(X), frame_gan.encoder_.transform(X)
    )
    noise = np.random.RandomState(0).uniform(
        -1, 1, (500, frame_gan.encoder_.n_features_out_)
    )
    pd.testing.assert_frame_equal(
        loaded.encoder_.inverse_transform(noise),
        frame_gan.encoder_.inverse_transform(noise),
    )


def test_loaded_encoder_state_is_identical(frame_gan, loaded):
    original, restored = frame_gan.encoder_, loaded.encoder_
    assert restored.get_params() == original.get_params()
    assert set(vars(restored)) == set(vars(original))
    for name, value in vars(original).items():
        if name != "codecs_":
            _assert_identical(value, getattr(restored, name))
    for old, new in zip(original.codecs_, restored.codecs_, strict=True):
        assert type(new) is type(old)
        _assert_identical(dict(sorted(vars(old).items())),
                          dict(sorted(vars(new).items())))  # fmt: skip


def test_loaded_encoder_keeps_missing_markers(loaded):
    markers = {
        name: codec.values[-1]
        for name, codec in zip(
            loaded.encoder_._columns, loaded.encoder_.codecs_, strict=True
        )
        if getattr(codec, "values", None) is not None and codec.has_missing
    }
    assert markers["city"] is not None and np.isnan(markers["city"])
    assert markers["member"] is pd.NA and markers["note"] is pd.NA
    assert markers["mixed"] is None and markers["when"] is pd.NaT


def test_loaded_fitted_attributes_are_identical(frame_gan, loaded):
    for name in (
        "classes_",
        "class_prior_",
        "sampling_strategy_",
        "batch_size_",
        "epochs_",
        "n_features_in_",
        "feature_names_in_",
        "best_validation_score_",
    ):
        _assert_identical(getattr(frame_gan, name), getattr(loaded, name))


def test_loaded_history_keeps_losses_per_epoch_and_batch(frame_gan, loaded):
    assert len(loaded.history_) == len(frame_gan.history_) == TINY["epochs"]
    assert loaded.history_ is loaded.net_.history_
    for key in ("d_loss", "g_loss", "dur"):
        assert loaded.history_[:, key] == frame_gan.history_[:, key]
    assert (
        loaded.history_[-1, "batches", :, "d_loss"]
        == (frame_gan.history_[-1, "batches", :, "d_loss"])
    )


def test_history_entries_that_cannot_be_stored_are_dropped(frame_gan, tmp_path):
    gan = copy.deepcopy(frame_gan)
    gan.history_.record("checkpoint", object())  # e.g. what a callback left
    gan.history_.record("note", "kept")
    save_sampler(gan, tmp_path / "history.skgan")
    history = load_sampler(tmp_path / "history.skgan").history_
    assert "checkpoint" not in history[-1] and history[-1, "note"] == "kept"
    assert history[:, "g_loss"] == frame_gan.history_[:, "g_loss"]


def test_loaded_parameters_are_identical(frame_gan, loaded):
    _assert_identical(frame_gan.get_params(), loaded.get_params())


def test_file_holds_manifest_json_and_weights(saved):
    members = _members(saved)
    assert sorted(members) == [
        "config.json", "manifest.json", "state.json", "weights.pt"
    ]  # fmt: skip
    manifest = json.loads(members["manifest.json"])
    assert manifest["format"] == "skgan"
    assert manifest["format_version"] == FORMAT_VERSION
    assert manifest["skgan_version"] == skgan.__version__
    assert manifest["torch_version"] == torch.__version__
    assert manifest["sha256"]["weights.pt"] == (
        hashlib.sha256(members["weights.pt"]).hexdigest()
    )
    config = json.loads(members["config.json"])
    assert config["device"] == "cpu" and config["callbacks"] is None
    assert config["latent_dim"] == TINY["latent_dim"]


def test_loading_emits_no_warnings(saved):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_sampler(saved).sample(5)


def test_loading_leaves_global_random_state_alone(saved):
    torch_state = torch.get_rng_state()
    numpy_state = np.random.get_state()  # noqa: NPY002
    load_sampler(saved)
    assert torch.equal(torch.get_rng_state(), torch_state)
    _assert_identical(np.random.get_state(), numpy_state)  # noqa: NPY002


def test_saving_again_replaces_the_file_and_leaves_no_temporary(frame_gan, tmp_path):
    path = tmp_path / "model.skgan"
    path.write_bytes(b"an older model")
    save_sampler(frame_gan, path)
    save_sampler(frame_gan, str(path))
    assert [p.name for p in tmp_path.iterdir()] == ["model.skgan"]
    pd.testing.assert_frame_equal(load_sampler(path).sample(5), frame_gan.sample(5))


def test_model_saved_on_cuda_loads_on_cpu(frame_gan, saved, tmp_path):
    # No GPU needed: what a GPU-trained model leaves in its file is
    # device="cuda" in config.json (weights are always saved as CPU tensors).
    path = _forge(
        saved,
        tmp_path / "cuda.skgan",
        _edit_json("config.json", _set("device", "cuda")),
    )
    restored = load_sampler(path)
    assert restored.device == "cpu"
    assert next(restored.net_.module_.parameters()).device.type == "cpu"
    pd.testing.assert_frame_equal(restored.sample(50), frame_gan.sample(50))


def test_load_sets_the_device_parameter(saved):
    device = torch.device("cpu")
    assert load_sampler(saved, device=device).device is device


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_loading_onto_a_missing_device_raises(saved):
    with pytest.raises(ValueError, match=r"device='cuda'.*Load with device='cpu'"):
        load_sampler(saved, device="cuda")


def test_parameter_missing_from_an_older_file_takes_its_default(saved, tmp_path):
    # A parameter added in a later skgan is absent from older files.
    path = _forge(
        saved,
        tmp_path / "old.skgan",
        _edit_json("config.json", _drop("n_iter_no_change")),
    )
    assert load_sampler(path).n_iter_no_change == GANSampler().n_iter_no_change


# -- the tagged JSON encoding --------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        None, True, 2**70, 1.5, "text", float("nan"), float("-inf"),
        np.int64(3), np.int32(-7), np.uint8(200), np.float32(0.1),
        np.float64(np.nan), np.bool_(False), np.str_("é"),
        pd.NA, pd.NaT,
        pd.Timestamp("2021-03-04 05:06:07.000000008"),
        pd.Timestamp("2021-03-04 05:06", tz="Europe/Oslo").as_unit("s"),
        pd.Timedelta("1 day 3ns"),
        (1, "a", (None, np.int8(2))),
        [np.float64(1.0), 1.0, 1],
        {"a": [1, 2.5], 3: None},
        OrderedDict([(np.int64(1), np.int64(0)), (np.int64(2), np.int64(5))]),
        np.array([[1.5, np.nan], [np.inf, -0.0]], dtype=np.float32),
        np.array(["a", "bc"]),
        np.array([True, False]),
        np.array([1, "a", None, np.nan, (1, 2)], dtype=object),
        np.random.RandomState(3),
    ],
)  # fmt: skip
def test_values_round_trip_with_their_exact_type(value):
    _assert_identical(value, _round_trip(value))


@pytest.mark.parametrize(
    "dtype",
    [
        np.dtype("int64"), np.dtype(">f4"), np.dtype("<U3"), np.dtype(object),
        np.dtype("datetime64[us]"), np.dtype(bool),
        pd.CategoricalDtype(["b", "a"], ordered=True),
        pd.CategoricalDtype([3, 1]),
        pd.CategoricalDtype(pd.to_datetime(["2020-01-01"]).tz_localize("UTC")),
        pd.Int64Dtype(), pd.UInt8Dtype(), pd.Float32Dtype(), pd.BooleanDtype(),
        pd.StringDtype("python"), pd.Series(["a"], dtype="str").dtype,
        pd.DatetimeTZDtype("ns", "Europe/Oslo"),
    ],
)  # fmt: skip
def test_dtypes_round_trip_exactly(dtype):
    _assert_identical(dtype, _round_trip(dtype))


@pytest.mark.parametrize(
    "index",
    [
        pd.RangeIndex(2, 10, 2, name="r"),
        pd.Index(["a", "b"], dtype="str"),
        pd.Index(["a", 1, None], dtype=object, name="mixed"),
        pd.Index([1, None], dtype="Int64"),
        pd.Index([("a", 1)], dtype=object, tupleize_cols=False),
        pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["x", "y"]),
        pd.CategoricalIndex(["a", "b"], categories=["b", "a", "c"]),
    ],
)
def test_indexes_round_trip_exactly(index):
    _assert_identical(index, _round_trip(index))


# -- what cannot be saved -------------------------------------------------------


def test_column_of_unsupported_type_raises_type_error_naming_it(tmp_path):
    rng = np.random.RandomState(0)
    X = pd.DataFrame(
        {"x": rng.normal(size=100), "price": [Decimal("1.5"), Decimal("2.5")] * 50}
    )
    gan = GANSampler(**{**TINY, "epochs": 1}).fit(X)
    with pytest.raises(TypeError, match=r"column 'price'.*decimal\.Decimal"):
        save_sampler(gan, tmp_path / "decimal.skgan")
    assert not any(tmp_path.iterdir())


def test_function_as_parameter_raises_type_error(frame_gan, tmp_path):
    gan = copy.deepcopy(frame_gan).set_params(sampling_strategy=lambda y: {"yes": 10})
    with pytest.raises(TypeError, match=r"parameter sampling_strategy.*function"):
        save_sampler(gan, tmp_path / "function.skgan")


def test_callbacks_are_not_saved_and_warn_once(frame_gan, tmp_path):
    gan = copy.deepcopy(frame_gan).set_params(callbacks=[Callback(), Callback()])
    with pytest.warns(UserWarning, match="callbacks are not saved") as record:
        save_sampler(gan, tmp_path / "callbacks.skgan")
    assert len(record) == 1
    assert load_sampler(tmp_path / "callbacks.skgan").callbacks is None


def test_saving_unfitted_sampler_raises_not_fitted(tmp_path):
    with pytest.raises(NotFittedError, match="call fit before saving"):
        save_sampler(GANSampler(), tmp_path / "unfitted.skgan")


def test_saving_a_subclass_raises_type_error(tmp_path):
    class MyGAN(GANSampler):
        pass

    with pytest.raises(TypeError, match=r"not a MyGAN.*Pickle it"):
        MyGAN().save(tmp_path / "subclass.skgan")


# -- files that must not load ------------------------------------------------------


@pytest.mark.parametrize(
    "cut", [lambda data: data[: len(data) // 2], lambda data: data[:-30], lambda _: b""]
)
def test_truncated_file_raises(saved, tmp_path, cut):
    path = tmp_path / "truncated.skgan"
    path.write_bytes(cut(saved.read_bytes()))
    with pytest.raises(ModelFileError, match="is truncated or not an skgan model file"):
        load_sampler(path)


def test_pickle_file_raises_not_a_model_file(frame_gan, tmp_path):
    path = tmp_path / "pickled.skgan"
    path.write_bytes(pickle.dumps(frame_gan))
    with pytest.raises(ModelFileError, match="is truncated or not an skgan model file"):
        load_sampler(path)


def test_zip_without_manifest_raises(tmp_path):
    path = tmp_path / "other.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("config.json", "{}")
    with pytest.raises(ModelFileError, match=r"not an skgan model file.*manifest"):
        load_sampler(path)


def test_missing_member_raises(saved, tmp_path):
    def drop_state(_manifest, members):
        del members["state.json"]

    path = _forge(saved, tmp_path / "partial.skgan", drop_state)
    with pytest.raises(ModelFileError, match=r"has no state.json.*truncated"):
        load_sampler(path)


def test_unexpected_member_raises(saved, tmp_path):
    def add_member(_manifest, members):
        members["payload.bin"] = b"\x80\x04"

    path = _forge(saved, tmp_path / "extra.skgan", add_member)
    with pytest.raises(ModelFileError, match=r"unexpected members.*modified"):
        load_sampler(path)


def test_annotations_come_back_and_are_checked(frame_gan, tmp_path):
    path = tmp_path / "annotated.skgan"
    note = {"target_dtype": np.dtype("int16"), "position": 3}
    save_sampler(frame_gan, path, annotations=note)
    annotations = _load_annotated(path)[1]
    assert annotations == note
    assert type(annotations["target_dtype"]) is type(np.dtype("int16"))
    bare = _forge(path, tmp_path / "bare.skgan", _drop_annotations)
    assert _load_annotated(bare)[1] is None

    def edit(_manifest, members):
        members["annotations.json"] = members["annotations.json"].replace(b"3", b"4")

    tampered = _forge(path, tmp_path / "t.skgan", edit, recompute_hashes=False)
    with pytest.raises(ModelFileError, match=r"checksum of annotations.json"):
        _load_annotated(tampered)


def _drop_annotations(_manifest, members):
    del members["annotations.json"]


def test_member_changed_without_its_checksum_raises(saved, tmp_path):
    path = _forge(
        saved,
        tmp_path / "tampered.skgan",
        _edit_json("config.json", _set("latent_dim", 9)),
        recompute_hashes=False,
    )
    with pytest.raises(
        ModelFileError, match=r"was modified after it was saved.*config.json"
    ):
        load_sampler(path)


def test_file_from_newer_format_raises(saved, tmp_path):
    def newer(manifest, _members):
        manifest.update(format_version=FORMAT_VERSION + 1, skgan_version="9.0")

    path = _forge(saved, tmp_path / "newer.skgan", newer)
    with pytest.raises(
        ModelFileError, match=r"saved by skgan 9\.0 .*this is skgan .*Upgrade skgan"
    ):
        load_sampler(path)


def test_file_from_older_incompatible_format_raises(saved, tmp_path):
    def older(manifest, _members):
        manifest.update(format_version=FORMAT_VERSION - 1, skgan_version="0.0.1")

    path = _forge(saved, tmp_path / "older.skgan", older)
    with pytest.raises(ModelFileError, match=r"saved by skgan 0\.0\.1 .*Refit"):
        load_sampler(path)


def test_unknown_parameter_raises(saved, tmp_path):
    path = _forge(
        saved, tmp_path / "unknown.skgan", _edit_json("config.json", _set("wings", 2))
    )
    with pytest.raises(
        ModelFileError, match=r"\['wings'\] that this skgan .* not know"
    ):
        load_sampler(path)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (lambda c: c.update(latent_dim="eight"), "invalid parameter"),
        (lambda c: c.update(latent_dim={"__type__": "os.system"}), "unknown type tag"),
        (lambda c: c.update(betas={"__type__": "tuple", "items": 3}), "malformed"),
        (lambda c: c.update(callbacks=["print_log"]), "holds callbacks"),
        (lambda c: ["not", "a", "mapping"], "does not hold parameters"),
    ],
)
def test_config_of_unexpected_type_raises(saved, tmp_path, change, match):
    path = _forge(saved, tmp_path / "config.skgan", _edit_json("config.json", change))
    with pytest.raises(ModelFileError, match=match):
        load_sampler(path)


def _encoder_named(name):
    def change(state):
        state["encoder"]["name"] = name

    return change


def _encoder_param(name, value):
    def change(state):
        for item in state["encoder"]["state"]["params"]["items"]:
            if item[0] == name:
                item[1] = value

    return change


@pytest.mark.parametrize(
    "change",
    [
        _encoder_named("Popen"),  # only skgan's own classes can be built
        lambda s: s["attributes"].update(sample=1),  # would shadow a method
        lambda s: s["attributes"].update(__class__=None),
        _encoder_param("n_modes", -1),
        lambda s: s["plan"]["state"].update(batch_size="all"),
        lambda s: s["plan"]["state"].update(loss="mine"),
        lambda s: s["plan"].update(version=2),
        lambda s: s["kind"].update(name="video"),
        lambda s: s.pop("history"),
    ],
)
def test_malformed_state_raises(saved, tmp_path, change):
    path = _forge(saved, tmp_path / "state.skgan", _edit_json("state.json", change))
    with pytest.raises(ModelFileError, match=r"state.json is malformed"):
        load_sampler(path)


class _RunsCode:
    """Unpickling this calls ``exec``: the classic pickle exploit."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        code = f"__import__('pathlib').Path({self.marker!r}).write_text('pwned')"
        return (exec, (code,))


def _malicious_weights(marker):
    buffer = io.BytesIO()
    torch.save({"generator": _RunsCode(marker), "discriminator": {}}, buffer)
    return buffer.getvalue()


def test_malicious_weights_do_not_run_code_on_load(saved, tmp_path):
    # The payload is live: an ordinary unpickling load runs it.
    control = tmp_path / "control"
    torch.load(io.BytesIO(_malicious_weights(control)), weights_only=False)
    assert control.read_text() == "pwned"

    marker = tmp_path / "pwned"

    def plant(_manifest, members):
        members["weights.pt"] = _malicious_weights(marker)

    path = _forge(saved, tmp_path / "malicious.skgan", plant)
    with pytest.raises(ModelFileError, match="objects other than tensors"):
        load_sampler(path)
    assert not marker.exists()


@pytest.mark.parametrize(
    "weights",
    [
        {"generator": {"w": 3}, "discriminator": {}},
        {"generator": {}},
        [torch.zeros(2)],
    ],
)
def test_weights_that_are_not_state_dicts_raise(saved, tmp_path, weights):
    buffer = io.BytesIO()
    torch.save(weights, buffer)

    def plant(_manifest, members):
        members["weights.pt"] = buffer.getvalue()

    path = _forge(saved, tmp_path / "weights.skgan", plant)
    with pytest.raises(ModelFileError, match="does not hold the generator's"):
        load_sampler(path)


def test_weights_of_another_model_raise(saved, array_gan, tmp_path):
    other = io.BytesIO()
    save_sampler(array_gan, other)
    other_weights = _members(other)["weights.pt"]

    def swap(_manifest, members):
        members["weights.pt"] = other_weights

    path = _forge(saved, tmp_path / "swapped.skgan", swap)
    with pytest.raises(ModelFileError, match="does not fit the networks"):
        load_sampler(path)


def _set(key, value):
    return lambda data: data.update({key: value})


def _drop(key):
    def change(data):
        del data[key]

    return change


def test_a_model_fitted_by_fit_resample_loads_with_its_resolved_settings(tmp_path):
    rng = np.random.RandomState(2)
    X, y = rng.normal(size=(60, 3)), np.r_[np.zeros(45), np.ones(15)]
    gan = GANSampler(**TINY)
    gan.fit_resample(X, y)
    save_sampler(gan, tmp_path / "resampler.skgan")
    restored = load_sampler(tmp_path / "resampler.skgan")
    assert (restored.classifier_weight_, restored.generator_lr_) == (0.3, 1e-3)
    assert restored.net_.optimizer_.param_groups[0]["lr"] == 1e-3
    np.testing.assert_array_equal(restored.sample(50, y=1), gan.sample(50, y=1))


def test_loaded_model_holds_the_fitted_weights_of_every_network(frame_gan, loaded):
    assert frame_gan.net_.classifier_ is not None  # conditional: a classifier
    for name in ("module_", "discriminator_", "classifier_"):
        fitted = getattr(frame_gan.net_, name).state_dict()
        restored = getattr(loaded.net_, name).state_dict()
        assert fitted.keys() == restored.keys()
        for key, value in fitted.items():
            assert torch.equal(value, restored[key]), (name, key)


def test_a_failed_temporary_file_reports_its_own_error(
    frame_gan, tmp_path, monkeypatch
):
    import skgan._io.model_file

    def refuse(path, mode="r", *args, **kwargs):
        raise PermissionError(13, "Permission denied", path)

    # Chmod cannot deny root, so the refusal is simulated at open().
    monkeypatch.setattr(skgan._io.model_file, "open", refuse, raising=False)
    with pytest.raises(PermissionError, match="Permission denied"):
        save_sampler(frame_gan, tmp_path / "model.skgan")
    assert list(tmp_path.iterdir()) == []


def test_dates_times_and_durations_survive_fit_sample_save_and_load(tmp_path):
    rng = np.random.default_rng(0)
    n = 200
    frame = pd.DataFrame(
        {
            "day": pd.Timestamp("2020-01-01")
            + pd.to_timedelta(rng.integers(0, 900, n), unit="D"),
            "stamp": (
                pd.Timestamp("2021-03-01")
                + pd.to_timedelta(rng.integers(0, 10**7, n), unit="s")
            ).tz_localize("Europe/Oslo", ambiguous="NaT", nonexistent="shift_forward"),
            "spent": pd.to_timedelta(rng.integers(1, 500, n), unit="min"),
            "x": rng.normal(size=n),
        }
    )
    frame.loc[rng.random(n) < 0.2, "day"] = pd.NaT
    gan = GANSampler(**TINY).fit(frame)
    samples = gan.sample(300)
    assert samples.dtypes.equals(frame.dtypes)
    assert str(samples["stamp"].dt.tz) == "Europe/Oslo"
    assert samples["day"].isna().any()  # missing dates are generated too
    days = samples["day"].dropna()
    assert (days == days.dt.normalize()).all()
    path = tmp_path / "times.skgan"
    save_sampler(gan, path)
    pd.testing.assert_frame_equal(load_sampler(path).sample(300), samples)
