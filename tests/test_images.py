"""GANSampler on images: input shapes, pixel ranges, networks, plug-in modules.

The quality test trains a small conditional convolutional GAN on
``load_digits`` and checks that a classifier trained on real digits
recognises the requested class of samples far above chance. It does not
check the Fréchet distance target of the defaults (a benchmark's job: see
``examples/plot_digits.py``), nor speed.
"""

import numpy as np
import pytest
import torch
from sklearn.base import clone
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from torch import nn

import skgan
from skgan import ConvDiscriminator, ConvGenerator, Discriminator, GANSampler, Generator
from skgan._encoding.image import ImageScaler, image_layout

# Tiny convolutional networks, for tests of the API rather than of quality.
TINY_CONV = dict(
    epochs=2,
    batch_size=40,
    pac=2,
    latent_dim=8,
    generator__channels=4,
    discriminator__channels=4,
    random_state=0,
)


@pytest.fixture(scope="module")
def digits():
    data = load_digits()
    return data.images, data.target  # (1797, 8, 8) float64 in [0, 16]


def some_digits(digits, n=120):
    images, labels = digits
    return images[:n], labels[:n]


# -- recognising and scaling images ----------------------------------------


@pytest.mark.parametrize(
    ("shape", "image_shape", "layout"),
    [
        ((5, 8, 8), None, (1, 8, 8)),
        ((5, 3, 8, 6), None, (3, 8, 6)),
        ((5, 64), (8, 8), (1, 8, 8)),
        ((5, 48), (3, 4, 4), (3, 4, 4)),
        ((5, 64), None, None),
    ],
)
def test_image_layout_recognises_images(shape, image_shape, layout):
    assert image_layout(np.zeros(shape), image_shape) == layout


def test_image_shape_must_match_the_pixels():
    with pytest.raises(ValueError, match="holds 64 pixels"):
        image_layout(np.zeros((5, 63)), (8, 8))
    with pytest.raises(ValueError, match="does not match images"):
        image_layout(np.zeros((5, 8, 8)), (1, 4, 16))


def test_image_shape_with_a_dataframe_asks_for_an_array():
    pd = pytest.importorskip("pandas")
    with pytest.raises(ValueError, match="to_numpy"):
        image_layout(pd.DataFrame(np.zeros((3, 4))), (2, 2))


