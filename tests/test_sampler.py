"""Behaviour of GANSampler: its API, validation, containers and reproducibility.

Every test trains a tiny GAN for a few epochs, so nothing here says whether the
samples are any good; ``test_sampler_quality.py`` checks that.
"""

import copy
import pickle
import subprocess
import sys
import textwrap
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
import threadpoolctl
import torch
from _settings import TINY, tiny_gan
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline
from scipy import sparse
from sklearn.base import clone
from sklearn.datasets import make_classification
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from skorch.callbacks import (
    Callback,
    Checkpoint,
    EarlyStopping,
    GradientNormClipping,
    ProgressBar,
)

from skgan import GANSampler
from skgan._kinds.image import ImageKind
from skgan._kinds.table import TableKind
from skgan._plan import Plan


def _only_class_2(y):
    return {2: int(np.sum(y == 2)) + 25}


@pytest.fixture(scope="module")
def binary():
    X, y = make_classification(
        n_samples=200, n_features=4, n_informative=3, n_redundant=0,
        weights=[0.85], random_state=0,
    )  # fmt: skip
    return X, y


@pytest.fixture(scope="module")
def multiclass():
    X, y = make_classification(
        n_samples=300, n_features=4, n_informative=3, n_redundant=0,
        n_classes=3, weights=[0.6, 0.3, 0.1], random_state=0,
    )  # fmt: skip
    return X, y


@pytest.fixture(scope="module")
def frame():
    rng = np.random.default_rng(0)
    n = 150
    X = pd.DataFrame(
        {
            "age": rng.integers(18, 80, n),
            "income": np.where(rng.random(n) < 0.1, np.nan, rng.lognormal(10, 1, n)),
            "city": rng.choice(["Oslo", "Rome", "Lima"], n),
            "member": rng.random(n) < 0.4,
            "tier": pd.Categorical(rng.choice(["gold", "basic"], n), ["basic", "gold"]),
        }
    )
    y = pd.Series(np.where(rng.random(n) < 0.2, "churn", "stay"), name="status")
    return X, y


@pytest.fixture(scope="module")
def fitted(multiclass):
    X, y = multiclass
    return tiny_gan().fit(X, y)


# -- fit and history -----------------------------------------------------------


def test_fit_returns_self(binary):
    gan = tiny_gan()
    assert gan.fit(*binary) is gan


def test_history_records_both_losses_per_epoch(fitted):
    assert len(fitted.history_) == TINY["epochs"]
    for key in ("d_loss", "g_loss", "dur"):
        assert np.all(np.isfinite(fitted.history_[:, key]))


def test_net_owns_generator_and_discriminator_with_own_optimizers(fitted):
    net = fitted.net_
    generator_params = {id(p) for p in net.module_.parameters()}
    discriminator_params = {id(p) for p in net.discriminator_.parameters()}
    assert not generator_params & discriminator_params
    optimized_by_g = {id(p) for g in net.optimizer_.param_groups for p in g["params"]}
    optimized_by_d = {
        id(p) for g in net.optimizer_discriminator_.param_groups for p in g["params"]
    }
    assert optimized_by_g == generator_params
    assert optimized_by_d == discriminator_params


def test_learning_rates_and_betas_reach_the_optimizers(binary):
    gan = tiny_gan(
        generator_lr=1e-3, discriminator_lr=3e-4, betas=(0.3, 0.8), epochs=1
    ).fit(*binary)
    g_group = gan.net_.optimizer_.param_groups[0]
    d_group = gan.net_.optimizer_discriminator_.param_groups[0]
    assert g_group["lr"] == 1e-3 and d_group["lr"] == 3e-4
    assert g_group["betas"] == (0.3, 0.8) == d_group["betas"]


@pytest.mark.parametrize("loss", ["wgan-gp", "bce", "hinge"])
def test_every_loss_trains_to_finite_values(binary, loss):
    gan = tiny_gan(loss=loss).fit(*binary)
    assert np.isfinite(gan.history_[:, "d_loss"]).all()


def test_discriminator_steps_split_each_batch(binary):
    gan = tiny_gan(discriminator_steps=2, epochs=1).fit(*binary)
    batch_sizes = gan.history_[-1, "batches", :, "train_batch_size"]
    assert set(batch_sizes) == {2 * gan.batch_size_}


