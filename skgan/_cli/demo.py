"""``skgan demo``: oversampling, a mixed table and digits on bundled data."""

import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
from sklearn.exceptions import ConvergenceWarning

from .._sampler import GANSampler
from ..datasets import load_mixed_wine, make_imbalanced_breast_cancer
from ..metrics import evaluate
from .tables import aligned_text, format_report

# Tiny settings of `skgan demo --quick`: every stage runs in well under a
# second of training, so the tests can run the whole demo.
_QUICK_GAN = {
    "epochs": 2,
    "latent_dim": 8,
    "generator_layers": (16,),
    "discriminator_layers": (16,),
    "batch_size": 50,
}
_QUICK_DIGITS = {
    "epochs": 1,
    "latent_dim": 8,
    "generator__channels": 4,
    "discriminator__channels": 4,
}
# The full demo trains its digits GAN for 70 epochs of 14 batches of 128
# images: 980 generator steps, about 15 s on one free CPU core, where "auto"
# takes about 3900. A classifier of real digits recognised the requested digit
# in 18% of the samples after 560 steps, 91% after 980 and 97% after 1330.
_DIGITS_EPOCHS = 70


class _Progress:
    """Print stages with the seconds elapsed since the start, at once."""

    def __init__(self):
        self.start = time.perf_counter()

    def elapsed(self):
        return time.perf_counter() - self.start

    def __call__(self, message):
        print(f"[{self.elapsed():6.1f} s] {message}", flush=True)


def _mean_std(scores):
    return f"{np.mean(scores):.3f} ± {np.std(scores):.3f}"


def _demo_oversampling(progress, quick):
    """Cross-validate no resampling, SMOTE and GANSampler on imbalanced data.

    The protocol of examples/plot_oversampling_breast_cancer.py (scaler and
    logistic regression, 5 shuffled stratified folds, seed 0), with 36
    malignant rows instead of 30, G-mean added and no random oversampling.
    """
    from imblearn.metrics import geometric_mean_score
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import Pipeline
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import make_scorer
    from sklearn.model_selection import StratifiedKFold, cross_validate
    from sklearn.preprocessing import StandardScaler

    # Malignant is the positive class 1, so that "f1" and "average_precision"
    # score the rare class we care about.
    X, y = make_imbalanced_breast_cancer(minority_size=0.1, random_state=0)
    n_benign = int((y == 0).sum())
    progress(
        f"1/3 oversampling: breast cancer made imbalanced, {int(y.sum())} malignant "
        f"vs {n_benign} benign rows, {X.shape[1]} columns; logistic regression, "
        "5-fold stratified CV"
    )
    gan = GANSampler(random_state=0, **(_QUICK_GAN if quick else {}))
    classifier = [
        ("scale", StandardScaler()),
        ("classify", LogisticRegression(max_iter=1000)),
    ]
    pipelines = {
        "no resampling": Pipeline(classifier),
        "SMOTE": Pipeline([("smote", SMOTE(random_state=0)), *classifier]),
        "GANSampler": Pipeline([("gan", gan), *classifier]),
    }
    scoring = {
        "F1 (minority)": "f1",
        "G-mean": make_scorer(geometric_mean_score),
        "balanced acc.": "balanced_accuracy",
        "PR-AUC": "average_precision",
    }
    cv = StratifiedKFold(5, shuffle=True, random_state=0)
    # The folds' GANs train on one thread each: run them side by side.
    n_jobs = 1 if quick else min(5, os.cpu_count() or 1)
    rows = []
    for name, pipeline in pipelines.items():
        scores = cross_validate(
            pipeline,
            X,
            y,
            cv=cv,
            scoring=scoring,
            n_jobs=n_jobs if name == "GANSampler" else 1,
            error_score="raise",
            return_estimator=name == "GANSampler",
        )
        rows.append(
            [name]
            + [_mean_std(scores[f"test_{metric}"]) for metric in scoring]
            + [f"{np.mean(scores['fit_time']):.2f}"]
        )
        progress(f"    {name}: done")
    table = aligned_text(
        ["sampler", *scoring, "fit s/fold"], rows, "l" + "r" * (len(scoring) + 1)
    )
    print("\n" + table + "\n", flush=True)
    history = scores["estimator"][0]["gan"].history_
    steps = sum(len(epoch["batches"]) for epoch in history)
    settings = "tiny --quick settings" if quick else "its defaults, epochs='auto'"
    print(
        "    Mean ± std over the 5 test folds; each sampler sees the training folds "
        f"only.\n    GANSampler: {settings}: {steps} generator steps per fold.\n",
        flush=True,
    )


