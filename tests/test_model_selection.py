"""GANSampler.score, early stopping on fidelity, and hyperparameter search.

The fits are small (tiny networks, few epochs) on real bundled data. These
tests check that the score ranks clearly good and clearly bad settings, that
early stopping records, stops and restores what it says, and that searches
run; they do not check how good the best setting is (the benchmarks do).
"""

import copy
import re

import numpy as np
import pandas as pd
import pytest
from _settings import small_gan
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GridSearchCV, KFold, StratifiedKFold
from sklearn.preprocessing import StandardScaler
from skorch.callbacks import ProgressBar

from skgan import FidelityEarlyStopping, GANSampler
from skgan._training.early_stopping import _validation_split
from skgan.metrics import fidelity_score


@pytest.fixture(scope="module")
def trained(iris):
    X, y = iris
    return small_gan(epochs=300).fit(X, y)


# -- score --------------------------------------------------------------------


def test_score_of_a_trained_model_is_a_high_fidelity(trained, iris):
    score = trained.score(*iris)
    assert isinstance(score, float)
    assert score > 0.85  # 0.91 when written


def test_score_is_reproducible_with_an_int_random_state(trained, iris):
    assert trained.score(*iris) == trained.score(*iris)


def test_score_ranks_a_trained_model_above_an_untrained_one(trained, iris):
    barely = small_gan(epochs=1).fit(*iris)
    assert trained.score(*iris) > barely.score(*iris) + 0.1


def test_score_counts_the_class_when_y_is_given(trained, iris):
    X, y = iris
    # Claiming the wrong classes for the rows must cost fidelity.
    wrong = y.map(
        {"setosa": "virginica", "versicolor": "setosa", "virginica": "setosa"}
    )
    assert trained.score(X, y) > trained.score(X, wrong) + 0.05


def test_score_equals_fidelity_of_samples_without_labels(iris):
    X, _ = iris
    gan = small_gan(epochs=5).fit(X)
    samples = gan.sample(2000)
    assert gan.score(X) == pytest.approx(fidelity_score(X, samples))


def test_score_ignores_y_for_a_model_fitted_without_labels(iris):
    X, y = iris
    gan = small_gan(epochs=2).fit(X)
    assert gan.score(X, y) == gan.score(X)


def test_score_before_fit_raises_not_fitted():
    with pytest.raises(NotFittedError):
        GANSampler().score(np.zeros((3, 2)))


def test_score_rejects_a_table_with_other_columns(trained, iris):
    X, y = iris
    with pytest.raises(ValueError, match="feature names"):
        trained.score(X.rename(columns={X.columns[0]: "other"}), y)


def test_score_rejects_labels_not_seen_in_fit(trained, iris):
    X, _ = iris
    with pytest.raises(ValueError, match="not seen in fit"):
        trained.score(X, np.full(len(X), "tulip"))


def test_score_leaves_its_inputs_unchanged(trained, iris):
    X, y = iris
    X_before, y_before = X.copy(), y.copy()
    trained.score(X, y)
    pd.testing.assert_frame_equal(X, X_before)
    pd.testing.assert_series_equal(y, y_before)


# -- grid search ------------------------------------------------------------------


def test_grid_search_with_the_default_score_prefers_training_longer(iris):
    X, _ = iris
    # Shuffled folds: iris is sorted by class, so unshuffled folds differ.
    folds = KFold(n_splits=2, shuffle=True, random_state=0)
    search = GridSearchCV(small_gan(), {"epochs": [2, 300]}, cv=folds).fit(X)
    assert search.best_params_ == {"epochs": 300}
    scores = search.cv_results_["mean_test_score"]
    assert scores[1] > scores[0] + 0.05


def test_grid_search_with_labels_needs_folds_that_hold_every_class(iris):
    # GANSampler is not a classifier, so GridSearchCV's default folds are not
    # stratified; the user guide says to pass StratifiedKFold with labels.
    folds = StratifiedKFold(n_splits=2, shuffle=True, random_state=0)
    search = GridSearchCV(small_gan(), {"epochs": [2, 300]}, cv=folds).fit(*iris)
    assert search.best_params_ == {"epochs": 300}