def test_auto_epochs_follow_the_rows_within_bounds():
    def auto_epochs(n_rows, batch_size, labelled=False):
        gan = tiny_gan(epochs="auto", batch_size=batch_size, pac=1)
        return Plan.resolve(
            gan.get_params(deep=False), TableKind(), n_rows, labelled
        ).epochs

    # 500 passes over a mid-sized table, 125 with class labels...
    assert auto_epochs(2_000, 500) == 500
    assert auto_epochs(1_000, 500) == 500
    assert auto_epochs(2_000, 500, labelled=True) == 125
    # ...at least 250,000 rows drawn from a small one (926 steps of 270)...
    assert auto_epochs(270, 500) == 926
    # ...and at most 5000 steps on a large one.
    assert auto_epochs(10_000, 500) == 250
    assert auto_epochs(1_000_000, 500) == 3


def test_fit_plans_as_labelled_only_when_conditioned_on_y(iris, monkeypatch):
    seen = []

    class Planned(Exception):
        pass

    def resolve(sampler, kind, n_rows, labelled=False):
        seen.append(labelled)
        raise Planned

    monkeypatch.setattr(Plan, "resolve", staticmethod(resolve))
    X, y = iris
    for gan, labels in [
        (tiny_gan(), None),
        (tiny_gan(), y),
        (tiny_gan(conditional=False), y),
    ]:
        with pytest.raises(Planned):
            gan.fit(X, labels)
    assert seen == [False, True, False]


def test_auto_epochs_of_images_make_125_passes():
    gan = tiny_gan(epochs="auto", batch_size=128, pac=1)
    # 5,000 images: 625,000 drawn in 4,883 batches of 128, 39 an epoch.
    assert (
        Plan.resolve(gan.get_params(deep=False), ImageKind((1, 8, 8)), 5_000).epochs
        == 126
    )


def test_batch_size_not_divisible_by_pac_is_rounded_with_a_warning(binary):
    with pytest.warns(UserWarning, match="not a multiple of pac"):
        gan = tiny_gan(batch_size=47, pac=10, epochs=1).fit(*binary)
    assert gan.batch_size_ == 40


def test_batch_size_is_capped_at_the_number_of_rows(binary):
    gan = tiny_gan(batch_size=10_000, pac=10, epochs=1).fit(*binary)
    assert gan.batch_size_ == 200


def test_unconditional_fit_without_y(binary):
    gan = tiny_gan().fit(binary[0])
    assert gan.classes_ is None
    assert gan.sample(5).shape == (5, 4)


def test_conditional_false_ignores_y(binary):
    gan = tiny_gan(conditional=False).fit(*binary)
    assert gan.classes_ is None


# -- sample ----------------------------------------------------------------------


def test_sample_returns_requested_class_only(fitted):
    X_new, y_new = fitted.sample(40, y=2, return_y=True)
    assert X_new.shape == (40, 4)
    assert set(y_new) == {2}


def test_sample_accepts_one_label_per_row(fitted):
    labels = np.array([0, 1, 2, 2])
    _, y_new = fitted.sample(4, y=labels, return_y=True)
    np.testing.assert_array_equal(y_new, labels)


def test_sample_without_y_draws_classes_from_the_training_prior(fitted, multiclass):
    _, y_new = fitted.sample(3000, return_y=True)
    observed = np.bincount(y_new, minlength=3) / 3000
    expected = np.bincount(multiclass[1]) / len(multiclass[1])
    np.testing.assert_allclose(observed, expected, atol=0.03)


def test_sample_keeps_array_dtype(binary):
    X, y = binary
    gan = tiny_gan().fit(X.astype(np.float32), y)
    assert gan.sample(3).dtype == np.float32


def test_sample_streams_in_chunks(fitted):
    # More rows than one generator chunk: the chunks must be stitched in order.
    X_new = fitted.sample(20_000, y=1)
    assert X_new.shape == (20_000, 4)
    assert np.isfinite(X_new).all()


def test_sample_runs_in_eval_mode_without_gradients(fitted):
    generator = fitted.net_.module_
    seen = []
    hook = generator.register_forward_hook(
        lambda module, args, out: seen.append((module.training, out.requires_grad))
    )
    try:
        fitted.sample(100)
    finally:
        hook.remove()
    assert seen and all(mode == (False, False) for mode in seen)


def test_sample_leaves_batch_norm_statistics_alone(fitted):
    generator = fitted.net_.module_
    stats = [
        m.running_mean.clone()
        for m in generator.modules()
        if hasattr(m, "running_mean")
    ]
    fitted.sample(100)
    after = [m.running_mean for m in generator.modules() if hasattr(m, "running_mean")]
    assert stats
    for before, now in zip(stats, after, strict=True):
        torch.testing.assert_close(before, now)


@pytest.mark.parametrize("n_samples", [-3, 2.5, True])
def test_sample_rejects_bad_n_samples(fitted, n_samples):
    with pytest.raises(ValueError, match="n_samples must be a positive int or 0"):
        fitted.sample(n_samples)


