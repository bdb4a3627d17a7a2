"""Unit tests for the image measures of ``skgan.metrics``.

Each measure is checked against an independent computation:

* ``frechet_distance`` against the closed form for Gaussians with diagonal
  covariances (on samples built to have exactly the chosen mean and
  covariance), against the usual ``scipy.linalg.sqrtm`` formula on correlated
  data, and against the 1-D formula ``(m1 - m2)² + (s1 - s2)²``;
* ``precision_recall`` against a brute-force ``cdist`` computation of the
  k-NN balls of Kynkäänniemi et al.;
* ``ImageFeatures`` against its perceptron: the output layer applied to its
  features gives the perceptron's probabilities;
* ``conditional_accuracy`` against the classifier's accuracy.

On scikit-learn's digits they are checked to rank real test digits above
noise and above digits of a single class, and ``ImageFeatures`` passes
scikit-learn's estimator checks.

What this file does not check: images from a trained generator, colour
images beyond their shape, speed on large sets.
"""

import numpy as np
import pytest
from scipy.linalg import sqrtm
from scipy.spatial.distance import cdist
from scipy.special import softmax
from sklearn.datasets import load_digits
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils.estimator_checks import parametrize_with_checks

from skgan.metrics import (
    ImageFeatures,
    conditional_accuracy,
    frechet_distance,
    precision_recall,
)


def _gaussian_sample(mean, variances, n_rows, rng):
    """Rows whose sample mean and covariance are exactly mean, diag(variances)."""
    centred = rng.normal(size=(n_rows, len(mean)))
    centred -= centred.mean(axis=0)
    orthonormal, _ = np.linalg.qr(centred)  # zero-mean, orthonormal columns
    return mean + np.sqrt(n_rows - 1) * orthonormal * np.sqrt(variances)


def _sqrtm_frechet(real, synthetic):
    """The formula of the FID papers, with scipy's matrix square root."""
    real_cov = np.cov(real, rowvar=False)
    synthetic_cov = np.cov(synthetic, rowvar=False)
    gap = real.mean(axis=0) - synthetic.mean(axis=0)
    root = sqrtm(real_cov @ synthetic_cov).real
    return gap @ gap + np.trace(real_cov + synthetic_cov - 2 * root)


@pytest.fixture(scope="module")
def digits():
    """Digits split in halves, and an ImageFeatures fitted on the first."""
    images, labels = load_digits(return_X_y=True)
    train, test, train_labels, test_labels = train_test_split(
        images, labels, test_size=0.5, stratify=labels, random_state=0
    )
    extractor = ImageFeatures().fit(train, train_labels)
    return train, test, train_labels, test_labels, extractor


# -- frechet_distance --------------------------------------------------------


def test_frechet_distance_matches_the_closed_form_for_diagonal_covariances():
    rng = np.random.default_rng(0)
    mean_a, var_a = np.array([0.0, 1.0, -2.0]), np.array([1.0, 4.0, 0.25])
    mean_b, var_b = np.array([1.0, 1.0, 0.0]), np.array([2.0, 1.0, 0.25])
    a = _gaussian_sample(mean_a, var_a, 200, rng)
    b = _gaussian_sample(mean_b, var_b, 300, rng)
    np.testing.assert_allclose(np.cov(a, rowvar=False), np.diag(var_a), atol=1e-12)
    expected = np.sum((mean_a - mean_b) ** 2) + np.sum(
        var_a + var_b - 2 * np.sqrt(var_a * var_b)
    )
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-10)


def test_frechet_distance_matches_sqrtm_on_correlated_data():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(400, 5)) @ rng.normal(size=(5, 5))
    b = rng.normal(size=(300, 5)) @ rng.normal(size=(5, 5)) + 0.5
    assert frechet_distance(a, b) == pytest.approx(_sqrtm_frechet(a, b), rel=1e-8)


def test_frechet_distance_of_one_feature_is_the_1d_wasserstein_formula():
    rng = np.random.default_rng(2)
    a, b = rng.normal(1, 2, size=(100, 1)), rng.normal(0, 1, size=(80, 1))
    expected = (a.mean() - b.mean()) ** 2 + (a.std(ddof=1) - b.std(ddof=1)) ** 2
    assert frechet_distance(a, b) == pytest.approx(expected, rel=1e-10)


