"""The ``skgan`` command: fit, sample, resample, evaluate and a demo from a shell.

This module holds the parser and :func:`main` only, and imports nothing
heavy: ``skgan --version`` and ``--help`` answer at once, and a command
imports torch, pandas and the estimator when it runs. The commands live in
``commands``, the demo in ``demo``, the reading and writing of tables in
``tables``.

Exit codes: 0 on success; 2 for a mistake in the command or its inputs (a
missing file, an unknown column or label, an unreadable model file, an
invalid parameter), with one line on stderr, as argparse does for a bad
option; 1 for anything unexpected, a bug, with its type and where it was
raised (``--debug`` prints the whole traceback); 130 when interrupted.
"""

import argparse
import ast
import os
import sys
import traceback
from pathlib import Path

from .._version import __version__

__all__ = ["main"]

# Exit codes: 2 is what argparse uses for a bad command line.
_BUG = 1
_USER_ERROR = 2
_INTERRUPTED = 130
_STRATEGIES = ("auto", "minority", "not minority", "not majority", "all")
# Where a failed check raises a user error: skgan's own code, and the input
# validation of scikit-learn and imbalanced-learn that it calls.
_CHECKING_PACKAGES = (
    Path(__file__).parents[1],  # skgan
    Path("sklearn", "utils"),
    Path("imblearn", "utils"),
)


# -- GANSampler parameters from the command line ----------------------------


def _positive_int(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _epochs(text):
    if text == "auto":
        return text
    try:
        return _positive_int(text)
    except argparse.ArgumentTypeError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer or 'auto', got {text!r}"
        ) from None


