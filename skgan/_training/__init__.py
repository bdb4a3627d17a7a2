"""Training inside skorch.

``net``: :class:`~skgan.GANNet`, the alternating updates; ``batches``: the
batch iterator; ``callbacks``: the public callbacks; ``early_stopping``: the
held-out split and training that stops on it.
"""