def test_images_with_nan_are_refused():
    images = np.zeros((10, 4, 4))
    images[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN or infinite pixels"):
        GANSampler(**TINY_CONV).fit(images)


def test_image_scaler_round_trips_shape_dtype_and_range():
    images = np.random.default_rng(0).integers(0, 256, (6, 3, 4, 4), dtype=np.uint8)
    flat = images.reshape(6, -1)
    scaler = ImageScaler(sample_shape=(3, 4, 4)).fit(flat)
    scaled = scaler.transform(flat)
    assert scaled.min() == -1.0 and scaled.max() == 1.0
    np.testing.assert_array_equal(scaler.inverse_transform(scaled), images)
    # Generated values beyond [-1, 1] are clipped to the training range.
    assert scaler.inverse_transform(np.full((1, 48), 3.0)).max() == images.max()


# -- fitting and sampling images ---------------------------------------------


def test_images_come_back_in_their_shape_dtype_and_range(digits):
    images, labels = some_digits(digits)
    gan = GANSampler(**TINY_CONV).fit(images, labels)
    assert gan.image_shape_ == (1, 8, 8)
    assert gan.n_features_in_ == 64
    assert isinstance(gan.net_.module_, ConvGenerator)
    assert isinstance(gan.net_.discriminator_, ConvDiscriminator)
    samples = gan.sample(7, y=3)
    assert samples.shape == (7, 8, 8) and samples.dtype == images.dtype
    # On the pixels' scale, 0 to 16, not the networks' -1 to 1 (the decoder
    # clips to 0 to 16 whatever it is given).
    assert samples.max() > 1


def test_flat_images_with_image_shape_stay_flat(digits):
    images, labels = some_digits(digits)
    flat = images.reshape(len(images), -1).astype(np.float32)
    gan = GANSampler(image_shape=(8, 8), **TINY_CONV).fit(flat, labels)
    assert isinstance(gan.net_.module_, ConvGenerator)
    samples = gan.sample(4)
    assert samples.shape == (4, 64) and samples.dtype == np.float32


def test_network_mlp_learns_images_as_rows_of_pixels(digits):
    images, labels = some_digits(digits)
    gan = GANSampler(network="mlp", **{**TINY_CONV, "generator__channels": None})
    with pytest.raises(ValueError, match="generator__channels is not a parameter"):
        gan.fit(images, labels)
    params = {k: v for k, v in TINY_CONV.items() if not k.endswith("channels")}
    gan = GANSampler(network="mlp", generator_layers=(16,), **params)
    gan.fit(images, labels)
    assert isinstance(gan.net_.module_, Generator)
    assert isinstance(gan.net_.discriminator_, Discriminator)
    assert gan.sample(3).shape == (3, 8, 8)


def test_network_conv_on_a_table_says_what_to_pass():
    X = np.random.default_rng(0).normal(size=(40, 5))
    with pytest.raises(ValueError, match="network='conv' needs images"):
        GANSampler(network="conv", epochs=1).fit(X)


def test_fit_resample_keeps_the_image_shape(digits):
    images, labels = some_digits(digits)
    keep = (labels != 1) | (np.cumsum(labels == 1) <= 3)  # a rare class of 3
    X, y = images[keep], labels[keep]
    X_res, y_res = GANSampler(**TINY_CONV).fit_resample(X, y)
    assert X_res.shape[1:] == (8, 8)
    np.testing.assert_array_equal(X_res[: len(X)], X)  # originals first
    counts = np.bincount(y_res)
    assert counts.min() == counts.max()


def test_score_and_early_stopping_work_on_images(digits):
    images, labels = some_digits(digits)
    gan = GANSampler(**{**TINY_CONV, "epochs": 4}, early_stopping=True)
    gan.fit(images, labels)
    scores = [row["fidelity"] for row in gan.history_ if "fidelity" in row]
    assert scores and gan.best_validation_score_ == max(scores)
    score = gan.score(images, labels)
    assert np.isfinite(score) and score == gan.score(images, labels)


def test_image_model_saves_and_loads(digits, tmp_path):
    images, labels = some_digits(digits)
    gan = GANSampler(**TINY_CONV).fit(images, labels)
    gan.save(tmp_path / "digits.skgan")
    loaded = skgan.load(tmp_path / "digits.skgan")
    np.testing.assert_array_equal(loaded.sample(5, y=2), gan.sample(5, y=2))


# -- parameters of the networks ----------------------------------------------


def test_network_params_are_estimator_params():
    gan = GANSampler(generator__channels=16)
    assert gan.get_params()["generator__channels"] == 16
    gan.set_params(discriminator__spectral_norm=True, generator__channels=8)
    twin = clone(gan)
    assert twin.get_params()["generator__channels"] == 8
    assert twin.discriminator__spectral_norm is True
    assert "generator__channels=8" in repr(twin)


def test_other_keywords_are_refused_at_fit():
    gan = GANSampler(layers=3, epochs=1)
    with pytest.raises(TypeError, match=r"unexpected parameter\(s\) \['layers'\]"):
        gan.fit(np.zeros((20, 2)))


def test_spectral_norm_reaches_the_discriminator(digits):
    images, labels = some_digits(digits)
    gan = GANSampler(discriminator__spectral_norm=True, **TINY_CONV).fit(images, labels)
    parametrized = [
        m for m in gan.net_.discriminator_.modules() if hasattr(m, "parametrizations")
    ]
    assert parametrized


class TinyGenerator(nn.Module):
    """A user's generator: takes only what it declares, plus its own width."""

    def __init__(self, latent_dim, n_classes, width=4):
        super().__init__()
        self.width = width
        self.body = nn.Linear(latent_dim + n_classes, 64)

    def forward(self, z, condition=None):
        if condition is not None:
            z = torch.cat([z, condition], dim=1)
        return torch.tanh(self.body(z))


def test_a_users_generator_gets_its_own_parameters(digits):
    images, labels = some_digits(digits)
    params = {k: v for k, v in TINY_CONV.items() if not k.startswith("generator__")}
    gan = GANSampler(generator=TinyGenerator, generator__width=7, **params)
    gan.fit(images, labels)
    assert isinstance(gan.net_.module_, TinyGenerator)
    assert gan.net_.module_.width == 7
    assert gan.sample(2).shape == (2, 8, 8)


# -- quality -----------------------------------------------------------------


@pytest.mark.slow
def test_conditional_digits_are_recognised_as_their_class(digits):
    images, labels = digits
    gan = GANSampler(
        loss="hinge",
        batch_size=128,
        pac=1,
        epochs=30,  # 330 steps of 128 digits
        generator_lr=1e-3,
        discriminator_lr=1e-3,
        generator__channels=16,
        discriminator__channels=16,
        random_state=0,
    ).fit(images, labels)
    classifier = LogisticRegression(max_iter=2000).fit(
        images.reshape(len(images), -1), labels
    )
    requested = np.repeat(np.arange(10), 30)
    samples = gan.sample(len(requested), y=requested)
    accuracy = (
        classifier.predict(samples.reshape(len(samples), -1)) == requested
    ).mean()
    assert accuracy > 0.7  # chance is 0.1
