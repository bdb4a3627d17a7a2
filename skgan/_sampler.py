"""GANSampler: a GAN that is a scikit-learn estimator and an imblearn sampler.

Data flows one way through a fit: the caller's ``X`` is checked by its data
kind (``_kinds``), the parameters are validated (``_params``) and resolved
into one configuration (``_plan``), the kind's encoder turns rows into a
tensor and the net is assembled from the configuration (``_assembly``),
and the net (``_training``) trains on encoded rows. Sampling runs back: the
net generates encoded rows, the encoder decodes them into the caller's
container (``_generation``), and ``fit_resample`` keeps the candidates
nearest their class (``_oversampling``). This module is the estimator's
face: parameters, validation, and that order of calls.
"""

import functools

import numpy as np
import pandas as pd
import torch
from imblearn.over_sampling.base import BaseOverSampler
from imblearn.utils import check_sampling_strategy, check_target_type
from sklearn.base import _fit_context
from sklearn.utils import check_consistent_length, check_random_state
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from ._assembly import assemble_net, fit_encoder
from ._encoding.columns import categorical_columns
from ._generation import (
    check_labels,
    check_request,
    fit_classes,
    generate_rows,
    requested_classes,
    sample_labelled,
)
from ._io.model_file import save_sampler
from ._kinds import data_kind
from ._oversampling import OversamplingMixin
from ._params import PARAMETER_CONSTRAINTS, NetworkParamsMixin, check_fit
from ._plan import FitConfig
from ._random import torch_session
from ._training.callbacks import (
    MIN_SCORE_SAMPLES,
    counting_rows,
    labelled_fidelity,
    prepare_callbacks,
)
from ._training.early_stopping import hold_out, train_stopping_early

_SEED_BOUND = np.iinfo(np.int32).max


