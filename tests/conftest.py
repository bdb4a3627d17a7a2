"""Fixtures shared by several test modules.

The GANSampler settings that several modules train with are constants in
``_settings.py`` (see its docstring for why they are not here).

Data fixtures are module-scoped: each test module gets its own copy, built
once, as when every module defined its own. Tests must not change them.
"""

import pytest
from sklearn.datasets import load_iris


@pytest.fixture(scope="module")
def iris():
    """Iris as a DataFrame of 4 features and a Series of species names."""
    X, y = load_iris(return_X_y=True, as_frame=True)
    return X, y.map(dict(enumerate(["setosa", "versicolor", "virginica"])))
