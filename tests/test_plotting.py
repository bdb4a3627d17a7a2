"""Unit tests for ``skgan.plotting``, drawn with matplotlib's Agg backend.

The figures are checked through what matplotlib holds, against values
computed here: the pixels of the tiled image grid, the lines of the training
curves against ``history_``, and the heights of histogram and bar patches
against ``np.histogram`` and ``value_counts``.

What this file does not check: how figures look (colours, layout, fonts),
other backends, or that they display in a notebook.
"""

import sys

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_digits, load_iris
from sklearn.exceptions import NotFittedError
from skorch.history import History

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from skgan import GANSampler  # noqa: E402
from skgan.plotting import plot_history, plot_images, plot_marginals  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _canvas(fig):
    (ax,) = fig.axes
    (image,) = ax.get_images()
    return image.get_array()


def _cell(canvas, row, column, height, width):
    top, left = row * (height + 1), column * (width + 1)
    return canvas[top : top + height, left : left + width]


# -- plot_images --------------------------------------------------------------


def test_plot_images_draws_one_row_per_class():
    images, labels = load_digits(return_X_y=True)
    images, labels = images[:300].reshape(-1, 8, 8), labels[:300]
    fig = plot_images(images, labels, n_per_class=5, title="digits")
    canvas = _canvas(fig)
    assert canvas.shape == (10 * 9 - 1, 5 * 9 - 1)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == [str(c) for c in range(10)]
    assert ax.get_title() == "digits"
    for digit in range(10):
        for column in range(5):
            expected = images[labels == digit][column]
            np.testing.assert_array_equal(_cell(canvas, digit, column, 8, 8), expected)
    assert canvas.mask[8].all()  # the gap between rows is blank


def test_plot_images_leaves_cells_of_small_classes_blank():
    images = np.arange(5 * 4).reshape(5, 2, 2).astype(float)
    fig = plot_images(images, ["b", "a", "b", "b", "a"], n_per_class=3)
    canvas = _canvas(fig)
    assert canvas.shape == (2 * 3 - 1, 3 * 3 - 1)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["a", "b"]
    np.testing.assert_array_equal(_cell(canvas, 0, 1, 2, 2), images[4])
    assert _cell(canvas, 0, 2, 2, 2).mask.all()  # class "a" has 2 images
    np.testing.assert_array_equal(_cell(canvas, 1, 2, 2, 2), images[3])


def test_plot_images_without_labels_draws_a_near_square_grid():
    images = np.random.default_rng(0).uniform(size=(10, 4, 3))
    canvas = _canvas(plot_images(images))
    assert canvas.shape == (3 * 5 - 1, 4 * 4 - 1)  # 3 rows of 4 columns
    np.testing.assert_array_equal(_cell(canvas, 2, 1, 4, 3), images[9])
    assert _cell(canvas, 2, 2, 4, 3).mask.all()
    capped = _canvas(plot_images(np.zeros((500, 4, 3)), max_images=20))
    assert capped.shape == (4 * 5 - 1, 5 * 4 - 1)


def test_plot_images_draws_colour_images_channels_last():
    rng = np.random.default_rng(1)
    images = rng.uniform(size=(4, 3, 5, 6))
    canvas = _canvas(plot_images(images, [0, 1, 0, 1]))
    assert canvas.shape == (2 * 6 - 1, 2 * 7 - 1, 4)
    np.testing.assert_allclose(
        _cell(canvas, 1, 1, 5, 6)[..., :3], images[3].transpose(1, 2, 0)
    )
    assert _cell(canvas, 1, 1, 5, 6)[..., 3].min() == 1.0
    # tanh-like outputs are rescaled to [0, 1] on one scale for all images
    scaled = _canvas(plot_images(2 * images - 1, [0, 1, 0, 1]))
    shown = _cell(scaled, 0, 0, 5, 6)[..., :3]
    low, span = (2 * images - 1).min(), np.ptp(2 * images - 1)
    np.testing.assert_allclose(
        shown, ((2 * images[0] - 1) - low).transpose(1, 2, 0) / span
    )


@pytest.mark.parametrize(
    ("shape", "image_shape"),
    [((64,), (8, 8)), ((64,), (1, 8, 8)), ((64,), None), ((1, 8, 8), None)],
)
def test_plot_images_accepts_flat_and_single_channel_images(shape, image_shape):
    images = load_digits().images[:6]
    reference = _canvas(plot_images(images))
    canvas = _canvas(plot_images(images.reshape(6, *shape), image_shape=image_shape))
    np.testing.assert_array_equal(canvas, reference)


