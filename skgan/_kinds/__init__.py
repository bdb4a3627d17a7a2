"""The kinds of data GANSampler models, and how it tells them apart.

Each kind is a class in a module of its own (:mod:`skgan._kinds.table`,
:mod:`skgan._kinds.image`) that owns the input checks, the encoder, the
"auto" settings, the networks and the saved state for that kind of data. To
add a kind, write such a module and list its class in ``KINDS``.
"""

from .._io.serialization import checked_state_version
from .image import ImageKind
from .table import TableKind

# Asked in this order; TableKind takes whatever the others leave.
KINDS = (ImageKind, TableKind)


def data_kind(X, image_shape):
    """The kind of data ``X`` holds, given the ``image_shape`` parameter."""
    for kind in KINDS:
        found = kind.recognise(X, image_shape)
        if found is not None:
            return found
    raise AssertionError("TableKind recognises every input")


def kind_from_state(name, state, version):
    """Rebuild the kind a model file names, from its saved state."""
    kinds = {kind.name: kind for kind in KINDS}
    if name not in kinds:
        raise ValueError(f"unknown data kind {name!r}")
    kind = kinds[name]
    return kind.from_state(state, checked_state_version(kind, version, name))
