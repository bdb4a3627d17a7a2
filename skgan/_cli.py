"""The ``skgan`` command: fit, sample, resample, evaluate and a demo from a shell.

Each subcommand is one ``_run_*`` function that takes the parsed arguments
and returns an exit code. :func:`main` builds the parser, dispatches, and
turns the mistakes a user can make (a missing file, an unknown column or
label, an unreadable model file, an invalid parameter) into one line on
stderr and exit code 2, as argparse does for a bad option.

Tables are read and written as CSV (``.csv``, ``.tsv``, compressed or not)
or Parquet (``.parquet``, ``.pq``, which needs pyarrow), chosen by the file
name. CSV columns keep the dtypes pandas infers, so numbers stay numbers.

``skgan fit --target COL`` stores the name, position and dtype of the class
column in the model file, as the fitted attributes ``target_name_``,
``target_position_`` and ``target_dtype_``, so that ``skgan sample`` puts that
column back as it was: its output has the columns of the training file, in
their order.
"""

import argparse
import ast
import csv
import io
import os
import signal
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.exceptions import ConvergenceWarning
from sklearn.utils.multiclass import check_classification_targets, type_of_target

from . import __version__
from ._callbacks import EpochProgressBar
from ._persistence import ModelFileError
from ._persistence import load_sampler as load
from ._sampler import GANSampler
from .metrics import evaluate

__all__ = ["main"]

# Exit codes: 2 is what argparse uses for a bad command line.
_USER_ERROR = 2
_INTERRUPTED = 130
_CSV_COMPRESSIONS = ("", ".gz", ".bz2", ".zip", ".xz", ".zst")
_PARQUET_SUFFIXES = (".parquet", ".pq")
# Class column of `skgan sample` for a conditional model saved from Python,
# which has no target_name_.
_DEFAULT_TARGET_NAME = "target"
_STRATEGIES = ("auto", "minority", "not minority", "not majority", "all")

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


# -- reading and writing tables ---------------------------------------------


def _table_format(path):
    """ "csv", "tsv" or "parquet", from the file name, or a ValueError."""
    name = os.fspath(path).lower()
    for compression in _CSV_COMPRESSIONS:
        if name.endswith(".csv" + compression):
            return "csv"
        if name.endswith(".tsv" + compression):
            return "tsv"
    if name.endswith(_PARQUET_SUFFIXES):
        return "parquet"
    raise ValueError(
        f"Cannot tell the format of {os.fspath(path)!r} from its name: use a "
        ".csv or .tsv file (optionally compressed, e.g. data.csv.gz) or a "
        ".parquet file."
    )


def _parquet_error(verb):
    # pandas' own message spans several lines and also offers fastparquet.
    return ValueError(
        f"{verb} Parquet files needs pyarrow, which is not installed: "
        "pip install pyarrow"
    )


def _read_table(path, role="data", sep=None, encoding=None, dates=None):
    """Read a CSV or Parquet file into a DataFrame with at least one row.

    Without ``sep``, a CSV read as a single column whose header holds ``;``,
    a tab or ``|`` is read again with the delimiter :class:`csv.Sniffer`
    finds in its first lines. Tables that still look mis-parsed get a
    warning on stderr.
    """
    kind = "csv" if path == "-" else _table_format(path)
    source = path
    if path == "-":  # standard input, as CSV, kept to be read again if sniffed
        source = io.StringIO(sys.stdin.read())
    elif not os.path.exists(path):
        raise FileNotFoundError(f"The {role} file {path!r} does not exist.")
    try:
        if kind == "parquet":
            frame = pd.read_parquet(source)
        else:
            default = "\t" if kind == "tsv" else ","
            frame = pd.read_csv(source, sep=sep or default, encoding=encoding)
            if sep is None and frame.shape[1] == 1:
                sniffed = _sniff_separator(frame)
                if sniffed not in (None, default):
                    if isinstance(source, io.StringIO):
                        source.seek(0)
                    frame = pd.read_csv(source, sep=sniffed, encoding=encoding)
    except ImportError as error:
        raise _parquet_error("Reading") from error
    except (ValueError, UnicodeDecodeError) as error:  # ParserError is one
        hint = " Pass --encoding, e.g. latin-1." if isinstance(
            error, UnicodeDecodeError
        ) else ""  # fmt: skip
        raise ValueError(
            f"Cannot read the {role} file {path!r} as {kind.upper()}: {error}.{hint}"
        ) from error
    if frame.shape[0] == 0 or frame.shape[1] == 0:
        raise ValueError(
            f"The {role} file {path!r} holds {frame.shape[0]} rows and "
            f"{frame.shape[1]} columns; it needs at least one of each."
        )
    frame = _parse_dates(frame, dates or [], path)
    _warn_if_misparsed(frame, path)
    return frame