def test_frechet_distance_is_zero_for_equal_sets_and_grows_with_a_shift():
    rng = np.random.default_rng(3)
    a = rng.normal(size=(300, 4))
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)
    shift = np.array([1.0, 0.0, 2.0, 0.0])
    assert frechet_distance(a, a + shift) == pytest.approx(5.0, rel=1e-9)


def test_frechet_distance_handles_more_features_than_images():
    # Singular covariances make sqrtm's result complex or inaccurate.
    rng = np.random.default_rng(4)
    a = rng.normal(size=(10, 50))
    assert frechet_distance(a, a) == pytest.approx(0.0, abs=1e-8)
    shifted = frechet_distance(a, a + 0.1)
    assert shifted == pytest.approx(50 * 0.1**2, rel=1e-6)


def test_frechet_distance_flattens_image_arrays():
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(60, 1, 2, 3)), rng.normal(size=(50, 1, 2, 3)) + 1
    flat = frechet_distance(a.reshape(60, -1), b.reshape(50, -1))
    assert frechet_distance(a, b) == pytest.approx(flat)
    assert frechet_distance(a[:, 0], b[:, 0]) == pytest.approx(flat)


def test_features_may_be_a_transformer_or_a_callable():
    rng = np.random.default_rng(6)
    a, b = rng.normal(size=(100, 6)), rng.normal(size=(90, 6)) + 0.3
    pca = PCA(n_components=2).fit(a)
    expected = frechet_distance(pca.transform(a), pca.transform(b))
    assert frechet_distance(a, b, features=pca) == pytest.approx(expected)
    assert frechet_distance(a, b, features=pca.transform) == pytest.approx(expected)
    expected_pr = precision_recall(pca.transform(a), pca.transform(b))
    assert precision_recall(a, b, features=pca) == expected_pr


@pytest.mark.parametrize("measure", [frechet_distance, precision_recall])
def test_image_measures_refuse_bad_input(measure):
    rng = np.random.default_rng(7)
    a = rng.normal(size=(20, 4))
    with pytest.raises(ValueError, match="4 values per image and the synthetic"):
        measure(a, a[:, :3])
    with pytest.raises(ValueError, match=r"1 row\(s\); at least 2 are needed"):
        measure(a, a[:1])
    with pytest.raises(ValueError, match=r"shape \(20,\); give one image"):
        measure(a[:, 0], a)
    for bad in (np.nan, np.inf):
        broken = a.copy()
        broken[3, 1] = bad
        with pytest.raises(ValueError, match="synthetic images hold NaN or infinite"):
            measure(a, broken)
    with pytest.raises(TypeError, match="features must be None"):
        measure(a, a, features="inception")
    with pytest.raises(ValueError, match="features of the real images hold NaN"):
        measure(a, a, features=lambda images: np.where(images > 0, images, np.nan))


# -- precision_recall ---------------------------------------------------------


def _brute_force_precision_recall(real, synthetic, k):
    def radii(points):
        return np.sort(cdist(points, points), axis=1)[:, k]  # column 0: itself

    precision = (cdist(synthetic, real) <= radii(real)).any(axis=1).mean()
    recall = (cdist(real, synthetic) <= radii(synthetic)).any(axis=1).mean()
    return precision, recall


@pytest.mark.parametrize("k", [1, 3, 7])
def test_precision_recall_matches_brute_force(k):
    rng = np.random.default_rng(k)
    real = rng.normal(size=(80, 3))
    real[40:45] = real[:5]  # duplicates: radii of 0 with k=1
    synthetic = rng.normal(0.5, 1.3, size=(60, 3))
    synthetic[:5] = real[10:15]  # exact copies fall in the balls
    result = precision_recall(real, synthetic, k=k)
    expected = _brute_force_precision_recall(real, synthetic, k)
    assert result == pytest.approx(expected)
    assert 0 < result.precision < 1


def test_precision_recall_refuses_a_bad_k():
    a = np.random.default_rng(0).normal(size=(5, 2))
    with pytest.raises(ValueError, match="k=5 needs more than 5 images"):
        precision_recall(a, a, k=5)
    for k in (0, 2.5, True):
        with pytest.raises(ValueError, match="k must be a positive integer"):
            precision_recall(a, a, k=k)


