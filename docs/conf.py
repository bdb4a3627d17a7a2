"""Sphinx configuration of the skgan documentation.

Build it from the repository root with ``bash docs/build.sh`` (warnings are
errors). The gallery's examples are rendered without being run, so the build
takes seconds and needs no GPU; ``SKGAN_DOCS_RUN_GALLERY=1 bash docs/build.sh``
runs them and adds their output and figures (several minutes on a CPU).
"""

import functools
import os
import re
import sys
from pathlib import Path

# Document the working tree, installed or not.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import skgan  # noqa: E402

project = "skgan"
author = "skgan developers"
copyright = "skgan developers"
release = skgan.__version__
version = release

extensions = [
    "myst_parser",
    "numpydoc",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.doctest",
    "sphinx.ext.intersphinx",
    "sphinx_gallery.gen_gallery",
    "matplotlib.sphinxext.plot_directive",
]
# Examples sections that import matplotlib become plot directives: the API
# pages of skgan.plotting show the figures their examples draw.
numpydoc_use_plots = True
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 80)]

# Every cross-reference must resolve (CI builds with -W), except these:
nitpicky = True
nitpick_ignore = [
    # skgan.plotting's docstring names matplotlib.pyplot; matplotlib is not
    # one of the projects docs/_inventories/ has an inventory for.
    ("py:mod", "matplotlib.pyplot"),
    # Generator's docstring points at the output layer's class, which is
    # private (skgan._nn.table) and so not in the API reference.
    ("py:class", "OutputActivation"),
]

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
exclude_patterns = [
    "_build",
    "build.sh",
    # Sphinx-gallery writes these next to the gallery; they are not pages.
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.json",
    "auto_examples/*.md5",
]
templates_path = ["_templates"]

# -- Markdown (MyST) ----------------------------------------------------------

myst_enable_extensions = ["colon_fence", "deflist"]
# Pages link to each other's sections as [text](page.md#section-title).
myst_heading_anchors = 3

# -- API reference: autodoc, autosummary, numpydoc ----------------------------

# Stub pages for every entry of the autosummary tables in api.rst are
# written into docs/generated/ at each build (git-ignored).
autosummary_generate = True
autosummary_imported_members = False
autodoc_default_options = {"members": True, "member-order": "bysource"}
autodoc_typehints = "none"
# The sidebar lists methods as "fit()", not "GANSampler.fit()".
toc_object_entries_show_parents = "hide"
# A method without a docstring of its own (a forward, an override of a skorch
# hook) is left out rather than shown with its parent's docstring.
autodoc_inherit_docstrings = False
# numpydoc renders the Parameters/Attributes/... sections. The class
# template (``_templates/class.rst``) lists the methods, so
# numpydoc's own member tables would list them a second time.
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_attributes_as_param_list = True
numpydoc_xref_param_type = False

# ``python -m sphinx -b doctest docs docs/_build/doctest`` runs the
# ``{testcode}`` blocks of the pages (docs/customise.md) only; the docstrings'
# examples are run by pytest's --doctest-modules.
doctest_test_doctest_blocks = ""

# -- Links to other projects: intersphinx -------------------------------------

# The build machines reach package registries but not the web, so the
# inventories are not downloaded: docs/_inventories/make_inventories.py
# generates them from the installed packages (rerun it after an upgrade). The
# links follow each site's URL scheme; the script says which were verified.
intersphinx_mapping = {
    name: (url, f"_inventories/{name}.inv")
    for name, url in {
        "sklearn": "https://scikit-learn.org/stable/",
        "imblearn": "https://imbalanced-learn.org/stable/",
        "skorch": "https://skorch.readthedocs.io/en/stable/",
        "torch": "https://docs.pytorch.org/docs/stable/",
        "numpy": "https://numpy.org/doc/stable/",
        "pandas": "https://pandas.pydata.org/docs/",
    }.items()
}
# Only Python objects come from other projects; a page or label name of this
# site (:doc:, :ref:) never silently resolves to another site.
intersphinx_disabled_reftypes = ["std:*"]

# -- Gallery ------------------------------------------------------------------

# The examples train GANs with their default settings, 0.5 to 3 minutes each
# on one core of the 2-core CI machine (about 9 minutes in a row): CI runs
# them two at a time (SKGAN_DOCS_RUN_GALLERY=1, as .ci/run does). Without it
# they are rendered without being run, for quick builds while writing.
run_gallery = os.environ.get("SKGAN_DOCS_RUN_GALLERY", "0") == "1"

sphinx_gallery_conf = {
    "examples_dirs": "../examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"/plot_",
    "plot_gallery": str(run_gallery),
    "parallel": 2 if run_gallery else False,
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",
    # "Examples using skgan.X" mini-galleries on the API pages.
    "doc_module": ("skgan",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"skgan": None},
}

# -- HTML ---------------------------------------------------------------------

