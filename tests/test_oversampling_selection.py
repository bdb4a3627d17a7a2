"""Candidate filtering of fit_resample: which generated rows are kept."""

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist

from skgan import GANSampler
from skgan._oversampling import (
    _typicality_and_anchors,
    class_typicality,
    spread_over_anchors,
)


def test_typicality_matches_brute_force_distances():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(40, 3))
    labels = rng.integers(0, 3, 40)
    candidates = rng.normal(size=(15, 3))
    candidate_labels = rng.integers(0, 3, 15)
    got = class_typicality(real, labels, candidates, candidate_labels)
    # The distance space scales each column by its real range.
    low, span = real.min(axis=0), np.ptp(real, axis=0)
    distances = cdist((candidates - low) / span, (real - low) / span)
    own = labels[None, :] == candidate_labels[:, None]
    d_own = np.where(own, distances, np.inf).min(axis=1)
    d_other = np.where(~own, distances, np.inf).min(axis=1)
    np.testing.assert_allclose(got, d_own / (d_own + d_other))


def test_typicality_counts_a_category_mismatch_as_distance():
    real = pd.DataFrame({"colour": ["red", "red", "blue", "blue"], "x": [0, 1, 0, 1]})
    labels = np.array([0, 0, 1, 1])
    candidates = pd.DataFrame({"colour": ["red", "blue"], "x": [0.5, 0.5]})
    typicality = class_typicality(real, labels, candidates, np.array([0, 0]))
    assert typicality[0] < 0.5 < typicality[1]


def test_a_class_alone_is_all_typical():
    typicality = class_typicality(
        np.arange(6.0).reshape(3, 2), np.zeros(3), np.ones((2, 2)), np.zeros(2)
    )
    np.testing.assert_array_equal(typicality, 0.0)


def test_anchors_are_the_nearest_real_row_of_the_candidates_class():
    real = np.array([[0.0], [1.0], [2.0], [3.0]])
    labels = np.array([0, 1, 0, 1])
    candidates = np.array([[0.9], [1.1]])
    _, anchors = _typicality_and_anchors(real, labels, candidates, np.array([0, 1]))
    np.testing.assert_array_equal(anchors, [0, 1])  # row 1 is of the other class


def test_spread_takes_every_anchors_best_before_any_second_best():
    typicality = np.array([0.1, 0.2, 0.3, 0.9, 0.8])
    anchors = np.array([0, 0, 0, 1, 2])
    keep = spread_over_anchors(typicality, anchors, np.zeros(5), {0: 3})
    np.testing.assert_array_equal(keep, [0, 3, 4])


def test_spread_keeps_the_requested_count_per_class():
    rng = np.random.default_rng(0)
    labels = np.repeat([0, 1], 50)
    keep = spread_over_anchors(
        rng.random(100), rng.integers(0, 7, 100), labels, {0: 20, 1: 45}
    )
    assert np.bincount(labels[keep]).tolist() == [20, 45]
    assert len(np.unique(keep)) == len(keep)


@pytest.fixture(scope="module")
def overlapping():
    """Two Gaussian classes that overlap; the rare one sits on the right."""
    rng = np.random.default_rng(0)
    X = np.vstack([rng.normal(0, 1, (300, 2)), rng.normal(2, 1, (30, 2))])
    y = np.array([0] * 300 + [1] * 30)
    return X, y


def fit_resample(X, y, candidates):
    gan = GANSampler(
        epochs=150, generator_layers=(32,), discriminator_layers=(32,),
        latent_dim=8, batch_size=110, pac=5, random_state=0,
        oversampling_candidates=candidates,
    )  # fmt: skip
    return gan.fit_resample(X, y)


def test_filtering_adds_exactly_the_requested_rows(overlapping):
    X, y = overlapping
    X_res, y_res = fit_resample(X, y, candidates=3)
    assert np.bincount(y_res).tolist() == [300, 300]
    np.testing.assert_array_equal(X_res[: len(X)], X)


def test_filtered_rows_sit_nearer_their_class(overlapping):
    X, y = overlapping
    unfiltered, _ = fit_resample(X, y, candidates=1)
    filtered, _ = fit_resample(X, y, candidates=4)

    def typicality(rows):
        return class_typicality(X, y, rows, np.ones(len(rows), dtype=int)).mean()

    assert typicality(filtered[len(X) :]) < typicality(unfiltered[len(X) :]) - 0.03
