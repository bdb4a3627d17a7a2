"""
Augmenting rare digit classes with GAN samples inside a pipeline
================================================================

We make three digit classes rare in a training set (10 images each instead of
about 140) and train an image classifier on it, three ways:

- no oversampling;
- :class:`~imblearn.over_sampling.RandomOverSampler`, which repeats the rare
  images;
- :class:`skgan.GANSampler`, which trains a class-conditional convolutional
  GAN on all classes (so the rare classes borrow what the common ones teach
  about strokes) and adds generated images until every class has as many as
  the largest.

Each is an :class:`imblearn.pipeline.Pipeline`, so only the training images
are resampled; all three are scored on the same held-out 20%, with every
class at its natural frequency. The images pass through the pipeline as flat
rows of 64 pixels, with ``image_shape=(8, 8)`` telling the GAN their shape.
"""

# %%
# A training set with three rare classes
# ---------------------------------------
import time

import numpy as np
import pandas as pd
from imblearn.over_sampling import RandomOverSampler
from imblearn.pipeline import Pipeline
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, f1_score, recall_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from skgan import GANSampler

RARE = (3, 5, 8)
X, y = load_digits(return_X_y=True)  # flat rows of 64 pixels
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.2, stratify=y, random_state=0
)
rng = np.random.default_rng(0)
keep = np.ones(len(y_train), dtype=bool)
for label in RARE:
    rows = np.flatnonzero(y_train == label)
    keep[rng.permutation(rows)[10:]] = False
X_train, y_train = X_train[keep], y_train[keep]
print("training images per class:", np.bincount(y_train).tolist())

# %%
# Three pipelines, one held-out test set
# --------------------------------------
samplers = {
    "none": None,
    "random oversampling": RandomOverSampler(random_state=0),
    "GANSampler": GANSampler(image_shape=(8, 8), random_state=0),
}
rows = []
for name, sampler in samplers.items():
    steps = [] if sampler is None else [("sampler", sampler)]
    model = Pipeline(
        [
            *steps,
            ("scale", StandardScaler()),
            ("classify", LogisticRegression(max_iter=2000)),
        ]
    )
    start = time.perf_counter()
    model.fit(X_train, y_train)
    predicted = model.predict(X_test)
    rare = np.isin(y_test, RARE)
    rows.append(
        {
            "oversampling": name,
            "balanced accuracy": balanced_accuracy_score(y_test, predicted),
            "macro F1": f1_score(y_test, predicted, average="macro"),
            "recall of rare classes": recall_score(
                y_test[rare], predicted[rare], labels=list(RARE), average="macro"
            ),
            "fit seconds": time.perf_counter() - start,
        }
    )
table = pd.DataFrame(rows).set_index("oversampling").round(3)
print(table.to_string())

# %%
# What the GAN added
# ------------------
import matplotlib.pyplot as plt

from skgan.plotting import plot_images

gan = samplers["GANSampler"]
grid = np.repeat(RARE, 10)
plot_images(
    gan.sample(len(grid), y=grid),
    grid,
    image_shape=(8, 8),
    title="Generated images of the rare classes",
)
plt.show()

# %%
# Reading the results
# -------------------
# In the run shown on this page, the GAN's images lift the balanced accuracy
# from 0.891 without oversampling to 0.905, and the recall of the rare
# classes from 0.665 to 0.720; but repeating the ten real images of each rare
# class does better still (0.916 and 0.758), in a twentieth of a second
# where the GAN trains for over two minutes. Learnt from ten images each, the
# generated 3s and 5s above are recognisable but much alike, and the 8s
# blotchy, so they teach the classifier little that the real ten do not.
# Compare samplers on your own data before choosing one; :doc:`/benchmarks`
# compares GANSampler with SMOTE and its variants on twenty tables.
