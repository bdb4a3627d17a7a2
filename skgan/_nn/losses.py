"""The adversarial losses: small pure functions of discriminator scores.

Each loss is a pair ``(discriminator_loss, generator_loss)``, and whether
the discriminator's loss also takes the gradient penalty. Scores are the raw
(pre-sigmoid) outputs of the discriminator, one per packed group of rows.
This module is the one place to change or add a loss: ``LOSSES`` names
them, and :class:`GANSampler`'s ``loss`` parameter accepts its keys.
"""

from typing import NamedTuple

import torch
import torch.nn.functional as F

from .. import _random


def bce_discriminator_loss(real_scores, fake_scores):
    """Cross-entropy of the original GAN: real rows labelled 1, fakes 0."""
    # softplus(-s) = -log(sigmoid(s)), softplus(s) = -log(1 - sigmoid(s))
    return F.softplus(-real_scores).mean() + F.softplus(fake_scores).mean()


def bce_generator_loss(fake_scores):
    """Non-saturating generator loss: maximise log D(G(z))."""
    return F.softplus(-fake_scores).mean()


def wasserstein_discriminator_loss(real_scores, fake_scores):
    """Critic loss of WGAN: minimise E[D(fake)] - E[D(real)]."""
    return fake_scores.mean() - real_scores.mean()


def wasserstein_generator_loss(fake_scores):
    """Generator loss of WGAN and of the hinge GAN: maximise E[D(fake)]."""
    return -fake_scores.mean()


def hinge_discriminator_loss(real_scores, fake_scores):
    """Hinge loss: push real scores above 1 and fake scores below -1."""
    return F.relu(1.0 - real_scores).mean() + F.relu(1.0 + fake_scores).mean()


class Loss(NamedTuple):
    discriminator: object  # (real_scores, fake_scores) -> loss
    generator: object  # fake_scores -> loss
    penalised: bool  # the discriminator's loss takes the gradient penalty


LOSSES = {
    "bce": Loss(bce_discriminator_loss, bce_generator_loss, penalised=False),
    "wgan-gp": Loss(
        wasserstein_discriminator_loss, wasserstein_generator_loss, penalised=True
    ),
    "hinge": Loss(
        hinge_discriminator_loss, wasserstein_generator_loss, penalised=False
    ),
}


def gradient_penalty(discriminator, real, fake, condition):
    """Penalty ``E[(||grad D(x_hat)||_2 - 1)^2]`` of WGAN-GP (Gulrajani et al.).

    ``x_hat`` interpolates each real row with a fake row at a uniform random
    point. Rows are interpolated before the discriminator packs them, so the
    gradient norm is taken over each packed group, as the critic sees it.

    Parameters
    ----------
    discriminator : callable
        Maps ``(rows, condition)`` to one score per packed group.
    real, fake : torch.Tensor of shape (n_rows, n_features)
    condition : torch.Tensor of shape (n_rows, n_classes) or None
    """
    mixed = interpolate(real, fake)
    return penalty_of_scores(discriminator(mixed, condition), mixed)


def interpolate(real, fake):
    """Rows at a uniform random point between each real row and its fake row.

    The result requires grad, for :func:`penalty_of_scores`.
    """
    alpha = torch.rand(
        real.shape[0], 1, device=real.device, dtype=real.dtype,
        generator=_random.current(),
    )  # fmt: skip
    return (alpha * real + (1.0 - alpha) * fake.detach()).requires_grad_(True)


def penalty_of_scores(scores, mixed):
    """The gradient penalty, given the discriminator's ``scores`` of ``mixed``.

    ``scores`` may come from a larger discriminator pass that also scored
    other rows; only the paths from ``mixed`` count.
    """
    (gradients,) = torch.autograd.grad(scores.sum(), mixed, create_graph=True)
    pac = mixed.shape[0] // scores.shape[0]
    per_group = gradients.reshape(scores.shape[0], pac * mixed.shape[1])
    return ((per_group.norm(2, dim=1) - 1.0) ** 2).mean()


class AdversarialLoss(torch.nn.Module):
    """The pair of adversarial losses, as a module skorch can own as ``criterion``.

    Parameters
    ----------
    loss : {"wgan-gp", "bce", "hinge"}
        ``"bce"`` is the non-saturating loss of the original GAN, ``"wgan-gp"``
        the Wasserstein loss with a gradient penalty, and ``"hinge"`` the
        hinge loss.

    Attributes
    ----------
    penalised : bool
        Whether the discriminator's loss takes the gradient penalty
        (:meth:`penalty`), weighted by the net's ``gp_weight``.
    """

    def __init__(self, loss="wgan-gp"):
        super().__init__()
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)}, got {loss!r}.")
        self.loss = loss
        self._losses = LOSSES[loss]
        self.penalised = self._losses.penalised

    def discriminator_loss(self, real_scores, fake_scores):
        return self._losses.discriminator(real_scores, fake_scores)

    def generator_loss(self, fake_scores):
        return self._losses.generator(fake_scores)

    def penalty(self, discriminator, real, fake, condition):
        """The gradient penalty of ``discriminator`` between ``real`` and ``fake``.

        The interpolated rows get a discriminator pass of their own: inside
        a joint pass over real and fake rows, the penalty's double backward
        would also run over those (30% more matrix work, all on zeros).
        """
        return gradient_penalty(discriminator, real, fake, condition)
