"""Oversampling with fit_resample: strategies, tiny classes, categories.

Quality against SMOTE is the job of ``benchmarks/oversampling.py``, not of
these tests: they check that every documented case runs and returns rows of
the right classes, counts and kinds.
"""

import numpy as np
import pandas as pd
import pytest
import torch
from _settings import tiny_gan
from sklearn.datasets import make_classification

from skgan import GANSampler


@pytest.fixture(scope="module")
def three_classes():
    X, y = make_classification(
        n_samples=400, n_features=4, n_informative=3, n_redundant=0,
        n_classes=3, weights=[0.7, 0.2, 0.1], random_state=0,
    )  # fmt: skip
    return X, y


def test_not_majority_fills_every_class_to_the_majority(three_classes):
    X, y = three_classes
    _, y_res = tiny_gan(epochs=20, sampling_strategy="not majority").fit_resample(X, y)
    counts = np.bincount(y_res)
    assert counts.min() == counts.max() == np.bincount(y).max()


def test_a_dict_strategy_adds_exactly_the_requested_counts(three_classes):
    X, y = three_classes
    wanted = {1: 150, 2: 100}
    gan = tiny_gan(epochs=20, sampling_strategy=wanted)
    _, y_res = gan.fit_resample(X, y)
    counts = np.bincount(y_res)
    assert counts[1] == 150 and counts[2] == 100
    assert counts[0] == np.bincount(y)[0]


@pytest.mark.parametrize("minority", [6, 1])
def test_a_tiny_class_is_oversampled_without_error(minority):
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (100, 3)), rng.normal(3, 1, (minority, 3))])
    y = np.array([0] * 100 + [1] * minority)
    X_res, y_res = tiny_gan(epochs=20).fit_resample(X, y)
    assert np.bincount(y_res).tolist() == [100, 100]
    assert np.isfinite(X_res).all()


def test_categorical_columns_are_resampled_as_real_categories():
    rng = np.random.default_rng(0)
    n = 200
    X = pd.DataFrame({
        "x": rng.normal(size=n),
        "colour": pd.Categorical(rng.choice(["red", "green", "blue"], n)),
        "flag": rng.random(n) < 0.3,
    })  # fmt: skip
    y = np.where(np.arange(n) < 20, "rare", "common")
    X_res, y_res = tiny_gan(epochs=20).fit_resample(X, y)
    added = X_res.iloc[n:]
    assert (y_res[n:] == "rare").all()
    assert set(added["colour"]) == {"red", "green", "blue"}  # each one drawn
    assert added.dtypes.equals(X.dtypes)


def test_the_auxiliary_classifier_learns_the_real_classes(three_classes):
    X, y = three_classes
    gan = tiny_gan(epochs=40).fit(X, y)
    encoded = torch.as_tensor(gan.encoder_.transform(X), dtype=torch.float32)
    with torch.no_grad():
        predicted = gan.net_.classifier_(encoded).argmax(1).numpy()
    # Classes 1 and 2 together are 30% of the rows: guessing the majority
    # would score 0.7.
    assert (gan.classes_[predicted] == y).mean() > 0.8


def test_classifier_weight_zero_trains_no_classifier(three_classes):
    X, y = three_classes
    gan = tiny_gan(epochs=2, classifier_weight=0.0).fit(X, y)
    assert not hasattr(gan.net_, "classifier_")


class _WidthFreeDiscriminator(torch.nn.Module):
    """A plug-in discriminator that infers its input width (takes no n_features)."""

    def __init__(self, n_classes, pac=1):
        super().__init__()
        self.pac = pac
        self.body = torch.nn.Sequential(torch.nn.LazyLinear(8), torch.nn.LeakyReLU(0.2),
                                        torch.nn.Linear(8, 1))  # fmt: skip

    def forward(self, rows, condition=None):
        if condition is not None:
            rows = torch.cat([rows, condition], dim=1)
        return self.body(rows.reshape(len(rows) // self.pac, -1)).squeeze(1)


def test_the_classifier_gets_the_encoded_width_from_the_sampler(three_classes):
    X, y = three_classes
    gan = tiny_gan(epochs=1, discriminator=_WidthFreeDiscriminator)
    gan.fit(X, y)
    first = gan.net_.classifier_.body[0]
    assert first.in_features == gan.encoder_.n_features_out_


def test_guidance_without_a_known_width_says_what_is_missing():
    from skgan._training.net import GANNet

    net = GANNet(module=torch.nn.Identity, discriminator=_WidthFreeDiscriminator,
                 discriminator__n_classes=2, latent_dim=4, n_classes=2,
                 classifier_weight=1.0)  # fmt: skip
    with pytest.raises(ValueError, match="needs n_features"):
        net.initialize()


def test_auto_classifier_weight_guides_tables_but_not_images():
    rng = np.random.default_rng(0)
    labels = np.arange(40) % 2
    table = tiny_gan(epochs=1).fit(rng.normal(size=(40, 3)), labels)
    images = tiny_gan(epochs=1, pac=1).fit(rng.random((40, 8, 8)), labels)
    assert hasattr(table.net_, "classifier_")
    assert not hasattr(images.net_, "classifier_")


def test_fit_and_fit_resample_train_the_same_model(three_classes):
    X, y = three_classes
    fitted = tiny_gan(epochs=2).fit(X, y)
    resampled = tiny_gan(epochs=2)
    resampled.fit_resample(X, y)
    assert fitted.plan_ == resampled.plan_
    wanted = np.resize(np.unique(y), 30)
    np.testing.assert_array_equal(
        fitted.sample(30, y=wanted), resampled.sample(30, y=wanted)
    )


def test_fit_resample_keeps_explicit_weight_and_rates(three_classes):
    X, y = three_classes
    gan = tiny_gan(epochs=1, classifier_weight=2.0, generator_lr=5e-4)
    gan.fit_resample(X, y)
    assert (gan.classifier_weight_, gan.generator_lr_) == (2.0, 5e-4)


def test_fit_resample_of_images_keeps_the_image_rates():
    rng = np.random.default_rng(0)
    gan = tiny_gan(epochs=1, pac=1)
    gan.fit_resample(rng.random((40, 8, 8)), np.r_[np.zeros(30), np.ones(10)])
    assert (gan.generator_lr_, gan.discriminator_lr_) == (2e-4, 2e-4)


def test_fit_resample_of_an_unconditional_model_refuses_before_training(monkeypatch):
    X, y = make_classification(n_samples=60, n_features=3, n_informative=2,
                               n_redundant=0, random_state=0)  # fmt: skip
    gan = GANSampler(conditional=False, epochs=1)
    monkeypatch.setattr("skgan._sampler.fit_encoder", lambda *a: pytest.fail("trained"))
    with pytest.raises(ValueError, match="conditional=False trains one without"):
        gan.fit_resample(X, y)


def test_fit_resample_refuses_extra_parameters_with_advice():
    X, y = np.arange(20.0).reshape(10, 2), np.arange(10) % 2
    with pytest.raises(TypeError, match=r"no extra parameters; got \['epochs'\]"):
        GANSampler().fit_resample(X, y, epochs=3)