def test_sample_rejects_unseen_label(fitted):
    with pytest.raises(ValueError, match=r"not seen in fit.*\[0, 1, 2\]"):
        fitted.sample(3, y=7)


def test_sample_rejects_label_count_mismatch(fitted):
    with pytest.raises(ValueError, match="one label per row"):
        fitted.sample(3, y=[0, 1])


def test_sample_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        GANSampler().sample(3)


def test_unconditional_model_refuses_class_requests(binary):
    gan = tiny_gan().fit(binary[0])
    with pytest.raises(ValueError, match="fitted without class labels"):
        gan.sample(3, y=1)
    with pytest.raises(ValueError, match="return_y=True needs"):
        gan.sample(3, return_y=True)


# -- fit_resample ------------------------------------------------------------------


def test_fit_resample_keeps_original_rows_first_and_unchanged(binary):
    X, y = binary
    X_res, y_res = tiny_gan().fit_resample(X, y)
    np.testing.assert_array_equal(X_res[: len(X)], X)
    np.testing.assert_array_equal(y_res[: len(y)], y)
    assert Counter(y_res) == {0: 170, 1: 170}


@pytest.mark.parametrize(
    "strategy",
    ["minority", "not minority", "not majority", "all", {1: 150, 2: 60}, _only_class_2],
    ids=["minority", "not-minority", "not-majority", "all", "dict", "callable"],
)
def test_fit_resample_honours_every_sampling_strategy(multiclass, strategy):
    X, y = multiclass
    _, y_res = tiny_gan(sampling_strategy=strategy).fit_resample(X, y)
    # imblearn's RandomOverSampler reads sampling_strategy the same way.
    _, y_expected = RandomOverSampler(sampling_strategy=strategy).fit_resample(X, y)
    assert Counter(y_res) == Counter(y_expected)


def test_fit_resample_honours_a_float_strategy(binary):
    X, y = binary
    _, y_res = tiny_gan(sampling_strategy=0.5).fit_resample(X, y)
    counts = Counter(y_res)
    assert counts[1] == int(0.5 * counts[0])


def test_fit_resample_dataframe_keeps_container_and_dtypes(frame):
    X, y = frame
    X_res, y_res = tiny_gan().fit_resample(X, y)
    assert isinstance(X_res, pd.DataFrame) and isinstance(y_res, pd.Series)
    assert list(X_res.columns) == list(X.columns)
    pd.testing.assert_series_equal(X_res.dtypes, X.dtypes)
    assert y_res.name == "status"
    pd.testing.assert_frame_equal(X_res.iloc[: len(X)], X)
    assert (y_res.value_counts() == y.value_counts().max()).all()


@pytest.mark.parametrize(
    "labels",
    [np.array(["b", "a"]), np.array([True, False]), np.array([-1, -5])],
    ids=["str", "bool", "negative-int"],
)
def test_labels_of_any_type(binary, labels):
    X, y = binary
    y_mapped = labels[y]
    _, y_res = tiny_gan().fit_resample(X, y_mapped)
    assert y_res.dtype == y_mapped.dtype
    assert set(y_res) == set(labels)


def test_fit_resample_needs_a_conditional_model(binary):
    with pytest.raises(ValueError, match="class-conditional"):
        tiny_gan(conditional=False).fit_resample(*binary)


# -- bad input ---------------------------------------------------------------------


def test_single_class_is_rejected(binary):
    X, _ = binary
    with pytest.raises(ValueError, match="class"):
        tiny_gan().fit(X, np.zeros(len(X)))


def test_conditional_true_needs_labels(binary):
    with pytest.raises(ValueError, match="conditional=True needs class labels"):
        tiny_gan(conditional=True).fit(binary[0])


def test_too_few_rows(binary):
    with pytest.raises(ValueError, match="at least 2 rows"):
        tiny_gan().fit(binary[0][:1])


def test_infinite_values_are_rejected(binary):
    X = binary[0].copy()
    X[3, 1] = np.inf
    with pytest.raises(ValueError, match=r"[Ii]nfinit"):
        tiny_gan().fit(X, binary[1])


def test_sparse_input_is_rejected_with_advice(binary):
    with pytest.raises(TypeError, match="dense"):
        tiny_gan().fit(sparse.csr_matrix(binary[0]), binary[1])


