"""Behaviour of ConvGenerator and ConvDiscriminator, alone and inside GANNet.

Unit tests check shapes, ranges, packing, conditioning, spectral norm and
errors on tiny networks. The last test trains a small conditional GAN on
synthetic two-class images and checks that each class comes out with its own
bright half; nothing here measures sample quality on real images (digits,
faces) or speed.
"""

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn.utils import parametrize

from skgan._nn.image import ConvDiscriminator, ConvGenerator
from skgan._nn.losses import gradient_penalty
from skgan._random import torch_session
from skgan._training.net import GANNet

# Odd sizes make the generator crop; under 8 pixels a side nothing is halved.
IMAGE_SHAPES = [
    (1, 8, 8),
    (1, 28, 28),
    (3, 32, 32),
    (3, 16, 12),
    (3, 15, 17),
    (1, 5, 6),
]
LATENT_DIM = 8
CHANNELS = 8  # narrowest convolutional layer: tiny networks


@pytest.fixture(autouse=True)
def seeded_single_thread():
    """Seed torch and use one thread; both are restored after the test."""
    with torch_session(seed=0, device="cpu", n_threads=1):
        yield


def _one_hot(labels, n_classes):
    return nn.functional.one_hot(torch.as_tensor(labels), n_classes).float()


def _condition(n_rows, n_classes):
    return _one_hot(torch.arange(n_rows) % n_classes, n_classes) if n_classes else None


@pytest.mark.parametrize("image_shape", IMAGE_SHAPES)
@pytest.mark.parametrize("n_classes", [0, 3])
def test_generator_makes_flat_images_in_tanh_range(image_shape, n_classes):
    generator = ConvGenerator(LATENT_DIM, n_classes, image_shape, channels=CHANNELS)
    z = torch.randn(5, LATENT_DIM)
    for training in (True, False):
        generator.train(training)
        images = generator(z, _condition(5, n_classes))
        assert images.shape == (5, math.prod(image_shape))
        assert images.abs().max() <= 1.0
        assert images.std() > 0  # not a constant image


@pytest.mark.parametrize("image_shape", IMAGE_SHAPES)
@pytest.mark.parametrize("n_classes", [0, 3])
def test_discriminator_scores_each_row(image_shape, n_classes):
    n_features = math.prod(image_shape)
    discriminator = ConvDiscriminator(n_features, n_classes, image_shape, CHANNELS)
    scores = discriminator(torch.randn(6, n_features), _condition(6, n_classes))
    assert scores.shape == (6,)
    assert torch.isfinite(scores).all()


def test_generator_output_depends_on_the_condition():
    generator = ConvGenerator(LATENT_DIM, 2, (1, 8, 8), channels=CHANNELS).eval()
    z = torch.randn(4, LATENT_DIM)
    as_class_0 = generator(z, _one_hot([0, 0, 0, 0], 2))
    as_class_1 = generator(z, _one_hot([1, 1, 1, 1], 2))
    assert not torch.allclose(as_class_0, as_class_1)


def test_discriminator_projection_scores_the_condition():
    discriminator = ConvDiscriminator(64, 2, (1, 8, 8), CHANNELS)
    rows = torch.randn(4, 64)
    as_class_0 = discriminator(rows, _one_hot([0, 0, 0, 0], 2))
    as_class_1 = discriminator(rows, _one_hot([1, 1, 1, 1], 2))
    assert not torch.allclose(as_class_0, as_class_1)


