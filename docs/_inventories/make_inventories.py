"""Write the intersphinx inventories of the libraries the docs link to.

The machines that build the documentation (and CI) reach package registries
but not the web, so ``sphinx.ext.intersphinx`` cannot download the
``objects.inv`` files of scikit-learn, imbalanced-learn, skorch, PyTorch,
NumPy and pandas at build time. This script writes a stand-in for each one
*offline*, from the installed packages, and ``docs/conf.py`` points
``intersphinx_mapping`` at the files it writes here (``sklearn.inv``,
``imblearn.inv``, ``skorch.inv``, ``torch.inv``, ``numpy.inv``,
``pandas.inv``). The links are **generated, not downloaded**: each entry's
address is built from the project's documentation URL scheme below, so an
object the real site documents under another address gets a broken link.
Rerun it after upgrading one of these libraries (from the repository root)::

    python docs/_inventories/make_inventories.py

What it walks, per project: the public modules listed in ``PROJECTS`` (for
scikit-learn and imbalanced-learn every public submodule found by
``pkgutil``); in each module the names of ``__all__`` or, without one, the
public classes and functions defined in the module or its submodules
(``torch.nn`` re-exports ``torch.nn.modules``); for each name a ``py:class`` (exceptions
included), a ``py:function`` or a ``py:module`` entry, and ``py:method``
entries for a class's public methods (all of them where the project's pages
document inherited members, the class's own otherwise). Objects re-exported
by a package (``skorch.NeuralNet`` for ``skorch.net.NeuralNet``) get an entry
under both names, pointing at the one page.

URL schemes (``{name}`` is the object's dotted name). Verified means that a
stored copy of such a page was found at that address with the ``search``
tool (corpus "docs"/"pages") on 2026-12-03:

* scikit-learn, ``https://scikit-learn.org/stable/``: classes and functions
  ``modules/generated/{name}.html#{name}``; methods are anchors on their
  class's page; modules ``api/{module}.html``. Verified for
  ``sklearn.ensemble.HistGradientBoostingClassifier`` (the class pages);
  the module pages are not verified.
* imbalanced-learn, ``https://imbalanced-learn.org/stable/``: as
  scikit-learn, under ``references/generated/``; modules
  ``references/index.html``. Verified for ``imblearn.over_sampling.SMOTE``.
* skorch, ``https://skorch.readthedocs.io/en/stable/``: one page per module,
  ``{module path after "skorch.", dots as slashes}.html#{name}``, e.g.
  ``net.html#skorch.net.NeuralNet`` and ``callbacks.html``; the canonical
  (defining) module decides the page. Seen for the ``user/`` pages only
  (``user/dataset.html``); the API module pages are not verified.
* PyTorch, ``https://docs.pytorch.org/docs/stable/``: classes and functions
  ``generated/{name}.html#{name}``, methods anchors on their class's page;
  ``torch.Tensor`` on ``tensors.html``, ``torch.utils.data`` on
  ``data.html``, modules ``{module}.html``. Verified for
  ``torch.nn.Module`` (a copy of ``pytorch.org/docs/stable/generated/
  torch.nn.Module.html``; ``pytorch.org/docs`` now redirects to
  ``docs.pytorch.org/docs``).
* NumPy, ``https://numpy.org/doc/stable/``: every object, methods included,
  ``reference/generated/{name}.html#{name}``; modules ``reference/index.html``.
  Verified for ``numpy.unique`` (versions 1.18 to 2.1 and devdocs).
* pandas, ``https://pandas.pydata.org/docs/``: every object, methods
  included, ``reference/api/{name}.html#{name}``; modules
  ``reference/index.html``. Not verified (only the site's root page was
  found); the scheme is the one the pandas reference pages use.

The file format is Sphinx's inventory version 2: four header lines, then
zlib-compressed lines ``name domain:role priority uri dispname``, the URI
relative to the base URL in ``intersphinx_mapping``.
"""

import importlib
import inspect
import pkgutil
import sys
import warnings
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Submodules never walked: tests, vendored code, private helpers.
SKIP_PARTS = {"tests", "externals", "conftest", "setup", "testing"}


def sklearn_like(prefix):
    """URL scheme of scikit-learn and imbalanced-learn: one page per object."""

    def url(name, role, owner):
        if role == "module":
            if prefix == "modules/generated/":
                return f"api/{name}.html"
            return "references/index.html"
        page = owner if role == "method" else name
        return f"{prefix}{page}.html#{name}"

    return url


def skorch_url(name, role, owner):
    """One page per skorch module, named after its path in the package."""
    module = name if role == "module" else owner_module(name, role, owner)
    path = module.removeprefix("skorch").lstrip(".").replace(".", "/") or "index"
    if role == "module":
        return f"{path}.html"
    return f"{path}.html#{name}"


def owner_module(name, role, owner):
    """The module part of a dotted name (for a method: its class's module)."""
    target = owner if role == "method" else name
    return target.rsplit(".", 1)[0]


def torch_url(name, role, owner):
    if role == "module":
        return f"{name}.html"
    target = owner if role == "method" else name
    if target == "torch.Tensor":
        return f"tensors.html#{name}"
    if target.startswith("torch.utils.data."):
        return f"data.html#{name}"
    return f"generated/{target}.html#{name}"


def page_per_object(prefix):
    """NumPy and pandas: every object, methods included, has its own page."""

    def url(name, role, owner):
        if role == "module":
            return "reference/index.html"
        return f"{prefix}{name}.html#{name}"

    return url