@pytest.mark.parametrize(
    "params, match",
    [
        ({"loss": "mse"}, "loss"),
        ({"generator_layers": (16, 0)}, "generator_layers' parameter .* tuple of"),
        ({"discriminator_layers": [8, 2.5]}, "discriminator_layers' .* positive"),
        ({"betas": (0.5,)}, "betas' parameter .* two numbers in"),
        ({"betas": (0.5, 1.0)}, "betas' parameter .* two numbers in"),
        ({"pac": 0}, "pac"),
        ({"epochs": "many"}, "epochs"),
    ],
)
def test_invalid_parameters_are_named(binary, params, match):
    with pytest.raises(ValueError, match=match):
        tiny_gan(**params).fit(*binary)


class _PoisonDiscriminator(Callback):
    """Fill the discriminator's weights with NaN at the start of epoch 2."""

    def on_epoch_begin(self, net, **kwargs):
        if len(net.history) == 2:
            with torch.no_grad():
                for parameter in net.discriminator_.parameters():
                    parameter.fill_(float("nan"))


def test_diverged_loss_names_the_epoch_and_a_remedy(binary):
    gan = tiny_gan(callbacks=[_PoisonDiscriminator()])
    with pytest.raises(FloatingPointError, match=r"epoch 2.*Lower the learning rates"):
        gan.fit(*binary)


def test_nothing_passed_in_is_mutated(frame):
    X, y = frame
    X_before, y_before = X.copy(deep=True), y.copy(deep=True)
    stopper = EarlyStopping(monitor="g_loss", patience=1)
    callbacks = [stopper]
    tiny_gan(callbacks=callbacks).fit_resample(X, y)
    pd.testing.assert_frame_equal(X, X_before)
    pd.testing.assert_series_equal(y, y_before)
    assert callbacks == [stopper]
    # fit works on a copy: the callback passed in never saw training start.
    assert stopper.dynamic_threshold_ is None


# -- callbacks and logging -----------------------------------------------------------


def test_early_stopping_callback_stops_training(binary):
    stopper = EarlyStopping(
        monitor="d_loss", patience=2, threshold=1e9, threshold_mode="abs"
    )
    gan = tiny_gan(epochs=20, callbacks=[stopper]).fit(*binary)
    assert len(gan.history_) < 20


def test_checkpoint_callback_saves_the_generator(binary, tmp_path):
    checkpoint = Checkpoint(monitor=None, dirname=str(tmp_path), f_criterion=None)
    gan = tiny_gan(epochs=2, callbacks=[checkpoint]).fit(*binary)
    saved = torch.load(tmp_path / "params.pt", weights_only=True)
    assert saved.keys() == gan.net_.module_.state_dict().keys()


def test_progress_bar_callback_runs(binary):
    gan = tiny_gan(epochs=2, callbacks=[ProgressBar()]).fit(*binary)
    assert len(gan.history_) == 2


def test_verbose_prints_both_losses(binary, capsys):
    tiny_gan(epochs=2, verbose=1).fit(*binary)
    out = capsys.readouterr().out
    assert "d_loss" in out and "g_loss" in out


# -- reproducibility -------------------------------------------------------------------


def test_same_random_state_gives_identical_samples(binary):
    a = tiny_gan(random_state=3).fit(*binary).sample(50, y=1)
    b = tiny_gan(random_state=3).fit(*binary).sample(50, y=1)
    np.testing.assert_array_equal(a, b)


def test_different_random_states_give_different_samples(binary):
    a = tiny_gan(random_state=3).fit(*binary).sample(50)
    b = tiny_gan(random_state=4).fit(*binary).sample(50)
    assert not np.array_equal(a, b)


def test_global_random_states_and_threads_are_left_alone(binary):
    np.random.seed(11)  # noqa: NPY002 - the legacy global state is what we guard
    torch.manual_seed(11)
    numpy_state = np.random.get_state()[1].copy()  # noqa: NPY002
    torch_state = torch.random.get_rng_state().clone()
    threads = torch.get_num_threads()
    tiny_gan().fit(*binary).sample(10)
    np.testing.assert_array_equal(np.random.get_state()[1], numpy_state)  # noqa: NPY002
    assert torch.equal(torch.random.get_rng_state(), torch_state)
    assert torch.get_num_threads() == threads


@pytest.mark.parametrize("numeric_encoding", ["quantile", "modes"])
def test_fits_in_parallel_threads_give_the_samples_of_a_serial_fit(
    binary, numeric_encoding
):
    X, y = binary

    def fit_and_sample(_):
        gan = tiny_gan(numeric_encoding=numeric_encoding, random_state=5)
        return gan.fit(X, y).sample(40, y=1)

    serial = fit_and_sample(None)
    threads = torch.get_num_threads()
    torch_state = torch.random.get_rng_state().clone()
    with ThreadPoolExecutor(3) as pool:
        parallel = list(pool.map(fit_and_sample, range(3)))
    for samples in parallel:
        np.testing.assert_array_equal(samples, serial)
    assert torch.get_num_threads() == threads
    assert torch.equal(torch.random.get_rng_state(), torch_state)


