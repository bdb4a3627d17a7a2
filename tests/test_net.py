"""Behaviour of GANNet's training step on tables: passes, optimizers, records."""

import copy
import os

import pytest
import torch
from skorch.callbacks import Callback, GradientNormClipping
from torch import nn

from skgan._nn.table import Discriminator, Generator
from skgan._random import resolve_threads, torch_session
from skgan._training.net import GANNet, _fast_optimizer

SPANS = [("tanh", 2), ("softmax", 3), ("linear", 1)]
N_FEATURES = 6


def _net(discriminator=Discriminator, n_classes=0, **kwargs):
    return GANNet(
        module=Generator,
        module__latent_dim=4,
        module__n_classes=n_classes,
        module__hidden_layers=(8,),
        module__output_spans=SPANS,
        discriminator=discriminator,
        discriminator__n_features=N_FEATURES,
        discriminator__n_classes=n_classes,
        n_classes=n_classes,
        discriminator__hidden_layers=(8,),
        discriminator__pac=2,
        discriminator__dropout=0.0,
        latent_dim=4,
        criterion__loss="wgan-gp",
        batch_size=20,
        iterator_train__n_batches=3,
        iterator_train__pac=2,
        **{"max_epochs": 2, "verbose": 0, **kwargs},
    )


def _rows(n=40):
    return torch.randn(n, N_FEATURES, generator=torch.Generator().manual_seed(0))