def test_plot_images_draws_into_a_given_axes():
    fig, (left, right) = plt.subplots(1, 2)
    assert plot_images(np.zeros((4, 3, 3)), ax=right) is fig
    assert len(right.get_images()) == 1 and not left.get_images()


def test_plot_images_refuses_shapes_it_cannot_draw():
    with pytest.raises(
        ValueError, match=r"image_shape=\(9, 9\) does not fit images of 64"
    ):
        plot_images(np.zeros((3, 64)), image_shape=(9, 9))
    with pytest.raises(ValueError, match="does not fit"):
        plot_images(np.zeros((3, 64)), image_shape=(64,))
    with pytest.raises(ValueError, match="60 values are not square; pass image_shape"):
        plot_images(np.zeros((3, 60)))
    with pytest.raises(ValueError, match="They look channels-last"):
        plot_images(np.zeros((3, 8, 8, 3)))
    with pytest.raises(ValueError, match="neither grey"):
        plot_images(np.zeros((3, 2, 8, 8)))
    with pytest.raises(ValueError, match="one label per image"):
        plot_images(np.zeros((3, 8, 8)), [0, 1])
    with pytest.raises(ValueError, match="NaN or infinite"):
        plot_images(np.full((3, 8, 8), np.nan))


def test_plotting_asks_for_the_plot_extra_without_matplotlib(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)  # import fails
    with pytest.raises(ImportError, match=r"pip install skgan\[plot\]"):
        plot_images(np.zeros((3, 8, 8)))


# -- plot_history -------------------------------------------------------------


@pytest.fixture(scope="module")
def gan():
    return GANSampler(
        epochs=3,
        latent_dim=8,
        generator_layers=(16, 16),
        discriminator_layers=(16, 16),
        batch_size=50,
        random_state=0,
    ).fit(load_iris().data)


@pytest.mark.parametrize("source", ["sampler", "net", "history"])
def test_plot_history_draws_one_line_per_key(gan, source):
    history = {"sampler": gan, "net": gan.net_, "history": gan.history_}[source]
    ax = plot_history(history)
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["d_loss", "g_loss"]
    for line, key in zip(lines, ["d_loss", "g_loss"], strict=True):
        assert len(line.get_xdata()) == len(gan.history_) == 3
        np.testing.assert_array_equal(line.get_xdata(), gan.history_[:, "epoch"])
        np.testing.assert_allclose(line.get_ydata(), gan.history_[:, key])
    assert len(ax.figure.axes) == 1  # no fidelity recorded, no twin axes
    assert ax.get_xlabel() == "epoch"


def test_plot_history_skips_absent_keys_and_draws_fidelity_on_a_twin_axis():
    history = History()
    for epoch in range(1, 6):
        history.new_epoch()
        history.record("epoch", epoch)
        history.record("d_loss", -epoch)
        history.record("g_loss", epoch / 2)
        if epoch % 2:
            history.record("fidelity", 0.1 * epoch)
    ax = plot_history(history, keys=("g_loss", "kl"))
    assert [line.get_label() for line in ax.get_lines()] == ["g_loss"]
    (twin,) = (other for other in ax.figure.axes if other is not ax)
    (fidelity,) = twin.get_lines()
    np.testing.assert_array_equal(fidelity.get_xdata(), [1, 3, 5])
    np.testing.assert_allclose(fidelity.get_ydata(), [0.1, 0.3, 0.5])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["g_loss", "fidelity"]


def test_plot_history_refuses_what_has_no_history(gan):
    with pytest.raises(ValueError, match=r"records none of keys=\('loss',\)"):
        plot_history(gan, keys=("loss",))
    with pytest.raises(NotFittedError, match="GANSampler has no history_; fit it"):
        plot_history(GANSampler())
    with pytest.raises(TypeError, match="a list of one dict per epoch"):
        plot_history({"d_loss": [1, 2]})
    with pytest.raises(ValueError, match="The history is empty"):
        plot_history(History())


# -- plot_marginals -----------------------------------------------------------


def _mixed_tables():
    rng = np.random.default_rng(0)
    colours = [f"colour{i:02d}" for i in range(12)]
    real = pd.DataFrame(
        {
            "x": rng.normal(size=200),
            "c": rng.choice(colours, size=200, p=np.linspace(1, 2, 12) / 18),
            "b": rng.uniform(size=200) < 0.3,
            "n": rng.integers(0, 3, size=200),
        }
    )
    real.loc[:19, "x"] = np.nan
    real.loc[:9, "c"] = None
    synthetic = pd.DataFrame(
        {
            "n": rng.integers(0, 4, size=150),
            "b": rng.uniform(size=150) < 0.5,
            "c": rng.choice([*colours[:5], "new"], size=150),
            "x": rng.normal(1, 2, size=150),
        }
    )
    return real, synthetic