def test_encoder_threads_are_capped_during_fit_and_restored(binary, monkeypatch):
    import skgan._encoding.tabular

    seen = []
    fit_codec = skgan._encoding.tabular.TabularEncoder._make_codec

    def spy(self, *args):
        seen.append({p["num_threads"] for p in threadpoolctl.threadpool_info()})
        return fit_codec(self, *args)

    before = [p["num_threads"] for p in threadpoolctl.threadpool_info()]
    monkeypatch.setattr(skgan._encoding.tabular.TabularEncoder, "_make_codec", spy)
    tiny_gan(n_threads=1).fit(*binary)
    assert seen and all(threads == {1} for threads in seen)
    assert [p["num_threads"] for p in threadpoolctl.threadpool_info()] == before


def test_same_samples_in_another_process(binary, tmp_path):
    X, y = binary
    np.save(tmp_path / "X.npy", X)
    np.save(tmp_path / "y.npy", y)
    script = textwrap.dedent(
        f"""
        import numpy as np
        from skgan import GANSampler
        X = np.load({str(tmp_path / "X.npy")!r})
        y = np.load({str(tmp_path / "y.npy")!r})
        gan = GANSampler(**{dict(TINY)!r}).fit(X, y)
        np.save({str(tmp_path / "out.npy")!r}, gan.sample(30, y=1))
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, timeout=120)
    here = tiny_gan().fit(X, y).sample(30, y=1)
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), here)


# -- scikit-learn integration ---------------------------------------------------


def test_clone_copies_parameters_not_fitted_state(fitted):
    copy_ = clone(fitted)
    assert copy_.get_params() == fitted.get_params()
    assert not hasattr(copy_, "net_")


def test_pickle_round_trip_samples_the_same(fitted):
    restored = pickle.loads(pickle.dumps(fitted))
    np.testing.assert_array_equal(restored.sample(20), fitted.sample(20))


def test_deepcopy_of_fitted_sampler(fitted):
    np.testing.assert_array_equal(copy.deepcopy(fitted).sample(5), fitted.sample(5))


def test_inside_imblearn_pipeline_and_grid_search(binary):
    X, y = binary
    pipe = Pipeline([("gan", tiny_gan()), ("clf", LogisticRegression())])
    search = GridSearchCV(
        pipe,
        {"gan__epochs": [1, 2], "gan__loss": ["wgan-gp", "hinge"]},
        scoring="f1",
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
    ).fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    # The refitted pipeline's sampler trained with the parameters chosen.
    gan = search.best_estimator_.named_steps["gan"]
    assert len(gan.history_) == search.best_params_["gan__epochs"]
    assert gan.net_.criterion_.loss == search.best_params_["gan__loss"]


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_cuda_device_trains_and_samples_to_host_memory(binary):
    gan = tiny_gan(device="cuda").fit(*binary)
    assert next(gan.net_.module_.parameters()).is_cuda
    assert isinstance(gan.sample(10, y=1), np.ndarray)


def test_seeding_leaves_accelerator_generators_alone(binary, monkeypatch):
    # torch.manual_seed reseeds every GPU/MPS generator, which fork_rng does not
    # restore; fit and sample must seed only the generators they use.
    def forbidden(seed):
        raise AssertionError("torch.manual_seed reseeds every accelerator")

    monkeypatch.setattr(torch, "manual_seed", forbidden)
    tiny_gan(epochs=1).fit(*binary).sample(5)


def test_classifier_parameters_reach_the_auxiliary_classifier(binary):
    gan = tiny_gan(classifier_weight=0.5, classifier__hidden_layers=(5,)).fit(*binary)
    assert gan.get_params()["classifier__hidden_layers"] == (5,)
    assert gan.net_.classifier_.body[0].out_features == 5


def test_gradient_norm_clipping_reaches_the_networks(binary):
    class Norms(Callback):
        def on_grad_computed(self, net, named_parameters, **kwargs):
            grads = [p.grad.norm() for _, p in named_parameters if p.grad is not None]
            self.largest = max(getattr(self, "largest", 0.0), float(max(grads)))

    clip = GradientNormClipping(gradient_clip_value=1e-4)
    gan = tiny_gan(classifier_weight=0.5, callbacks=[clip, Norms()]).fit(*binary)
    (norms,) = [cb for _, cb in gan.net_.callbacks_ if isinstance(cb, Norms)]
    assert 0 < norms.largest <= 1e-4 * (1 + 1e-4)