# A date, optionally a time of day, optionally an offset: 2024-05-01,
# 2024-05-01 13:45, 2024-05-01T13:45:00.5+02:00, 2024-05-01T11:45Z.
_ISO_DATE = (
    r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$"
)


def _parse_dates(frame, dates, path):
    """Text columns of ISO 8601 dates, and the columns named in ``dates``, as dates.

    Times with offsets become time-zone aware: one offset keeps it, mixed
    offsets (summer time) are converted to UTC.
    """
    _check_columns(dates, frame.columns, "--dates", path)
    for name in frame.columns:
        column = frame[name]
        if not _is_text(column):
            continue
        text = column.dropna().astype(str)
        named = name in dates
        if not named and not (len(text) and text.str.match(_ISO_DATE).all()):
            continue
        try:
            frame[name] = _to_datetime(column, named)
        except (ValueError, TypeError) as error:
            raise ValueError(
                f"--dates {name!r}: the column of {path!r} does not read as dates "
                f"({error})."
            ) from error
    return frame


def _is_text(column):
    return pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column)


def _to_datetime(column, named):
    form = "mixed" if named else "ISO8601"
    try:
        return pd.to_datetime(column, format=form)
    except ValueError:  # offsets that differ, e.g. across summer time
        return pd.to_datetime(column, format=form, utc=True)


def _sniff_separator(frame):
    """The delimiter of the lines a one-column read kept whole, or None."""
    header = str(frame.columns[0])
    if not any(mark in header for mark in ";\t|"):
        return None
    lines = [header, *frame.iloc[:20, 0].astype(str)]
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters=";\t|,").delimiter
    except csv.Error:
        return None


def _warn_if_misparsed(frame, path):
    """Warn on stderr about tables a model would learn wrongly or copy."""
    text = [column for column in frame.columns if _is_text(frame[column])]
    if frame.shape[1] == 1 and text:
        print(
            f"skgan: warning: {path!r} was read as a single text column; if its "
            "values are separated by something else than a comma, pass --sep.",
            file=sys.stderr,
        )
    for column in text:
        values = frame[column].dropna()
        if len(values) >= 50 and values.nunique() > 0.9 * len(values):
            print(
                f"skgan: warning: column {column!r} of {path!r} holds mostly "
                "unique text (an identifier, or a line that was not split): "
                "as a category it can only be copied from real rows. Drop it, "
                "or check --sep.",
                file=sys.stderr,
            )


def _write_table(frame, path):
    """Write ``frame`` to ``path`` by its extension, or as CSV to stdout."""
    if _to_stdout(path):
        frame.to_csv(sys.stdout, index=False)
        return
    kind = _table_format(path)
    try:
        if kind == "parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_csv(path, index=False, sep="\t" if kind == "tsv" else ",")
    except ImportError as error:
        raise _parquet_error("Writing") from error


