"""Grid searches over GANSampler on a real dask cluster, through joblib's dask backend.

A module fixture starts a ``distributed.LocalCluster`` of two single-threaded
worker *processes* and connects a ``Client``; one test (one, so that
pytest-xdist does not start a cluster per test) runs two ``GridSearchCV``
inside ``joblib.parallel_config(backend="dask")`` and checks that

- every fit ran as a task on the cluster's workers, both of which took a
  share: the scheduler's task stream recorded one task per fit, and the
  workers' own counters of executed tasks add up to the same number;
- every candidate got a finite score, and for the sampler alone (scored by
  ``GANSampler.score``) the search picks the longer training over one epoch;
- an imblearn ``Pipeline`` searched over ``gan__epochs`` with ``scoring="f1"``
  also runs there, scores every candidate, and gets the same scores as the
  same search run serially in the test process.

scikit-learn passes the caller's warning filters on to the workers, so under
this project's ``filterwarnings = error`` a warning inside any fit on the
cluster fails that fit, and the test.

It does not check multi-machine clusters, GPUs (``device="cuda"``), speed-ups
or thread counts on the workers; ``benchmarks/parallel_grid.py`` measures
speed, and ``docs/distributed.md`` describes those setups. The module takes
about 10 s on two idle cores (20 s on busy ones), much of it starting and
stopping the cluster and importing torch in its workers. It is skipped when
``distributed`` is not installed.
"""

import joblib
import numpy as np
import pytest
from _settings import SMALL
from imblearn.pipeline import Pipeline
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold

from skgan import GANSampler

distributed = pytest.importorskip("distributed")

N_WORKERS = 2


@pytest.fixture(scope="module")
def client():
    # Worker processes, one thread each (GANSampler's n_threads=1 keeps torch
    # to one thread too). The scheduler and its HTTP server take free ports,
    # so that xdist workers (or anyone else on the machine) can run clusters
    # side by side: dashboard_address=None would turn the dashboard off but
    # still bind the HTTP server to 8787, and warn when that port is taken.
    with (
        distributed.LocalCluster(
            n_workers=N_WORKERS,
            threads_per_worker=1,
            processes=True,
            scheduler_port=0,
            dashboard_address=":0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.wait_for_workers(N_WORKERS, timeout=60)
        yield client


def _executed_per_worker(client):
    return client.run(lambda dask_worker: dask_worker.state.executed_count)


def _search_on_cluster(client, search, X, y):
    """Fit ``search`` through the dask backend; return the tasks the scheduler saw."""
    workers = set(client.scheduler_info()["workers"])
    before = _executed_per_worker(client)
    with (
        distributed.get_task_stream(client=client) as stream,
        joblib.parallel_config(backend="dask"),
    ):
        search.fit(X, y)
    after = _executed_per_worker(client)
    executed = {worker: after[worker] - before[worker] for worker in after}
    tasks = stream.data

    # One task per fit: joblib sends its first 2 * n_jobs calls (n_jobs being
    # the cluster's 2 threads) one per task, and these grids have 4 fits.
    n_fits = len(search.cv_results_["params"]) * search.n_splits_
    assert len(tasks) == n_fits, [task["key"] for task in tasks]
    assert all(task["status"] == "OK" for task in tasks), tasks
    assert {task["worker"] for task in tasks} <= workers
    # The workers themselves counted the same tasks as the scheduler.
    assert sum(executed.values()) == n_fits, executed
    return tasks


def test_grid_searches_run_on_the_cluster(client, iris):
    # One test, not two: pytest-xdist would send two tests of this module to
    # two processes, and each would start (and pay for) a cluster of its own.
    X, y = iris
    cv = StratifiedKFold(2, shuffle=True, random_state=0)

    # The sampler alone, scored by GANSampler.score (higher is better).
    search = GridSearchCV(
        GANSampler(**SMALL),
        {"epochs": [1, 500]},
        cv=cv,
        refit=False,  # refitting would train once more, in this process
    )
    tasks = _search_on_cluster(client, search, X, y)
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores).all(), scores
    assert np.isfinite(search.cv_results_["std_test_score"]).all()
    # One epoch barely moves the generator (about 0.61 here); 500 epochs reach
    # about 0.87.
    assert search.best_params_ == {"epochs": 500}, scores
    assert scores[1] > scores[0] + 0.03, scores
    # Four fits on two idle single-threaded workers: both took a share.
    assert {task["worker"] for task in tasks} == set(client.scheduler_info()["workers"])

    # An imblearn Pipeline searched over the sampler's step, scored by F1.
    y_rare = (y == "virginica").astype(int)  # one class in three: to oversample
    pipeline = Pipeline([("gan", GANSampler(**SMALL)), ("clf", LogisticRegression())])
    search = GridSearchCV(
        pipeline, {"gan__epochs": [1, 50]}, scoring="f1", cv=cv, refit=False
    )
    _search_on_cluster(client, search, X, y_rare)
    scores = search.cv_results_["mean_test_score"]
    assert np.isfinite(scores).all(), scores
    assert (scores > 0).all(), scores  # each fold found some of the rare class
    # With an int random_state each fit seeds itself, so the cluster's worker
    # processes compute what a serial search in this process computes.
    serial = clone(search).fit(X, y_rare)
    for split in ("split0_test_score", "split1_test_score"):
        np.testing.assert_allclose(
            search.cv_results_[split], serial.cv_results_[split], rtol=1e-9
        )
