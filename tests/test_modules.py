"""Behaviour of the table networks' building blocks: output layer and dropout."""

import pytest
import torch

from skgan._nn.table import Discriminator, FastDropout, OutputActivation

# Interleaved kinds and widths, so that reordering the outputs into width
# buckets and back is exercised.
SPANS = [
    ("softmax", 3),
    ("tanh", 1),
    ("softmax", 2),
    ("linear", 1),
    ("softmax", 3),
    ("tanh", 2),
    ("softmax", 5),
]


def _slices(spans):
    start = 0
    for kind, width in spans:
        yield kind, slice(start, start + width)
        start += width


def test_eval_outputs_keep_each_span_in_its_place():
    layer = OutputActivation(SPANS).eval()
    logits = torch.randn(64, layer.n_outputs)
    out = layer(logits)
    for kind, span in _slices(SPANS):
        if kind == "tanh":
            torch.testing.assert_close(out[:, span], torch.tanh(logits[:, span]))
        elif kind == "linear":
            torch.testing.assert_close(out[:, span], logits[:, span])
        else:  # one 1 per row and group
            assert set(out[:, span].unique().tolist()) <= {0.0, 1.0}
            assert (out[:, span].sum(dim=1) == 1).all()


def test_training_outputs_are_nearly_one_hot_distributions():
    layer = OutputActivation(SPANS).train()
    out = layer(torch.randn(256, layer.n_outputs))
    for kind, span in _slices(SPANS):
        if kind == "softmax":
            torch.testing.assert_close(out[:, span].sum(dim=1), torch.ones(256))
            # Tempered at 0.2, most rows put almost all weight on one level.
            assert (out[:, span].amax(dim=1) > 0.9).float().mean() > 0.6


def test_eval_draws_follow_the_softmax_of_the_logits():
    torch.manual_seed(0)
    layer = OutputActivation([("softmax", 3), ("tanh", 1), ("softmax", 2)]).eval()
    logits = torch.tensor([[2.0, 0.0, -1.0, 0.5, 0.3, -0.3]]).repeat(40_000, 1)
    out = layer(logits)
    torch.testing.assert_close(
        out[:, :3].mean(dim=0), torch.softmax(logits[0, :3], 0), atol=0.01, rtol=0
    )
    torch.testing.assert_close(
        out[:, 4:].mean(dim=0), torch.softmax(logits[0, 4:], 0), atol=0.01, rtol=0
    )


def test_gradients_reach_every_logit_of_a_group():
    layer = OutputActivation(SPANS).train()
    logits = torch.randn(32, layer.n_outputs, requires_grad=True)
    (layer(logits) * torch.randn(32, layer.n_outputs)).sum().backward()
    assert (logits.grad.abs().sum(dim=0) > 0).all()


def test_unknown_output_kind_raises():
    with pytest.raises(ValueError, match="Unknown output kind 'sigmoid'"):
        OutputActivation([("sigmoid", 2)])


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_fast_dropout_drops_at_rate_p_and_keeps_the_mean(p):
    torch.manual_seed(0)
    x = torch.ones(200_000)
    out = FastDropout(p).train()(x)
    assert abs((out == 0).float().mean().item() - p) < 0.005
    assert abs(out.mean().item() - 1.0) < 0.01


def test_fast_dropout_passes_the_gradient_of_kept_entries_only():
    torch.manual_seed(0)
    x = torch.randn(1000, requires_grad=True)
    out = FastDropout(0.5).train()(x)
    out.sum().backward()
    kept = out != 0
    torch.testing.assert_close(x.grad[kept], torch.full_like(x.grad[kept], 2.0))
    assert (x.grad[~kept] == 0).all()


def test_fast_dropout_is_the_identity_in_eval_mode_and_at_zero():
    x = torch.randn(10, 4)
    assert torch.equal(FastDropout(0.5).eval()(x), x)
    assert torch.equal(FastDropout(0.0).train()(x), x)
    assert torch.equal(FastDropout(1.0).train()(x), torch.zeros_like(x))


def test_discriminator_scores_rows_independently_of_the_batch():
    # GANNet scores real, fake and interpolated rows in one pass; this holds
    # only while a row's score does not depend on the other rows.
    discriminator = Discriminator(5, 2, (8, 8), pac=2, dropout=0.5).eval()
    rows, condition = torch.randn(12, 5), torch.eye(2)[torch.arange(12) % 2]
    together = discriminator(rows, condition)
    apart = torch.cat(
        [discriminator(rows[i : i + 4], condition[i : i + 4]) for i in (0, 4, 8)]
    )
    torch.testing.assert_close(together, apart)