def _check_output(output, inputs, table=True):
    """Refuse, before any training, an output that cannot or must not be written.

    ``table``: the output is a table, whose format comes from its name.
    An input file is never overwritten.
    """
    if _to_stdout(output):
        return
    if table:
        _table_format(output)  # a ValueError naming the formats we write
    directory = os.path.dirname(os.path.abspath(output)) or "."
    if not os.path.isdir(directory):
        raise ValueError(
            f"Cannot write {output!r}: the folder {directory!r} does not exist."
        )
    if not os.access(directory, os.W_OK):
        raise ValueError(f"Cannot write {output!r}: the folder is not writable.")
    for source in inputs:
        if source == "-" or not os.path.exists(source):  # stdin, or checked later
            continue
        if os.path.exists(output) and os.path.samefile(output, source):
            raise ValueError(
                f"The output {output!r} is the input file {source!r}; writing it "
                "would destroy the data. Choose another output name."
            )


def _to_stdout(output):
    return output is None or output == "-"


def _names(columns, limit=12):
    """Column names for a message, cut after ``limit``."""
    names = [repr(c) for c in list(columns)[:limit]]
    more = len(columns) - limit
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def _check_columns(names, columns, option, path):
    unknown = [name for name in names if name not in columns]
    if unknown:
        raise ValueError(
            f"{option} {_names(unknown)}: no such column in {path!r}, whose "
            f"columns are {_names(columns)}."
        )


def _split_target(frame, target, path):
    """The feature table and the class labels of column ``target``, if any."""
    if target is None:
        return frame, None
    _check_columns([target], frame.columns, "--target", path)
    y = frame[target]
    missing = int(y.isna().sum())
    if missing:
        raise ValueError(
            f"The target column {target!r} has {missing} missing value(s); every "
            "row needs a class. Drop those rows, or choose another --target."
        )
    y = y.to_numpy()
    try:
        check_classification_targets(y)
    except ValueError as error:
        raise ValueError(
            f"The target column {target!r} holds {type_of_target(y)} values, not "
            "class labels: --target must name a column of classes (strings or a "
            "few distinct integers)."
        ) from error
    return frame.drop(columns=target), y


def _insert_target(frame, labels, name, position, dtype=None):
    """Put the class column back at ``position`` (at the end when None).

    The labels are cast to ``dtype``, the class column's dtype in the input
    table: the sampler keeps classes as a plain array, which would turn a
    category column into strings in a Parquet file.
    """
    if name in frame.columns:
        raise ValueError(
            f"The model's class column {name!r} clashes with a feature column of "
            "the same name."
        )
    if dtype is not None:
        labels = pd.Series(labels).astype(dtype).array  # by position, not index
    position = frame.shape[1] if position is None else min(position, frame.shape[1])
    frame = frame.copy()
    frame.insert(position, name, labels)
    return frame


def _as_frame(X):
    """A model fitted on an array samples arrays: make them a table."""
    if isinstance(X, pd.DataFrame):
        return X
    X = np.asarray(X)
    return pd.DataFrame(X.reshape(len(X), -1))


def _load_model(path):
    if not os.path.exists(path):
        raise FileNotFoundError(f"The model file {path!r} does not exist.")
    return load(path)


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


def _sampler_params(args, **fixed):
    """GANSampler keywords: ``--param`` values, then the dedicated options."""
    known = GANSampler().get_params()
    params = {}
    for name, value in args.param:
        if name not in known and not name.startswith(
            ("generator__", "discriminator__")
        ):
            raise ValueError(
                f"--param {name}: GANSampler has no parameter {name!r}. Its "
                f"parameters are {', '.join(sorted(known))}."
            )
        params[name] = value
    if args.epochs is not None:
        params["epochs"] = args.epochs
    if args.random_state is not None:
        params["random_state"] = args.random_state
    if args.categorical:
        params["categorical_features"] = list(args.categorical)
    if args.verbose:
        params["verbose"] = 1
    progress = args.progress
    if progress is None:  # a bar only where someone watches
        progress = sys.stderr.isatty() and not args.verbose
    if progress:
        params["callbacks"] = [*(params.get("callbacks") or []), EpochProgressBar()]
    return {**params, **fixed}


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
    parser.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="draw a progress bar of the epochs on stderr (default: when "
        "stderr is a terminal)",
    )


