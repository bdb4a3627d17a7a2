"""The commands ``skgan fit``, ``sample``, ``resample`` and ``evaluate``.

Each is a ``run_*`` function that takes the parsed arguments and returns an
exit code. ``skgan fit --target COL`` stores the name, position and dtype of
the class column in the model file's annotations, beside the model rather
than in it, so that ``skgan sample`` puts that column back as it was: its
output has the columns of the training file, in their order.
"""

import os
import signal
import sys
import time
from contextlib import contextmanager

from .._io.loading import _load_annotated
from .._io.model_file import save_sampler
from .._params import NETWORK_PREFIXES
from .._sampler import GANSampler
from .._training.callbacks import EpochProgressBar
from ..metrics import evaluate
from .tables import (
    aligned_text,
    as_frame,
    check_columns,
    check_output,
    class_counts,
    format_report,
    insert_target,
    read_table,
    same_columns,
    split_target,
    to_stdout,
    write_table,
)

# Class column of `skgan sample` for a conditional model saved from Python,
# which has no annotations.
_DEFAULT_TARGET_NAME = "target"


def _sampler_params(args, **fixed):
    """GANSampler keywords: ``--param`` values, then the dedicated options."""
    known = GANSampler().get_params()
    params = {}
    for name, value in args.param:
        if name not in known and not name.startswith(NETWORK_PREFIXES):
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
    if _wants_progress(args):
        params["callbacks"] = [*(params.get("callbacks") or []), EpochProgressBar()]
    return {**params, **fixed}


def _wants_progress(args):
    if args.progress is None:  # a bar only where someone watches
        return sys.stderr.isatty() and not getattr(args, "verbose", False)
    return args.progress


def _load_model(path):
    """The sampler saved in ``path`` and the CLI's annotations (a dict)."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"The model file {path!r} does not exist.")
    gan, annotations = _load_annotated(path)
    return gan, annotations or {}


def run_fit(args):
    check_output(args.output, [args.data], table=False)
    frame = read_table(
        args.data, sep=args.sep, encoding=args.encoding, dates=args.dates
    )
    X, y = split_target(frame, args.target, args.data)
    check_columns(args.categorical, X.columns, "--categorical", args.data)
    gan = GANSampler(**_sampler_params(args))
    start = time.perf_counter()
    with _noticing_interrupts() as interrupted:
        gan.fit(X, y)
    seconds = time.perf_counter() - start
    if interrupted:
        raise _interruption(gan, seconds, args.output)
    annotations = None
    if args.target is not None:  # for `skgan sample` to put the column back
        annotations = {
            "target_name": args.target,
            "target_position": int(frame.columns.get_loc(args.target)),
            "target_dtype": frame[args.target].dtype,
        }
    gan.set_params(callbacks=None)  # the progress bar: not part of the model
    save_sampler(gan, args.output, annotations=annotations)
    classes = ""
    if gan.classes_ is not None:
        counts = class_counts(y)
        shown = ", ".join(f"{label} {n}" for label, n in counts.head(10).items())
        more = " ..." if len(counts) > 10 else ""
        classes = f", {len(counts)} classes of {args.target!r} ({shown}{more})"
    print(
        f"fit: {X.shape[0]} rows, {X.shape[1]} columns{classes}; "
        f"{len(gan.history_)} epochs in {seconds:.1f} s; saved {args.output}",
        flush=True,
    )
    return 0


def _interruption(gan, seconds, output):
    """A KeyboardInterrupt that says how far training got and what was not written."""
    # skorch ends training quietly on Ctrl-C; a half-trained model must not
    # replace a good file, or pass for a finished one, without a word.
    return KeyboardInterrupt(
        f"after {len(gan.history_)} of {gan.epochs_} epochs ({seconds:.1f} s); "
        f"{output} was not written"
    )


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


def run_sample(args):
    check_output(args.output, [args.model])
    gan, annotations = _load_model(args.model)
    if args.random_state is not None:
        gan.set_params(random_state=args.random_state)
    if _wants_progress(args):
        gan.set_params(callbacks=[EpochProgressBar()])
    label = None if args.label is None else _find_label(gan, args.label)
    if gan.classes_ is None:
        table = as_frame(gan.sample(args.n_samples))
    else:
        X_new, y_new = gan.sample(args.n_samples, y=label, return_y=True)
        table = insert_target(
            as_frame(X_new),
            y_new,
            annotations.get("target_name", _DEFAULT_TARGET_NAME),
            annotations.get("target_position"),
            annotations.get("target_dtype"),
        )
    write_table(table, args.output)
    if not to_stdout(args.output):
        of_class = "" if label is None else f" of class {label}"
        print(f"sample: wrote {len(table)} rows{of_class} to {args.output}")
    return 0


def run_resample(args):
    check_output(args.output, [args.data])
    frame = read_table(
        args.data, sep=args.sep, encoding=args.encoding, dates=args.dates
    )
    X, y = split_target(frame, args.target, args.data)
    check_columns(args.categorical, X.columns, "--categorical", args.data)
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
        raise _interruption(gan, seconds, args.output)
    position = int(frame.columns.get_loc(args.target))
    table = insert_target(X_res, y_res, args.target, position, frame[args.target].dtype)
    write_table(table, args.output)
    before, after = class_counts(y), class_counts(y_res)
    rows = [
        [str(label), str(n), str(after.get(label, n)), str(after.get(label, n) - n)]
        for label, n in before.items()
    ]
    # With -o -, standard output holds the table and nothing else.
    report = sys.stderr if to_stdout(args.output) else sys.stdout
    print(
        f"resample: {len(y)} rows -> {len(y_res)} rows in {seconds:.1f} s; "
        f"wrote {args.output}",
        file=report,
    )
    print(
        aligned_text([args.target, "before", "after", "added"], rows, "lrrr"),
        file=report,
    )
    return 0


def run_evaluate(args):
    real = read_table(args.real, "real data")
    synthetic = same_columns(
        real, read_table(args.synthetic, "synthetic data"), args.synthetic, args.real
    )
    holdout = None
    if args.holdout is not None:
        holdout = same_columns(
            real, read_table(args.holdout, "holdout"), args.holdout, args.real
        )
    if args.target is not None:
        check_columns([args.target], real.columns, "--target", args.real)
    check_columns(args.categorical, real.columns, "--categorical", args.real)
    report = evaluate(
        real,
        synthetic,
        args.target,
        holdout=holdout,
        categorical_features=list(args.categorical) or "auto",
        random_state=args.random_state,
    )
    print(format_report(report))
    return 0
