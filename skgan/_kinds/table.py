"""Tables as a kind of data: their checks, encoding, "auto" settings, networks.

A data kind owns what differs between tables and images, so that the
sampler never asks which one it holds. :mod:`skgan._kinds` lists the kinds;
a new kind (time series, say) is one more module like this one.
"""

from .._encoding.columns import check_table
from .._encoding.tabular import TabularEncoder
from .._nn.table import Discriminator, Generator

# "auto" settings for tables. Numeric columns arrive as normal scores
# (TabularEncoder's "quantile" encoding), and with them packs of 2 and
# learning rates of 1e-3 learnt how columns move together within the
# scheduled steps. On six development tables fitted without labels, packs of
# 10 at 2e-4 (the earlier defaults) left SDMetrics' Column Pair Trends near
# those of independently drawn columns (Wage 0.69, attrition 0.66); packs of
# 2 at 1e-3 reached 0.95 and 0.86, and packs of 1 about the same at 1.6
# times the cost (docs/benchmarks.md). An auxiliary classifier weight of 0.3
# (1 before) served both fit and fit_resample: with labels, Default's
# SDMetrics quality rose from 0.858 to 0.924 and its train-synthetic-test-real
# F1 from 0.643 to 0.724 (attrition 0.898 to 0.902 and 0.636 to 0.667); 1
# pushed overlapping classes apart. On the oversampling benchmark 0.3 had
# ranked better than 1 too.
#
# epochs="auto" makes 500 passes without labels, 125 with them (at least
# 250,000 rows, at most 5000 steps: see _plan). 125 passes, the earlier rule
# for both, had been chosen on SDMetrics quality, which levels off first. On
# the benchmark tables fitted without labels, 500 passes (2 to 4 times the
# steps on tables of over 500 rows) raised quality on all six tables it
# changed (Caravan 0.870 to 0.915), lowered the detection AUC (Wage 0.83 to
# 0.61, HMDA 0.76 to 0.66) and raised train-synthetic-test-real F1 where the
# target hangs on rare categories (HMDA 0.48 to 0.70, attrition 0.45 to
# 0.53, Default 0.71 to 0.77), at 2 to 4 times the fit time. Fitted with the
# target as labels (class-balanced batches show the rare classes often, and
# the label carries the target's relation), 500 passes were no better: TSTR
# fell on Default, Wage and attrition (0.74 to 0.71, 0.63 to 0.58, 0.68 to
# 0.64) and rose on HMDA (0.61 to 0.72), so labelled fits, fit_resample
# among them, keep 125 (docs/benchmarks.md).
TABLE_AUTO = {
    "loss": "wgan-gp",
    "pac": 2,
    "batch_size": 500,
    "passes": 500,  # epochs="auto": passes over the data (see above),
    "passes_labelled": 125,  # when conditioned on class labels
    "min_rows": 250_000,  # epochs="auto" draws at least this many rows
    "classifier_weight": 0.3,
    "n_modes": 10,  # numeric_encoding="modes" only
    "generator_lr": 1e-3,
    "discriminator_lr": 1e-3,
    "network": "mlp",
}


def mlp_networks(sampler, encoder):
    """The MLP generator and discriminator, and what each is offered.

    Returns ``(generator, discriminator, generator_offered,
    discriminator_offered)``: the classes, and keyword arguments they take
    if their signature has them (a user's own network takes what it needs).
    """
    return (
        Generator,
        Discriminator,
        {
            "hidden_layers": tuple(sampler.generator_layers),
            "output_spans": encoder.output_spans_,
        },
        {"hidden_layers": tuple(sampler.discriminator_layers)},
    )


class TableKind:
    """A table: a DataFrame or a 2-D array of rows, of any column types.

    Attributes
    ----------
    name : str
        ``"table"``, as saved in model files.
    auto : dict
        What ``"auto"`` means for each setting of :class:`GANSampler`.
    image_shape : None
        Tables have no image shape (``GANSampler.image_shape_``).
    """

    name = "table"
    STATE_VERSION = 1  # of state(), in model files
    auto = TABLE_AUTO
    image_shape = None

    @classmethod
    def recognise(cls, X, image_shape):
        """A TableKind for ``X``: any input that no other kind claims."""
        return cls()

    def check(self, X):
        """Validate ``X``; return it in its container (see ``check_table``)."""
        return check_table(X)

    def rows(self, data):
        """``data`` as 2-D rows for the encoder and the metrics: as it is."""
        return data

    def make_encoder(self, data, sampler, n_modes, random_state):
        """An unfitted TabularEncoder with the sampler's encoding settings."""
        return TabularEncoder(
            categorical_features=sampler.categorical_features,
            numeric_encoding=sampler.numeric_encoding,
            n_modes=n_modes,
            max_categories=sampler.max_categories,
            random_state=random_state,
        )

    def networks(self, network, sampler, encoder):
        """The networks ``network`` names for tables; see :func:`mlp_networks`."""
        if network != "mlp":
            raise ValueError(
                f"network={network!r} needs images: pass an array of shape "
                "(n, H, W) or (n, C, H, W), or flat rows with image_shape=(C, H, W)."
            )
        return mlp_networks(sampler, encoder)

    def state(self):
        """What a model file keeps of this kind: nothing, a table has no shape."""
        return {}

    @classmethod
    def from_state(cls, state, version):
        return cls()