# -- the commands -----------------------------------------------------------


def _class_counts(labels):
    counts = pd.Series(labels).value_counts()
    try:
        return counts.sort_index()
    except TypeError:  # classes of mixed types do not sort
        return counts


def _run_fit(args):
    _check_output(args.output, [args.data], table=False)
    frame = _read_table(
        args.data, sep=args.sep, encoding=args.encoding, dates=args.dates
    )
    X, y = _split_target(frame, args.target, args.data)
    _check_columns(args.categorical, X.columns, "--categorical", args.data)
    gan = GANSampler(**_sampler_params(args))
    start = time.perf_counter()
    with _noticing_interrupts() as interrupted:
        gan.fit(X, y)
    seconds = time.perf_counter() - start
    if interrupted:
        return _interrupted(gan, seconds, args.output)
    if args.target is not None:
        # Fitted attributes are saved generically: `sample` reads these back.
        gan.target_name_ = args.target
        gan.target_position_ = int(frame.columns.get_loc(args.target))
        gan.target_dtype_ = frame[args.target].dtype
    gan.set_params(callbacks=None)  # the progress bar: not part of the model
    gan.save(args.output)
    classes = ""
    if gan.classes_ is not None:
        counts = _class_counts(y)
        shown = ", ".join(f"{label} {n}" for label, n in counts.head(10).items())
        more = " ..." if len(counts) > 10 else ""
        classes = f", {len(counts)} classes of {args.target!r} ({shown}{more})"
    print(
        f"fit: {X.shape[0]} rows, {X.shape[1]} columns{classes}; "
        f"{len(gan.history_)} epochs in {seconds:.1f} s; saved {args.output}",
        flush=True,
    )
    return 0


def _interrupted(gan, seconds, output):
    """Say how far training got and that nothing was written; the exit code."""
    # skorch ends training quietly on Ctrl-C; a half-trained model must not
    # replace a good file, or pass for a finished one, without a word.
    print(
        f"skgan: interrupted after {len(gan.history_)} of {gan.epochs_} epochs "
        f"({seconds:.1f} s); {output} was not written",
        file=sys.stderr,
    )
    return _INTERRUPTED


@contextmanager
def _noticing_interrupts():
    """Within the block, remember a Ctrl-C that the code inside swallows.

    skorch catches ``KeyboardInterrupt`` in its training loop and returns as
    if training had ended; the CLI must still know. Yields a list that is
    non-empty after an interrupt.
    """
    interrupted = []

    def handle(signum, frame):
        interrupted.append(signum)
        raise KeyboardInterrupt

    try:
        previous = signal.signal(signal.SIGINT, handle)
    except ValueError:  # not the main thread: leave signals alone
        yield interrupted
        return
    try:
        yield interrupted
    finally:  # None: a handler not set from Python, e.g. by an embedder
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)


def _find_label(gan, text):
    """The class of ``gan`` whose string form is ``text``."""
    if gan.classes_ is None:
        raise ValueError(
            "--label needs a model fitted with classes (skgan fit --target COL); "
            "this one was fitted without, so leave --label out."
        )
    classes = gan.classes_.tolist()
    matches = [c for c in classes if str(c) == text]
    if not matches:
        raise ValueError(
            f"--label {text!r} is not a class of this model; its classes are "
            f"{', '.join(str(c) for c in classes)}."
        )
    if len(matches) > 1:
        raise ValueError(
            f"--label {text!r} matches several classes of this model: "
            f"{matches!r}; it cannot tell them apart."
        )
    return matches[0]


