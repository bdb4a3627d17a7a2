"""The rules of the package's structure, checked on its source."""

import ast
import dataclasses
import pathlib

import numpy as np
import pytest

import skgan
from skgan import GANSampler

PACKAGE = pathlib.Path(skgan.__file__).parent
# The estimator, its persistence and the CLI may hold a sampler; nothing below.
_SAMPLER_HOLDERS = ("_sampler.py", "_oversampling.py", "_io", "_cli")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE)
        yield relative, ast.parse(path.read_text(encoding="utf-8"))


def _module_name(relative):
    parts = ["skgan", *relative.with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_nothing_below_the_estimator_takes_the_sampler():
    offenders = []
    for relative, tree in _modules():
        if relative.parts[0] in _SAMPLER_HOLDERS:
            continue
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
                if "sampler" in names:
                    offenders.append(f"{relative}:{node.name}")
    assert offenders == []


def _top_level_imports(relative, tree):
    """The skgan modules a module imports when it is imported."""
    package = _module_name(relative).rsplit(".", 1)[0]
    if relative.name == "__init__.py":
        package = _module_name(relative)
    found = set()
    for node in tree.body:  # module level only: imports inside functions are lazy
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.startswith("skgan"):
                found.add(base)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("skgan"))
    return found


def test_imports_form_no_cycle():
    graph = {_module_name(r): _top_level_imports(r, t) for r, t in _modules()}
    state = {}

    def visit(module, path):
        if state.get(module) == "done" or module not in graph:
            return
        assert state.get(module) != "open", " -> ".join([*path, module])
        state[module] = "open"
        for imported in graph[module]:
            if imported != module:
                visit(imported, [*path, module])
        state[module] = "done"

    for module in graph:
        visit(module, [])


def test_a_fit_keeps_one_frozen_configuration_with_every_setting_resolved():
    X = np.random.default_rng(0).normal(size=(40, 3))
    gan = GANSampler(epochs=1, n_threads="auto", generator_layers=[8],
                     classifier__hidden_layers=(4,), random_state=0).fit(X)  # fmt: skip
    config = gan.config_
    assert isinstance(config.n_threads, int) and config.n_threads >= 1
    assert config.generator_layers == (8,)
    assert config.plan is gan.plan_ and config.labelled is False
    assert config.network_params["classifier__"] == {"hidden_layers": (4,)}
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.latent_dim = 4
