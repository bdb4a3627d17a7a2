"""Adversarial training inside skorch: :class:`GANNet`."""

import math
from contextlib import contextmanager

import numpy as np
import torch
import torch.nn.functional as F
from skorch import NeuralNet
from skorch.callbacks import Callback, EpochTimer, PrintLog
from skorch.utils import TeeGenerator

from .. import _random
from .._nn.losses import AdversarialLoss
from .._nn.table import Classifier, Discriminator, Generator
from .batches import ClassBalancedBatches


def _fast_optimizer(optimizer, args, kwargs):
    """``optimizer(*args, **kwargs)``, fused where torch offers it.

    Adam and AdamW take ``fused=True`` on CPU since torch 2.4 (on GPUs
    before): one kernel for every parameter, which took a fifth of Adam's
    share of a training step. Where the user chose an implementation, or
    torch has no fused one for the device, the optimizer is built as given.
    """
    chosen = {"fused", "foreach"} & kwargs.keys()
    if optimizer in (torch.optim.Adam, torch.optim.AdamW) and not chosen:
        try:
            return optimizer(*args, **kwargs, fused=True)
        except (RuntimeError, ValueError):  # no fused kernel for this device
            pass
    return optimizer(*args, **kwargs)


class EpochLosses(Callback):
    """Records each epoch's mean ``d_loss`` and ``g_loss`` over its batches.

    Does what two of skorch's ``PassthroughScoring`` callbacks do, reading
    the batch records once: on a small table, an epoch is a single step and
    the epoch's bookkeeping cost a tenth of it.
    """

    def on_epoch_end(self, net, **kwargs):
        batches = net.history[-1]["batches"]
        for name in ("d_loss", "g_loss"):
            values = [batch[name] for batch in batches if name in batch]
            if values:
                net.history.record(name, sum(values) / len(values))


class QuietPrintLog(PrintLog):
    """:class:`skorch.callbacks.PrintLog` that does no work when ``verbose=0``.

    skorch's formats the epoch's table before its sink drops it, which cost
    as much as a small table's training step. Keys that a callback writes
    on some epochs only (its ``_sparse_history_keys``, such as the score of
    :class:`FidelityEarlyStopping`) get a column from the first epoch on,
    blank where the epoch has no value, so that the rows stay aligned.
    """

    def on_train_begin(self, net, **kwargs):
        self.sparse_keys_ = [
            key
            for _, callback in net.callbacks_
            for key in getattr(callback, "_sparse_history_keys", ())
        ]
        return super().on_train_begin(net, **kwargs)

    def on_epoch_end(self, net, **kwargs):
        if net.verbose:
            super().on_epoch_end(net, **kwargs)

    def table(self, row):
        blanks = dict.fromkeys(getattr(self, "sparse_keys_", ()))
        return super().table({**blanks, **row})