def _bars(ax, role):
    """Heights of the real or synthetic bars (or histogram) of a subplot."""
    assert len(ax.containers) == 2  # real first, then synthetic
    container = ax.containers[["real", "synthetic"].index(role)]
    return np.array([patch.get_height() for patch in container])


def test_plot_marginals_draws_one_subplot_per_column():
    real, synthetic = _mixed_tables()
    fig = plot_marginals(real, synthetic)
    assert len(fig.axes) == 4  # 2 rows of 3, the 2 spare axes removed
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == [
        "x\nmissing: real 10%, synthetic 0%",
        "c\nmissing: real 5%, synthetic 0%",
        "b",
        "n",
    ]
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["real", "synthetic"]
    assert len(plot_marginals(real, synthetic, max_columns=2).axes) == 2
    chosen = plot_marginals(real, synthetic, columns=["n", "x"])
    assert [ax.get_title().split("\n")[0] for ax in chosen.axes] == ["n", "x"]


def test_plot_marginals_histograms_share_bins():
    real, synthetic = _mixed_tables()
    ax = plot_marginals(real, synthetic, columns=["x"], bins=12).axes[0]
    observed = real["x"].dropna().to_numpy()
    edges = np.histogram_bin_edges(np.r_[observed, synthetic["x"]], bins=12)
    expected_real, _ = np.histogram(observed, bins=edges, density=True)
    expected_synthetic, _ = np.histogram(synthetic["x"], bins=edges, density=True)
    np.testing.assert_allclose(_bars(ax, "real"), expected_real)
    np.testing.assert_allclose(_bars(ax, "synthetic"), expected_synthetic)


def test_plot_marginals_bars_are_category_shares():
    real, synthetic = _mixed_tables()
    fig = plot_marginals(real, synthetic, columns=["c", "b"])
    ax = fig.axes[0]
    shares = real["c"].value_counts(normalize=True)  # among observed values
    names = [t.get_text() for t in ax.get_xticklabels()]
    assert names == [*shares.index[:10], "other"]
    np.testing.assert_allclose(
        _bars(ax, "real"), [*shares.iloc[:10], shares.iloc[10:].sum()]
    )
    synthetic_shares = synthetic["c"].value_counts(normalize=True)
    expected = [synthetic_shares.get(name, 0.0) for name in shares.index[:10]]
    np.testing.assert_allclose(_bars(ax, "synthetic"), [*expected, 1 - sum(expected)])
    boolean = fig.axes[1]
    assert [t.get_text() for t in boolean.get_xticklabels()] == ["False", "True"]
    np.testing.assert_allclose(
        _bars(boolean, "real"), real["b"].value_counts(normalize=True)
    )


def test_plot_marginals_draws_listed_numeric_columns_as_categories():
    real, synthetic = _mixed_tables()
    ax = plot_marginals(
        real, synthetic, columns=["n"], categorical_features=["n"]
    ).axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        str(v) for v in real["n"].value_counts().index
    ] + ["other"]  # synthetic's 3 falls in "other"


def test_plot_marginals_matches_arrays_by_position():
    real, synthetic = _mixed_tables()
    as_array = synthetic[real.columns].to_numpy()
    fig = plot_marginals(real[["x"]], as_array[:, :1].astype(float))
    reference = plot_marginals(real[["x"]], synthetic[["x"]])
    np.testing.assert_allclose(
        _bars(fig.axes[0], "synthetic"), _bars(reference.axes[0], "synthetic")
    )


def test_plot_marginals_refuses_mismatched_tables():
    real, synthetic = _mixed_tables()
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['x'\]"):
        plot_marginals(real, synthetic.drop(columns="x"))
    with pytest.raises(ValueError, match="4 columns and the synthetic table 3"):
        plot_marginals(real, synthetic.to_numpy()[:, :3])
    with pytest.raises(ValueError, match=r"\['z'\] are not among"):
        plot_marginals(real, synthetic, columns=["z"])
    with pytest.raises(ValueError, match="holds other values in the synthetic one"):
        plot_marginals(real, synthetic.assign(x="a"), columns=["x"])
