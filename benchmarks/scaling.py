"""How fit time and memory grow with rows: GANSampler on up to 1,000,000 rows.

A 20-column mixed table is generated here (no download): 8 numeric columns
(multimodal, skewed and correlated, one with 5% missing), 2 integer counts, 2
booleans and 8 categorical columns of 2 to 40 levels that depend on the
numbers. For each row count, a fresh process fits ``GANSampler`` with one
epoch (``epochs=1``, so every row is seen once, in ``rows / 500`` steps) and
reports:

- ``fit_s``: the whole ``fit``, encoder included;
- ``encode_s``: ``TabularEncoder`` fit and transform alone, timed first in
  the same process;
- ``epoch_s``: the training epoch (skorch's ``dur``);
- ``us_per_row``: ``epoch_s`` per row, which stays flat when an epoch grows
  linearly in rows;
- ``sample_s``: ``sample(1_000_000)`` (generated and decoded in chunks);
- ``peak_mb``: the process's peak resident memory.

Run from the repository root::

    python benchmarks/scaling.py [--rows 10000 100000 1000000] \\
        [--out benchmarks/results/scaling]
"""

import argparse
import platform
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
import pandas as pd
from defaults import markdown_table
from fidelity import resource_cores

ROWS = (10_000, 30_000, 100_000, 300_000, 1_000_000)
SAMPLES = 1_000_000


def mixed_table(n_rows, seed=0):
    """A 20-column table: modes, skew, correlation, missing values, categories."""
    rng = np.random.default_rng(seed)
    latent = rng.standard_normal((n_rows, 3))
    numbers = {
        "bimodal": np.where(latent[:, 0] > 0, 3.0, -2.0) + 0.5 * latent[:, 1],
        "skewed": np.exp(0.8 * latent[:, 1]),
        "linear": 2.0 * latent[:, 0] + 0.3 * rng.standard_normal(n_rows),
        "ratio": latent[:, 2] / (1.0 + np.abs(latent[:, 0])),
        "uniform": rng.uniform(0, 100, n_rows),
        "income": np.round(np.exp(10 + 0.5 * latent[:, 2]), 2),
        "trimodal": rng.choice([-5.0, 0.0, 5.0], n_rows) + 0.3 * latent[:, 1],
        "with_missing": latent[:, 1] * 10,
    }
    frame = pd.DataFrame(numbers)
    frame.loc[rng.random(n_rows) < 0.05, "with_missing"] = np.nan
    frame["count"] = rng.poisson(np.exp(1 + 0.5 * latent[:, 0]))
    frame["age"] = np.clip(np.round(40 + 12 * latent[:, 2]), 18, 90).astype(int)
    frame["flag"] = latent[:, 0] + rng.standard_normal(n_rows) > 0
    frame["active"] = rng.random(n_rows) < 0.3
    for i, levels in enumerate((2, 3, 5, 8, 12, 20, 30, 40)):
        # Categories follow one of the latent factors, plus noise.
        score = latent[:, i % 3] + 0.7 * rng.standard_normal(n_rows)
        codes = np.clip(((score + 2.5) / 5 * levels).astype(int), 0, levels - 1)
        frame[f"cat{levels}"] = pd.Categorical.from_codes(
            codes, [f"c{j}" for j in range(levels)]
        )
    return frame


def fit_and_sample(n_rows, seed):
    """Runs in a fresh process: time the encoder, one epoch and a large sample."""
    from skgan import GANSampler, TabularEncoder

    table = mixed_table(n_rows, seed)
    start = time.perf_counter()
    TabularEncoder(random_state=seed).fit(table).transform(table)
    encode_s = time.perf_counter() - start
    gan = GANSampler(epochs=1, random_state=seed)
    start = time.perf_counter()
    gan.fit(table)
    fit_s = time.perf_counter() - start
    epoch_s = float(gan.history_[-1, "dur"])
    start = time.perf_counter()
    synthetic = gan.sample(SAMPLES)
    sample_s = time.perf_counter() - start
    assert synthetic.shape == (SAMPLES, table.shape[1])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows": n_rows,
        "fit_s": fit_s,
        "encode_s": encode_s,
        "epoch_s": epoch_s,
        "us_per_row": 1e6 * epoch_s / n_rows,
        "sample_s": sample_s,
        "peak_mb": peak_mb,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", nargs="+", type=int, default=list(ROWS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", default=None, help="path prefix for .csv and .md")
    args = parser.parse_args()
    results = []
    for n_rows in args.rows:
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
            results.append(pool.submit(fit_and_sample, n_rows, args.seed).result())
        print(pd.DataFrame(results[-1:]).round(3).to_string(header=False), flush=True)
    result = pd.DataFrame(results)
    machine = (
        f"{platform.processor() or platform.machine()}, {resource_cores()} cores, "
        f"Python {sys.version.split()[0]}"
    )
    text = (
        f"`python benchmarks/scaling.py {' '.join(sys.argv[1:])}` on {machine}\n\n"
        + markdown_table(result)
    )
    if args.out:
        result.to_csv(f"{args.out}.csv", index=False)
        with open(f"{args.out}.md", "w") as handle:
            handle.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
