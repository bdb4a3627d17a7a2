"""Tables as a kind of data: their checks, encoding, "auto" settings, networks.

A data kind owns what differs between tables and images, so that the
sampler never asks which one it holds. :mod:`skgan._kinds` lists the kinds;
a new kind (time series, say) is one more module like this one.
"""

from .._encoding.columns import check_table
from .._encoding.tabular import TabularEncoder
from .._nn.table import Discriminator, Generator

# "auto" settings for tables; the measurements behind each are in
# docs/benchmarks.md ("Why the auto settings are what they are").
TABLE_AUTO = {
    "loss": "wgan-gp",  # stable on mixed columns
    "pac": 2,  # pair trends learnt; larger packs hid them
    "batch_size": 500,
    "passes": 500,  # epochs="auto": passes over the data without labels,
    "passes_labelled": 125,  # fewer with labels: more did not help
    "min_rows": 250_000,  # ...drawing at least this many rows
    "classifier_weight": 0.3,  # keeps rare classes apart; 1 split overlaps
    "n_modes": 10,  # numeric_encoding="modes" only
    "generator_lr": 1e-3,  # with packs of 2, learnt pair trends in time
    "discriminator_lr": 1e-3,
    "network": "mlp",
}


def mlp_networks(config, encoder):
    """The MLP generator and discriminator, and what each is offered.

    Returns ``(generator, discriminator, generator_offered,
    discriminator_offered)``: the classes, and keyword arguments they take
    if their signature has them (a user's own network takes what it needs).
    """
    return (
        Generator,
        Discriminator,
        {
            "hidden_layers": config.generator_layers,
            "output_spans": encoder.output_spans_,
        },
        {"hidden_layers": config.discriminator_layers},
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

    def make_encoder(self, data, config, random_state):
        """An unfitted TabularEncoder with the configuration's encoding settings."""
        return TabularEncoder(
            categorical_features=config.categorical_features,
            numeric_encoding=config.numeric_encoding,
            n_modes=config.plan.n_modes,
            max_categories=config.max_categories,
            random_state=random_state,
        )

    def networks(self, config, encoder):
        """The networks ``config.plan.network`` names; see :func:`mlp_networks`."""
        network = config.plan.network
        if network != "mlp":
            raise ValueError(
                f"network={network!r} needs images: pass an array of shape "
                "(n, H, W) or (n, C, H, W), or flat rows with image_shape=(C, H, W)."
            )
        return mlp_networks(config, encoder)

    def state(self):
        """What a model file keeps of this kind: nothing, a table has no shape."""
        return {}

    @classmethod
    def from_state(cls, state, version):
        return cls()
