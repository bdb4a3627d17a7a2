"""Work-arounds for the libraries skgan runs on.

``python -OO`` removes docstrings, and skorch (1.4 and earlier) builds the
docstrings of its classifier and regressor from ``NeuralNet.__doc__`` when it
is imported, so ``import skorch`` fails there with an ``AttributeError``.
:func:`allow_skorch_without_docstrings` gives ``NeuralNet`` a stand-in
docstring of the shape those functions parse, before they run.
"""

import importlib.abc
import importlib.util
import sys

# The line skorch's docstring builders search for and replace.
_STAND_IN = (
    "NeuralNet\n\n\n\n\n\n"
    "    criterion : docstrings were removed by python -OO\n"
    "      see skorch's documentation.\n"
)


class _NeuralNetDocstring(importlib.abc.MetaPathFinder):
    """Loads ``skorch.net`` as usual, then gives ``NeuralNet`` a docstring."""

    def find_spec(self, name, path, target=None):
        if name != "skorch.net":
            return None
        sys.meta_path.remove(self)  # once, and no recursion below
        spec = importlib.util.find_spec(name)
        if spec is None:
            return None
        run_module = spec.loader.exec_module

        def exec_module(module):
            run_module(module)
            if module.NeuralNet.__doc__ is None:
                module.NeuralNet.__doc__ = _STAND_IN

        spec.loader.exec_module = exec_module
        return spec


def allow_skorch_without_docstrings():
    """Let skorch import under ``python -OO``; a no-op otherwise."""
    if sys.flags.optimize >= 2 and "skorch.net" not in sys.modules:
        sys.meta_path.insert(0, _NeuralNetDocstring())
