"""Time one small GANSampler grid search serially, on loky processes and on dask.

The search: ``GridSearchCV`` over 4 learning rates (the same for generator and
discriminator) x 2-fold stratified CV = 8 fits of equal cost, each scored with
``GANSampler.score``; ``refit=False``, so exactly those 8 fits are timed. The
table: scikit-learn's bundled breast-cancer set (569 rows, 30 numeric columns,
2 classes). Each fit trains small networks for 100 epochs of 3 batches (about
a second on one core). ``n_modes=1`` skips the encoder's Gaussian-mixture fits,
so that the timings are about training and the parallel backends.

Setups, all on this machine (``<w>``: ``--workers``, ``<c>``: CPU cores):

- ``serial``: ``n_jobs=1``, torch on 1 thread (``n_threads=1``, the default);
- ``serial, n_threads=<c>``: ``n_jobs=1``, torch on every core;
- ``loky``: ``n_jobs=<w>``, joblib's default process pool, ``n_threads=1``;
- ``dask LocalCluster``: ``<w>`` single-threaded worker processes,
  ``joblib.parallel_config(backend="dask")``, ``n_threads=1`` (starting the
  cluster is not timed);
- ``loky, n_threads=None``: torch keeps its own thread count in each worker;
- ``loky, n_threads=<c>``: every worker runs torch on every core, the
  oversubscription that ``n_threads=1`` avoids. It is very slow, so it runs
  once, in the first repeat only.

Each setup runs ``--repeats`` times, interleaved with the others so that a
change in the machine's load hits all of them alike. The table gives the
median, min and max wall time, the speed-up of the median over ``serial``,
``torch_threads`` (torch's thread count inside a worker of that setup, measured
there) and ``load_avg`` (the median 1-minute load average before the runs: on
a shared machine, other people's jobs slow everything down). Worker pools are
started and warmed up (one search of 1-epoch fits) before timing. Requires
``dask[distributed]`` (``pip install -e ".[dask]"``). Run::

    python benchmarks/parallel_grid.py [--workers 2] [--repeats 3] \\
        [--out benchmarks/results/parallel_grid.csv]
"""

import argparse
import os
import platform
import statistics
import time

import joblib
import pandas as pd
import torch
from distributed import Client, LocalCluster
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skgan import GANSampler

LEARNING_RATES = (1e-4, 2e-4, 5e-4, 1e-3)
SAMPLER = {
    "latent_dim": 16,
    "generator_layers": (64, 64),
    "discriminator_layers": (64, 64),
    "batch_size": 100,
    "n_modes": 1,
    "epochs": 100,
    "random_state": 0,
}


def grid_search(n_jobs, n_threads):
    return GridSearchCV(
        GANSampler(n_threads=n_threads, **SAMPLER),
        [{"generator_lr": [lr], "discriminator_lr": [lr]} for lr in LEARNING_RATES],
        cv=StratifiedKFold(2, shuffle=True, random_state=0),
        refit=False,
        n_jobs=n_jobs,
    )


def torch_threads(n_threads):
    """The number of threads a fit with this ``n_threads`` gets where this runs."""
    return torch.get_num_threads() if n_threads is None else n_threads


def threads_in_workers(backend, n_jobs, n_threads, n_calls):
    """Run ``torch_threads`` through the backend, as the fits will be run."""
    if n_jobs == 1:
        return torch_threads(n_threads)
    with joblib.parallel_config(backend=backend):
        counts = joblib.Parallel(n_jobs=n_jobs)(
            joblib.delayed(torch_threads)(n_threads) for _ in range(n_calls)
        )
    return max(counts)


def markdown(frame):
    cells = [[f"{v:.2f}" if isinstance(v, float) else str(v) for v in row]
             for row in frame.itertuples(index=False)]  # fmt: skip
    lines = [list(frame.columns), ["---"] * frame.shape[1], *cells]
    return "\n".join("| " + " | ".join(line) + " |" for line in lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", default="benchmarks/results/parallel_grid.csv")
    args = parser.parse_args()
    cores, workers = os.cpu_count(), args.workers
    X, y = load_breast_cancer(return_X_y=True)
    n_fits = len(LEARNING_RATES) * 2

    # name: (joblib backend, n_jobs, n_threads)
    setups = {
        "serial": ("sequential", 1, 1),
        f"serial, n_threads={cores}": ("sequential", 1, cores),
        "loky": ("loky", workers, 1),
        "dask LocalCluster": ("dask", None, 1),
        "loky, n_threads=None": ("loky", workers, None),
        f"loky, n_threads={cores}": ("loky", workers, cores),
    }
    oversubscribed = f"loky, n_threads={cores}"
    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",
        ) as cluster,
        Client(cluster) as client,
    ):
        client.wait_for_workers(workers)
        print(f"dask cluster of {workers} workers up in", end=" ")
        print(f"{time.perf_counter() - start:.1f} s", flush=True)
        threads = {}
        for name, (backend, n_jobs, n_threads) in setups.items():
            threads[name] = threads_in_workers(backend, n_jobs, n_threads, 2 * workers)
            # Warm-up, not timed: start loky's workers, import skgan in them.
            with joblib.parallel_config(backend=backend):
                grid_search(n_jobs, n_threads).set_params(estimator__epochs=1).fit(X, y)

        times = {name: [] for name in setups}
        loads = {name: [] for name in setups}
        for repeat in range(args.repeats):
            for name, (backend, n_jobs, n_threads) in setups.items():
                if repeat and name == oversubscribed:
                    continue  # once is enough to make the point, and it is slow
                search = grid_search(n_jobs, n_threads)
                loads[name].append(os.getloadavg()[0])
                tic = time.perf_counter()
                with joblib.parallel_config(backend=backend):
                    search.fit(X, y)
                times[name].append(time.perf_counter() - tic)
                print(
                    f"repeat {repeat + 1}: {name:<28} {times[name][-1]:6.1f} s "
                    f"(load average before: {loads[name][-1]:.1f})",
                    flush=True,
                )

    serial = statistics.median(times["serial"])
    rows = [
        {
            "setup": name,
            "n_jobs": n_jobs or f"{workers} dask workers",
            "n_threads": str(n_threads),
            "torch_threads": threads[name],
            "fits": n_fits,
            "repeats": len(times[name]),
            "median_s": statistics.median(times[name]),
            "min_s": min(times[name]),
            "max_s": max(times[name]),
            "speedup": serial / statistics.median(times[name]),
            "load_avg": statistics.median(loads[name]),
        }
        for name, (_, n_jobs, n_threads) in setups.items()
    ]
    result = pd.DataFrame(rows)
    result.to_csv(args.out, index=False, float_format="%.2f")
    print(
        f"\n{n_fits} fits, {cores} cores, {platform.processor() or platform.machine()}"
        f", torch {torch.__version__}, total {time.perf_counter() - start:.0f} s\n"
    )
    print(markdown(result.drop(columns=["fits"])))


if __name__ == "__main__":
    main()
