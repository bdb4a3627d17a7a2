"""Measures of how realistic synthetic data is, usable on any pair of tables.

Every function takes a real and a synthetic table (DataFrames or arrays, of
mixed types, with missing values) and needs no fitted model, so it scores the
output of any generator. :func:`evaluate` runs them together.

Images have measures of their own, which compare them in the feature space of
:class:`ImageFeatures`, a classifier trained on the real images:
:func:`frechet_distance`, :func:`precision_recall` and
:func:`conditional_accuracy`.
"""

from ._classifier import detection_auc, utility_score
from ._distance import distance_to_closest_record, exact_copy_rate, mmd
from ._evaluate import evaluate
from ._images import (
    ImageFeatures,
    conditional_accuracy,
    frechet_distance,
    precision_recall,
)
from ._similarity import column_shapes, fidelity_score, pair_trends

__all__ = [
    "ImageFeatures",
    "column_shapes",
    "conditional_accuracy",
    "detection_auc",
    "distance_to_closest_record",
    "evaluate",
    "exact_copy_rate",
    "fidelity_score",
    "frechet_distance",
    "mmd",
    "pair_trends",
    "precision_recall",
    "utility_score",
]
