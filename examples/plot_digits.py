"""
Generating handwritten digits of a requested class
==================================================

:class:`skgan.GANSampler` recognises arrays of images, shape ``(n, H, W)``
or ``(n, C, H, W)``, and trains a class-conditional DCGAN-style
convolutional GAN on them with its defaults for images. We train it on 80%
of scikit-learn's 8x8 digits and judge the samples with
:class:`skgan.metrics.ImageFeatures`, a small classifier trained on the real
training digits. Its hidden features stand in for the Inception features of
the usual FID, so nothing is downloaded. It gives:

- how often it recognises the class each sample was asked to be;
- the Fréchet distance between samples and the real test digits, on the
  classifier's hidden features, next to the same distance between the real
  training and test digits;
- precision and recall of the generated distribution (k-nearest-neighbour
  manifolds, Kynkäänniemi et al., 2019).

Then we plot real test digits and generated ones side by side, one row
per class.
"""

# %%
# Train on 80% of the digits
# --------------------------
import time

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from skgan import GANSampler, metrics

digits = load_digits()
X_train, X_test, y_train, y_test = train_test_split(
    digits.images,
    digits.target,
    test_size=0.2,
    stratify=digits.target,
    random_state=0,
)
start = time.perf_counter()
gan = GANSampler(random_state=0).fit(X_train, y_train)
print(
    f"fitted {type(gan.net_.module_).__name__} in {time.perf_counter() - start:.0f} s,"
    f" {gan.epochs_} epochs of {gan.batch_size_} images"
)

# %%
# Judge the samples with a classifier of real digits
# ---------------------------------------------------
# :class:`~skgan.metrics.ImageFeatures` is a small neural classifier; its
# hidden layer gives the features for the Fréchet distance and the
# precision/recall estimates.
#
# The Fréchet distance of a finite sample is biased upwards, more so for a
# small one, so the generated set has as many images as the real training
# set it is compared with: each distance then pairs sets of the same sizes
# with the real test images. The classes are requested in the training
# proportions.
judge = metrics.ImageFeatures(random_state=0).fit(X_train, y_train)
requested = y_train
samples = gan.sample(len(requested), y=requested)
accuracy = metrics.conditional_accuracy(samples, requested, classifier=judge)
fd_generated = metrics.frechet_distance(X_test, samples, features=judge)
fd_real = metrics.frechet_distance(X_train, X_test, features=judge)
precision, recall = metrics.precision_recall(X_test, samples, features=judge)
print(f"judge's accuracy on real test digits:    {judge.score(X_test, y_test):.3f}")
print(f"requested class recognised in samples:   {accuracy:.3f}")
print(f"Fréchet distance, samples vs real test:  {fd_generated:.1f}")
print(
    f"Fréchet distance, real train vs test:    {fd_real:.1f}"
    f"  (ratio {fd_generated / fd_real:.2f})"
)
print(f"precision {precision:.3f}, recall {recall:.3f}")

# %%
# Real digits next to generated ones
# ----------------------------------
# Left, ten real test digits of every class; right, ten samples the model
# drew for that class. A row of the right grid should read as the digit of
# its label, with as much variety as the real row beside it.
import matplotlib.pyplot as plt

from skgan.plotting import plot_images

real = np.concatenate([X_test[y_test == digit][:10] for digit in gan.classes_])
real_labels = np.repeat(gan.classes_, 10)
fig, (ax_real, ax_fake) = plt.subplots(1, 2, figsize=(10, 5.5), layout="constrained")
plot_images(real, real_labels, n_per_class=10, ax=ax_real, title="real test digits")
plot_images(
    gan.sample(len(real_labels), y=real_labels),
    real_labels,
    n_per_class=10,
    ax=ax_fake,
    title="GANSampler samples of the same classes",
)
plt.show()
