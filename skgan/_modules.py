"""Generator and discriminator networks for tables.

Both are small ``nn.Module`` classes. The generator's output layer matches the
layout of :class:`~skgan.TabularEncoder`: ``tanh`` for scalar outputs and a
(Gumbel-)softmax for each one-hot group, so that generated rows have the shape
of encoded real rows and can be decoded by ``inverse_transform``.
"""

import torch
import torch.nn.functional as F
from torch import nn

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
        tanh_index, groups, start = [], [], 0
        for kind, width in self.output_spans:
            if kind == "tanh":
                tanh_index.extend(range(start, start + width))
            elif kind == "softmax":
                groups.append((start, start + width))
            elif kind != "linear":
                raise ValueError(f"Unknown output kind {kind!r}.")
            start += width
        self.n_outputs = start
        self.groups = groups
        self.register_buffer("tanh_index", torch.tensor(tanh_index, dtype=torch.long))
        # All one-hot groups are handled in one padded (n, groups, widest)
        # tensor: a softmax per group in a Python loop cost a third of the
        # generator's time on tables with many categorical columns.
        widest = max((stop - start for start, stop in groups), default=0)
        group_index = torch.zeros(len(groups), widest, dtype=torch.long)
        valid = torch.zeros(len(groups), widest, dtype=torch.bool)
        for i, (start, stop) in enumerate(groups):
            group_index[i, : stop - start] = torch.arange(start, stop)
            valid[i, : stop - start] = True
        self.register_buffer("group_index", group_index)
        self.register_buffer("group_valid", valid)
        self.register_buffer("softmax_index", group_index[valid])

    def forward(self, logits):
        out = logits.clone()  # "linear" outputs stay as they are
        out[:, self.tanh_index] = torch.tanh(logits[:, self.tanh_index])
        if self.groups:
            grouped = logits[:, self.group_index]  # (n, groups, widest)
            grouped = grouped.masked_fill(~self.group_valid, float("-inf"))
            # The argmax of logits plus Gumbel noise is a draw from the
            # softmax; the tempered softmax of the same sum is its relaxation.
            # Both are written out: torch's exponential_ and its softmax over
            # a short last dimension were each several times slower on CPU.
            uniform = torch.rand_like(grouped).clamp_(
                min=torch.finfo(grouped.dtype).tiny
            )
            perturbed = grouped - torch.log(-torch.log(uniform))
            if self.training:
                scaled = perturbed / GUMBEL_TEMPERATURE
                shifted = torch.exp(scaled - scaled.amax(dim=2, keepdim=True).detach())
                probs = shifted / shifted.sum(dim=2, keepdim=True)
            else:
                probs = F.one_hot(perturbed.argmax(dim=2), grouped.shape[2])
            out[:, self.softmax_index] = probs[:, self.group_valid].to(out.dtype)
        return out


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


def _leaky_mlp(n_inputs, hidden_layers, n_outputs, dropout=None):
    """Linear layers with LeakyReLU(0.2), and dropout unless None, between them."""
    layers, width = [], n_inputs
    for size in hidden_layers:
        layers += [nn.Linear(width, size), nn.LeakyReLU(0.2)]
        if dropout is not None:
            layers.append(nn.Dropout(dropout))
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