class GANSampler(NetworkParamsMixin, OversamplingMixin, BaseOverSampler):
    """Generate realistic rows with a (class-conditional) GAN; oversample rare classes.

    ``fit`` trains a generator and a discriminator with skorch, conditioned on
    the class label when ``y`` is given. ``sample`` draws new rows, of a chosen
    class if wanted, in the container and dtypes of the training data.
    ``fit_resample`` adds synthetic rows to the classes chosen by
    ``sampling_strategy``, so the sampler balances training sets inside an
    :class:`imblearn.pipeline.Pipeline`.

    Tables may mix numeric, integer, boolean, categorical and string columns
    and contain missing values: see :class:`TabularEncoder` for the encoding.

    Parameters
    ----------
    {sampling_strategy}
    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, training batches and sampling. With an
        int, ``sample`` returns the same rows on every call, and fitting and
        sampling are bit-for-bit reproducible on the same machine with the
        same library versions and ``n_threads``. On another processor they
        agree up to floating-point rounding, which training can amplify into
        visibly different samples and scores. The caller's global numpy and
        torch random states are not touched.
    loss : {{"auto", "wgan-gp", "bce", "hinge"}}, default="auto"
        Adversarial loss: the non-saturating loss of the original GAN, the
        Wasserstein loss with gradient penalty, or the hinge loss.
        ``"auto"``: ``"wgan-gp"`` for tables, ``"hinge"`` for images.
    latent_dim : int, default=128
        Size of the noise vector fed to the generator.
    generator_layers : tuple of int, default=(128, 128)
        Width of the generator's residual blocks.
    discriminator_layers : tuple of int, default=(128, 128)
        Width of the discriminator's hidden layers.
    pac : int or "auto", default="auto"
        Rows the discriminator judges together (PacGAN), against mode
        collapse; the batch size is rounded down to a multiple of it.
        ``"auto"``: 2 for tables, 1 for images. Larger packs are cheaper but
        hide how the columns of one row relate.
    epochs : int or "auto", default="auto"
        Passes over the data. ``"auto"`` makes 500 passes over a table fitted
        without labels (125 with labels, as in ``fit_resample``, and over
        images), but draws at least 250,000 rows (500,000 images) and takes
        at most 5000 generator steps. Without labels: 926 epochs of one
        batch for 270 rows, 500 for 1,000 or 2,000 rows, 250 for 10,000 rows
        and 3 for 1,000,000 rows.
    batch_size : int or "auto", default="auto"
        Rows per discriminator step, capped at the number of training rows.
        ``"auto"``: 500 for tables, 128 for images.
    generator_lr, discriminator_lr : float or "auto", default="auto"
        Adam learning rates. ``"auto"``: 1e-3 for tables, 2e-4 for images.
    betas : tuple of float, default=(0.5, 0.9)
        Adam's ``(beta1, beta2)`` for both optimizers.
    discriminator_steps : int, default=1
        Discriminator updates per generator update.
    gp_weight : float, default=10.0
        Weight of the gradient penalty; used by ``loss="wgan-gp"`` only.
    classifier_weight : float or "auto", default="auto"
        Weight of an auxiliary classifier's loss in the generator's loss, for
        a conditional model: a small classifier (``classifier__*`` parameters)
        learns the classes of real rows, and the generator is penalised when
        it cannot tell its rows' requested class, which keeps a rare class
        from drifting towards larger ones. 0 turns it off. ``"auto"``: 0.3
        for tables, 0 for images.
    generator_averaging : float, default=0.99
        Decay of the moving average of generator weights that ``sample``
        uses, which evens out the oscillation of adversarial training; 0
        samples from the last weights instead.
    conditional : bool or "auto", default="auto"
        Condition both networks on the class label. ``"auto"`` does so when
        ``y`` is given to ``fit``. Conditioning is hard: ``sample(n, y=c)``
        returns rows of class ``c`` only.
    categorical_features : "auto" or array-like, default="auto"
        Columns to treat as categories; see :class:`TabularEncoder`.
    numeric_encoding : {{"quantile", "modes"}}, default="quantile"
        How numeric columns are encoded (see :class:`TabularEncoder`): one
        normal score per value through the column's quantiles, or CTGAN's
        mode-specific normalisation, which kept pair trends far worse.
    n_modes : int or "auto", default="auto"
        Most Gaussian modes per numeric column with
        ``numeric_encoding="modes"``; see :class:`TabularEncoder`.
        ``"auto"``: 10.
    max_categories : int or None, default=500
        Most categories of a categorical column; the rarer values of a column
        with more (identifiers, say) share one, with a warning. See
        :class:`TabularEncoder`.
    device : str or torch.device, default="cpu"
        Where to train and sample, e.g. ``"cuda"``.
    n_threads : int, "auto" or None, default=1
        CPU threads of torch during ``fit`` and ``sample``, and of the
        encoder's mixtures; restored afterwards. ``"auto"``: the cores the
        process may use, up to 4 and up to torch's setting. Results depend
        on the thread count, so the default gives the same model for a
        ``random_state`` whatever the machine's core count (see the user
        guide on speed).
        ``None`` leaves torch's setting alone.
    verbose : int, default=0
        ``1`` prints each epoch's losses and duration (skorch's ``PrintLog``).
    callbacks : list of skorch callbacks or (name, callback) tuples, default=None
        Extra skorch callbacks, e.g. :class:`EpochProgressBar`,
        :class:`FidelityEarlyStopping`, ``Checkpoint(monitor=None)``. They are
        copied at ``fit``, so the objects passed in are not changed.
    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the rows (not trained on), score
        samples against them about 30 times (as :meth:`score` does), stop
        after ``n_iter_no_change`` scorings without improvement, and keep the
        generator that scored best. Scores are in ``history_[:, "fidelity"]``.
    validation_fraction : float, default=0.1
        Share of each class held out for early stopping. A class keeps all
        its rows when this share rounds down to none.
    n_iter_no_change : int, default=10
        Scorings without improvement before early stopping ends training.
    oversampling_candidates : int, default=100
        ``fit_resample`` draws this many candidates per row it adds; every
        real row gets its share of them, those nearest their class relative
        to other classes (see the oversampling guide). 1 keeps every draw.
    image_shape : tuple of int or None, default=None
        ``(H, W)`` or ``(C, H, W)`` of flat images: rows of ``C * H * W``
        pixels in channels-first order, so that images pass through
        pipelines as 2-D arrays. Arrays of shape ``(n, H, W)`` or
        ``(n, C, H, W)`` are recognised as images without it. Images come
        back in the shape, dtype and pixel range they went in.
    network : {{"auto", "mlp", "conv"}}, default="auto"
        ``"conv"``: DCGAN-style :class:`ConvGenerator` and
        :class:`ConvDiscriminator`; ``"mlp"``: :class:`Generator` and
        :class:`Discriminator` (tables, or images as rows of pixels).
        ``"auto"`` chooses ``"conv"`` for images and ``"mlp"`` for tables.
    generator, discriminator : nn.Module class or None, default=None
        Your own network classes in place of those ``network`` chooses; see
        the "customise the networks" page for what they receive and must
        return.
    **network_params
        ``generator__NAME``, ``discriminator__NAME`` and ``classifier__NAME``
        are passed to that network as ``NAME``, as in skorch, e.g.
        ``generator__channels=64``; ``set_params`` and grid searches reach
        them.

    Attributes
    ----------
    net_ : GANNet
        The trained skorch net; ``net_.module_`` is the generator and
        ``net_.discriminator_`` the discriminator.
    encoder_ : TabularEncoder or ImageScaler
        The fitted encoding of the table, or the pixel scaling of images.
    history_ : skorch.History
        Per-epoch ``d_loss``, ``g_loss`` and ``dur`` (seconds).
    classes_ : ndarray or None
        Class labels the model is conditioned on; None if unconditional.
    class_prior_ : ndarray or None
        Share of each class in the training data.
    batch_size_ : int
        Batch size used, after capping and rounding to a multiple of ``pac``.
    loss_, pac_, classifier_weight_ : str, int, float
        The settings used, after resolving ``"auto"``.
    n_modes_ : int or None
        The modes used by ``numeric_encoding="modes"``; None for images.
    generator_lr_, discriminator_lr_ : float
        The learning rates used, after resolving ``"auto"``.
    epochs_ : int
        Number of epochs that were scheduled; ``len(history_)`` were run.
    plan_ : Plan
        The training settings of the fit, resolved once (the values above).
    config_ : FitConfig
        Every setting of the fit, resolved once: the plan, the data kind,
        the thread count and the parameters the networks and encoder use.
    kind_ : TableKind or ImageKind
        The kind of data fitted, which checks, encodes and networks follow.
    best_validation_score_ : float or None
        With ``early_stopping``, the best score of samples against the
        validation rows; None otherwise.
    sampling_strategy_ : dict
        Number of rows to add per class, when fitted with ``y``.
    image_shape_ : tuple of int or None
        ``(C, H, W)`` of the training images; None for a table.
    n_features_in_ : int
        Number of columns seen in ``fit`` (pixels, for images).
    feature_names_in_ : ndarray
        Column names seen in ``fit``, when they are all strings.

    See Also
    --------
    TabularEncoder : The reversible encoding of mixed-type tables.
    imblearn.over_sampling.SMOTE : Interpolating oversampler.

    Examples
    --------
    >>> from collections import Counter
    >>> from sklearn.datasets import make_classification
    >>> from skgan import GANSampler
    >>> X, y = make_classification(n_samples=300, weights=[0.9], random_state=0)
    >>> gan = GANSampler(epochs=5, random_state=0)
    >>> X_res, y_res = gan.fit_resample(X, y)
    >>> sorted(Counter(y_res).items())
    [(np.int64(0), 269), (np.int64(1), 269)]
    >>> gan.sample(3, y=1).shape
    (3, 20)
    """

    _parameter_constraints: dict = {
        **BaseOverSampler._parameter_constraints,
        **PARAMETER_CONSTRAINTS,
    }

    def __init__(
        self,
        *,
        sampling_strategy="auto",
        random_state=None,
        loss="auto",
        latent_dim=128,
        generator_layers=(128, 128),
        discriminator_layers=(128, 128),
        pac="auto",
        epochs="auto",
        batch_size="auto",
        generator_lr="auto",
        discriminator_lr="auto",
        betas=(0.5, 0.9),
        discriminator_steps=1,
        gp_weight=10.0,
        classifier_weight="auto",
        generator_averaging=0.99,
        conditional="auto",
        categorical_features="auto",
        numeric_encoding="quantile",
        n_modes="auto",
        max_categories=500,
        device="cpu",
        n_threads=1,
        verbose=0,
        callbacks=None,
        early_stopping=False,
        validation_fraction=0.1,
        n_iter_no_change=10,
        oversampling_candidates=100,
        image_shape=None,
        network="auto",
        generator=None,
        discriminator=None,
        **network_params,
    ):
        super().__init__(sampling_strategy=sampling_strategy)
        self.random_state = random_state
        self.loss = loss
        self.latent_dim = latent_dim
        self.generator_layers = generator_layers
        self.discriminator_layers = discriminator_layers
        self.pac = pac
        self.epochs = epochs
        self.batch_size = batch_size
        self.generator_lr = generator_lr
        self.discriminator_lr = discriminator_lr
        self.betas = betas
        self.discriminator_steps = discriminator_steps
        self.gp_weight = gp_weight
        self.classifier_weight = classifier_weight
        self.generator_averaging = generator_averaging
        self.conditional = conditional
        self.categorical_features = categorical_features
        self.numeric_encoding = numeric_encoding
        self.n_modes = n_modes
        self.max_categories = max_categories
        self.device = device
        self.n_threads = n_threads
        self.verbose = verbose
        self.callbacks = callbacks
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.n_iter_no_change = n_iter_no_change
        self.oversampling_candidates = oversampling_candidates
        self.image_shape = image_shape
        self.network = network
        self.generator = generator
        self.discriminator = discriminator
        # Stored as given, checked in fit (scikit-learn's rule for __init__).
        for name, value in network_params.items():
            setattr(self, name, value)

    # -- validation -------------------------------------------------------

    def _check_input(self, X, *, reset):
        """Validate ``X`` through its data kind; keep its container and shape.

        Unlike the parent's, the check keeps DataFrames as they are (their
        column dtypes decide the encoding and come back in the output) and
        images in their shape (they come back in it).
        """
        if reset:
            self.kind_ = data_kind(X, self.image_shape)
            self.image_shape_ = self.kind_.image_shape
        data = self.kind_.check(X)
        validate_data(self, X=self.kind_.rows(data), reset=reset, skip_check_array=True)
        return data

    def _check_X_y(self, X, y, accept_sparse=None):
        # imblearn's fit_resample calls this; check_labels has run before.
        check_classification_targets(y)
        y, binarize_y = check_target_type(y, indicate_one_vs_all=True)
        X = self._check_input(X, reset=True)
        check_consistent_length(X, y)
        classes = pd.unique(y).tolist()
        if len(classes) == 1:
            raise ValueError(
                f"y holds one class only ({classes[0]!r}); a class-conditional "
                "GAN needs at least 2. Fit without y, fit(X), to model the table "
                "alone."
            )
        return X, y, binarize_y

    # -- fitting ------------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the generator and the discriminator on ``X`` (and ``y``).

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Training table; may mix types and contain missing values.
        y : array-like of shape (n_samples,), default=None
            Class labels of any type (strings, booleans, negative ints...),
            at least 2 classes; samples come back with the same type. With
            ``conditional="auto"`` (the default), giving ``y`` makes the
            model class-conditional. A class may have a single row: it is
            trained on, and sampled, like the others.

        Returns
        -------
        self : GANSampler
            The fitted sampler.

        Notes
        -----
        Interrupting training (Ctrl-C, or a callback raising
        ``KeyboardInterrupt``) ends it early, as in skorch, and leaves a
        usable model with what was learnt so far: ``len(history_)`` says how
        many epochs ran.
        """
        if y is None:
            X = self._check_input(X, reset=True)
        else:
            check_labels(y)
            X, y, _ = self._check_X_y(X, y)
            self.sampling_strategy_ = check_sampling_strategy(
                self.sampling_strategy, y, self._sampling_type
            )
        return self._fit(X, y)

    def _fit(self, X, y, resampling=False):
        """Configure, encode and train: ``X`` and ``y`` are validated."""
        labelled = check_fit(self.conditional, X.shape[0], y is not None, resampling)
        y = y if labelled else None
        random_state = check_random_state(self.random_state)
        encoder_seed, torch_seed = random_state.randint(_SEED_BOUND, size=2)
        if self.early_stopping:
            split_seed = int(random_state.randint(_SEED_BOUND))
            (X, y), validation = hold_out(X, y, self.validation_fraction, split_seed)
        self.config_ = config = FitConfig.resolve(
            self.get_params(deep=False), self.kind_, X.shape[0], labelled
        )
        self.plan_ = config.plan
        for name, value in config.plan.fitted_attributes().items():
            setattr(self, name, value)
        self.encoder_, encoded = fit_encoder(config, X, encoder_seed)
        device = torch.device(config.device)
        labels, self.classes_, self.class_prior_ = None, None, None
        if labelled:
            self.classes_, self.class_prior_, indices = fit_classes(y)
            labels = torch.as_tensor(indices, dtype=torch.long, device=device)
        n_classes = 0 if self.classes_ is None else len(self.classes_)
        # The net generates encoded rows; early stopping samples as sample() would.
        sampling = functools.partial(
            sample_labelled, encoder=self.encoder_, classes=self.classes_
        )
        callbacks = prepare_callbacks(self.callbacks, sampling)
        data = torch.as_tensor(encoded, dtype=torch.float32, device=device)
        self.best_validation_score_ = None
        # One session initialises and trains: the weights and the batches
        # draw from one seeded stream.
        with torch_session(torch_seed, device, config.n_threads):
            self.net_ = assemble_net(config, self.encoder_, n_classes, callbacks)
            if not self.early_stopping:
                self.net_.partial_fit(data, labels)
            else:
                self.best_validation_score_ = train_stopping_early(
                    self.net_, data, labels, validation, sampling, config,
                    categorical_columns(self.encoder_), split_seed,
                )  # fmt: skip
        self.history_ = self.net_.history_
        return self

    # -- generation -----------------------------------------------------------

    def _requested(self, n_samples, y, random_state):
        return requested_classes(
            self.classes_, self.class_prior_, n_samples, y, random_state
        )

    def _generate(self, label_indices, n_samples, random_state):
        """Generate and decode rows: the path behind sample, score, fit_resample."""
        seed = random_state.randint(_SEED_BOUND)
        with (
            torch_session(seed, self.device, self.n_threads),
            counting_rows(self.callbacks, n_samples) as count,
        ):
            return generate_rows(
                self.net_, self.encoder_, label_indices, n_samples, count
            )

    def sample(self, n_samples, *, y=None, return_y=False):
        """Generate new rows.

        Parameters
        ----------
        n_samples : int
            Number of rows to generate. 0 gives an empty table with the
            training data's columns and dtypes. Rows are generated and decoded
            in chunks of 16,384, so memory grows with the output alone.
        y : label or array-like of shape (n_samples,), default=None
            Class of the rows: one label for all, or one per row. Every row
            generated is of its requested class. None draws the classes from
            their share of the training data.
        return_y : bool, default=False
            Also return the class of each row.

        Returns
        -------
        X_new : DataFrame or ndarray of shape (n_samples, n_features_in_)
            In the container, columns and dtypes of the training data.
        y_new : ndarray of shape (n_samples,)
            The class of each row; only when ``return_y=True``.
        """
        check_is_fitted(self, "net_")
        check_request(n_samples, return_y, self.classes_)
        random_state = check_random_state(self.random_state)
        label_indices = self._requested(n_samples, y, random_state)
        X_new = self._generate(label_indices, n_samples, random_state)
        if return_y:
            return X_new, self.classes_[label_indices]
        return X_new

    def score(self, X, y=None):
        """How realistic samples are next to the real rows ``X``: higher is better.

        Draws ``max(len(X), 2000)`` rows and returns
        :func:`skgan.metrics.fidelity_score` between them and ``X``: the mean
        similarity of the column distributions and of the trends of the
        column pairs associated in ``X``, as SDMetrics' quality report weighs
        them. For a model fitted with labels, giving ``y`` draws each class as
        often as in ``y`` and scores the class as one more column, so that
        class conditioning counts. Samples are reproducible with an int
        ``random_state``: ``GridSearchCV`` compares settings on equal terms.

        Parameters
        ----------
        X : DataFrame or array-like of shape (n_samples, n_features)
            Real rows, ideally not used in ``fit``; same columns as in ``fit``.
        y : array-like of shape (n_samples,), default=None
            Their classes. Ignored by a model fitted without labels.

        Returns
        -------
        score : float
            Between 0 and 1; 1 means the samples' column distributions and
            pairwise trends match those of ``X`` exactly.

        Examples
        --------
        >>> from sklearn.datasets import load_iris
        >>> from skgan import GANSampler
        >>> X, y = load_iris(return_X_y=True)
        >>> short = GANSampler(epochs=1, random_state=0).fit(X, y)
        >>> longer = GANSampler(epochs=300, random_state=0).fit(X, y)
        >>> bool(longer.score(X, y) > short.score(X, y))
        True
        """
        check_is_fitted(self, "net_")
        X = self._check_input(X, reset=False)
        n_synthetic = max(X.shape[0], MIN_SCORE_SAMPLES)
        random_state = check_random_state(self.random_state)
        y = None if self.classes_ is None or y is None else np.asarray(y)
        labels = None if y is None else np.resize(y, n_synthetic)  # as often as in y
        check_consistent_length(X, y)
        synthetic = self._generate(
            self._requested(n_synthetic, labels, random_state), n_synthetic,
            random_state,
        )  # fmt: skip
        return labelled_fidelity(
            X, synthetic, y, labels, categorical_columns(self.encoder_)
        )

    def save(self, path):
        """Write the fitted sampler to a file that loads without unpickling code.

        The file holds the parameters and fitted state as JSON and the
        network weights as tensors; :func:`skgan.load` reads it back, on CPU
        by default, and refuses truncated, modified or incompatible files
        with a clear error. Callbacks are not stored (a warning says so).
        Pickling works too, but only ever unpickle files you trust.

        Parameters
        ----------
        path : str, path-like or binary file object
            Where to write; an existing file is replaced only once the new
            one is complete.

        Returns
        -------
        self : GANSampler
            The sampler, unchanged.

        Examples
        --------
        >>> import tempfile, os
        >>> from sklearn.datasets import load_iris
        >>> import skgan
        >>> X, y = load_iris(return_X_y=True)
        >>> gan = skgan.GANSampler(epochs=2, random_state=0).fit(X, y)
        >>> path = os.path.join(tempfile.mkdtemp(), "iris.skgan")
        >>> _ = gan.save(path)
        >>> loaded = skgan.load(path)
        >>> bool((loaded.sample(5) == gan.sample(5)).all())
        True
        """
        if type(self) is not GANSampler:
            raise TypeError(
                f"save() writes a GANSampler, not a {type(self).__name__}: a model "
                "file stores no code, so it could not rebuild a subclass. Pickle "
                "it instead."
            )
        save_sampler(self, path)
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.input_tags.sparse = False
        tags.input_tags.string = True
        tags.input_tags.categorical = True
        tags.target_tags.required = False
        return tags


if GANSampler.__doc__:  # python -OO strips docstrings
    GANSampler.__doc__ = GANSampler.__doc__.format(
        sampling_strategy=BaseOverSampler._sampling_strategy_docstring
    )
