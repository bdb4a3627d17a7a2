"""
Tuning a GAN with GridSearchCV and watching its fidelity during training
========================================================================

:meth:`skgan.GANSampler.score` measures how realistic the sampler's rows are
next to real rows it did not train on: the fidelity score of
:func:`skgan.metrics.fidelity_score`, between 0 and 1, higher is better. As
for any scikit-learn estimator with a ``score`` method,
:class:`~sklearn.model_selection.GridSearchCV` then tunes the sampler with no
``scoring`` argument and no downstream classifier.

We learn the wine data set of scikit-learn (178 wines, 13 numeric chemical
measurements, 3 cultivars) with a class-conditional GAN, then

- grid-search the number of training epochs and the generator's learning
  rate with 3-fold cross-validation on a training split;
- report every skgan metric of the best model on a held-out test split, with
  :func:`skgan.metrics.evaluate`;
- train the best setting for longer with
  :class:`skgan.FidelityEarlyStopping`, which scores samples against
  validation rows as training goes, and plot that score and the adversarial
  losses against the epochs.
"""

# %%
# Setup
# -----
import time

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.datasets import load_wine
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split

from skgan import FidelityEarlyStopping, GANSampler
from skgan.metrics import evaluate

start = time.perf_counter()

# %%
# The data: features and cultivar
# --------------------------------
# We keep the cultivar as the class label, so the GAN is class-conditional:
# ``sample(n, y=c)`` draws wines of cultivar ``c``, and ``score(X, y)``
# scores the class as one more column, so that a generator drawing realistic
# wines of the wrong cultivar loses points. A quarter of the rows, stratified
# by cultivar, is held out as a test split that neither the search nor the
# training below sees.
X, y = load_wine(return_X_y=True, as_frame=True)
y = y.rename("cultivar")
X_train, X_test, y_train, y_test = train_test_split(
    X, y, test_size=0.25, stratify=y, random_state=0
)
print(f"{len(X_train)} training and {len(X_test)} test rows, {X.shape[1]} columns")
print("training rows per cultivar:", y_train.value_counts().sort_index().to_dict())

# %%
# The grid search
# ---------------
# The networks are smaller than the defaults, so that the 12 fits of the
# search stay short on one CPU core (the table below gives each candidate's
# mean fit time). A training fold has about 90 rows: an epoch is then a
# single generator step.
#
# :class:`~sklearn.model_selection.GridSearchCV` builds stratified folds only
# for classifiers. A sampler is not one, so with ``cv=3`` it would cut the rows
# into 3 consecutive blocks, neither shuffled nor stratified. ``load_wine``
# lists its rows cultivar by cultivar: on the raw table each test fold would
# hold mostly a cultivar that its training folds barely contain.
# ``train_test_split`` has shuffled our training rows, but the cultivars'
# shares would still vary from fold to fold. So we pass shuffled, stratified
# folds (for a model fitted without labels, ``KFold(shuffle=True)``). There is
# no ``scoring`` argument: the search uses :meth:`GANSampler.score
# <skgan.GANSampler.score>`. With an int ``random_state`` every candidate draws
# its samples from the same seeds, so the candidates are compared on equal
# terms. ``n_jobs=2`` or more would fit candidates in parallel; each fit uses
# one CPU thread (``n_threads=1``, the default).
gan = GANSampler(
    generator_layers=(64, 64),
    discriminator_layers=(64, 64),
    latent_dim=32,
    batch_size=150,
    random_state=0,
)
grid = {"epochs": [200, 800], "generator_lr": [2e-4, 1e-3]}
cv = StratifiedKFold(3, shuffle=True, random_state=0)
search = GridSearchCV(gan, grid, cv=cv).fit(X_train, y_train)

results = pd.DataFrame(search.cv_results_)
columns = {
    "param_epochs": "epochs",
    "param_generator_lr": "generator_lr",
    "mean_test_score": "mean score",
    "std_test_score": "std",
    "rank_test_score": "rank",
    "mean_fit_time": "fit time (s)",
}
table = results[list(columns)].rename(columns=columns)
table["generator_lr"] = table["generator_lr"].map("{:g}".format)
print()
print(table.round(3).to_string(index=False))
print("\nbest parameters:", search.best_params_)