def test_grid_search_over_a_pipeline_uses_the_classifier_scoring(iris):
    X, y = iris
    pipeline = Pipeline(
        [
            ("gan", small_gan(epochs=2)),
            ("scale", StandardScaler()),
            ("clf", LogisticRegression()),
        ]
    )
    grid = {"gan__epochs": [1, 3], "gan__pac": [1, 5]}
    search = GridSearchCV(pipeline, grid, cv=2, scoring="f1_macro").fit(X, y)
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    # The scores are the classifier's macro F1 on the held-out fold (a
    # pipeline ending in a classifier gets stratified folds), not the
    # sampler's fidelity.
    train, test = next(StratifiedKFold(2).split(X, y))
    best = clone(pipeline).set_params(**search.best_params_)
    predicted = best.fit(X.iloc[train], y.iloc[train]).predict(X.iloc[test])
    assert search.cv_results_["split0_test_score"][search.best_index_] == (
        pytest.approx(f1_score(y.iloc[test], predicted, average="macro"))
    )
    gan = search.best_estimator_.named_steps["gan"]
    assert len(gan.history_) == search.best_params_["gan__epochs"]


# -- FidelityEarlyStopping callback -----------------------------------------------


def _halves(X, y):
    return X.iloc[::2], y.iloc[::2], X.iloc[1::2], y.iloc[1::2]


def _stopper(gan):
    (stopper,) = [
        cb for _, cb in gan.net_.callbacks_ if isinstance(cb, FidelityEarlyStopping)
    ]
    return stopper


def test_callback_scores_every_k_epochs_and_the_last(iris):
    X_fit, y_fit, X_valid, y_valid = _halves(*iris)
    stopper = FidelityEarlyStopping(X_valid, y_valid, every=4, patience=100)
    gan = small_gan(epochs=10, callbacks=[stopper]).fit(X_fit, y_fit)
    scored = [row["epoch"] for row in gan.history_ if "fidelity" in row]
    assert scored == [4, 8, 10]
    # Each scoring scored the generator of its epoch, not a remembered one.
    scores = [row["fidelity"] for row in gan.history_ if "fidelity" in row]
    assert len(set(scores)) == 3


def test_callback_stops_after_patience_scorings_without_improvement(iris):
    X_fit, y_fit, X_valid, y_valid = _halves(*iris)
    # An improvement of more than 1 is impossible: only the first scoring counts.
    stopper = FidelityEarlyStopping(X_valid, y_valid, patience=3, threshold=1.0)
    gan = small_gan(epochs=50, callbacks=[stopper]).fit(X_fit, y_fit)
    assert len(gan.history_) == 4
    assert _stopper(gan).stopped_epoch_ == 4
    assert _stopper(gan).best_epoch_ == 1


def test_callback_ends_with_the_best_generator(iris):
    X_fit, y_fit, X_valid, y_valid = _halves(*iris)
    stopper = FidelityEarlyStopping(X_valid, y_valid, every=5, patience=100)
    gan = small_gan(epochs=30, callbacks=[stopper]).fit(X_fit, y_fit)
    fitted = _stopper(gan)
    scores = [row["fidelity"] for row in gan.history_ if "fidelity" in row]
    assert fitted.best_score_ == max(scores)
    # Scoring the final generator again reproduces the best score exactly.
    rescored, _ = fitted.score(gan.net_)
    assert rescored == fitted.best_score_


def test_callback_does_not_change_the_training_path(iris):
    X_fit, y_fit, X_valid, y_valid = _halves(*iris)
    stopper = FidelityEarlyStopping(X_valid, y_valid, every=2, load_best=False)
    with_callback = small_gan(epochs=6, callbacks=[stopper]).fit(X_fit, y_fit)
    without = small_gan(epochs=6).fit(X_fit, y_fit)
    pd.testing.assert_frame_equal(with_callback.sample(50), without.sample(50))


def test_callback_needs_y_valid_for_a_conditional_net(iris):
    X_fit, y_fit, X_valid, _ = _halves(*iris)
    gan = small_gan(epochs=2, callbacks=[FidelityEarlyStopping(X_valid)])
    with pytest.raises(ValueError, match="give FidelityEarlyStopping the classes"):
        gan.fit(X_fit, y_fit)


def test_callback_rejects_y_valid_for_an_unconditional_net(iris):
    X_fit, _, X_valid, y_valid = _halves(*iris)
    gan = small_gan(epochs=2, callbacks=[FidelityEarlyStopping(X_valid, y_valid)])
    with pytest.raises(ValueError, match="not class-conditional"):
        gan.fit(X_fit)


