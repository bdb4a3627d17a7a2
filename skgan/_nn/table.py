"""Generator and discriminator networks for tables.

Both are small ``nn.Module`` classes. The generator's output layer matches the
layout of :class:`~skgan.TabularEncoder`: ``tanh`` for scalar outputs and a
(Gumbel-)softmax for each one-hot group, so that generated rows have the shape
of encoded real rows and can be decoded by ``inverse_transform``.
"""

import torch
import torch.nn.functional as F
from torch import nn

from .. import _random

# Temperature of the Gumbel-softmax relaxation during training: low enough that
# generated one-hot groups look almost discrete to the discriminator, high
# enough to pass useful gradients (Jang et al., 2017).
GUMBEL_TEMPERATURE = 0.2


class _ResidualBlock(nn.Module):
    """``[relu(bn(linear(x))), x]``: the input is carried alongside the output."""

    def __init__(self, in_features, out_features):
        super().__init__()
        self.linear = nn.Linear(in_features, out_features)
        self.norm = nn.BatchNorm1d(out_features)

    def forward(self, x):
        # (n, in) -> (n, out + in)
        return torch.cat([F.relu(self.norm(self.linear(x))), x], dim=1)


class OutputActivation(nn.Module):
    """Apply ``tanh`` to bounded scalars and a softmax to each one-hot group.

    ``"linear"`` outputs (normal scores, which have no bounds) are left as
    they are.

    In training mode each group goes through a Gumbel-softmax relaxation (a
    differentiable, nearly one-hot sample). In eval mode each group is a hard
    one-hot vector drawn from the softmax, so sampling is genuinely random
    over categories rather than always the most likely one.

    Parameters
    ----------
    output_spans : sequence of (str, int)
        ``("tanh", width)``, ``("linear", width)`` or ``("softmax", width)``
        per block of outputs, in order; see ``TabularEncoder.output_spans_``.
    """

    def __init__(self, output_spans):
        super().__init__()
        self.output_spans = tuple((kind, int(width)) for kind, width in output_spans)
        columns = {"tanh": [], "linear": []}
        groups, start = [], 0
        for kind, width in self.output_spans:
            if kind in columns:
                columns[kind].extend(range(start, start + width))
            elif kind == "softmax":
                groups.append(range(start, start + width))
            else:
                raise ValueError(f"Unknown output kind {kind!r}.")
            start += width
        self.n_outputs = start
        self.groups = [(group.start, group.stop) for group in groups]
        # The outputs are reordered once, so that every kind, and every set
        # of one-hot groups of one width, is a contiguous slice: the groups of
        # a width then form one (n, groups, width) view. Padding all groups to
        # the widest, with gathers and scatters, was 40% of a training step on
        # a table with a 51-level column.
        groups.sort(key=len)
        order = columns["tanh"] + columns["linear"] + [i for g in groups for i in g]
        self.n_tanh = len(columns["tanh"])
        self.n_scalars = self.n_tanh + len(columns["linear"])
        self.buckets = []  # (start, stop, n_groups, width) within the groups
        offset = 0
        for width in sorted({len(group) for group in groups}):
            n_groups = sum(len(group) == width for group in groups)
            self.buckets.append((offset, offset + n_groups * width, n_groups, width))
            offset += n_groups * width
        order = torch.tensor(order, dtype=torch.long)
        self.reordered = not torch.equal(order, torch.arange(start))
        self.register_buffer("order", order, persistent=False)
        self.register_buffer("restore", torch.argsort(order), persistent=False)

    def forward(self, logits):
        if self.reordered:
            logits = logits.index_select(1, self.order)
        pieces = []
        if self.n_tanh:
            pieces.append(torch.tanh(logits[:, : self.n_tanh]))
        if self.n_scalars > self.n_tanh:  # "linear" outputs stay as they are
            pieces.append(logits[:, self.n_tanh : self.n_scalars])
        if self.buckets:
            pieces += self._one_hot_groups(logits[:, self.n_scalars :])
        out = pieces[0] if len(pieces) == 1 else torch.cat(pieces, dim=1)
        return out.index_select(1, self.restore) if self.reordered else out

    def _one_hot_groups(self, logits):
        # The argmax of logits plus Gumbel noise is a draw from the softmax;
        # the tempered softmax of the same sum is its relaxation. Both are
        # written out: torch's exponential_ was several times slower on CPU.
        uniform = torch.rand(
            logits.shape, device=logits.device, dtype=logits.dtype,
            generator=_random.current(),
        ).clamp_(min=torch.finfo(logits.dtype).tiny)  # fmt: skip
        perturbed = logits - torch.log(-torch.log(uniform))
        n_rows = len(logits)
        pieces = []
        for start, stop, n_groups, width in self.buckets:
            grouped = perturbed[:, start:stop].view(n_rows, n_groups, width)
            if self.training:
                scaled = grouped / GUMBEL_TEMPERATURE
                shifted = torch.exp(scaled - scaled.amax(dim=2, keepdim=True).detach())
                probs = shifted / shifted.sum(dim=2, keepdim=True)
            else:  # the perturbed maximum is unique with probability 1
                peak = grouped.amax(dim=2, keepdim=True)
                probs = (grouped == peak).to(logits.dtype)  # twice one_hot's speed
            pieces.append(probs.view(n_rows, stop - start))
        return pieces