def _seed(text):
    """A random seed: a whole number from 0 to 2**32 - 1, as NumPy takes."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(
            f"expected a whole number from 0 to 4294967295, got {text!r}"
        )
    return value


def _strategy(text):
    """A sampling_strategy name (spaces, dashes or underscores) or a float."""
    name = text.replace("-", " ").replace("_", " ").strip()
    if name in _STRATEGIES:
        return name
    try:
        ratio = float(text)
    except ValueError:
        ratio = None
    if ratio is None or not 0 < ratio <= 1:
        raise argparse.ArgumentTypeError(
            f"expected one of {', '.join(_STRATEGIES)} or a minority/majority "
            f"ratio above 0 and at most 1, such as 0.5; got {text!r}"
        )
    return ratio


def _parse_param(text):
    """``NAME=VALUE`` with VALUE a Python literal, or else a plain string."""
    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise argparse.ArgumentTypeError(
            f"expected NAME=VALUE, e.g. loss=bce or generator_layers=(256,256); "
            f"got {text!r}"
        )
    try:
        return name, ast.literal_eval(value.strip())
    except (ValueError, SyntaxError):
        return name, value.strip()


def _add_reading_options(parser):
    parser.add_argument(
        "--sep",
        metavar="CHAR",
        help="column delimiter of the CSV input (default: comma, or tab for "
        ".tsv; a file read as one column is sniffed for ; tab or |)",
    )
    parser.add_argument(
        "--encoding",
        metavar="NAME",
        help="text encoding of the CSV input, e.g. latin-1 (default utf-8)",
    )
    parser.add_argument(
        "--dates",
        nargs="+",
        action="extend",
        default=[],
        metavar="COL",
        help="text columns to read as dates or times (columns of ISO 8601 "
        "dates, e.g. 2024-05-01 or 2024-05-01T13:45:00+02:00, always are)",
    )


def _add_training_options(parser):
    _add_reading_options(parser)
    parser.add_argument(
        "--epochs",
        type=_epochs,
        metavar="N",
        help="passes over the data, or 'auto' (the default: enough generator "
        "steps for the table's size, at most 5000)",
    )
    parser.add_argument(
        "--random-state",
        type=_seed,
        metavar="N",
        help="seed: the same seed and data give the same model and samples",
    )
    parser.add_argument(
        "--categorical",
        nargs="+",
        action="extend",
        default=[],
        metavar="COL",
        help="numeric columns to treat as categories (text, boolean and "
        "category columns always are)",
    )
    parser.add_argument(
        "--param",
        type=_parse_param,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="any other GANSampler parameter, as a Python literal; repeat for "
        "several, e.g. --param loss=bce --param 'generator_layers=(256, 256)'",
    )
    parser.add_argument(
        "--verbose", action="store_true", help="print each epoch's losses"
    )
    _add_progress_option(parser)


def _add_progress_option(parser):
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw progress bars on stderr, of the epochs and of generating "
        "100,000 rows or more (default: when stderr is a terminal)",
    )


# -- the parser ---------------------------------------------------------------


def _build_parser():
    parser = argparse.ArgumentParser(
        prog="skgan",
        description="Generate realistic tables with a GAN, oversample rare classes, "
        "and measure how realistic synthetic data is.",
        epilog="Run 'skgan COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"skgan {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    fit = commands.add_parser(
        "fit",
        help="train a GANSampler on a table and save it",
        description="Train a GANSampler on a CSV or Parquet table and save the "
        "model to a file that 'skgan sample' and skgan.load() read. With "
        "--target, the model is conditioned on that class column, and samples "
        "can be drawn per class.",
    )
    fit.add_argument(
        "data", help="training table (.csv, .tsv or .parquet; - reads CSV from stdin)"
    )
    fit.add_argument("--target", metavar="COL", help="class column to condition on")
    fit.add_argument(
        "-o", "--output", required=True, metavar="MODEL", help="model file to write"
    )
    _add_training_options(fit)
    fit.set_defaults(run="fit")

    sample = commands.add_parser(
        "sample",
        help="draw new rows from a saved model",
        description="Draw new rows from a model saved by 'skgan fit', with the "
        "columns and dtypes of its training table. A model fitted with "
        "--target also writes its class column, in its original place.",
    )
    sample.add_argument("model", help="model file written by 'skgan fit'")
    sample.add_argument(
        "-n",
        "--n-samples",
        type=_positive_int,
        required=True,
        metavar="N",
        help="number of rows to draw",
    )
    sample.add_argument(
        "--label",
        metavar="L",
        help="draw rows of this class only (as written in the training table); "
        "by default classes follow their share of the training data",
    )
    sample.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write (.csv, .tsv or .parquet); CSV to stdout by default",
    )
    sample.add_argument(
        "--random-state",
        type=_seed,
        metavar="N",
        help="seed of the draw (default: the model's own random_state)",
    )
    _add_progress_option(sample)
    sample.set_defaults(run="sample")

    resample = commands.add_parser(
        "resample",
        help="balance a table's classes with synthetic rows",
        description="Fit a GANSampler on a table and add synthetic rows to the "
        "classes chosen by --strategy, as imbalanced-learn's fit_resample does: "
        "the original rows come first, unchanged. Prints the class counts before "
        "and after.",
    )
    resample.add_argument(
        "data", help="table to balance (.csv, .tsv or .parquet; - reads CSV from stdin)"
    )
    resample.add_argument(
        "--target", required=True, metavar="COL", help="the class column"
    )
    resample.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="balanced table to write"
    )
    resample.add_argument(
        "--strategy",
        type=_strategy,
        default=None,
        metavar="STRATEGY",
        help="which classes to grow: auto (= not majority, the default), "
        "minority, 'not minority', 'not majority' or all, each to the size of "
        "the majority class; or, for two classes, the wanted minority/majority "
        "ratio, e.g. 0.5",
    )
    _add_training_options(resample)
    resample.set_defaults(run="resample")

    evaluation = commands.add_parser(
        "evaluate",
        help="compare a synthetic table with real data",
        description="Print skgan.metrics.evaluate: column shapes, pair trends, "
        "detection AUC, MMD, exact copies, distance to closest record and, with "
        "--target, train-synthetic-test-real utility.",
    )
    evaluation.add_argument("real", help="the real rows the generator learnt from")
    evaluation.add_argument("synthetic", help="generated rows, same columns")
    evaluation.add_argument(
        "--target", metavar="COL", help="column to predict for the utility rows"
    )
    evaluation.add_argument(
        "--holdout",
        metavar="FILE",
        help="real rows the generator did not see: utility is tested on them",
    )
    evaluation.add_argument(
        "--categorical",
        nargs="+",
        action="extend",
        default=[],
        metavar="COL",
        help="numeric columns to treat as categories",
    )
    evaluation.add_argument(
        "--random-state",
        type=_seed,
        default=0,
        metavar="N",
        help="seed of the classifiers and subsamples (default 0)",
    )
    evaluation.set_defaults(run="evaluate")

    demo = commands.add_parser(
        "demo",
        help="show what skgan does, on data bundled with scikit-learn",
        description="(1) Oversample an imbalanced breast-cancer set with SMOTE and "
        "with GANSampler and compare a classifier's cross-validated scores; (2) "
        "fit a GANSampler on the wine table (floats, integers, a category) and "
        "print its fidelity report; (3) train a conditional GANSampler on 8x8 "
        "digits. Writes plots to OUTDIR when matplotlib is installed. About two "
        "minutes on a 2-core CPU; nothing is downloaded.",
    )
    demo.add_argument(
        "-o",
        "--output",
        default="skgan-demo",
        metavar="OUTDIR",
        help="folder for the plots (default: skgan-demo)",
    )
    demo.add_argument(
        "--quick",
        action="store_true",
        help="tiny networks and a few steps: runs in seconds, scores mean nothing",
    )
    demo.set_defaults(run="demo")
    for command in commands.choices.values():
        command.add_argument(
            "--debug",
            action="store_true",
            help="print the whole traceback of an error",
        )
    return parser


def _closed_stdout():
    """The reader of stdout went away (``skgan sample ... | head``): stop quietly.

    Pointing stdout at devnull keeps Python's final flush from printing a
    second BrokenPipeError at exit.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout is not a real file
        pass
    return 1


