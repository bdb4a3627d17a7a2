"""Measures of how realistic synthetic data is, usable on any pair of tables.

Every function takes a real and a synthetic table (DataFrames or arrays, of
mixed types, with missing values) and needs no fitted model, so it scores the
output of any generator. :func:`evaluate` runs them together.
"""

from ._classifier import detection_auc, utility_score
from ._distance import distance_to_closest_record, exact_copy_rate, mmd
from ._evaluate import evaluate
from ._similarity import column_shapes, fidelity_score, pair_trends

__all__ = [
    "column_shapes",
    "detection_auc",
    "distance_to_closest_record",
    "evaluate",
    "exact_copy_rate",
    "fidelity_score",
    "mmd",
    "pair_trends",
    "utility_score",
]