class Generator(nn.Module):
    """MLP generator: noise and an optional one-hot label to an encoded row.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector ``z``.
    n_classes : int
        Size of the one-hot class condition; 0 for an unconditional generator.
    hidden_layers : tuple of int
        Width of each residual block.
    output_spans : sequence of (str, int)
        Layout of the encoded row; see :class:`OutputActivation`.
    """

    def __init__(self, latent_dim, n_classes, hidden_layers, output_spans):
        super().__init__()
        self.latent_dim = latent_dim
        self.n_classes = n_classes
        blocks, width = [], latent_dim + n_classes
        for size in hidden_layers:
            blocks.append(_ResidualBlock(width, size))
            width += size
        self.body = nn.Sequential(*blocks)
        self.activation = OutputActivation(output_spans)
        self.head = nn.Linear(width, self.activation.n_outputs)

    def forward(self, z, condition=None):
        # z: (n, latent_dim), condition: (n, n_classes) or None
        if condition is not None:
            z = torch.cat([z, condition], dim=1)
        return self.activation(self.head(self.body(z)))  # (n, n_outputs)


class FastDropout(nn.Dropout):
    """:class:`torch.nn.Dropout` with masks drawn from 16-bit random integers.

    Four mask entries come from each 64-bit random draw, which made dropout
    about 10 times cheaper on CPU than torch's ``bernoulli_`` (15% of a
    table's training step). ``p`` is rounded to a multiple of 1/65536, and
    kept entries are scaled so that the expectation of each output equals
    its input exactly.
    """

    _LEVELS = 1 << 16

    def forward(self, x):
        if not self.training or self.p == 0:
            return x
        drop = round(self.p * self._LEVELS)
        if drop >= self._LEVELS:
            return x * 0.0
        words = torch.empty(
            (x.numel() + 3) // 4, dtype=torch.int64, device=x.device
        ).random_(-(1 << 63), None, generator=_random.current())  # all 64 bits
        draws = words.view(torch.int16)[: x.numel()].view(x.shape)
        keep = draws >= drop - self._LEVELS // 2  # P = 1 - drop / 65536
        mask = keep.to(x.dtype).mul_(self._LEVELS / (self._LEVELS - drop))
        return x * mask


def _leaky_mlp(n_inputs, hidden_layers, n_outputs, dropout=None):
    """Linear layers with LeakyReLU(0.2), and dropout unless None, between them."""
    layers, width = [], n_inputs
    for size in hidden_layers:
        layers += [nn.Linear(width, size), nn.LeakyReLU(0.2)]
        if dropout is not None:
            layers.append(FastDropout(dropout))
        width = size
    layers.append(nn.Linear(width, n_outputs))
    return nn.Sequential(*layers)


class Discriminator(nn.Module):
    """MLP discriminator that scores packs of ``pac`` rows together.

    Packing (PacGAN, Lin et al., 2018) lets the discriminator see several rows
    at once, which makes mode collapse visible to it. Each row is concatenated
    with its one-hot label before packing.

    Parameters
    ----------
    n_features : int
        Width of an encoded row.
    n_classes : int
        Size of the one-hot class condition; 0 for an unconditional model.
    hidden_layers : tuple of int
        Width of each hidden layer.
    pac : int
        Number of rows scored together; batches must be a multiple of it.
    dropout : float
        Dropout after each hidden layer.
    """

    def __init__(self, n_features, n_classes, hidden_layers, pac=1, dropout=0.5):
        super().__init__()
        self.pac = pac
        packed_width = pac * (n_features + n_classes)
        self.body = _leaky_mlp(packed_width, hidden_layers, 1, dropout)

    def forward(self, rows, condition=None):
        # rows: (n, n_features), condition: (n, n_classes) or None
        if condition is not None:
            rows = torch.cat([rows, condition], dim=1)
        packed = rows.reshape(rows.shape[0] // self.pac, -1)  # (n / pac, pac * width)
        return self.body(packed).squeeze(1)  # (n / pac,)


class Classifier(nn.Module):
    """MLP that predicts the class of an encoded row, to guide a conditional generator.

    Parameters
    ----------
    n_features : int
        Width of an encoded row.
    n_classes : int
        Number of classes.
    hidden_layers : tuple of int, default=(128, 128)
        Width of each hidden layer.
    """

    def __init__(self, n_features, n_classes, hidden_layers=(128, 128)):
        super().__init__()
        self.body = _leaky_mlp(n_features, hidden_layers, n_classes)

    def forward(self, rows):
        # rows: (n, n_features) -> class logits (n, n_classes)
        return self.body(rows)
