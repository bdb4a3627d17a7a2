"""Quality of generated images, measured without downloaded networks.

The usual image measures (FID, precision and recall) compare images in the
feature space of an Inception network trained on ImageNet. Its weights cannot
always be downloaded and suit small images poorly, so here the features come
from :class:`ImageFeatures`, a small classifier trained on the real labelled
images, or from any extractor the caller passes as ``features``.
"""

from numbers import Integral, Real
from typing import NamedTuple

import numpy as np
from scipy.spatial.distance import cdist
from sklearn.base import (
    BaseEstimator,
    ClassifierMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.neighbors import NearestNeighbors
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data
from threadpoolctl import threadpool_limits

# Distances computed at once by precision_recall: 2**22 float64 are 32 MiB.
_DISTANCE_BLOCK = 2**22


def _image_rows(X):
    """Flatten images of shape (n, H, W) or (n, C, H, W) to rows of pixels.

    Two-dimensional input (arrays, lists, DataFrames) is returned as it is.
    """
    # Not np.ndim: it refuses array-likes that only define __array__.
    ndim = X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim
    if ndim > 2:
        array = np.asarray(X)
        return array.reshape(len(array), -1)
    return X


def _one_thread():
    # These matrices are small: on a few shared cores, several BLAS or OpenMP
    # threads wait on each other (an MLP fit on the digits took 9 s instead of
    # 0.7 s, the eigh of a 128 x 128 covariance 0.4 s instead of 1 ms).
    return threadpool_limits(limits=1)


class ImageFeatures(ClassifierMixin, TransformerMixin, BaseEstimator):
    """A small classifier of real images whose hidden layer gives features.

    A stand-in for the Inception network of FID where no weights can be
    downloaded: pixels are standardised and a one-hidden-layer perceptron
    (:class:`~sklearn.neural_network.MLPClassifier`) learns to predict the
    class of the real images. ``transform`` returns the activations of its
    hidden layer, features that separate the classes, for
    :func:`frechet_distance` and :func:`precision_recall`; ``predict``
    classifies images, for :func:`conditional_accuracy`. Train it on real
    images only, preferably ones the generator did not see.

    Images may be arrays of shape (n_images, C, H, W), (n_images, H, W) or
    already flat (n_images, n_pixels); they are flattened.

    Parameters
    ----------
    n_hidden : int, default=128
        Units in the hidden layer: the number of features.
    alpha : float, default=1e-4
        L2 penalty of the perceptron.
    max_iter : int, default=200
        Most passes over the images (Adam); training stops earlier once the
        loss no longer improves.
    random_state : int, RandomState instance or None, default=0
        Seeds the perceptron's weights and batches. Fixed by default, so that
        distances computed with separately fitted extractors are comparable.

    Attributes
    ----------
    scaler_ : StandardScaler
        Standardisation of the pixels.
    mlp_ : MLPClassifier
        The fitted perceptron.
    classes_ : ndarray of shape (n_classes,)
        Class labels.
    n_iter_ : int
        Passes over the images that training took.
    n_features_in_ : int
        Number of pixels per image.

    See Also
    --------
    frechet_distance, precision_recall, conditional_accuracy

    Examples
    --------
    >>> from sklearn.datasets import load_digits
    >>> from skgan.metrics import ImageFeatures
    >>> images, labels = load_digits(return_X_y=True)
    >>> extractor = ImageFeatures().fit(images[::2], labels[::2])
    >>> extractor.score(images[1::2], labels[1::2]) > 0.95
    True
    >>> extractor.transform(images[:5]).shape
    (5, 128)
    """

    _parameter_constraints: dict = {
        "n_hidden": [Interval(Integral, 1, None, closed="left")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "random_state": ["random_state"],
    }

    def __init__(self, *, n_hidden=128, alpha=1e-4, max_iter=200, random_state=0):
        self.n_hidden = n_hidden
        self.alpha = alpha
        self.max_iter = max_iter
        self.random_state = random_state

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y):
        """Learn to classify real images.

        Parameters
        ----------
        X : array-like of shape (n_images, C, H, W), (n_images, H, W) or \
(n_images, n_pixels)
            Real images.
        y : array-like of shape (n_images,)
            Their class labels.

        Returns
        -------
        self : ImageFeatures
            The fitted extractor.
        """
        X, y = validate_data(self, _image_rows(X), y, reset=True)
        self.scaler_ = StandardScaler().fit(X)
        self.mlp_ = MLPClassifier(
            hidden_layer_sizes=(self.n_hidden,),
            alpha=self.alpha,
            max_iter=self.max_iter,
            random_state=self.random_state,
        )
        with _one_thread():
            self.mlp_.fit(self.scaler_.transform(X), y)
        self.classes_ = self.mlp_.classes_
        self.n_iter_ = self.mlp_.n_iter_
        return self

    def _scaled(self, X):
        check_is_fitted(self)
        X = validate_data(self, _image_rows(X), reset=False)
        return self.scaler_.transform(X)

    def transform(self, X):
        """Hidden-layer activations of images: one feature vector per image.

        Parameters
        ----------
        X : array-like of shape (n_images, C, H, W), (n_images, H, W) or \
(n_images, n_pixels)
            Images of the shape seen in ``fit``.

        Returns
        -------
        features : ndarray of shape (n_images, n_hidden)
            ReLU activations of the hidden layer.
        """
        X = self._scaled(X)
        with _one_thread():
            hidden = X @ self.mlp_.coefs_[0] + self.mlp_.intercepts_[0]
        return np.maximum(hidden, 0.0)  # MLPClassifier's default activation

    def predict(self, X):
        """Class of each image.

        Parameters
        ----------
        X : array-like of shape (n_images, C, H, W), (n_images, H, W) or \
(n_images, n_pixels)
            Images of the shape seen in ``fit``.

        Returns
        -------
        labels : ndarray of shape (n_images,)
            Predicted class labels.
        """
        X = self._scaled(X)
        with _one_thread():
            return self.mlp_.predict(X)

    def predict_proba(self, X):
        """Probability of each class for each image.

        Parameters
        ----------
        X : array-like of shape (n_images, C, H, W), (n_images, H, W) or \
(n_images, n_pixels)
            Images of the shape seen in ``fit``.

        Returns
        -------
        probabilities : ndarray of shape (n_images, n_classes)
            Columns follow ``classes_``.
        """
        X = self._scaled(X)
        with _one_thread():
            return self.mlp_.predict_proba(X)


def _feature_rows(images, features, role):
    """Feature vectors of a set of images, checked: finite, 2-D, 2+ rows."""
    if features is None:
        values, what = images, f"The {role} images"
    elif hasattr(features, "transform"):
        values, what = features.transform(images), f"The features of the {role} images"
    elif callable(features):
        values, what = features(images), f"The features of the {role} images"
    else:
        raise TypeError(
            "features must be None, a fitted extractor with a transform method "
            f"(such as ImageFeatures) or a callable; got {type(features).__name__}."
        )
    rows = np.asarray(values, dtype=np.float64)
    if rows.ndim < 2:
        raise ValueError(
            f"{what} have shape {rows.shape}; give one image (or feature vector) "
            "per row, as an array of shape (n_images, ...)."
        )
    rows = rows.reshape(rows.shape[0], -1)
    if len(rows) < 2:
        raise ValueError(
            f"{what} hold {len(rows)} row(s); at least 2 are needed to estimate "
            "a distribution."
        )
    if not np.isfinite(rows).all():
        raise ValueError(
            f"{what} hold NaN or infinite values; drop or repair those images first."
        )
    return rows


def _paired_rows(real, synthetic, features):
    real_rows = _feature_rows(real, features, "real")
    synthetic_rows = _feature_rows(synthetic, features, "synthetic")
    if real_rows.shape[1] != synthetic_rows.shape[1]:
        raise ValueError(
            f"The real images give {real_rows.shape[1]} values per image and the "
            f"synthetic images {synthetic_rows.shape[1]}; compare images of the "
            "same shape, or pass the same extractor as features."
        )
    return real_rows, synthetic_rows


def _trace_sqrt_product(a, b):
    """Trace of the square root of ``a @ b``, for symmetric PSD ``a`` and ``b``.

    ``a @ b`` has the eigenvalues of the symmetric ``sqrt(a) b sqrt(a)``, so
    the trace is the sum of their square roots. Unlike ``scipy.linalg.sqrtm(a
    @ b)`` this stays real and exact when a covariance is singular, as it is
    whenever there are fewer images than features.
    """
    values, vectors = np.linalg.eigh(a)
    root = (vectors * np.sqrt(_drop_rounding(values))) @ vectors.T
    inner = root @ b @ root
    inner_values = np.linalg.eigvalsh((inner + inner.T) / 2)
    return float(np.sqrt(_drop_rounding(inner_values)).sum())


def _drop_rounding(eigenvalues):
    """Set eigenvalues that are rounding noise around 0 to 0.

    A singular covariance has eigenvalues of about ±1e-16 times the largest
    instead of 0; their square roots, 1e-8 times, would add up.
    """
    tolerance = len(eigenvalues) * np.finfo(float).eps * max(eigenvalues.max(), 0.0)
    return np.where(eigenvalues > tolerance, eigenvalues, 0.0)


def frechet_distance(real, synthetic, *, features=None):
    """Fréchet distance between Gaussians fitted to real and synthetic images.

    The measure behind FID: each set of feature vectors is summarised by its
    mean ``mu`` and covariance ``S``, and the squared 2-Wasserstein distance
    between the two Gaussians is returned::

        |mu_r - mu_s|² + tr(S_r) + tr(S_s) - 2 tr((S_r S_s)^½)

    0 means equal means and covariances. With ``features=None`` the pixels are
    compared as they are; pass a fitted :class:`ImageFeatures` (or any
    extractor) to compare images in a space where their classes separate, as
    FID does with Inception features. Values depend on the feature space: only
    compare distances computed with the same ``features`` and similar numbers
    of images, as the estimate is biased upwards for small sets.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_images, C, H, W), (n_images, H, W) \
or (n_images, n_values)
        The images to compare; they may differ in number. Each image is a flat
        vector of its values.
    features : None, object with ``transform`` or callable, default=None
        Maps an array of images to an array of feature vectors, one row per
        image: a fitted :class:`ImageFeatures`, any fitted scikit-learn
        transformer, or a function. None uses the images themselves.

    Returns
    -------
    distance : float
        Non-negative; in squared feature units.

    See Also
    --------
    precision_recall : Which of fidelity and diversity is lacking.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import frechet_distance
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(1000, 2))
    >>> round(frechet_distance(real, real), 6)
    0.0
    >>> round(frechet_distance(real, real + [3.0, 4.0]), 6)
    25.0
    """
    real_rows, synthetic_rows = _paired_rows(real, synthetic, features)
    gap = real_rows.mean(axis=0) - synthetic_rows.mean(axis=0)
    with _one_thread():
        real_cov = np.atleast_2d(np.cov(real_rows, rowvar=False))
        synthetic_cov = np.atleast_2d(np.cov(synthetic_rows, rowvar=False))
        root_term = _trace_sqrt_product(real_cov, synthetic_cov)
    distance = gap @ gap + np.trace(real_cov) + np.trace(synthetic_cov) - 2 * root_term
    return max(float(distance), 0.0)  # rounding can leave -1e-12 for equal sets


def conditional_accuracy(synthetic, requested_labels, *, classifier):
    """Share of synthetic images classified as the class they were asked for.

    Measures whether a conditional generator obeys its condition: images
    generated for class ``c`` should look like class ``c`` to a classifier
    trained on real images (such as :class:`ImageFeatures`). Compare with the
    classifier's accuracy on real test images, the most this can reach; a
    generator that ignores its condition scores about one over the number of
    classes.

    Parameters
    ----------
    synthetic : array-like of shape (n_images, ...)
        Generated images, in the form the classifier takes.
    requested_labels : array-like of shape (n_images,)
        The class each image was generated for.
    classifier : fitted classifier
        Anything with a ``predict`` method, trained on real images.

    Returns
    -------
    accuracy : float
        Between 0 and 1.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.datasets import load_digits
    >>> from skgan.metrics import ImageFeatures, conditional_accuracy
    >>> images, labels = load_digits(return_X_y=True)
    >>> model = ImageFeatures().fit(images[::2], labels[::2])
    >>> test_images, test_labels = images[1::2], labels[1::2]
    >>> conditional_accuracy(test_images, test_labels, classifier=model) > 0.95
    True
    >>> ignored = np.random.default_rng(0).permutation(test_labels)
    >>> round(conditional_accuracy(test_images, ignored, classifier=model), 1)
    0.1
    """
    if not hasattr(classifier, "predict"):
        raise TypeError(
            "classifier must have a predict method, such as a fitted ImageFeatures; "
            f"got {type(classifier).__name__}."
        )
    requested = np.asarray(requested_labels)
    if requested.ndim != 1:
        raise ValueError(
            f"requested_labels has shape {requested.shape}; give one class label "
            "per image as a 1-D array (not one-hot rows)."
        )
    known = getattr(classifier, "classes_", None)
    if known is not None:
        unknown = np.setdiff1d(requested, known)
        if unknown.size:
            raise ValueError(
                f"requested_labels holds {unknown[:5].tolist()}, which the "
                f"classifier does not know; its classes are {list(known)}."
            )
    predicted = np.asarray(classifier.predict(synthetic))
    if len(predicted) != len(requested):
        raise ValueError(
            f"There are {len(predicted)} synthetic images but {len(requested)} "
            "requested labels; give one label per image."
        )
    if len(requested) == 0:
        raise ValueError("There are no synthetic images to classify.")
    return float(np.mean(predicted == requested))


class PrecisionRecall(NamedTuple):
    """Improved precision and recall: fidelity and diversity of samples."""

    precision: float
    recall: float


def _knn_radii(rows, k):
    """Distance from each row to its k-th nearest other row."""
    neighbours = NearestNeighbors(n_neighbors=k + 1).fit(rows)
    distances, _ = neighbours.kneighbors(rows)
    return distances[:, k]  # column 0 is the row itself


def _share_covered(points, centres, radii):
    """Share of points within the radius of at least one centre.

    Distances come from ``cdist``, which subtracts coordinates: an exact copy
    of a centre is at distance 0, not at the 1e-8 that the faster
    ``|x|² - 2 x·y + |y|²`` leaves.
    """
    block = max(1, _DISTANCE_BLOCK // len(centres))
    covered = [
        (cdist(points[start : start + block], centres) <= radii).any(axis=1)
        for start in range(0, len(points), block)
    ]
    return float(np.concatenate(covered).mean())


def precision_recall(real, synthetic, *, k=3, features=None):
    """Improved precision and recall of Kynkäänniemi et al. (2019).

    Each set is taken as the union of balls around its points, each ball
    reaching the point's ``k``-th nearest neighbour in its own set. Precision
    is the share of synthetic points inside the real set's balls: are the
    samples realistic? Recall is the share of real points inside the
    synthetic set's balls: does the generator cover all the real data? A
    generator that collapses to a few good modes has high precision and low
    recall; one that produces noise has low precision.

    Distances are Euclidean and exact, computed between all pairs of points:
    the cost grows with ``n_real * n_synthetic``, so subsample sets of more
    than some ten thousand images.

    Parameters
    ----------
    real, synthetic : array-like of shape (n_images, C, H, W), (n_images, H, W) \
or (n_images, n_values)
        The images to compare; each needs more than ``k`` images.
    k : int, default=3
        Neighbour that sets each ball's radius. Larger values give larger
        balls, so higher precision and recall.
    features : None, object with ``transform`` or callable, default=None
        Feature extractor, as in :func:`frechet_distance`; None compares the
        images themselves.

    Returns
    -------
    result : PrecisionRecall
        A named tuple ``(precision, recall)`` of floats between 0 and 1.

    References
    ----------
    .. [1] T. Kynkäänniemi, T. Karras, S. Laine, J. Lehtinen and T. Aila,
       "Improved Precision and Recall Metric for Assessing Generative
       Models", NeurIPS 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from skgan.metrics import precision_recall
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(500, 2))
    >>> precision_recall(real, real)
    PrecisionRecall(precision=1.0, recall=1.0)
    >>> collapsed = rng.normal(scale=0.1, size=(500, 2))  # one mode of real
    >>> result = precision_recall(real, collapsed)
    >>> result.precision > 0.9, result.recall < 0.2
    (True, True)
    """
    if not isinstance(k, Integral) or isinstance(k, bool) or k < 1:
        raise ValueError(f"k must be a positive integer; got {k!r}.")
    real_rows, synthetic_rows = _paired_rows(real, synthetic, features)
    fewest = min(len(real_rows), len(synthetic_rows))
    if k >= fewest:
        raise ValueError(
            f"k={k} needs more than {k} images in each set, but one has only "
            f"{fewest}; lower k or give more images."
        )
    with _one_thread():
        real_radii = _knn_radii(real_rows, k)
        synthetic_radii = _knn_radii(synthetic_rows, k)
    precision = _share_covered(synthetic_rows, real_rows, real_radii)
    recall = _share_covered(real_rows, synthetic_rows, synthetic_radii)
    return PrecisionRecall(precision, recall)
