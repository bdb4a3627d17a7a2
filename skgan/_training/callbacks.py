"""Early stopping on how realistic samples are, not on the adversarial losses."""

import copy
from contextlib import contextmanager

import numpy as np
from skorch.callbacks import Callback

from .._encoding.columns import to_frame
from .._encoding.image import as_rows
from .._random import torch_session
from ..metrics import fidelity_score

# Sample at least this many rows to score, so that the synthetic side's
# sampling noise stays small next to a small set of real rows.
MIN_SCORE_SAMPLES = 2000
_CLASS_COLUMN = "__class__"


def labelled_fidelity(
    real,
    synthetic,
    real_labels=None,
    synthetic_labels=None,
    categorical_features="auto",
):
    """:func:`skgan.metrics.fidelity_score`, with the class as one more column.

    Scoring the label with the features makes class conditioning count: a
    generator that draws the right rows for the wrong class loses the pair
    trends between the class and every feature.
    """
    # Images are scored as tables of pixels.
    real, synthetic = to_frame(as_rows(real)), to_frame(as_rows(synthetic))
    if real_labels is not None:
        real = real.assign(**{_CLASS_COLUMN: np.asarray(real_labels, dtype=object)})
        synthetic = synthetic.assign(
            **{_CLASS_COLUMN: np.asarray(synthetic_labels, dtype=object)}
        )
        if np.asarray(categorical_features).dtype == bool:
            categorical_features = np.append(categorical_features, True)
    return fidelity_score(real, synthetic, categorical_features=categorical_features)


