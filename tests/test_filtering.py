"""Candidate filtering of fit_resample: which generated rows are kept."""

import numpy as np
import pandas as pd
import pytest
from scipy.spatial.distance import cdist

from skgan import GANSampler
from skgan._filtering import class_typicality, most_typical


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


def test_most_typical_keeps_the_lowest_per_class_in_order():
    typicality = np.array([0.9, 0.1, 0.5, 0.2, 0.8, 0.3])
    labels = np.array([0, 0, 0, 1, 1, 1])
    keep = most_typical(typicality, labels, {0: 2, 1: 1})
    np.testing.assert_array_equal(keep, [1, 2, 3])


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