# %%
# The best model on the test split
# --------------------------------
# :class:`~sklearn.model_selection.GridSearchCV` refits the best setting on all
# the training rows. We draw as many synthetic rows as there are training rows
# and compare them with the real ones; the test rows, which the GAN never saw,
# serve as ``holdout``: the utility rows train a classifier of the cultivar on
# synthetic (or on real training) rows and test it on them, and
# ``dcr_holdout_median`` is the reference for how close synthetic rows come to
# training rows.
best = search.best_estimator_
searched_test = best.score(X_test, y_test)
print(f"\ntest score of the best model: {searched_test:.3f}")
X_new, y_new = best.sample(len(X_train), return_y=True)
report = evaluate(
    X_train.assign(cultivar=y_train),
    X_new.assign(cultivar=y_new),
    "cultivar",
    holdout=X_test.assign(cultivar=y_test),
    random_state=0,
)
print()
print(report.round(3).to_string(index=False))

# %%
# Fidelity during training
# ------------------------
# The search only tells which of a few epoch counts was best. To see the score
# along the way, we train the best setting for 1500 epochs with
# :class:`skgan.FidelityEarlyStopping` as a callback. A quarter of the
# training rows become validation rows, again stratified by cultivar, and
# every 25 epochs the callback scores samples against them and records the
# score in ``history_`` under ``"fidelity"``. Its patience is larger than the
# number of scorings, so it never stops training; at the end it gives the
# generator back the weights that scored best.
X_fit, X_valid, y_fit, y_valid = train_test_split(
    X_train, y_train, test_size=0.25, stratify=y_train, random_state=0
)
monitor = FidelityEarlyStopping(X_valid, y_valid, every=25, patience=1000)
long_gan = clone(best).set_params(epochs=1500, callbacks=[monitor])
long_gan.fit(X_fit, y_fit)

scored = [row for row in long_gan.history_ if "fidelity" in row]
scored_epochs = np.array([row["epoch"] for row in scored])
fidelity = np.array([row["fidelity"] for row in scored])
best_index = int(np.argmax(fidelity))
print(
    f"\nvalidation fidelity: {fidelity[0]:.3f} at epoch {scored_epochs[0]}, "
    f"best {fidelity[best_index]:.3f} at epoch {scored_epochs[best_index]}, "
    f"{fidelity[-1]:.3f} at epoch {scored_epochs[-1]}"
)
long_test = long_gan.score(X_test, y_test)
print(f"test score of the best weights: {long_test:.3f}")

# %%
# Plotting the score and the losses
# ---------------------------------
# The top panel shows the validation fidelity at the epochs it was recorded,
# the bottom one the discriminator and generator losses of every epoch.
import matplotlib.pyplot as plt

epochs = long_gan.history_[:, "epoch"]
fig, (ax_score, ax_loss) = plt.subplots(
    2, 1, sharex=True, figsize=(7, 6), layout="constrained"
)
ax_score.plot(scored_epochs, fidelity, marker=".", label="validation fidelity")
ax_score.axvline(
    scored_epochs[best_index],
    color="tab:red",
    linestyle="--",
    label=f"best, epoch {scored_epochs[best_index]}",
)
ax_score.set_ylabel("fidelity score (higher is better)")
ax_score.legend(loc="lower right")
ax_loss.plot(epochs, long_gan.history_[:, "d_loss"], label="discriminator loss")
ax_loss.plot(epochs, long_gan.history_[:, "g_loss"], label="generator loss")
ax_loss.axvline(scored_epochs[best_index], color="tab:red", linestyle="--")
ax_loss.set_xlabel("epoch")
ax_loss.set_ylabel("loss (WGAN-GP)")
ax_loss.legend(loc="upper right")
fig.suptitle("Wine, class-conditional GAN: fidelity and losses during training")
print(f"\nTotal time: {time.perf_counter() - start:.0f} s")
plt.show()


# %%
# Reading the results
# -------------------
# The sentences below are computed from the results above, so they describe
# the run shown on this page. Another machine (see :ref:`reproducibility`)
# or other folds can give other scores, and reorder candidates whose scores
# are close.
def setting(row):
    """A candidate of the grid, in words."""
    return f"{row['epochs']} epochs at a learning rate of {row['generator_lr']}"


ranked = table.round(3).sort_values("rank")
first, second = ranked.iloc[0], ranked.iloc[1]
others = [
    f"{setting(row)} ({row['mean score']:.3f})" for _, row in ranked.iloc[1:].iterrows()
]
print(
    f"The search ranks {setting(first)} first (mean score {first['mean score']:.3f}),"
    f" then {', '.join(others[:-1])} and {others[-1]}."
)
if first["std"] > 0:
    lead = (first["mean score"] - second["mean score"]) / first["std"]
    print(
        f"The winner leads the runner-up by {lead:.1f} times the standard deviation"
        " of its scores over the folds."
    )
