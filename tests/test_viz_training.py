"""Chapter 7's figures draw what they claim: decision regions, curves, confusions, digits."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import backprop_course as bc  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _halfplane(points: np.ndarray) -> np.ndarray:
    """Scores of a linear classifier: class 1 where x1 > 0.2, class 0 elsewhere."""
    return np.column_stack([np.zeros(len(points)), points[:, 0] - 0.2])


def test_decision_boundary_colours_the_predicted_class() -> None:
    X = np.array([[-1.0, -1.0], [1.0, 1.0], [-0.5, 0.5], [0.8, -0.3]])
    y = np.array([0, 1, 0, 1])
    ax = bc.viz.plot_decision_boundary(_halfplane, X, y, resolution=50)
    predicted = ax.collections[0].predicted
    assert predicted.shape == (50, 50)
    grid_x = np.linspace(*ax.get_xlim(), 50)
    np.testing.assert_array_equal(predicted[0], (grid_x > 0.2).astype(int))
    np.testing.assert_array_equal(ax.collections[-1].get_offsets(), X)  # the data on top
    assert ax.get_xlim()[0] < -1.0 and ax.get_xlim()[1] > 1.0  # a margin around the data


def test_decision_boundary_takes_a_module_and_a_single_logit() -> None:
    X, y = bc.data.spirals(n=10, classes=3, seed=0)
    model = bc.nn.MLP([2, 4, 3], rng=0)
    fig, ax = plt.subplots()
    assert bc.viz.plot_decision_boundary(model, X, y, ax=ax, resolution=20, title="t") is ax
    assert ax.get_title() == "t"
    expected = model(np.array([[ax.get_xlim()[0], ax.get_ylim()[0]]])).data.argmax()
    assert ax.collections[0].predicted[0, 0] == expected

    def one_logit(points):
        return (points[:, :1] > 0).astype(float) - 0.5

    ax = bc.viz.plot_decision_boundary(one_logit, X, (X[:, 0] > 0).astype(int), resolution=20)
    assert set(np.unique(ax.collections[0].predicted)) == {0, 1}


def test_decision_boundary_rejects_bad_input() -> None:
    with pytest.raises(ValueError, match=r"\(N, 2\)"):
        bc.viz.plot_decision_boundary(_halfplane, np.zeros((4, 3)), np.zeros(4, int))
    with pytest.raises(ValueError, match="rows"):
        bc.viz.plot_decision_boundary(_halfplane, np.zeros((4, 2)), np.zeros(3, int))
    with pytest.raises(ValueError, match="scores"):
        bc.viz.plot_decision_boundary(lambda p: p[:, 0], np.zeros((4, 2)), np.zeros(4, int))


def test_plot_curves_draws_one_labelled_line_per_history() -> None:
    histories = {"SGD": [1.0, 0.5, 0.25], "Adam": [1.0, 0.1, 0.01]}
    ax = bc.viz.plot_curves(histories, logy=True, ylabel="training loss", title="x")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["SGD", "Adam"]
    np.testing.assert_array_equal(lines[1].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(lines[1].get_ydata(), [1.0, 0.1, 0.01])
    assert ax.get_yscale() == "log" and ax.get_ylabel() == "training loss"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["SGD", "Adam"]


def test_plot_curves_rejects_empty_input() -> None:
    with pytest.raises(ValueError, match="at least one"):
        bc.viz.plot_curves({})
    with pytest.raises(ValueError, match="'a'"):
        bc.viz.plot_curves({"a": []})


def test_confusion_matrix_counts_pairs() -> None:
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    counts = bc.train.confusion_matrix(y_true, y_pred)
    np.testing.assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert np.trace(counts) / counts.sum() == pytest.approx(4 / 6)
    assert bc.train.confusion_matrix(y_true, y_pred, n_classes=5).shape == (5, 5)
    with pytest.raises(ValueError, match="n_classes"):
        bc.train.confusion_matrix(y_true, y_pred, n_classes=2)
    with pytest.raises(ValueError, match="same length"):
        bc.train.confusion_matrix(y_true, y_pred[:3])
    with pytest.raises(ValueError, match="integer"):
        bc.train.confusion_matrix(y_true.astype(float), y_pred)


def test_plot_confusion_matrix_shows_the_counts() -> None:
    y_true = np.array([0, 0, 1, 2, 2, 2])
    y_pred = np.array([0, 1, 1, 2, 0, 2])
    ax = bc.viz.plot_confusion_matrix(y_true, y_pred, title="digits")
    np.testing.assert_array_equal(ax.images[0].get_array(), [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    texts = sorted(t.get_text() for t in ax.texts)
    assert texts == ["1", "1", "1", "1", "2"]  # zeros are left blank
    assert ax.get_xlabel() == "predicted class" and ax.get_ylabel() == "true class"


def test_plot_digits_titles_each_image_and_marks_mistakes() -> None:
    images = np.arange(3 * 64, dtype=float).reshape(3, 64)
    fig = bc.viz.plot_digits(images, np.array([1, 2, 3]), np.array([1, 5, 3]), ncols=2)
    axes = fig.axes
    assert len(axes) == 4 and not axes[3].images  # 2 x 2 grid, the last cell empty
    np.testing.assert_array_equal(axes[1].images[0].get_array(), images[1].reshape(8, 8))
    assert axes[0].get_title() == "true 1, pred 1"
    assert axes[1].get_title() == "true 2, pred 5"
    assert axes[1].title.get_color() != axes[0].title.get_color()  # the mistake stands out


def test_plot_digits_with_labels_only_and_bad_shapes() -> None:
    fig = bc.viz.plot_digits(np.zeros((2, 4, 4)), np.array([7, 8]), title="two")
    assert [ax.get_title() for ax in fig.axes] == ["7", "8"]
    assert fig._suptitle.get_text() == "two"
    with pytest.raises(ValueError, match="pixels"):
        bc.viz.plot_digits(np.zeros((2, 10)), np.array([1, 2]))
    with pytest.raises(ValueError, match="one label"):
        bc.viz.plot_digits(np.zeros((2, 64)), np.array([1]))