def test_callback_rejects_unknown_validation_labels(iris):
    X_fit, y_fit, X_valid, y_valid = _halves(*iris)
    stopper = FidelityEarlyStopping(X_valid, y_valid.replace("setosa", "tulip"))
    with pytest.raises(ValueError, match="tulip"):
        small_gan(epochs=2, callbacks=[stopper]).fit(X_fit, y_fit)


def test_callback_passed_in_is_not_changed(iris):
    X_fit, y_fit, X_valid, y_valid = _halves(*iris)
    stopper = FidelityEarlyStopping(X_valid, y_valid)
    before = copy.deepcopy(stopper.__dict__)
    small_gan(epochs=2, callbacks=[stopper]).fit(X_fit, y_fit)
    assert stopper.__dict__.keys() == before.keys()
    assert not hasattr(stopper, "best_score_")


# -- GANSampler(early_stopping=True) ------------------------------------------------


def test_early_stopping_records_fidelity_and_best_score(iris):
    gan = small_gan(epochs=60, early_stopping=True).fit(*iris)
    scores = [row["fidelity"] for row in gan.history_ if "fidelity" in row]
    assert len(scores) >= 3
    assert gan.best_validation_score_ == max(scores)


def test_early_stopping_prints_the_fidelity_in_aligned_rows(iris, capsys):
    # Scored every second epoch: the others leave the column blank.
    small_gan(epochs=60, early_stopping=True, n_iter_no_change=100, verbose=1).fit(
        *iris
    )
    lines = [
        re.sub(r"\x1b\[[0-9;]*m", "", line)  # PrintLog's colours
        for line in capsys.readouterr().out.splitlines()
    ]
    assert "fidelity" in lines[0].split()
    assert len(lines) == 62
    assert {len(line) for line in lines} == {len(lines[0])}
    column = slice(lines[0].index("fidelity"), lines[0].index("fidelity") + 8)
    assert [line[column].strip() == "" for line in lines[2:4]] == [True, False]


def test_early_stopping_scores_about_30_times_over_the_budget(iris):
    gan = small_gan(epochs=60, early_stopping=True, n_iter_no_change=100).fit(*iris)
    scored = [row["epoch"] for row in gan.history_ if "fidelity" in row]
    assert scored == list(range(2, 61, 2))


def test_early_stopping_leaves_no_validation_rows_in_the_fitted_model(iris):
    gan = small_gan(epochs=4, early_stopping=True, callbacks=[ProgressBar()])
    gan.fit(*iris)
    assert gan.net_.callbacks == [gan.net_.callbacks[0]]
    assert isinstance(gan.net_.callbacks[0], ProgressBar)
    kept = [cb for _, cb in gan.net_.callbacks_]
    assert not any(isinstance(cb, FidelityEarlyStopping) for cb in kept)
    assert any(isinstance(cb, ProgressBar) for cb in kept)


def test_without_early_stopping_there_is_no_validation_score(trained):
    assert trained.best_validation_score_ is None
    assert "fidelity" not in trained.history_[-1]


def test_early_stopping_is_reproducible(iris):
    first = small_gan(epochs=20, early_stopping=True).fit(*iris)
    second = small_gan(epochs=20, early_stopping=True).fit(*iris)
    pd.testing.assert_frame_equal(first.sample(30), second.sample(30))


def test_early_stopping_fit_resample_keeps_every_original_row(iris):
    X, y = iris
    X_sub, y_sub = X.iloc[:120], y.iloc[:120]  # 50 / 50 / 20
    gan = small_gan(epochs=5, early_stopping=True)
    X_res, y_res = gan.fit_resample(X_sub, y_sub)
    pd.testing.assert_frame_equal(X_res.iloc[:120], X_sub.reset_index(drop=True))
    assert (pd.Series(y_res).value_counts() == 50).all()


def test_validation_split_holds_out_a_share_of_each_class():
    y = np.array([0] * 50 + [1] * 6)
    train, valid = _validation_split(y, len(y), 0.1, seed=0)
    assert np.sum(y[valid] == 0) == 5
    # 10% of 6 rows rounds down to none: the small class keeps every row.
    assert np.sum(y[valid] == 1) == 0
    assert np.sum(y[train] == 1) == 6
    assert sorted(np.r_[train, valid]) == list(range(len(y)))


def test_early_stopping_on_too_few_rows_says_what_to_do():
    X = np.arange(10.0).reshape(5, 2)
    with pytest.raises(ValueError, match="early_stopping=False"):
        small_gan(early_stopping=True, epochs=2).fit(X)