def _run_sample(args):
    _check_output(args.output, [args.model])
    gan = _load_model(args.model)
    if args.random_state is not None:
        gan.set_params(random_state=args.random_state)
    label = None if args.label is None else _find_label(gan, args.label)
    if gan.classes_ is None:
        table = _as_frame(gan.sample(args.n_samples))
    else:
        X_new, y_new = gan.sample(args.n_samples, y=label, return_y=True)
        table = _insert_target(
            _as_frame(X_new),
            y_new,
            getattr(gan, "target_name_", _DEFAULT_TARGET_NAME),
            getattr(gan, "target_position_", None),
            getattr(gan, "target_dtype_", None),
        )
    _write_table(table, args.output)
    if not _to_stdout(args.output):
        of_class = "" if label is None else f" of class {label}"
        print(f"sample: wrote {len(table)} rows{of_class} to {args.output}")
    return 0


def _run_resample(args):
    _check_output(args.output, [args.data])
    frame = _read_table(
        args.data, sep=args.sep, encoding=args.encoding, dates=args.dates
    )
    X, y = _split_target(frame, args.target, args.data)
    _check_columns(args.categorical, X.columns, "--categorical", args.data)
    params = _sampler_params(args)
    if args.strategy is not None:
        if "sampling_strategy" in params:
            raise ValueError(
                "--strategy and --param sampling_strategy=... both set the "
                "strategy; give one of them."
            )
        params["sampling_strategy"] = args.strategy
    gan = GANSampler(**params)
    start = time.perf_counter()
    with _noticing_interrupts() as interrupted:
        X_res, y_res = gan.fit_resample(X, y)
    seconds = time.perf_counter() - start
    if interrupted:
        return _interrupted(gan, seconds, args.output)
    position = int(frame.columns.get_loc(args.target))
    table = _insert_target(
        X_res, y_res, args.target, position, frame[args.target].dtype
    )
    _write_table(table, args.output)
    before, after = _class_counts(y), _class_counts(y_res)
    rows = [
        [str(label), str(n), str(after.get(label, n)), str(after.get(label, n) - n)]
        for label, n in before.items()
    ]
    # With -o -, standard output holds the table and nothing else.
    report = sys.stderr if _to_stdout(args.output) else sys.stdout
    print(
        f"resample: {len(y)} rows -> {len(y_res)} rows in {seconds:.1f} s; "
        f"wrote {args.output}",
        file=report,
    )
    print(_table([args.target, "before", "after", "added"], rows, "lrrr"), file=report)
    return 0


def _same_columns(reference, other, path, reference_path):
    """``other`` with the columns of ``reference``, in its order."""
    missing = [c for c in reference.columns if c not in other.columns]
    extra = [c for c in other.columns if c not in reference.columns]
    if missing or extra:
        problems = []
        if missing:
            problems.append(f"lacks {_names(missing)}")
        if extra:
            problems.append(f"has extra column(s) {_names(extra)}")
        raise ValueError(
            f"{path!r} must have the columns of {reference_path!r}, but it "
            f"{' and '.join(problems)}."
        )
    return other[list(reference.columns)]


def _format_number(value):
    return "" if pd.isna(value) else f"{value:.4g}"


def _format_report(report):
    rows = [
        [
            row.metric,
            _format_number(row.value),
            _format_number(row.ideal),
            row.description,
        ]
        for row in report.itertuples()
    ]
    return _table(["metric", "value", "ideal", "description"], rows, "lrrl")


def _run_evaluate(args):
    real = _read_table(args.real, "real data")
    synthetic = _same_columns(
        real, _read_table(args.synthetic, "synthetic data"), args.synthetic, args.real
    )
    holdout = None
    if args.holdout is not None:
        holdout = _same_columns(
            real, _read_table(args.holdout, "holdout"), args.holdout, args.real
        )
    if args.target is not None:
        _check_columns([args.target], real.columns, "--target", args.real)
    _check_columns(args.categorical, real.columns, "--categorical", args.real)
    report = evaluate(
        real,
        synthetic,
        args.target,
        holdout=holdout,
        categorical_features=list(args.categorical) or "auto",
        random_state=args.random_state,
    )
    print(_format_report(report))
    return 0