class FidelityEarlyStopping(Callback):
    """Stop training when samples stop getting more realistic; keep the best.

    Adversarial losses do not say when samples stop improving. Every
    ``every`` epochs this skorch callback draws samples from the generator
    (its averaged weights, when :class:`GANNet` averages them), scores them
    against held-out real rows with :func:`skgan.metrics.fidelity_score`,
    records the score in the net's history under ``name``, and stops
    training once ``patience`` scorings in a row fail to beat the best score
    by more than ``threshold``. The generator then gets back the weights that
    scored best. The last epoch is always scored.

    Scoring draws its noise from its own seeded random stream, so training
    takes the same path with and without this callback.

    ``GANSampler(early_stopping=True)`` adds it with a held-out slice of the
    training data; add it yourself through ``callbacks=`` to choose the
    validation rows and the schedule.

    Parameters
    ----------
    X_valid : DataFrame or array-like of shape (n_rows, n_features)
        Real rows not used for training, with the training data's columns.
    y_valid : array-like of shape (n_rows,), default=None
        Their classes; required for a class-conditional net. Samples are
        drawn with the classes in these proportions, and the class is scored
        as one more column.
    every : int, default=1
        Score after every ``every``-th epoch.
    patience : int, default=5
        Scorings without improvement before training stops.
    threshold : float, default=0.0
        Least gain over the best score that counts as an improvement.
    n_samples : int, default=None
        Rows to generate per scoring; None takes ``max(len(X_valid), 2000)``.
    load_best : bool, default=True
        End training with the generator weights that scored best.
    categorical_features : "auto" or array-like, default="auto"
        Numeric columns to score as categories; see
        :func:`skgan.metrics.column_shapes`.
    random_state : int, default=0
        Seeds the samples drawn for scoring.
    name : str, default="fidelity"
        History column of the scores; ``name + "_best"`` marks improvements.

    Attributes
    ----------
    best_score_ : float
        Highest score seen.
    best_epoch_ : int
        Epoch (counting from 1) of the best score.
    stopped_epoch_ : int or None
        Epoch at which training was stopped early; None if it ran to the end.

    Examples
    --------
    >>> from sklearn.datasets import load_iris
    >>> from skgan import FidelityEarlyStopping, GANSampler
    >>> X, y = load_iris(return_X_y=True)
    >>> stopper = FidelityEarlyStopping(X[1::2], y[1::2], every=10, patience=3)
    >>> gan = GANSampler(epochs=50, callbacks=[stopper], random_state=0)
    >>> gan = gan.fit(X[::2], y[::2])
    >>> scores = gan.history_[:, "fidelity"]  # scored every 10 epochs
    >>> len(scores) <= 5 and all(0 < score <= 1 for score in scores)
    True
    """

    def __init__(
        self,
        X_valid,
        y_valid=None,
        *,
        every=1,
        patience=5,
        threshold=0.0,
        n_samples=None,
        load_best=True,
        categorical_features="auto",
        random_state=0,
        name="fidelity",
    ):
        self.X_valid = X_valid
        self.y_valid = y_valid
        self.every = every
        self.patience = patience
        self.threshold = threshold
        self.n_samples = n_samples
        self.load_best = load_best
        self.categorical_features = categorical_features
        self.random_state = random_state
        self.name = name

    @property
    def _sparse_history_keys(self):
        # Written on scored epochs only; PrintLog leaves the column blank
        # on the others instead of shifting the row.
        return (self.name,)

    def set_sampling(self, sample):
        """Take the function that draws decoded rows from the net.

        ``GANSampler`` calls this on its copy of the callback at ``fit``:
        the net generates encoded rows only, and ``sample(net, n_rows,
        labels)`` decodes them as ``GANSampler.sample`` would (``labels``:
        the class of each row, or None for an unconditional net).
        """
        self.sampling_ = sample
        return self

    def _check(self, net):
        if self.every < 1 or self.patience < 1:
            raise ValueError(
                f"every and patience must be at least 1; got every={self.every}, "
                f"patience={self.patience}."
            )
        if getattr(self, "sampling_", None) is None:
            raise ValueError(
                "FidelityEarlyStopping scores decoded samples, which a GANNet "
                "alone does not make: pass it to GANSampler(callbacks=[...])."
            )
        conditional = net.n_classes > 0
        if conditional and self.y_valid is None:
            raise ValueError(
                "The net is class-conditional: give FidelityEarlyStopping the "
                "classes of the validation rows as y_valid."
            )
        if not conditional and self.y_valid is not None:
            raise ValueError(
                "y_valid was given, but the net is not class-conditional; leave "
                "y_valid out or fit with class labels."
            )

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self._check(net)
        n_real = len(self.X_valid)
        self.n_samples_ = self.n_samples or max(n_real, MIN_SCORE_SAMPLES)
        self.labels_ = None
        if self.y_valid is not None:
            self.labels_ = np.resize(np.asarray(self.y_valid), self.n_samples_)
        self.best_score_ = -np.inf
        self.best_epoch_ = None
        self.stopped_epoch_ = None
        self.best_weights_ = None
        self.misses_ = 0

    def score(self, net):
        """Fidelity of fresh samples from the (averaged) generator.

        Returns the score, and a copy of the weights that produced it when
        ``load_best`` is set (None otherwise).
        """
        device = next(net.module_.parameters()).device
        with (
            torch_session(self.random_state, device, None),
            net.averaged_generator() as generator,
        ):
            synthetic = self.sampling_(net, self.n_samples_, self.labels_)
            weights = copy.deepcopy(generator.state_dict()) if self.load_best else None
        score = labelled_fidelity(
            self.X_valid,
            synthetic,
            self.y_valid,
            self.labels_,
            self.categorical_features,
        )
        return score, weights

    def on_epoch_end(self, net, **kwargs):
        epoch = len(net.history)
        if epoch % self.every and epoch != net.max_epochs:
            return
        score, weights = self.score(net)
        improved = score > self.best_score_ + self.threshold
        net.history.record(self.name, score)
        net.history.record(f"{self.name}_best", bool(improved))
        if improved:
            self.best_score_, self.best_epoch_, self.misses_ = score, epoch, 0
            self.best_weights_ = weights if self.load_best else None
            return
        self.misses_ += 1
        if self.misses_ >= self.patience:
            self.stopped_epoch_ = epoch
            if net.verbose:
                print(
                    f"Stopping: {self.name} has not improved for {self.misses_} "
                    f"scorings; the best, {self.best_score_:.4f}, was at epoch "
                    f"{self.best_epoch_}."
                )
            raise KeyboardInterrupt

    def on_train_end(self, net, **kwargs):
        # Runs after GANNet loaded its averaged weights, so the best replace them.
        if self.load_best and self.best_weights_ is not None:
            net.module_.load_state_dict(self.best_weights_)
            self.best_weights_ = None