# The theme of scikit-learn's and imbalanced-learn's sites.
html_theme = "pydata_sphinx_theme"
html_title = f"skgan {release}"
html_theme_options = {
    # The top bar: Getting started, User guide, Examples, API reference,
    # Benchmarks, Changelog; Citing, Development and Architecture under
    # "More".
    "header_links_before_dropdown": 6,
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
# Pages without subpages get no left sidebar: it would hold only an empty
# "Section Navigation" heading.
html_sidebars = {
    page: []
    for page in (
        "getting_started",
        "benchmarks",
        "changelog",
        "citing",
        "development",
        "architecture",
    )
}
html_static_path = ["_static"]
# Wide tables scroll sideways and long titles wrap (docs/_static/skgan.css).
html_css_files = ["skgan.css"]


# -- Checks -------------------------------------------------------------------


def _public_names():
    """Every public name that the API reference must list."""
    import inspect

    import skgan.plotting

    modules = ("__version__", "datasets", "metrics", "plotting")
    names = {name for name in skgan.__all__ if name not in modules}
    names |= set(skgan.metrics.__all__) | set(skgan.datasets.__all__)
    names |= {
        name
        for name, value in vars(skgan.plotting).items()
        if not name.startswith("_")
        and inspect.isfunction(value)
        and value.__module__ == skgan.plotting.__name__
    }
    return names


def _check_api_reference(app):
    """Warn (an error under -W) about public names api.rst does not list."""
    from sphinx.util import logging

    listed = {
        line.strip()
        for line in (Path(app.srcdir) / "api.rst").read_text().splitlines()
    }
    for name in sorted(_public_names() - listed):
        logging.getLogger(__name__).warning(
            "%s is public but missing from docs/api.rst; add it to a table there.",
            name,
        )


# numpydoc writes a parameter's type as raw reST after its name, where a
# fitted attribute in a shape, ``(n_samples, n_features_in_)``, would be a
# hyperlink reference to an unknown target.
_PARAM_LINE = re.compile(r"^(\s*\*\*.+?\*\* : )(.*)$")
_TRAILING_UNDERSCORE = re.compile(r"(?<=\w)_(?=[\s,)\]]|$)")


def _escape_types(app, what, name, obj, options, lines):
    """Escape the trailing underscore of names in numpydoc's parameter types."""
    for i, line in enumerate(lines):
        match = _PARAM_LINE.match(line)
        if match and "`" not in match.group(2):
            escaped = _TRAILING_UNDERSCORE.sub(r"\\_", match.group(2))
            lines[i] = match.group(1) + escaped


def _skip_sklearn_plumbing(app, what, name, obj, skip, options):
    """Leave out scikit-learn's metadata-routing and set_output methods.

    Every estimator inherits them (``set_*_request`` methods are generated
    per class); their docstrings point into scikit-learn's own glossary and
    user guide, which this site does not have.
    """
    if name in ("get_metadata_routing", "set_output") or re.fullmatch(
        r"set_\w+_request", name
    ):
        return True
    return None


def _link_files_out_of_docs(app, doctree):
    """Turn Markdown links to Markdown files outside docs/ into downloads.

    The pages link to ``../CHANGELOG.md`` and to benchmark results as plain
    relative paths, which work on a repository host; MyST takes any path with
    a source suffix for a page of the site, and would report a missing page.
    """
    from sphinx import addnodes

    env = app.env
    srcdir = Path(env.srcdir).resolve()
    for node in list(doctree.findall(addnodes.pending_xref)):
        if node.get("reftype") != "myst" or node.get("refdomain") != "doc":
            continue
        if node["reftarget"] in env.found_docs:
            continue
        for suffix in app.config.source_suffix:
            file = (srcdir / (node["reftarget"] + suffix)).resolve()
            if file.is_file() and srcdir not in file.parents:
                break
        else:
            continue
        here = Path(env.doc2path(env.docname)).resolve().parent
        download = addnodes.download_reference(
            "",
            "",
            *node.children,
            refdomain=None,
            reftarget=os.path.relpath(file, here),
            refdoc=node.get("refdoc", env.docname),
            reftype="myst",
            refexplicit=node.get("refexplicit", True),
        )
        download.source, download.line = node.source, node.line
        node.replace_self(download)


def _check_gallery_figures(app):
    """Warn (an error under -W) about examples that ran without a figure.

    A gallery example is there to be looked at: each must draw at least one
    figure of its own, which sphinx-gallery saves as
    ``images/sphx_glr_<example>_001.png``.
    """
    from sphinx.util import logging

    if not run_gallery:
        return
    gallery = Path(app.srcdir) / sphinx_gallery_conf["gallery_dirs"] / "images"
    examples = sorted((Path(app.srcdir) / "../examples").glob("plot_*.py"))
    for example in examples:
        if not (gallery / f"sphx_glr_{example.stem}_001.png").is_file():
            logging.getLogger(__name__).warning(
                "examples/%s ran without drawing a figure; a gallery example "
                "needs one of its own.",
                example.name,
            )


@functools.cache  # one build, one set: intersphinx has loaded by then
def _linkable_names(app):
    """Names that a page must link rather than print as plain code.

    skgan's public names, bare or with their module, and the classes of the
    projects that intersphinx links to, bare (``SMOTE``) or in full
    (``imblearn.over_sampling.SMOTE``).
    """
    from sphinx.ext.intersphinx import InventoryAdapter

    import skgan.datasets
    import skgan.metrics

    names = set()
    for name in _public_names():
        names.add(name)
        for module in (skgan, skgan.datasets, skgan.metrics, skgan.plotting):
            if name in getattr(module, "__all__", vars(module)):
                names.add(f"{module.__name__}.{name}")
    for inventory in InventoryAdapter(app.env).named_inventory.values():
        for full_name in inventory.get("py:class", {}):
            names.add(full_name)
            names.add(full_name.rsplit(".", 1)[-1])
    return names


def _check_unlinked_names(app, doctree, docname):
    """Warn (an error under -W) about a class or function printed unlinked.

    A literal such as ``GANSampler``, ``SMOTE()`` or ``metrics.evaluate``
    outside a link should be a cross-reference role,
    ``{class}`~skgan.GANSampler```, so that readers can follow it. A bare
    lowercase word is left alone: ``evaluate`` is also a command of the CLI,
    ``device`` a parameter. Not checked: the generated API pages (numpydoc
    links their types), headings (a link there would fill the page's table of
    contents with links) and the changelog, which is read on the repository
    host too, where roles would show as raw text.
    """
    from docutils import nodes
    from sphinx.util import logging

    if docname.startswith("generated/") or docname == "changelog":
        return
    linkable = _linkable_names(app)
    for literal in doctree.findall(nodes.literal):
        raw = literal.astext()
        text = raw.removesuffix("()")
        # ``GANSampler.score`` names a class too.
        owner = text.split(".")[0]
        if text not in linkable and not (
            owner[:1].isupper() and owner in linkable
        ):
            continue
        if text.islower() and "." not in text and not raw.endswith("()"):
            continue
        if any(
            isinstance(parent, (nodes.reference, nodes.title))
            for parent in _ancestors(literal)
        ):
            continue
        logging.getLogger(__name__).warning(
            "``%s`` is printed as plain code; link it with a role: "
            "{class}`~%s` in Markdown, :class:`~%s` in reST and the examples' "
            "text ({func}, {meth} or {mod} for what is not a class).",
            raw,
            text,
            text,
            location=literal,
        )


# A path on a page must lead somewhere in the repository: a reader has no
# ``../shared/`` or ``/home/...`` of ours.
_RELATIVE_PATH = re.compile(r"(?<![\w/])(?:\.\./)+[\w.-]+(?:/[\w.-]+)*")
_ABSOLUTE_PATH = re.compile(r"(?<![\w:/.~])/(?:home|root|work|Users)/[\w./-]+")


def _check_paths_outside_repository(app, doctree, docname):
    """Warn (an error under -W) about a path readers cannot follow.

    A relative path (from the page's source) must exist in the repository; an
    absolute path under a home or work directory is somebody's machine.
    """
    from docutils import nodes
    from sphinx.util import logging

    repository = Path(app.srcdir).resolve().parent
    here = Path(app.env.doc2path(docname)).resolve().parent
    for text in doctree.findall(nodes.Text):
        paths = [path.rstrip(".") for path in _RELATIVE_PATH.findall(str(text))]
        outside = [
            path
            for path in paths
            if repository not in (here / path).resolve().parents
            or not (here / path).exists()
        ]
        outside += [path.rstrip(".") for path in _ABSOLUTE_PATH.findall(str(text))]
        for path in outside:
            logging.getLogger(__name__).warning(
                "%s is not a path in the repository, which is all readers "
                "have; name what is there instead.",
                path,
                location=text.parent,
            )


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _previous_top_level_page(app, pagename, templatename, context, doctree):
    """Point a top-level page's "Previous" link at the top-level page before it.

    Sphinx walks the toctree depth first, so without this the Benchmarks page
    would lead back to the last function page of the API reference.
    """
    top_level = app.env.toctree_includes.get(app.config.root_doc, [])
    if pagename not in top_level or top_level.index(pagename) == 0:
        return
    previous = top_level[top_level.index(pagename) - 1]
    context["prev"] = {
        "link": app.builder.get_relative_uri(pagename, previous),
        "title": app.builder.render_partial(app.env.titles[previous])["title"],
    }


def setup(app):
    app.connect("builder-inited", _check_api_reference)
    app.connect("html-page-context", _previous_top_level_page)
    app.connect("doctree-resolved", _check_unlinked_names)
    app.connect("doctree-resolved", _check_paths_outside_repository)
    # After sphinx-gallery (priority 500) has run the examples.
    app.connect("builder-inited", _check_gallery_figures, priority=900)
    app.connect("autodoc-skip-member", _skip_sklearn_plumbing)
    # Before Sphinx collects the downloads (doctree-read, priority 500).
    app.connect("doctree-read", _link_files_out_of_docs, priority=400)
    # After numpydoc (priority 500) has turned the sections into reST.
    app.connect("autodoc-process-docstring", _escape_types, priority=600)
