"""Tables in and out of the command line: reading, writing, checking paths.

Tables are read and written as CSV (``.csv``, ``.tsv``, compressed or not)
or Parquet (``.parquet``, ``.pq``, which needs pyarrow), chosen by the file
name. CSV columns keep the dtypes pandas infers, so numbers stay numbers;
text columns of ISO 8601 dates, and those named with ``--dates``, are read
as dates.
"""

import csv
import io
import os
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.utils.multiclass import check_classification_targets, type_of_target

_CSV_COMPRESSIONS = ("", ".gz", ".bz2", ".zip", ".xz", ".zst")
_PARQUET_SUFFIXES = (".parquet", ".pq")


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


def read_table(path, role="data", sep=None, encoding=None, dates=None):
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
    check_columns(dates, frame.columns, "--dates", path)
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
    """``column`` as dates; offsets that differ (summer time) as UTC."""
    form = "mixed" if named else "ISO8601"
    with warnings.catch_warnings():
        # pandas 2 warns about mixed offsets and returns Timestamp objects
        # (pandas 3 raises instead); either way the UTC parse below follows.
        warnings.simplefilter("ignore", FutureWarning)
        try:
            parsed = pd.to_datetime(column, format=form)
        except ValueError:
            parsed = None
    if parsed is None or not pd.api.types.is_datetime64_any_dtype(parsed.dtype):
        parsed = pd.to_datetime(column, format=form, utc=True)
    return parsed


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


def write_table(frame, path):
    """Write ``frame`` to ``path`` by its extension, or as CSV to stdout."""
    if to_stdout(path):
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


def check_output(output, inputs, table=True):
    """Refuse, before any training, an output that cannot or must not be written.

    ``table``: the output is a table, whose format comes from its name.
    An input file is never overwritten.
    """
    if to_stdout(output):
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


def to_stdout(output):
    return output is None or output == "-"


def _names(columns, limit=12):
    """Column names for a message, cut after ``limit``."""
    names = [repr(c) for c in list(columns)[:limit]]
    more = len(columns) - limit
    return ", ".join(names) + (f" and {more} more" if more > 0 else "")


def check_columns(names, columns, option, path):
    unknown = [name for name in names if name not in columns]
    if unknown:
        raise ValueError(
            f"{option} {_names(unknown)}: no such column in {path!r}, whose "
            f"columns are {_names(columns)}."
        )


def split_target(frame, target, path):
    """The feature table and the class labels of column ``target``, if any."""
    if target is None:
        return frame, None
    check_columns([target], frame.columns, "--target", path)
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


def insert_target(frame, labels, name, position, dtype=None):
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


def as_frame(X):
    """A model fitted on an array samples arrays: make them a table."""
    if isinstance(X, pd.DataFrame):
        return X
    X = np.asarray(X)
    return pd.DataFrame(X.reshape(len(X), -1))


def class_counts(labels):
    counts = pd.Series(labels).value_counts()
    try:
        return counts.sort_index()
    except TypeError:  # classes of mixed types do not sort
        return counts


def same_columns(reference, other, path, reference_path):
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


def format_report(report):
    rows = [
        [
            row.metric,
            _format_number(row.value),
            _format_number(row.ideal),
            row.description,
        ]
        for row in report.itertuples()
    ]
    return aligned_text(["metric", "value", "ideal", "description"], rows, "lrrl")


def aligned_text(header, rows, align):
    """Rows of strings as aligned text; ``align`` is "l" or "r" per column."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(cells):
        padded = [
            cell.ljust(width) if side == "l" else cell.rjust(width)
            for cell, width, side in zip(cells, widths, align, strict=True)
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(header), *(line(row) for row in rows)])
