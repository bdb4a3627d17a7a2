"""Doctest set-up for the examples in ``skgan``'s docstrings.

The plotting examples end with their figure open, so that the documentation
shows it (numpydoc turns them into matplotlib ``plot`` directives); close
every figure after each test instead of in the examples.
"""

import pytest


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    try:
        import matplotlib.pyplot as plt
    except ImportError:
        return
    plt.close("all")