class EpochProgressBar(Callback):
    """A progress bar over a fit's epochs: epochs done, time left, latest losses.

    skorch's ``ProgressBar`` counts the batches of one epoch; a GAN fit on a
    small table runs hundreds of one-batch epochs, so this bar counts epochs
    instead. It is drawn with tqdm (which skorch installs) on standard error.
    A :class:`GANSampler` holding this callback also draws a bar of rows
    while ``sample`` or ``fit_resample`` generate 100,000 rows or more.

    Parameters
    ----------
    file : file object or None, default=None
        Where to draw; None is standard error.
    leave : bool, default=True
        Keep the finished bar on screen.

    Examples
    --------
    >>> import numpy as np, io
    >>> from skgan import EpochProgressBar, GANSampler
    >>> X = np.random.default_rng(0).normal(size=(60, 2))
    >>> screen = io.StringIO()
    >>> gan = GANSampler(epochs=3, callbacks=[EpochProgressBar(file=screen)])
    >>> _ = gan.fit(X)
    >>> "3/3" in screen.getvalue()
    True
    """

    # Fewer rows take a second or two to generate: no bar needed.
    _MIN_ROWS = 100_000

    def __init__(self, file=None, leave=True):
        self.file = file
        self.leave = leave

    def __deepcopy__(self, memo):
        # GANSampler copies its callbacks at fit: the copy must draw where
        # this one was told to, not into a copy of the file.
        return type(self)(file=self.file, leave=self.leave)

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        from tqdm.auto import tqdm

        self.bar_ = tqdm(
            total=net.max_epochs, unit="epoch", file=self.file, leave=self.leave,
            dynamic_ncols=True,
        )  # fmt: skip

    def on_epoch_end(self, net, **kwargs):
        bar = getattr(self, "bar_", None)
        if bar is None:
            return
        last = net.history[-1]
        losses = {k: f"{last[k]:.3g}" for k in ("d_loss", "g_loss") if k in last}
        bar.set_postfix(losses, refresh=False)
        bar.update(1)

    def on_train_end(self, net, X=None, y=None, **kwargs):
        # Early stopping or Ctrl-C end a fit early: close the bar either way.
        bar = getattr(self, "bar_", None)
        if bar is not None:
            bar.close()
        self.bar_ = None  # tqdm objects do not pickle


def _unnamed(callbacks):
    """The callbacks of a list of callbacks or ``(name, callback)`` pairs."""
    return [c[1] if isinstance(c, tuple) else c for c in callbacks or ()]


@contextmanager
def counting_rows(callbacks, n_rows):
    """Count generated rows on a bar if ``callbacks`` hold an EpochProgressBar.

    Yields a function that takes the number of rows just generated. The bar
    is drawn where the first :class:`EpochProgressBar` of ``callbacks`` (a
    list of callbacks or of ``(name, callback)`` pairs, or None) draws, and
    only for ``n_rows`` of at least its ``_MIN_ROWS``.
    """
    bars = [bar for bar in _unnamed(callbacks) if isinstance(bar, EpochProgressBar)]
    if not bars or n_rows < bars[0]._MIN_ROWS:
        yield lambda n: None
        return
    from tqdm.auto import tqdm

    bar = tqdm(
        total=n_rows, unit="row", unit_scale=True, desc="generating",
        file=bars[0].file, leave=bars[0].leave, dynamic_ncols=True,
    )  # fmt: skip
    try:
        yield bar.update
    finally:
        bar.close()


def prepare_callbacks(callbacks, sampling):
    """Copies of the user's ``callbacks``, those that sample given ``sampling``.

    Copied so that a fit never changes the objects the user passed in.
    """
    copies = list(copy.deepcopy(callbacks) or [])
    for callback in _unnamed(copies):
        if isinstance(callback, FidelityEarlyStopping):
            callback.set_sampling(sampling)
    return copies
