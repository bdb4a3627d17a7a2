"""Where skgan's torch random draws come from, and the thread count they run at.

Every draw skgan makes during a fit or a sample (noise, batches, Gumbel
noise, dropout masks, interpolation weights) passes ``generator=current()``:
the ``torch.Generator`` of the innermost :func:`torch_session`
of the calling thread. Fits running side by side in threads therefore never
share a random stream, and torch's global generator is left alone. Outside a
session ``current()`` is None, which makes torch use its global generator.

Weight initialisation is the exception: ``nn.Linear`` and friends draw from
torch's global generator, so :func:`seeded_global` lends it, seeded from the
session's generator, under a process-wide lock, and restores it after.

The thread count is process-wide in torch. :func:`thread_count` sets it for
the first of overlapping sessions and restores it when the last one ends,
so that a session never changes the count under another one's feet.
"""

import os
import threading
from contextlib import contextmanager

import torch

_local = threading.local()
_global_generator_lock = threading.RLock()
_threads_lock = threading.Lock()
_threads = {"sessions": 0, "before": None}


def current():
    """The calling thread's session generator, or None outside a session."""
    return getattr(_local, "generator", None)


@contextmanager
def drawing_from(generator):
    """Within the block, :func:`current` in this thread returns ``generator``."""
    previous = current()
    _local.generator = generator
    try:
        yield generator
    finally:
        _local.generator = previous


@contextmanager
def seeded_global():
    """Lend torch's global CPU generator, seeded from :func:`current`.

    For code that can only draw from the global generator (weight
    initialisation of torch's layers). Outside a session this does nothing.
    """
    generator = current()
    if generator is None:
        yield
        return
    seed = int(torch.randint(2**62, (1,), generator=generator, device=generator.device))
    with _global_generator_lock, torch.random.fork_rng(devices=[]):
        torch.default_generator.manual_seed(seed)
        yield


@contextmanager
def thread_count(n_threads):
    """torch's intra-op thread count is ``n_threads`` within the block.

    None leaves it alone. Overlapping blocks (fits in several threads) share
    the count the first one set; the last one to end restores the count
    from before the first.
    """
    if n_threads is None:
        yield
        return
    with _threads_lock:
        if _threads["sessions"] == 0:
            _threads["before"] = torch.get_num_threads()
            torch.set_num_threads(n_threads)
        _threads["sessions"] += 1
    try:
        yield
    finally:
        with _threads_lock:
            _threads["sessions"] -= 1
            if _threads["sessions"] == 0:
                torch.set_num_threads(_threads["before"])


# Most threads n_threads="auto" takes. Only 1 and 2 threads were measured
# (docs/benchmarks.md): 4 is a guess that these small networks gain no more.
AUTO_MAX_THREADS = 4


def resolve_threads(n_threads):
    """The thread count ``n_threads`` stands for: an int, None, or "auto".

    "auto" takes the cores this process may run on, at most torch's current
    setting (which joblib's workers and ``OMP_NUM_THREADS`` lower) and at
    most ``AUTO_MAX_THREADS``.
    """
    if n_threads != "auto":
        return n_threads
    if hasattr(os, "sched_getaffinity"):
        cores = len(os.sched_getaffinity(0))
    else:  # macOS, Windows
        cores = os.cpu_count() or 1
    return max(1, min(cores, torch.get_num_threads(), AUTO_MAX_THREADS))


@contextmanager
def torch_session(seed, device, n_threads):
    """Give skgan's torch work in the block its own seeded random generator.

    Within the block, every random draw skgan makes in this thread comes from
    a ``torch.Generator`` on ``device`` seeded with ``seed`` (see
    :mod:`skgan._random`), and torch runs on ``n_threads`` threads: an int,
    None (torch's setting is kept) or "auto" (see :func:`resolve_threads`).
    torch's global random state is not touched, so fits in parallel threads
    neither race on it nor change the caller's; the thread count is
    restored when the last overlapping session ends.

    Yields
    ------
    generator : torch.Generator
    """
    generator = torch.Generator(device=torch.device(device)).manual_seed(int(seed))
    with (
        thread_count(resolve_threads(n_threads)),
        drawing_from(generator),
    ):
        yield generator