# -- ImageFeatures ------------------------------------------------------------


@parametrize_with_checks([ImageFeatures(n_hidden=16)])
@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_image_features_is_a_scikit_learn_estimator(estimator, check):
    check(estimator)


def test_image_features_classifies_held_out_digits(digits):
    _, test, _, test_labels, extractor = digits
    assert extractor.score(test, test_labels) > 0.9
    # The perceptron's output layer on the features gives its probabilities:
    # transform returns its hidden layer.
    features = extractor.transform(test)
    assert features.shape == (len(test), 128) and features.min() == 0
    logits = features @ extractor.mlp_.coefs_[1] + extractor.mlp_.intercepts_[1]
    np.testing.assert_allclose(
        softmax(logits, axis=1), extractor.predict_proba(test), rtol=1e-10
    )
    images = test.reshape(-1, 1, 8, 8)
    np.testing.assert_array_equal(extractor.predict(images), extractor.predict(test))
    np.testing.assert_array_equal(extractor.transform(images[:, 0]), features)


def test_image_features_training_is_reproducible(digits):
    train, test, train_labels, _, extractor = digits
    again = ImageFeatures().fit(train, train_labels)
    np.testing.assert_array_equal(again.transform(test), extractor.transform(test))


def test_image_features_refuses_images_of_another_size(digits):
    extractor = digits[4]
    with pytest.raises(ValueError, match="expecting 64 features"):
        extractor.transform(np.zeros((3, 7, 7)))


def test_image_features_warns_when_training_stops_early(digits):
    train, _, train_labels, _, _ = digits
    with pytest.warns(ConvergenceWarning):
        ImageFeatures(max_iter=2).fit(train, train_labels)


# -- the measures on digits ---------------------------------------------------


@pytest.mark.parametrize("use_features", [False, True])
def test_frechet_distance_ranks_real_digits_first(digits, use_features):
    train, test, _, test_labels, extractor = digits
    features = extractor if use_features else None
    noise = np.random.default_rng(0).uniform(0, 16, size=test.shape)
    threes = test[test_labels == 3]
    real = frechet_distance(train, test, features=features)
    assert 5 * real < frechet_distance(train, threes, features=features)
    assert 100 * real < frechet_distance(train, noise, features=features)


def test_conditional_accuracy_of_real_digits(digits):
    _, test, _, test_labels, extractor = digits
    accuracy = conditional_accuracy(test, test_labels, classifier=extractor)
    assert accuracy == extractor.score(test, test_labels) > 0.9
    ignored = np.random.default_rng(0).permutation(test_labels)
    assert conditional_accuracy(test, ignored, classifier=extractor) == pytest.approx(
        0.1, abs=0.04
    )


def test_conditional_accuracy_refuses_bad_labels(digits):
    _, test, _, test_labels, extractor = digits
    with pytest.raises(ValueError, match="899 synthetic images but 898"):
        conditional_accuracy(test[:899], test_labels[:898], classifier=extractor)
    with pytest.raises(ValueError, match=r"holds \[10\], which the classifier"):
        conditional_accuracy(test[:3], [1, 2, 10], classifier=extractor)
    with pytest.raises(ValueError, match="not one-hot rows"):
        conditional_accuracy(test[:3], np.eye(10)[:3], classifier=extractor)
    with pytest.raises(TypeError, match="must have a predict method"):
        conditional_accuracy(test[:3], [1, 2, 3], classifier=extractor.transform)


@pytest.mark.parametrize("use_features", [False, True])
def test_precision_recall_tells_fidelity_from_diversity(digits, use_features):
    train, test, _, test_labels, extractor = digits
    features = extractor if use_features else None
    assert precision_recall(train, train, features=features) == (1.0, 1.0)
    real = precision_recall(train, test, features=features)
    assert real.precision > 0.8 and real.recall > 0.8
    threes = precision_recall(train, test[test_labels == 3], features=features)
    assert threes.precision > 0.8 and threes.recall < 0.2
    noise = np.random.default_rng(0).uniform(0, 16, size=test.shape)
    assert precision_recall(train, noise, features=features).precision < 0.05