def _table(header, rows, align):
    """Rows of strings as aligned text; ``align`` is "l" or "r" per column."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells):
        padded = [
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(cells, widths, align, strict=True)
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(header), *(line(row) for row in rows)])


# -- the demo -----------------------------------------------------------------


def _mean_std(scores):
    return f"{np.mean(scores):.3f} ± {np.std(scores):.3f}"


def _demo_oversampling(progress, quick):
    """Cross-validate no resampling, SMOTE and GANSampler on imbalanced data."""
    from imblearn.datasets import make_imbalance
    from imblearn.metrics import geometric_mean_score
    from imblearn.over_sampling import SMOTE
    from imblearn.pipeline import Pipeline
    from sklearn.datasets import load_breast_cancer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import make_scorer
    from sklearn.model_selection import StratifiedKFold, cross_validate
    from sklearn.preprocessing import StandardScaler

    X, y = load_breast_cancer(return_X_y=True, as_frame=True)
    # Label 0 is malignant: make it the positive class 1, so that "f1" and
    # "average_precision" score the rare class we care about.
    y = (y == 0).astype(int).rename("malignant")
    n_benign = int((y == 0).sum())
    X, y = make_imbalance(
        X, y, sampling_strategy={1: round(0.1 * n_benign)}, random_state=0
    )
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
    table = _table(
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


def _wine_table():
    """load_wine as a mixed table: floats, two integer columns, a category."""
    from sklearn.datasets import load_wine

    wine = load_wine(as_frame=True)
    table = wine.frame.drop(columns="target")
    # magnesium and proline are whole numbers stored as floats.
    table = table.astype({"magnesium": "int64", "proline": "int64"})
    table["cultivar"] = pd.Categorical.from_codes(
        wine.target, categories=list(wine.target_names)
    )
    return table


def _demo_fidelity(progress, quick):
    """Fit an unconditional GANSampler on a mixed table and evaluate its samples."""
    from sklearn.model_selection import train_test_split

    table = _wine_table()
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
    print("\n" + _format_report(report) + "\n", flush=True)
    return gan, train, synthetic


def _demo_digits(progress, quick):
    """Train a conditional GANSampler on 8x8 digits; sample each class."""
    from sklearn.datasets import load_digits

    from .metrics import ImageFeatures, conditional_accuracy

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

    from .plotting import plot_history, plot_images, plot_marginals

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


def _run_demo(args):
    progress = _Progress()
    if args.quick:
        progress("--quick: tiny networks and a few steps; the scores mean nothing")
    _demo_oversampling(progress, args.quick)
    table_gan, train, synthetic = _demo_fidelity(progress, args.quick)
    digits = _demo_digits(progress, args.quick)
    _demo_plots(args.output, progress, table_gan, train, synthetic, digits)
    progress("done")
    return 0


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
    fit.set_defaults(run=_run_fit)

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
    sample.set_defaults(run=_run_sample)

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
    resample.set_defaults(run=_run_resample)

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
    evaluation.set_defaults(run=_run_evaluate)

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
    demo.set_defaults(run=_run_demo)
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
        one-line message on stderr), 130 when interrupted.

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
        return args.run(args)
    except (ModelFileError, ValueError, FileNotFoundError, KeyError, OSError) as error:
        if isinstance(error, BrokenPipeError):
            return _closed_stdout()
        message = error.args[0] if isinstance(error, KeyError) else error
        print(f"skgan: error: {message}", file=sys.stderr)
        return _USER_ERROR
    except KeyboardInterrupt:
        print("skgan: interrupted", file=sys.stderr)
        return _INTERRUPTED