# name: (package, modules to walk (None: every public submodule), URL
# scheme, methods documented on a class: "all" (inherited too) or "own").
PROJECTS = {
    "sklearn": ("sklearn", None, sklearn_like("modules/generated/"), "all"),
    "imblearn": ("imblearn", None, sklearn_like("references/generated/"), "all"),
    "skorch": (
        "skorch",
        [
            "skorch",
            "skorch.net",
            "skorch.classifier",
            "skorch.regressor",
            "skorch.callbacks",
            "skorch.dataset",
            "skorch.helper",
            "skorch.history",
            "skorch.scoring",
            "skorch.setter",
            "skorch.toy",
            "skorch.utils",
        ],
        skorch_url,
        "own",
    ),
    "torch": (
        "torch",
        [
            "torch",
            "torch.nn",
            "torch.nn.functional",
            "torch.optim",
            "torch.optim.lr_scheduler",
            "torch.utils.data",
        ],
        torch_url,
        "own",
    ),
    "numpy": (
        "numpy",
        ["numpy", "numpy.random", "numpy.linalg"],
        page_per_object("reference/generated/"),
        "all",
    ),
    "pandas": ("pandas", ["pandas"], page_per_object("reference/api/"), "all"),
}


def public_submodules(package):
    """Every importable public module of a package, the package first."""
    root = importlib.import_module(package)
    names = [package]
    for info in pkgutil.walk_packages(root.__path__, prefix=package + "."):
        parts = info.name.split(".")
        if any(p.startswith("_") or p in SKIP_PARTS for p in parts):
            continue
        names.append(info.name)
    return names


def public_names(module):
    """``__all__``, or the public names defined in the module or below it."""
    names = getattr(module, "__all__", None)
    if names is not None:
        return [n for n in names if isinstance(n, str)]
    return [
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and (inspect.isclass(v) or inspect.isroutine(v))
        and (getattr(v, "__module__", None) or "").startswith(module.__name__)
    ]


def methods(cls, which):
    """Public methods of a class: own ones, or inherited ones too."""
    names = dir(cls) if which == "all" else list(vars(cls))
    found = []
    for n in names:
        if n.startswith("_"):
            continue
        try:
            value = inspect.getattr_static(cls, n)
        except AttributeError:
            continue
        if isinstance(value, (staticmethod, classmethod)):
            value = value.__func__
        if inspect.isroutine(value):
            found.append(n)
    return found


def is_function(value):
    return inspect.isroutine(value) or type(value).__name__ == "ufunc"


def walk(package, modules, which):
    """Yield (name, role, documented name) for every object of the project.

    An object is documented under its name in the deepest walked module that
    exports it (``skorch.net.NeuralNet``, not ``skorch.NeuralNet``;
    ``torch.optim.Adam``, not ``torch.optim.adam.Adam``); a shallower name
    (the package's re-export) and the defining module's name are aliases
    with the same address. Names of equal depth keep their own addresses.
    """
    found = []  # (name, role, object) in walking order
    modules_seen = []
    for module_name in modules or public_submodules(package):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                module = importlib.import_module(module_name)
        except Exception:  # an optional dependency is missing
            continue
        modules_seen.append(module_name)
        for attr in sorted(set(public_names(module))):
            value = getattr(module, attr, None)
            if inspect.isclass(value):
                found.append((f"{module_name}.{attr}", "class", value))
            elif value is not None and is_function(value):
                found.append((f"{module_name}.{attr}", "function", value))

    # The names in the deepest walked modules, per object, in sorted order
    # (``numpy.__all__`` is built from a set: its order changes per run).
    deepest = {}
    for name, _, value in found:
        best = deepest.setdefault(id(value), [])
        if not best or name.count(".") > best[0].count("."):
            best[:] = [name]
        elif name.count(".") == best[0].count(".") and name not in best:
            best.append(name)
            best.sort()

    for module_name in modules_seen:
        yield module_name, "module", module_name
    done = set()
    for name, role, value in found:
        best = deepest[id(value)]
        names = [name]
        defined = getattr(value, "__module__", None) or ""
        if defined.startswith(package) and "._" not in defined + ".":
            names.append(f"{defined}.{getattr(value, '__name__', name)}")
        for alias in names:
            if (alias, role) in done:
                continue
            done.add((alias, role))
            # Names of equal depth are documented each on its own
            # (numpy.byte and numpy.int8); others are re-exports.
            target = alias if alias in best else best[0]
            yield alias, role, target
            if role == "class":
                for meth in methods(value, which):
                    yield f"{alias}.{meth}", "method", f"{target}.{meth}"


def write(project, package, modules, url, which):
    version = importlib.import_module(package).__version__.split("+")[0]
    lines = []
    for name, role, target in walk(package, modules, which):
        owner = target.rsplit(".", 1)[0] if role == "method" else None
        uri = url(target, role, owner)
        lines.append(f"{name} py:{role} 1 {uri} -\n")
    lines = sorted(set(lines))
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = zlib.compress("".join(lines).encode("utf-8"), 9)
    (HERE / f"{project}.inv").write_bytes(header.encode("utf-8") + body)
    return len(lines)


def main(argv):
    chosen = argv or list(PROJECTS)
    for project in chosen:
        count = write(project, *PROJECTS[project])
        print(f"{project}.inv: {count} entries")


if __name__ == "__main__":
    main(sys.argv[1:])