def _demo_fidelity(progress, quick):
    """Fit an unconditional GANSampler on a mixed table and evaluate its samples."""
    from sklearn.model_selection import train_test_split

    table = load_mixed_wine()
    train, holdout = train_test_split(
        table, test_size=0.25, stratify=table["cultivar"], random_state=0
    )
    kinds = ", ".join(
        f"{n} {dtype}" for dtype, n in table.dtypes.astype(str).value_counts().items()
    )
    progress(
        f"2/3 fidelity: wine as a mixed table ({kinds} columns); GANSampler on "
        f"{len(train)} rows, {len(holdout)} held out"
    )
    gan = GANSampler(random_state=0, **(_QUICK_GAN if quick else {}))
    gan.fit(train)
    synthetic = gan.sample(len(train))
    steps = sum(len(epoch["batches"]) for epoch in gan.history_)
    progress(
        f"    trained {len(gan.history_)} epochs, {steps} generator steps; samples "
        "have the training "
        f"dtypes: {'yes' if (synthetic.dtypes == train.dtypes).all() else 'no'}"
    )
    report = evaluate(train, synthetic, "cultivar", holdout=holdout, random_state=0)
    print("\n" + format_report(report) + "\n", flush=True)
    return gan, train, synthetic


def _demo_digits(progress, quick):
    """Train a conditional GANSampler on 8x8 digits; sample each class."""
    from sklearn.datasets import load_digits

    from ..metrics import ImageFeatures, conditional_accuracy

    digits = load_digits()
    params = _QUICK_DIGITS if quick else {"epochs": _DIGITS_EPOCHS}
    gan = GANSampler(random_state=0, **params)
    progress(
        f"3/3 images: conditional GANSampler on {len(digits.images)} digits of 8x8 "
        f"pixels, epochs={params['epochs']} (fewer than 'auto', to keep the demo "
        "short)"
    )
    gan.fit(digits.images, digits.target)
    labels = np.repeat(gan.classes_, 50)
    images = gan.sample(len(labels), y=labels)
    # The judge, a classifier of real digits, is not what the demo is about:
    # an early stop in --quick mode is no news.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        judge = ImageFeatures(max_iter=20 if quick else 200).fit(
            digits.images, digits.target
        )
    accuracy = conditional_accuracy(images, labels, classifier=judge)
    steps = sum(len(epoch["batches"]) for epoch in gan.history_)
    progress(
        f"    {len(gan.history_)} epochs, {steps} generator steps; a classifier of "
        f"real digits reads {accuracy:.0%} of generated digits as the digit asked "
        "for (chance: 10%)"
    )
    return gan, images, labels


def _demo_plots(outdir, progress, table_gan, train, synthetic, digits):
    try:
        import matplotlib
    except ImportError:
        progress("plots skipped: matplotlib is not installed (pip install skgan[plot])")
        return
    if "matplotlib.pyplot" not in sys.modules:
        # Files only: no display needed. A caller who already chose a backend
        # (a notebook, say) keeps it.
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plotting import plot_history, plot_images, plot_marginals

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    columns = ["alcohol", "malic_acid", "magnesium", "proline", "hue", "cultivar"]
    figures = {
        "losses.png": plot_history(table_gan).figure,
        "marginals.png": plot_marginals(train, synthetic, columns=columns),
        "digits.png": plot_images(
            digits[1],
            digits[2],
            n_per_class=10,
            title="GANSampler digits, a row per requested class",
        ),
    }
    for name, figure in figures.items():
        figure.savefig(outdir / name, dpi=100)
        plt.close(figure)
    progress(
        f"wrote {', '.join(str(outdir / name) for name in figures)}: the wine "
        "GAN's losses, real vs synthetic wine columns, generated digits (a row "
        "per class)"
    )


def run_demo(args):
    progress = _Progress()
    if args.quick:
        progress("--quick: tiny networks and a few steps; the scores mean nothing")
    _demo_oversampling(progress, args.quick)
    table_gan, train, synthetic = _demo_fidelity(progress, args.quick)
    digits = _demo_digits(progress, args.quick)
    _demo_plots(args.output, progress, table_gan, train, synthetic, digits)
    progress("done")
    return 0