slowest = ranked[
    (ranked["epochs"] == min(grid["epochs"]))
    & (ranked["generator_lr"] == f"{min(grid['generator_lr']):g}")
].iloc[0]
print(
    f"The fewest and smallest steps, {setting(slowest)}, rank {slowest['rank']} of"
    f" {len(ranked)}, {first['mean score'] - slowest['mean score']:.3f} below the best."
)
edges = [
    f"the {'most' if value == max(grid[name]) else 'fewest'} epochs"
    if name == "epochs"
    else f"the {'highest' if value == max(grid[name]) else 'lowest'} learning rate"
    for name, value in search.best_params_.items()
    if value in (min(grid[name]), max(grid[name]))
]
if edges:
    print(f"The best setting has {' and '.join(edges)} of the grid: search further.")
else:
    print("The best setting lies inside the grid.")

rise = fidelity[best_index] - fidelity[0]
near = scored_epochs[np.argmax(fidelity >= fidelity[0] + 0.95 * rise)]
print(
    f"\nIn the longer run, the validation fidelity rises from {fidelity[0]:.3f} at"
    f" epoch {scored_epochs[0]} to its best, {fidelity[best_index]:.3f}, at epoch"
    f" {scored_epochs[best_index]}; it has made 95% of that rise by epoch {near}."
)

if abs(long_test - searched_test) < 0.005:
    outcome = "about as well as"
else:
    outcome = "better than" if long_test > searched_test else "worse than"
print(
    f"With the weights of its best epoch, {scored_epochs[best_index]} of 1500, the"
    f" longer run scores {long_test:.3f} on the test split, {outcome} the searched"
    f" model ({searched_test:.3f}), having trained on {len(X_fit)} rows instead"
    f" of {len(X_train)}."
)

value = report.round(3).set_index("metric")["value"]
if value["exact_copy_rate"] == 0:
    copies = "no synthetic row copies a real one"
else:
    copies = f"{value['exact_copy_rate']:.1%} of the synthetic rows copy a real one"
nearer = "closer" if value["dcr_median"] < value["dcr_holdout_median"] else "no closer"
print(
    "\nA gradient-boosting classifier tells synthetic wines from real ones with a"
    f" ROC-AUC of {value['detection_auc']:.3f}; a classifier of the cultivar trained"
    f" on synthetic rows reaches a macro F1 of {value['utility_synthetic']:.3f} on the"
    f" test rows, against {value['utility_real']:.3f} when trained on the real rows;"
    f" {copies}; and synthetic rows lie {nearer} to the training rows (median"
    f" distance {value['dcr_median']:.3f}) than unseen real wines do"
    f" ({value['dcr_holdout_median']:.3f})."
)

# %%
# What this tells
# ---------------
# A candidate's lead means something only next to the spread of its scores
# over the folds: a lead of less than about one standard deviation could go
# either way on other folds or another machine. The candidate with 200
# epochs at ``2e-4`` makes the fewest and smallest steps: on about 90 rows
# an epoch is a single generator step, and the output above says how far
# behind that leaves it. When the best setting lies at the edge of the grid,
# search further.
#
# The training curve says how far. The output above gives the epoch by
# which the validation fidelity has made most of its rise and the epoch of
# its best; in the upper panel, see where it rises steeply and where it
# levels off, and compare those epochs with the epochs of the search. The
# curve is noisy, since each point scores samples against only 34
# validation rows, so do not read much into a single bump. The test score
# of the best weights, printed above next to the searched model's, tells
# whether the longer training bought anything measurable on rows that
# neither run saw.
#
# The losses tell none of this. In the lower panel, after the first epochs
# both losses mostly oscillate, and nothing in them marks where the
# fidelity rises or levels off. That is why skgan stops on a fidelity
# score, not on a loss: ``GANSampler(early_stopping=True)`` holds out
# ``validation_fraction`` of the rows itself, scores about 30 times over the
# scheduled epochs and stops after ``n_iter_no_change`` scorings without
# improvement.
#
# The report of :func:`~skgan.metrics.evaluate` puts the best score in
# perspective: a detection ROC-AUC of 0.5 would mean that the classifier
# cannot tell synthetic wines from real ones, the cultivar classifier trained
# on real rows is the level that synthetic rows can reach at best, and
# synthetic rows much closer to the training rows than unseen real wines
# would be copies in all but name. The search tells which setting is best
# among those tried; :func:`~skgan.metrics.evaluate` tells whether it is good
# enough.