class GANNet(NeuralNet):
    """A skorch net that trains a generator and a discriminator adversarially.

    The generator is skorch's ``module`` (so ``f_params`` of a ``Checkpoint``
    saves it) and the discriminator a second registered module,
    ``discriminator``; each has its own optimizer, ``optimizer`` and
    ``optimizer_discriminator``. Every skorch batch is one generator step,
    preceded by ``discriminator_steps`` discriminator steps on equal slices of
    the batch. The epoch means of both losses are recorded in ``history`` as
    ``d_loss`` and ``g_loss``.

    The net stops at encoded rows: it trains on them and :meth:`generate`
    yields them; turning them back into the user's data is the caller's job
    (``GANSampler`` decodes with its encoder). Modules and optimizers are
    built from their ``NAME__*`` parameters, as skorch does for ``module``:
    ``discriminator__*``, ``classifier__*``, ``optimizer_discriminator__*``
    and ``optimizer_classifier__*``. After each backward pass the net
    notifies ``on_grad_computed`` with the parameters of the module just
    updated, so callbacks such as skorch's ``GradientNormClipping`` act on
    each of them.

    Users normally meet this class as ``GANSampler.net_``.

    Parameters
    ----------
    module, discriminator : type or nn.Module
        Generator and discriminator; initialised with the ``module__*`` and
        ``discriminator__*`` parameters.
    latent_dim : int
        Size of the noise vector the generator takes.
    n_classes : int
        Number of classes the modules are conditioned on; 0 for none.
    discriminator_steps : int
        Discriminator updates per generator update.
    gp_weight : float
        Weight of the gradient penalty, used with ``criterion__loss="wgan-gp"``.
    classifier_weight : float
        Weight of the auxiliary classifier's loss in the generator's loss; 0
        (or an unconditional net) trains no classifier. The classifier,
        ``classifier_`` with its own optimizer ``optimizer_classifier_``,
        learns the class of real encoded rows at every step; the generator
        is also penalised by its cross-entropy on generated rows and the
        labels they were asked for (as in AC-GAN, Odena et al., 2017). The
        adversarial loss alone let the rows of a class of a few dozen drift
        towards the larger classes.
    n_features : int or None
        Width of an encoded row, for the auxiliary classifier; None takes
        ``discriminator__n_features``.
    classifier : type or nn.Module, default=Classifier
        The auxiliary classifier; initialised with ``n_features``,
        ``n_classes`` and the ``classifier__*`` parameters.
    optimizer_classifier : type, default=torch.optim.Adam
        Its optimizer, with the ``optimizer_classifier__*`` parameters
        (``lr`` 1e-3 unless given).
    generator_averaging : float
        Decay of an exponential moving average of the generator's weights,
        updated after every generator step and loaded into the generator when
        training ends; 0 keeps the last weights. Averaging smooths the
        oscillation of adversarial training (Yazici et al., 2019), which
        otherwise shows as category and missing-value rates that depend on
        the step training happened to stop at.
    **kwargs
        Passed to :class:`skorch.NeuralNet`, e.g. ``optimizer__betas``,
        ``optimizer_discriminator__lr``, ``max_epochs``, ``callbacks``.
    """

    def __init__(
        self,
        module=Generator,
        discriminator=Discriminator,
        *,
        latent_dim,
        n_classes=0,
        discriminator_steps=1,
        gp_weight=10.0,
        classifier_weight=0.0,
        n_features=None,
        generator_averaging=0.0,
        classifier=Classifier,
        criterion=AdversarialLoss,
        optimizer=torch.optim.Adam,
        optimizer_discriminator=torch.optim.Adam,
        optimizer_classifier=torch.optim.Adam,
        iterator_train=ClassBalancedBatches,
        train_split=None,
        **kwargs,
    ):
        self.discriminator = discriminator
        self.optimizer_discriminator = optimizer_discriminator
        self.latent_dim = latent_dim
        self.n_classes = n_classes
        self.discriminator_steps = discriminator_steps
        self.gp_weight = gp_weight
        self.classifier_weight = classifier_weight
        self.n_features = n_features
        self.generator_averaging = generator_averaging
        self.classifier = classifier
        self.optimizer_classifier = optimizer_classifier
        # The classifier learnt at this rate whatever the generator's.
        kwargs.setdefault("optimizer_classifier__lr", 1e-3)
        super().__init__(
            module,
            criterion,
            optimizer=optimizer,
            iterator_train=iterator_train,
            train_split=train_split,
            **kwargs,
        )

    @property
    def _default_callbacks(self):
        return [
            ("epoch_timer", EpochTimer()),
            ("epoch_losses", EpochLosses()),
            ("print_log", QuietPrintLog()),
        ]

    def _set_training(self, training=True):
        # Setting the mode walks every submodule: skip it when the modules
        # are in that mode already (a few percent of a small table's step).
        modules = [getattr(self, name + "_") for name in self._modules + self._criteria]
        modules = [m for m in modules if isinstance(m, torch.nn.Module)]
        if any(module.training != training for module in modules):
            super()._set_training(training)

    def initialize_module(self):
        # torch's layers draw their initial weights from torch's global
        # generator: lend it, seeded from the session's generator.
        with _random.seeded_global():
            return self._build_modules()

    def _build_modules(self):
        generator_kwargs = self.get_params_for("module")
        self.module_ = self.initialized_instance(self.module, generator_kwargs)
        discriminator_kwargs = self.get_params_for("discriminator")
        self.discriminator_ = self.initialized_instance(
            self.discriminator, discriminator_kwargs
        )
        if self._guided:
            # A plug-in discriminator need not take n_features: ask for it.
            n_features = self.n_features or discriminator_kwargs.get("n_features")
            if n_features is None:
                raise ValueError(
                    "classifier_weight > 0 needs n_features, the width of an "
                    "encoded row."
                )
            classifier_kwargs = {
                "n_features": n_features,
                "n_classes": self.n_classes,
                **self.get_params_for("classifier"),
            }
            self.classifier_ = self.initialized_instance(
                self.classifier, classifier_kwargs
            )
        else:
            self._accept_params_of("classifier")
        self._discriminator_rows_independent = not any(
            isinstance(layer, torch.nn.modules.batchnorm._BatchNorm)
            for layer in self.discriminator_.modules()
        )
        return self

    @property
    def _guided(self):
        return self.classifier_weight > 0 and self.n_classes > 0

    def initialize_optimizer(self, *_args, **_kwargs):
        # One optimizer per module: skorch's default would put the parameters of
        # both into one optimizer, which cannot alternate between them.
        args, kwargs = self.get_params_for_optimizer(
            "optimizer", self.module_.named_parameters()
        )
        self.optimizer_ = _fast_optimizer(self.optimizer, args, kwargs)
        args, kwargs = self.get_params_for_optimizer(
            "optimizer_discriminator", self.discriminator_.named_parameters()
        )
        self.optimizer_discriminator_ = _fast_optimizer(
            self.optimizer_discriminator, args, kwargs
        )
        if self._guided:
            args, kwargs = self.get_params_for_optimizer(
                "optimizer_classifier", self.classifier_.named_parameters()
            )
            self.optimizer_classifier_ = _fast_optimizer(
                self.optimizer_classifier, args, kwargs
            )
        else:
            self._accept_params_of("optimizer_classifier")
        return self

    def _accept_params_of(self, name):
        """Let ``name__*`` parameters pass skorch's checks without ``name_``.

        skorch knows the prefixes of what was built, and no classifier is
        built when none is trained.
        """
        if name not in self.prefixes_:
            self.prefixes_ = [*self.prefixes_, name]

    def _one_hot(self, labels):
        if labels is None or self.n_classes == 0:
            return None
        return F.one_hot(labels, self.n_classes).to(torch.float32)

    def _noise(self, n_rows, device):
        """The generator's input: standard normal noise from the session's stream."""
        return torch.randn(
            n_rows, self.latent_dim, device=device, generator=_random.current()
        )

    def discriminator_step(self, real, fake, condition):
        """One update of the discriminator on a slice of real and fake rows.

        Minimises the discriminator's adversarial loss: score ``real`` as real
        and ``fake`` (generated with the same labels, detached) as fake.
        """
        if self._discriminator_rows_independent:
            # One pass over real and fake rows: one large matrix product per
            # layer instead of two small ones. Packs never straddle the two
            # halves, as each holds whole packs.
            conditions = None if condition is None else condition.repeat(2, 1)
            scores = self.discriminator_(torch.cat([real, fake]), conditions)
            real_scores, fake_scores = scores.chunk(2)
        else:  # batch statistics must not mix real and fake rows
            real_scores = self.discriminator_(real, condition)
            fake_scores = self.discriminator_(fake, condition)
        loss = self.criterion_.discriminator_loss(real_scores, fake_scores)
        if self.criterion_.penalised and self.gp_weight > 0:
            penalty = self.criterion_.penalty(
                self.discriminator_, real, fake, condition
            )
            loss = loss + self.gp_weight * penalty
        self._update(self.discriminator_, self.optimizer_discriminator_, loss)
        return loss.detach()

    def _update(self, module, optimizer, loss):
        """Backward ``loss`` into ``module``, tell the callbacks, step ``optimizer``."""
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        # What skorch's own train_step does, for each of the modules.
        self.notify(
            "on_grad_computed",
            named_parameters=TeeGenerator(module.named_parameters()),
            batch=None,
            training=True,
        )
        optimizer.step()

    def classifier_step(self, real, labels):
        """One update of the auxiliary classifier on real rows and their labels."""
        loss = F.cross_entropy(self.classifier_(real), labels)
        self._update(self.classifier_, self.optimizer_classifier_, loss)

    def generator_step(self, fake, condition, labels=None):
        """One update of the generator: make the discriminator score ``fake`` as real.

        ``fake`` still carries the generator's graph, so the discriminator
        just updated judges the very rows it was updated on. With the
        auxiliary classifier, ``fake`` must also be recognised as ``labels``.
        """
        loss = self.criterion_.generator_loss(self.discriminator_(fake, condition))
        if self._guided:
            loss = loss + self.classifier_weight * F.cross_entropy(
                self.classifier_(fake), labels
            )
        self._update(self.module_, self.optimizer_, loss)
        self._update_generator_average()
        return loss.detach()

    @torch.no_grad()
    def _update_generator_average(self):
        # Not torch.optim.swa_utils.AveragedModel: it copies BatchNorm's
        # statistics without averaging them (use_buffers=False) or lerps its
        # step counter too (True), and regroups every tensor each step: 507 us
        # a step against these lists' 43 us on the default table generator.
        decay = self.generator_averaging
        if not decay:
            return
        if getattr(self, "_generator_average", None) is None:
            state = self.module_.state_dict()
            self._generator_average = {k: v.detach().clone() for k, v in state.items()}
            return
        averages, live, others = self._average_lists()
        torch._foreach_lerp_(averages, live, 1.0 - decay)
        for average, value in others:  # e.g. BatchNorm's step counter
            average.copy_(value)

    def _average_lists(self):
        """The averaged and live generator tensors, paired, built once per fit.

        One fused lerp over these lists replaced a ``state_dict`` per step.
        The state's tensors share storage with the live generator, so the
        lists stay current while the generator and the average are the same
        objects (a copy or a loaded net builds them again).
        """
        key = (self.module_, self._generator_average)
        cached = getattr(self, "_average_cache", None)
        if cached is None or cached[0][0] is not key[0] or cached[0][1] is not key[1]:
            pairs = [
                (self._generator_average[name], value)
                for name, value in self.module_.state_dict().items()
            ]
            floats = [pair for pair in pairs if pair[1].is_floating_point()]
            others = [pair for pair in pairs if not pair[1].is_floating_point()]
            lists = ([a for a, _ in floats], [v for _, v in floats], others)
            self._average_cache = cached = (key, lists)
        return cached[1]

    @contextmanager
    def averaged_generator(self):
        """Within the block, the generator holds its averaged weights.

        Lets callbacks judge, in the middle of training, the generator that
        training would end with. Outside averaging it changes nothing.
        """
        average = getattr(self, "_generator_average", None)
        if average is None:
            yield self.module_
            return
        current = {k: v.detach().clone() for k, v in self.module_.state_dict().items()}
        self.module_.load_state_dict(average)
        try:
            yield self.module_
        finally:
            self.module_.load_state_dict(current)

    def on_train_begin(self, net, X=None, y=None, **kwargs):
        self._generator_average = self._average_cache = None

    def on_train_end(self, net, X=None, y=None, **kwargs):
        # Sample from the averaged generator; a KeyboardInterrupt also lands here.
        if getattr(self, "_generator_average", None) is not None:
            self.module_.load_state_dict(self._generator_average)
        self._generator_average = self._average_cache = None

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_average_cache", None)  # views of the live generator
        return state

    def train_step(self, batch, **fit_params):
        """Run ``discriminator_steps`` updates of D, then one update of G."""
        real, labels = batch
        self._set_training(True)
        condition = self._one_hot(labels)
        # One generator pass serves both updates (as in PyTorch's DCGAN
        # example): the discriminator learns from the fakes detached, then
        # the generator from how the updated discriminator scores them.
        fake = self.module_(self._noise(len(real), real.device), condition)
        if self._guided:
            self.classifier_step(real, labels)
        d_losses = []
        slice_rows = len(real) // self.discriminator_steps
        for step in range(self.discriminator_steps):
            part = slice(step * slice_rows, (step + 1) * slice_rows)
            part_condition = None if condition is None else condition[part]
            d_losses.append(
                self.discriminator_step(real[part], fake[part].detach(), part_condition)
            )
        d_loss = torch.stack(d_losses).mean()
        first = slice(0, slice_rows)
        g_loss = self.generator_step(
            fake[first],
            None if condition is None else condition[first],
            None if labels is None else labels[first],
        )

        d_value, g_value = d_loss.item(), g_loss.item()
        if not (math.isfinite(d_value) and math.isfinite(g_value)):
            epoch = len(self.history)
            raise FloatingPointError(
                f"The adversarial loss diverged in epoch {epoch} (discriminator "
                f"loss {d_value}, generator loss {g_value}). Lower the learning "
                "rates, use loss='wgan-gp', or check the data for extreme values."
            )
        self.history.record_batch("d_loss", d_value)
        self.history.record_batch("g_loss", g_value)
        return {"loss": d_loss, "y_pred": None}

    @torch.no_grad()
    def generate(self, labels=None, n_samples=None, chunk_size=16384):
        """Yield generated encoded rows in chunks, in eval mode without gradients.

        Parameters
        ----------
        labels : torch.LongTensor of shape (n_samples,) or None
            Class index of each row, for a conditional net.
        n_samples : int or None
            Number of rows, for an unconditional net.
        chunk_size : int
            Rows generated per forward pass.

        Yields
        ------
        chunk : np.ndarray of shape (<= chunk_size, n_features), float32
        """
        self.check_is_fitted()
        self._set_training(False)
        device = next(self.module_.parameters()).device
        if labels is not None:
            n_samples = len(labels)
            labels = labels.to(device)
        for start in range(0, n_samples, chunk_size):
            stop = min(start + chunk_size, n_samples)
            condition = None if labels is None else self._one_hot(labels[start:stop])
            rows = self.module_(self._noise(stop - start, device), condition)
            yield rows.cpu().numpy().astype(np.float32, copy=False)