@pytest.mark.parametrize("n_classes", [0, 2])
def test_pac_rows_are_scored_together(n_classes):
    pac, n_rows = 3, 12
    discriminator = ConvDiscriminator(64, n_classes, (1, 8, 8), CHANNELS, pac=pac)
    rows, condition = torch.randn(n_rows, 64), _condition(n_rows, n_classes)
    scores = discriminator(rows, condition)
    assert scores.shape == (n_rows // pac,)

    changed = rows.clone()
    changed[4] = torch.randn(64)  # the second row of the second pack
    changed_scores = discriminator(changed, condition)
    moved = ~torch.isclose(scores, changed_scores)
    assert moved.tolist() == [False, True, False, False]
    if n_classes:  # the projection term is summed over the pack too
        relabelled = condition.clone()
        relabelled[7] = 1 - relabelled[7]  # the second row of the third pack
        moved = ~torch.isclose(scores, discriminator(rows, relabelled))
        assert moved.tolist() == [False, False, True, False]


@pytest.mark.parametrize("spectral_norm", [False, True])
def test_spectral_norm_wraps_every_weighted_layer(spectral_norm):
    generator = ConvGenerator(LATENT_DIM, 2, (3, 16, 12), CHANNELS, spectral_norm)
    discriminator = ConvDiscriminator(576, 2, (3, 16, 12), CHANNELS, spectral_norm)
    weighted = [
        module
        for network in (generator, discriminator)
        for module in network.modules()
        if isinstance(module, nn.Linear | nn.Conv2d | nn.ConvTranspose2d)
    ]
    assert len(weighted) == 6  # projection, upsampling, to_image; conv, score, embed
    assert all(
        parametrize.is_parametrized(module, "weight") == spectral_norm
        for module in weighted
    )
    z, condition = torch.randn(4, LATENT_DIM), _condition(4, 2)
    assert discriminator(generator(z, condition), condition).shape == (4,)


def test_spectral_norm_bounds_the_discriminator_layers():
    discriminator = ConvDiscriminator(576, 2, (3, 16, 12), CHANNELS, spectral_norm=True)
    # Each training-mode forward refines the power iteration: after 5, one
    # seed in 30 was 0.06 off; after 50 the worst of 30 seeds was 0.005.
    for _ in range(50):
        discriminator(torch.randn(4, 576), _condition(4, 2))
    for module in discriminator.modules():
        if isinstance(module, nn.Linear | nn.Conv2d):
            sigma = torch.linalg.matrix_norm(module.weight.detach().flatten(1), ord=2)
            assert sigma == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("spectral_norm", [False, True])
@pytest.mark.parametrize("pac", [1, 2])
def test_gradient_penalty_runs_through_the_discriminator(spectral_norm, pac):
    discriminator = ConvDiscriminator(
        64, 2, (1, 8, 8), CHANNELS, spectral_norm=spectral_norm, pac=pac
    )
    real, fake = torch.rand(8, 64) * 2 - 1, torch.rand(8, 64) * 2 - 1
    penalty = gradient_penalty(discriminator, real, fake, _condition(8, 2))
    assert penalty.shape == () and torch.isfinite(penalty)
    penalty.backward()
    # The final bias does not move the gradient, so it gets none.
    gradients = [p.grad for p in discriminator.parameters() if p.grad is not None]
    assert all(torch.isfinite(g).all() for g in gradients)
    conv_gradients = [p.grad for p in discriminator.features.parameters()]
    assert sum(g.abs().sum() for g in conv_gradients) > 0  # it reaches the convs


def test_mismatched_n_features_raises():
    with pytest.raises(ValueError, match=r"n_features=784 does not match .*\(3, 28"):
        ConvDiscriminator(784, 0, (3, 28, 28))


@pytest.mark.parametrize(
    "image_shape, match",
    [
        ((28, 28), "must have 3 entries"),
        ((1, 0, 8), "positive integer, got 0"),
        ((1, 8.0, 8), "positive integer, got 8.0"),
        (28, "must be a tuple"),
    ],
)
@pytest.mark.parametrize("network", ["generator", "discriminator"])
def test_bad_image_shape_raises(image_shape, match, network):
    with pytest.raises(ValueError, match=match):
        if network == "generator":
            ConvGenerator(LATENT_DIM, 0, image_shape)
        else:
            ConvDiscriminator(64, 0, image_shape)


def test_bad_channels_raises():
    with pytest.raises(ValueError, match="channels must be a positive integer"):
        ConvGenerator(LATENT_DIM, 0, (1, 8, 8), channels=0)


def test_rows_not_a_multiple_of_pac_raise():
    discriminator = ConvDiscriminator(64, 0, (1, 8, 8), CHANNELS, pac=4)
    with pytest.raises(ValueError, match="multiple of pac=4"):
        discriminator(torch.randn(6, 64))


def test_missing_or_unexpected_condition_raises():
    conditional = ConvGenerator(LATENT_DIM, 2, (1, 8, 8), CHANNELS)
    with pytest.raises(ValueError, match="conditioned on 2 classes"):
        conditional(torch.randn(2, LATENT_DIM))
    unconditional = ConvDiscriminator(64, 0, (1, 8, 8), CHANNELS)
    with pytest.raises(ValueError, match="n_classes=0"):
        unconditional(torch.randn(2, 64), _condition(2, 2))


def _conv_gan(n_classes, steps, loss, pac=1, batch_size=64, lr=2e-4, **kwargs):
    """A GANNet of tiny conv networks for 8 x 8 grey images."""
    shape = (1, 8, 8)
    return GANNet(
        module=ConvGenerator,
        module__latent_dim=LATENT_DIM,
        module__n_classes=n_classes,
        module__image_shape=shape,
        module__channels=CHANNELS,
        discriminator=ConvDiscriminator,
        discriminator__n_features=64,
        discriminator__n_classes=n_classes,
        discriminator__image_shape=shape,
        discriminator__channels=CHANNELS,
        discriminator__pac=pac,
        latent_dim=LATENT_DIM,
        n_classes=n_classes,
        criterion__loss=loss,
        lr=lr,
        optimizer__betas=(0.5, 0.999),
        optimizer_discriminator__lr=lr,
        optimizer_discriminator__betas=(0.5, 0.999),
        batch_size=batch_size,
        iterator_train__n_batches=steps,
        iterator_train__pac=pac,
        max_epochs=1,
        verbose=0,
        **kwargs,
    )


def _halves(n_per_class, rng):
    """Class 0 is bright on the left half, class 1 on the right, plus noise."""
    labels = np.repeat([0, 1], n_per_class)
    left = np.where(labels == 0, 0.8, -0.8)[:, None, None]
    images = np.empty((2 * n_per_class, 8, 8))
    images[:, :, :4], images[:, :, 4:] = left, -left
    images += rng.normal(scale=0.15, size=images.shape)
    images = np.clip(images, -1, 1).reshape(len(labels), 64)
    return torch.as_tensor(images, dtype=torch.float32), torch.as_tensor(labels)


def _left_minus_right(images):
    images = images.reshape(-1, 8, 8)
    return images[:, :, :4].mean(axis=(1, 2)) - images[:, :, 4:].mean(axis=(1, 2))


@pytest.mark.parametrize("loss", ["wgan-gp", "hinge", "bce"])
def test_gannet_trains_conv_networks_to_finite_losses(loss):
    X, y = _halves(32, np.random.default_rng(0))
    net = _conv_gan(n_classes=2, steps=3, loss=loss, pac=2, batch_size=16)
    net.fit(X, y)
    assert np.isfinite(net.history[-1, "d_loss"])
    assert np.isfinite(net.history[-1, "g_loss"])
    (images,) = net.generate(labels=torch.tensor([0, 1, 1]))
    assert images.shape == (3, 64)


def test_conditional_conv_gan_draws_each_class_with_its_bright_half():
    X, y = _halves(256, np.random.default_rng(0))
    net = _conv_gan(n_classes=2, steps=300, loss="hinge", lr=1e-3)
    net.fit(X, y)
    labels = torch.repeat_interleave(torch.tensor([0, 1]), 200)
    contrast = _left_minus_right(np.concatenate(list(net.generate(labels=labels))))
    assert np.mean(contrast[:200] > 0) >= 0.9  # class 0: brighter left
    assert np.mean(contrast[200:] < 0) >= 0.9  # class 1: brighter right
    # Real images have a contrast of about 1.6 between their halves.
    assert contrast[:200].mean() > 1.0
    assert contrast[200:].mean() < -1.0
