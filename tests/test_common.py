"""Both estimator check suites, scikit-learn's and imbalanced-learn's, on GANSampler.

The checks use tiny networks and two epochs: they test the estimator contract
(parameters, cloning, containers, validation, resampling semantics), not the
quality of what is generated, which ``test_sampler_quality.py`` checks.

``.ci/run`` counts the checks that ran here against the number each suite
generates (``.ci/count_checks.py``), so a suite that silently collects nothing
turns CI red.
"""

import pytest
from imblearn.utils.estimator_checks import (
    parametrize_with_checks as parametrize_with_imblearn_checks,
)
from sklearn.utils.estimator_checks import (
    parametrize_with_checks as parametrize_with_sklearn_checks,
)

from skgan import GANSampler


def _tiny_sampler():
    return GANSampler(
        epochs=2,
        latent_dim=4,
        generator_layers=(8,),
        discriminator_layers=(8,),
        batch_size=100,
        n_modes=1,
        random_state=0,
    )


def _expected_failed_checks(estimator):
    return {}


def _listed(mark):
    """The same parametrize mark with its argument values as a list.

    imbalanced-learn hands pytest a generator, which pytest 9.1+ deprecates
    (and our ``filterwarnings = error`` then refuses at collection, so no
    check ran at all); a list gives pytest exactly the same checks.
    """
    argnames, argvalues = mark.args
    return pytest.mark.parametrize(argnames, list(argvalues), **mark.kwargs)


@_listed(
    parametrize_with_sklearn_checks(
        [_tiny_sampler()], expected_failed_checks=_expected_failed_checks
    )
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@_listed(
    parametrize_with_imblearn_checks(
        [_tiny_sampler()], expected_failed_checks=_expected_failed_checks
    )
)
def test_imblearn_compatible(estimator, check):
    check(estimator)