class _NormedDiscriminator(nn.Module):
    """A discriminator with batch statistics: one row's score depends on the rest."""

    def __init__(self, n_features, n_classes, hidden_layers, pac, dropout):
        super().__init__()
        self.pac = pac
        self.body = nn.Sequential(
            nn.Linear(pac * n_features, 8), nn.BatchNorm1d(8), nn.Linear(8, 1)
        )

    def forward(self, rows, condition=None):
        return self.body(rows.reshape(len(rows) // self.pac, -1)).squeeze(1)


def test_one_discriminator_pass_gives_the_loss_of_three():
    net = _net().initialize()
    assert net._discriminator_rows_independent
    real, fake = _rows(20), _rows(20).flip(0)
    apart = copy.deepcopy(net)
    apart._discriminator_rows_independent = False
    torch.manual_seed(1)
    together_loss = net.discriminator_step(real, fake, None)
    torch.manual_seed(1)
    apart_loss = apart.discriminator_step(real, fake, None)
    torch.testing.assert_close(together_loss, apart_loss)
    for mine, theirs in zip(
        net.discriminator_.parameters(), apart.discriminator_.parameters(), strict=True
    ):
        torch.testing.assert_close(mine.grad, theirs.grad)


def test_a_discriminator_with_batch_statistics_scores_real_and_fake_apart():
    net = _net(discriminator=_NormedDiscriminator).initialize()
    assert not net._discriminator_rows_independent
    calls = []
    net.discriminator_.register_forward_hook(lambda m, i, o: calls.append(len(i[0])))
    net.discriminator_step(_rows(20), _rows(20), None)
    assert calls == [20, 20, 20]  # real, fake, interpolated: never mixed


def test_adam_is_fused_where_torch_offers_it_and_a_user_choice_is_kept():
    params = [nn.Parameter(torch.zeros(3))]
    adam = _fast_optimizer(torch.optim.Adam, [params], {"lr": 0.1})
    fused_on_cpu = tuple(int(v) for v in torch.__version__.split(".")[:2]) >= (2, 4)
    assert adam.defaults["fused"] is (True if fused_on_cpu else None)
    chosen = _fast_optimizer(torch.optim.Adam, [params], {"foreach": False})
    assert not chosen.defaults["fused"] and chosen.defaults["foreach"] is False
    sgd = _fast_optimizer(torch.optim.SGD, [params], {"lr": 0.1})
    assert "fused" not in sgd.defaults or not sgd.defaults["fused"]


def test_epoch_losses_are_the_mean_of_their_batches():
    net = _net().fit(_rows())
    for epoch in net.history:
        for name in ("d_loss", "g_loss"):
            batches = [batch[name] for batch in epoch["batches"]]
            assert len(batches) == 3
            assert epoch[name] == pytest.approx(sum(batches) / 3)


def test_quiet_net_prints_nothing_and_verbose_prints_the_losses(capsys):
    _net().fit(_rows())
    assert capsys.readouterr().out == ""
    _net(verbose=1).fit(_rows())
    printed = capsys.readouterr().out
    assert "d_loss" in printed and "g_loss" in printed


def test_averaged_generator_is_the_exponential_average_of_the_steps():
    net = _net(generator_averaging=0.9, max_epochs=1).initialize()
    net.on_train_begin(net)
    net.history.new_epoch()
    expected = None
    real = _rows(20)
    for _ in range(4):
        net.history.new_batch()
        net.train_step((real, None))
        weights = {k: v.clone() for k, v in net.module_.state_dict().items()}
        if expected is None:
            expected = weights
        else:
            for key, value in weights.items():
                if value.is_floating_point():
                    expected[key] = 0.9 * expected[key] + 0.1 * value
                else:
                    expected[key] = value
    net.on_train_end(net)
    for key, value in net.module_.state_dict().items():
        torch.testing.assert_close(value, expected[key])


def test_auto_threads_take_the_usable_cores_within_torch_setting(monkeypatch):
    monkeypatch.setattr(torch, "get_num_threads", lambda: 3)
    if hasattr(os, "sched_getaffinity"):
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    else:
        monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert resolve_threads("auto") == 2
    monkeypatch.setattr(torch, "get_num_threads", lambda: 1)  # e.g. a joblib worker
    assert resolve_threads("auto") == 1
    assert resolve_threads(5) == 5 and resolve_threads(None) is None


def test_auto_threads_session_sets_and_restores_the_thread_count():
    before = torch.get_num_threads()
    with torch_session(0, "cpu", "auto"):
        assert torch.get_num_threads() == resolve_threads("auto")
    assert torch.get_num_threads() == before


def test_overlapping_sessions_restore_the_thread_count_after_the_last():
    from skgan import _random

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        first, second = _random.thread_count(1), _random.thread_count(1)
        first.__enter__()
        second.__enter__()
        first.__exit__(None, None, None)  # the first fit ends, the second runs on
        assert torch.get_num_threads() == 1
        second.__exit__(None, None, None)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


def test_sessions_draw_from_their_own_generator_not_the_global_one():
    from skgan import _random

    assert _random.current() is None
    state = torch.random.get_rng_state().clone()
    with torch_session(7, "cpu", None) as generator:
        assert _random.current() is generator
        with _random.seeded_global():
            torch.rand(3)  # what layer initialisation does
        drawn = torch.rand(3, generator=_random.current())
    assert _random.current() is None
    assert torch.equal(torch.random.get_rng_state(), state)
    with torch_session(7, "cpu", None):
        with _random.seeded_global():
            torch.rand(3)
        assert torch.equal(torch.rand(3, generator=_random.current()), drawn)


def test_epoch_progress_bar_counts_epochs_and_shows_losses():
    import io

    from skgan import EpochProgressBar

    screen = io.StringIO()
    bar = EpochProgressBar(file=screen)
    _net(max_epochs=3, callbacks=[bar]).fit(_rows())
    drawn = screen.getvalue()
    assert "3/3" in drawn and "d_loss=" in drawn and "g_loss=" in drawn
    assert bar.bar_ is None  # closed, and the net pickles


class _GradientNorms(Callback):
    """Records the gradient norm of every module update, by parameter names."""

    def initialize(self):
        self.norms = []
        return self

    def on_grad_computed(self, net, named_parameters, **kwargs):
        named = list(named_parameters)
        norm = torch.norm(torch.stack([p.grad.norm() for _, p in named if
                                       p.grad is not None]))  # fmt: skip
        self.norms.append((frozenset(id(p) for _, p in named), float(norm)))


def _conditional_net(**kwargs):
    return _net(n_classes=2, classifier_weight=0.5, **kwargs)


def _labels(n=40):
    return torch.arange(n) % 2


def test_every_module_update_notifies_on_grad_computed():
    recorder = _GradientNorms()
    net = _conditional_net(callbacks=[recorder]).fit(_rows(), _labels())
    modules = [net.classifier_, net.discriminator_, net.module_]
    expected = [frozenset(id(p) for p in module.parameters()) for module in modules]
    steps = 2 * 3  # epochs times batches
    assert [ids for ids, _ in recorder.norms] == expected * steps


def test_gradient_norm_clipping_takes_effect_on_every_module():
    free, clipped = _GradientNorms(), _GradientNorms()
    _conditional_net(callbacks=[free]).fit(_rows(), _labels())
    _conditional_net(
        callbacks=[GradientNormClipping(gradient_clip_value=1e-3), clipped]
    ).fit(_rows(), _labels())
    assert min(norm for _, norm in free.norms) > 1e-3
    assert max(norm for _, norm in clipped.norms) <= 1e-3 * (1 + 1e-4)


def test_classifier_and_its_optimizer_take_their_parameters():
    net = _conditional_net(
        classifier__hidden_layers=(5,), optimizer_classifier__lr=0.05
    ).initialize()
    assert net.classifier_.body[0].out_features == 5
    assert net.optimizer_classifier_.param_groups[0]["lr"] == 0.05
    default = _conditional_net().initialize()
    assert default.optimizer_classifier_.param_groups[0]["lr"] == 1e-3


def test_classifier_parameters_are_accepted_when_no_classifier_trains():
    net = _net(classifier__hidden_layers=(5,), optimizer_classifier__lr=0.05)
    assert net.initialize().classifier_weight == 0.0
    assert not hasattr(net, "classifier_")