def _is_user_error(error):
    """Whether ``error`` reports a mistake of the user rather than a bug.

    Files that cannot be read or written are the user's to fix. Otherwise a
    user error is one a check raised on purpose: the innermost frame is a
    ``raise`` statement in skgan or in the input validation of scikit-learn
    or imbalanced-learn. A ValueError from deep inside numpy or torch, or a
    TypeError from a call skgan got wrong, is a bug, though of the same type.
    """
    if isinstance(error, OSError):
        return True
    if not isinstance(error, (ValueError, TypeError, KeyError)):
        return False
    frames = traceback.extract_tb(error.__traceback__)
    if not frames:
        return False
    last = frames[-1]
    checked = any(str(package) in last.filename for package in _CHECKING_PACKAGES)
    return checked and (last.line or "").lstrip().startswith("raise")


def _report(error, debug):
    """Print ``error`` for a user or, for a bug, how to report it; the exit code."""
    if debug:
        traceback.print_exception(error)
    if _is_user_error(error):
        message = error.args[0] if isinstance(error, KeyError) else error
        print(f"skgan: error: {message}", file=sys.stderr)
        return _USER_ERROR
    frames = traceback.extract_tb(error.__traceback__)
    where = f" ({frames[-1].filename}, line {frames[-1].lineno})" if frames else ""
    rerun = "" if debug else "rerun with --debug for the traceback, and "
    print(
        f"skgan: unexpected error{where}: {type(error).__name__}: {error}\n"
        f"skgan: this is probably a bug in skgan: {rerun}report it with the "
        "command and the version (skgan --version).",
        file=sys.stderr,
    )
    return _BUG


def main(argv=None):
    """Run the ``skgan`` command line.

    Parameters
    ----------
    argv : list of str, default=None
        The arguments after ``skgan``; None reads ``sys.argv[1:]``.

    Returns
    -------
    exit_code : int
        0 on success, 2 for a mistake in the command or its inputs (with a
        one-line message on stderr), 1 for an unexpected error (a bug), 130
        when interrupted.

    Examples
    --------
    >>> from skgan._cli import main
    >>> main(["--version"])  # doctest: +ELLIPSIS
    skgan ...
    0
    """
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # --help, --version and argparse's own errors
        return exit.code if isinstance(exit.code, int) else _USER_ERROR
    try:
        # Imported only now: torch and pandas take seconds to import.
        if args.run == "demo":
            from .demo import run_demo as run
        else:
            from . import commands

            run = getattr(commands, f"run_{args.run}")
        return run(args)
    except BrokenPipeError:
        return _closed_stdout()
    except KeyboardInterrupt as interrupt:
        detail = "".join(f" {arg}" for arg in interrupt.args)
        print(f"skgan: interrupted{detail}", file=sys.stderr)
        return _INTERRUPTED
    except Exception as error:
        return _report(error, args.debug)
