"""Bad inputs for the modules the book's text leans on: ``symbolic``, ``viz`` and ``exercises``.

Each case is a mistake a learner can type; the call must raise the package's own error,
of the right type, with a phrase that says what was wrong. ``exercises.check`` answers
with a verdict instead of raising for anything about the learner's function or an
unknown exercise name (tests/test_exercises_verdicts.py); its cases here are the calls
that are wrong in themselves (arguments swapped, a bad seed).
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import sympy as sp  # noqa: E402
from bad_inputs import Case, check, ids  # noqa: E402

from backprop_course import Tensor, Value, source  # noqa: E402
from backprop_course import exercises as E  # noqa: E402
from backprop_course import symbolic as S  # noqa: E402
from backprop_course import viz as V  # noqa: E402
from backprop_course.exercises import chain_rule, core, tensor_engine, training  # noqa: E402
from backprop_course.exercises import computational_graphs as graphs  # noqa: E402
from backprop_course.exercises import forward_vs_reverse as modes  # noqa: E402
from backprop_course.exercises import gradient_checking as debugging  # noqa: E402
from backprop_course.exercises import learning_as_optimisation as optimisation  # noqa: E402
from backprop_course.exercises import losses as losses_ex  # noqa: E402
from backprop_course.exercises import matrix_backprop as matrix_form  # noqa: E402
from backprop_course.exercises import modern_frameworks as higher_order  # noqa: E402
from backprop_course.exercises import paper_1986 as paper1986  # noqa: E402

Z = sp.Symbol("z", real=True)
NEURON = S.neuron(2)
LS = S.least_squares(3, 2)
NET = S.dense_network((2, 3, 1))
NET_ARGS = ([np.ones((2, 3)), np.ones((3, 1))], [np.ones(3), np.ones(1)], np.ones((1, 2)),
            np.ones((1, 1)))
P3 = S.softmax(sp.symbols("z_1:4", real=True))


def _neuron_fields(**changes: object) -> dict:
    fields = {name: getattr(NEURON, name) for name in NEURON.__dataclass_fields__}
    return {**fields, **changes}


def _ls_fields(**changes: object) -> dict:
    fields = {name: getattr(LS, name) for name in LS.__dataclass_fields__}
    return {**fields, **changes}


def _net_fields(**changes: object) -> dict:
    fields = {name: getattr(NET, name) for name in NET.__dataclass_fields__}
    return {**fields, **changes}


SYMBOLIC = [
    Case("symbolic.helpers.sigmoid", "a string instead of a symbol", lambda: S.sigmoid("z"),
         TypeError, "sp.Symbol('z', real=True)"),
    Case("symbolic.helpers.sigmoid", "a Matrix", lambda: S.sigmoid(sp.Matrix([Z, Z])),
         TypeError, "applyfunc"),
    Case("symbolic.helpers.sigmoid", "a NumPy array", lambda: S.sigmoid(np.array([1.0, 2.0])),
         TypeError, "got ndarray"),
    Case("symbolic.helpers.sigmoid", "NaN", lambda: S.sigmoid(float("nan")), ValueError, "finite"),
    Case("symbolic.helpers.partial", "None as a name", lambda: S.partial(None, "a"),
         TypeError, "of must be a name"),
    Case("symbolic.helpers.partial", "an empty name", lambda: S.partial("L", ""),
         ValueError, "non-empty"),
    Case("symbolic.single_neuron.neuron", "zero inputs",
         lambda: S.neuron(0), ValueError, "positive int"),
    Case("symbolic.single_neuron.neuron", "a float count",
         lambda: S.neuron(2.0), ValueError, "positive int"),
    Case("symbolic.single_neuron.Neuron", "one symbol where a tuple of weights goes",
         lambda: S.Neuron(**_neuron_fields(w=sp.Symbol("w"))), TypeError, "tuple of SymPy"),
    Case("symbolic.single_neuron.Neuron", "more weights than inputs",
         lambda: S.Neuron(**_neuron_fields(x=NEURON.x[:1])), ValueError, "same length"),
    Case("symbolic.single_neuron.Neuron.dz_dw", "an index past the weights",
         lambda: NEURON.dz_dw(2),
         ValueError, "from 0 to 1"),
    Case("symbolic.single_neuron.Neuron.dz_dw", "a negative index (no wrap-around)",
         lambda: NEURON.dz_dw(-1), ValueError, "counted from 0"),
    Case("symbolic.single_neuron.Neuron.chain_rule", "a float index",
         lambda: NEURON.chain_rule(1.0),
         TypeError, "must be an int"),
    Case("symbolic.single_neuron.Neuron.gradient", "a symbol made anew (not real=True)",
         lambda: NEURON.gradient(sp.Symbol("w_1")), ValueError, "other assumptions"),
    Case("symbolic.single_neuron.Neuron.gradient", "a string", lambda: NEURON.gradient("b"),
         TypeError, "one of the symbols"),
    Case("symbolic.helpers.lambdify", "a string expression", lambda: S.lambdify("x + 1", [Z]),
         TypeError, "expr must be a SymPy expression"),
    Case("symbolic.helpers.lambdify", "symbols given as strings", lambda: S.lambdify(Z + 1, ["z"]),
         TypeError, "symbols[0] must be a SymPy symbol"),
    Case("symbolic.helpers.lambdify", "a symbol listed twice", lambda: S.lambdify(Z + 1, [Z, Z]),
         ValueError, "more than once"),
    Case("symbolic.helpers.lambdify", "a symbol of the same name but other assumptions",
         lambda: S.lambdify(Z + 1, [sp.Symbol("z")]), ValueError, "same name"),
    Case("symbolic.helpers.lambdify", "no symbols at all", lambda: S.lambdify(Z + 1, None),
         TypeError, "sequence of SymPy symbols"),
    Case("symbolic.regression.least_squares", "no samples", lambda: S.least_squares(0),
         ValueError, "n_samples must be a positive int"),
    Case("symbolic.regression.least_squares", "a fractional feature count",
         lambda: S.least_squares(2, 1.5), ValueError, "n_features must be a positive int"),
    Case("symbolic.regression.LeastSquares", "rows of x that do not match the weights",
         lambda: S.LeastSquares(**_ls_fields(x=LS.x[:2])), ValueError, "one row per target"),
    Case("symbolic.regression.LeastSquares.data", "NaN in x",
         lambda: LS.data(np.full((3, 2), np.nan), np.ones(3)), ValueError, "NaN"),
    Case("symbolic.regression.LeastSquares.data", "complex numbers",
         lambda: LS.data(np.ones((3, 2)) * 1j, np.ones(3)), TypeError, "complex"),
    Case("symbolic.regression.LeastSquares.data", "x of the wrong shape",
         lambda: LS.data(np.ones((2, 2)), np.ones(3)), ValueError, "shape (3, 2)"),
    Case("symbolic.regression.LeastSquares.gradient", "a symbol not in the loss",
         lambda: LS.gradient(sp.Symbol("q")), ValueError, "one of the symbols"),
    Case("symbolic.losses.softmax", "one logit, not a list", lambda: S.softmax(Z),
         TypeError, "wrap it in a list"),
    Case("symbolic.losses.softmax", "a string of names", lambda: S.softmax("abc"),
         TypeError, "sp.symbols"),
    Case("symbolic.losses.softmax", "a 2-D Matrix (whose rows?)",
         lambda: S.softmax(sp.ones(2, 2)), ValueError, "one row or one column"),
    Case("symbolic.losses.softmax", "no logits", lambda: S.softmax([]), ValueError, "at least one"),
    Case("symbolic.losses.cross_entropy", "a class index as the target",
         lambda: S.cross_entropy(P3, 2), TypeError, "one-hot"),
    Case("symbolic.losses.cross_entropy", "targets and probabilities of different lengths",
         lambda: S.cross_entropy(P3, [1, 0]), ValueError, "as many targets"),
    Case("symbolic.losses.cross_entropy", "no classes (a sum of nothing is not a loss)",
         lambda: S.cross_entropy([], []), ValueError, "at least one class"),
    Case("symbolic.losses.cross_entropy", "a probability above 1",
         lambda: S.cross_entropy([1.5, 0.2], [1, 0]), ValueError, "probability in [0, 1]"),
    Case("symbolic.losses.binary_cross_entropy", "a list of outputs",
         lambda: S.binary_cross_entropy([Z], [1]), TypeError, "got list"),
    Case("symbolic.losses.binary_cross_entropy", "a probability outside [0, 1]",
         lambda: S.binary_cross_entropy(1.5, 1), ValueError, "probability in [0, 1]"),
    Case("symbolic.losses.binary_cross_entropy", "a string target",
         lambda: S.binary_cross_entropy(Z, "1"), TypeError, "y must be a SymPy expression"),
    Case("symbolic.losses.mean_squared_error", "one expression, not a list",
         lambda: S.mean_squared_error(Z, 1), TypeError, "wrap it in a list"),
    Case("symbolic.losses.mean_squared_error", "nested lists",
         lambda: S.mean_squared_error([[Z, Z]], [[1, 2]]), TypeError, "a[0]"),
    Case("symbolic.losses.mean_squared_error", "Matrices of different shapes (same size)",
         lambda: S.mean_squared_error(sp.ones(2, 2), sp.ones(1, 4)), ValueError, "same shape"),
    Case("symbolic.losses.mean_squared_error", "lengths that differ",
         lambda: S.mean_squared_error([Z], [1, 2]), ValueError, "same length"),
    Case("symbolic.dense.dense_network", "one int for the sizes", lambda: S.dense_network(3),
         TypeError, "sequence of ints"),
    Case("symbolic.dense.dense_network", "a single size", lambda: S.dense_network((3,)),
         ValueError, "at least two"),
    Case("symbolic.dense.dense_network", "an unknown activation",
         lambda: S.dense_network((2, 2), "relu"), ValueError, "unknown activation 'relu'"),
    Case("symbolic.dense.dense_network", "None as the activation",
         lambda: S.dense_network((2, 2), None), TypeError, "activation must be a name"),
    Case("symbolic.dense.dense_network", "zero samples",
         lambda: S.dense_network((2, 2), n_samples=0), ValueError, "n_samples"),
    Case("symbolic.dense.DenseNetwork", "one activation for two layers",
         lambda: S.DenseNetwork(**_net_fields(activations=("sigmoid",))), ValueError,
         "2 entries"),
    Case("symbolic.dense.DenseNetwork.W", "layer 0 (layers count from 1)", lambda: NET.W(0),
         ValueError, "from 1 to 2"),
    Case("symbolic.dense.DenseNetwork.a", "a layer past the output", lambda: NET.a(3),
         ValueError, "from 0 to 2"),
    Case("symbolic.dense.DenseNetwork.dense", "a_prev with the wrong number of columns",
         lambda: NET.dense(1, sp.Matrix([[1, 2, 3]])), ValueError, "2 columns"),
    Case("symbolic.dense.DenseNetwork.sigma", "a list instead of a Matrix",
         lambda: NET.sigma(1, [Z]), TypeError, "SymPy Matrix"),
    Case("symbolic.dense.DenseNetwork.loss_of", "an output of the wrong shape",
         lambda: NET.loss_of(sp.Matrix([[1, 2]])), ValueError, "shape (1, 1)"),
    Case("symbolic.dense.DenseNetwork.symbols", "a number as the name", lambda: NET.symbols(1, 1),
         TypeError, "name must be a name"),
    Case("symbolic.dense.DenseNetwork.gradient", "one symbol, not a Matrix",
         lambda: NET.gradient(NET.W(1)[0, 0]), TypeError, "sp.diff(net.loss, s)"),
    Case("symbolic.dense.DenseNetwork.gradient", "a Matrix of symbols made anew",
         lambda: NET.gradient(sp.Matrix([[sp.Symbol("q")]])), ValueError,
         "not a symbol of this network"),
    Case("symbolic.dense.DenseNetwork.arguments", "one array for all the weights",
         lambda: NET.arguments(np.ones((2, 3)), *NET_ARGS[1:]), TypeError, "list of 2 arrays"),
    Case("symbolic.dense.DenseNetwork.arguments", "NaN in the batch",
         lambda: NET.arguments(*NET_ARGS[:2], np.full((1, 2), np.nan), NET_ARGS[3]),
         ValueError, "NaN"),
    Case("symbolic.dense.DenseNetwork.arguments", "x of the wrong shape",
         lambda: NET.arguments(*NET_ARGS[:2], np.ones((2, 2)), NET_ARGS[3]),
         ValueError, "x must have shape (1, 2)"),
]


def _square(x: np.ndarray) -> np.ndarray:
    return x**2


def _bowl(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    return u**2 + v**2


def _two_scores(points: np.ndarray) -> np.ndarray:
    return np.column_stack([points[:, 0], -points[:, 0]])


PATH_2D = [[1.0, 1.0], [0.5, 0.5]]
XY, LABELS = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]]), np.array([0, 1, 1])
GRID = {("relu", "he"): {"dW": [1.0, 2.0, 3.0]}}
ALPHAS, BETAS = np.linspace(-1, 1, 5), np.linspace(-1, 1, 4)
SLICE = np.add.outer(BETAS**2, ALPHAS**2)
MATMUL = [("z", [("x", (2, 3)), "@", ("W", (3, 4))])]


def _graph() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    return a * b + a


VIZ = [
    Case("viz.calculus.plot_tangent", "the gradient as a Tensor", lambda: V.plot_tangent(
        _square, 1.0, Tensor(2.0)), TypeError, ".item()"),
    Case("viz.calculus.plot_tangent", "several slopes at once", lambda: V.plot_tangent(
        _square, 1.0, np.array([2.0, 3.0])), ValueError, "one number"),
    Case("viz.calculus.plot_tangent", "a NaN slope", lambda: V.plot_tangent(_square, 1.0, np.nan),
         ValueError, "finite"),
    Case("viz.calculus.plot_tangent",
         "a function of scalars only (returns one number for an array)",
         lambda: V.plot_tangent(lambda x: 1.0, 1.0, 2.0), ValueError, "elementwise"),
    Case("viz.calculus.plot_tangent", "a zero span",
         lambda: V.plot_tangent(_square, 1.0, 2.0, span=0),
         ValueError, "span must be positive"),
    Case("viz.calculus.plot_descent_1d", "a 2-D path", lambda: V.plot_descent_1d(
        _square, np.ones((3, 2))), ValueError, "(steps + 1,)"),
    Case("viz.calculus.plot_descent_1d", "a diverged path (NaN)", lambda: V.plot_descent_1d(
        _square, [1.0, np.nan]), ValueError, "finite part"),
    Case("viz.calculus.plot_descent_1d", "xlim the wrong way round", lambda: V.plot_descent_1d(
        _square, [1.0, 0.5], xlim=(2, 1)), ValueError, "low < high"),
    Case("viz.calculus.plot_descent_1d", "a negative max_arrows", lambda: V.plot_descent_1d(
        _square, [1.0, 0.5], max_arrows=-1), ValueError, "max_arrows"),
    Case("viz.calculus.plot_descent_1d", "an unknown colour", lambda: V.plot_descent_1d(
        _square, [1.0, 0.5], color="reddish"), ValueError, "colour"),
    Case("viz.calculus.plot_descent_contour", "a path of three columns",
         lambda: V.plot_descent_contour(
        _bowl, np.ones((3, 3))), ValueError, "(steps + 1, 2)"),
    Case("viz.calculus.plot_descent_contour", "zero levels", lambda: V.plot_descent_contour(
        _bowl, PATH_2D, levels=0), ValueError, "levels"),
    Case("viz.calculus.plot_descent_contour", "decreasing levels", lambda: V.plot_descent_contour(
        _bowl, PATH_2D, levels=[3, 2, 1]), ValueError, "increasing"),
    Case("viz.calculus.plot_descent_contour", "a grid of one point", lambda: V.plot_descent_contour(
        _bowl, PATH_2D, resolution=1), ValueError, "resolution"),
    Case("viz.calculus.plot_descent_contour", "a minimum of three numbers",
         lambda: V.plot_descent_contour(_bowl, PATH_2D, minimum=(1, 2, 3)), ValueError,
         "minimum must be a point"),
    Case("viz.calculus.plot_descent_contour", "a loss that is NaN everywhere in the window",
         lambda: V.plot_descent_contour(lambda u, v: u * np.nan, PATH_2D), ValueError,
         "everywhere in the window"),
    Case("viz.graphs.draw_graph", "a float instead of a Value", lambda: V.draw_graph(1.0),
         TypeError, "needs a Value"),
    Case("viz.graphs.draw_graph", "a %-style format", lambda: V.draw_graph(_graph(), fmt="%d"),
         ValueError, "'.4f'"),
    Case("viz.graphs.draw_graph", "a zero font size", lambda: V.draw_graph(_graph(), fontsize=0),
         ValueError, "fontsize must be positive"),
    Case("viz.graphs.draw_graph", "show_grad as a string", lambda: V.draw_graph(
        _graph(), show_grad="no"), TypeError, "True or False"),
    Case("viz.training.plot_decision_boundary", "one-hot labels", lambda: V.plot_decision_boundary(
        _two_scores, XY, np.eye(3)[:, :2]), ValueError, "argmax"),
    Case("viz.training.plot_decision_boundary", "fractional labels",
         lambda: V.plot_decision_boundary(
        _two_scores, XY, np.array([0.5, 1.0, 1.0])), ValueError, "integer class labels"),
    Case("viz.training.plot_decision_boundary", "no points", lambda: V.plot_decision_boundary(
        _two_scores, np.zeros((0, 2)), np.zeros(0, int)), ValueError, "(N, 2)"),
    Case("viz.training.plot_decision_boundary", "a model that returns NaN",
         lambda: V.plot_decision_boundary(lambda p: p * np.nan, XY, LABELS), ValueError,
         "scores contains"),
    Case("viz.training.plot_decision_boundary", "an unknown colormap",
         lambda: V.plot_decision_boundary(
        _two_scores, XY, LABELS, cmap="tab100"), ValueError, "unknown colormap"),
    Case("viz.training.plot_curves", "one list instead of a dict",
         lambda: V.plot_curves([1.0, 2.0]),
         TypeError, "{'loss': values}"),
    Case("viz.training.plot_curves", "a curve with NaN",
         lambda: V.plot_curves({"SGD": [1.0, np.nan]}),
         ValueError, "NaN"),
    Case("viz.training.plot_curves", "logy with a zero loss", lambda: V.plot_curves(
        {"SGD": [1.0, 0.0]}, logy=True), ValueError, "logy needs positive values"),
    Case("viz.training.plot_curves", "an empty curve", lambda: V.plot_curves({"a": []}),
         ValueError, "non-empty"),
    Case("viz.training.plot_confusion_matrix", "predicted scores instead of classes",
         lambda: V.plot_confusion_matrix([0, 1], np.array([[0.9, 0.1], [0.2, 0.8]])),
         ValueError, "1-D"),
    Case("viz.training.plot_confusion_matrix", "an unknown colormap",
         lambda: V.plot_confusion_matrix(
        [0, 1], [0, 1], cmap="blues"), ValueError, "did you mean 'Blues'"),
    Case("viz.training.plot_digits", "zero columns", lambda: V.plot_digits(
        np.zeros((3, 64)), [0, 1, 2], ncols=0), ValueError, "ncols"),
    Case("viz.training.plot_digits", "a label per image missing", lambda: V.plot_digits(
        np.zeros((3, 64)), [0, 1]), ValueError, "one label"),
    Case("viz.training.plot_digits", "one-hot labels", lambda: V.plot_digits(
        np.zeros((3, 64)), np.eye(3)), ValueError, "1-D"),
    Case("viz.training.plot_digits", "a shape of one side", lambda: V.plot_digits(
        np.zeros((3, 64)), [0, 1, 2], shape=(8,)), ValueError, "two ints"),
    Case("source.source_bundle", "the function's name as a string",
         lambda: source.source_bundle("plot_grid"), TypeError, "not its name"),
    Case("source.source_bundle", "a built-in without Python source",
         lambda: source.source_bundle(len), TypeError, "no Python source"),
    Case("source.source_bundle", "a zero width", lambda: source.source_bundle(V.plot_grid, 0),
         ValueError, "width"),
    Case("source.show_source", "a compiled NumPy function", lambda: source.show_source(np.exp),
         TypeError, "no Python source"),
    Case("viz.matrices.plot_matmul_shapes", "items as one string (split into characters)",
         lambda: V.plot_matmul_shapes([("z", "x @ W")]), TypeError, "must be a list"),
    Case("viz.matrices.plot_matmul_shapes", "a block with a zero side",
         lambda: V.plot_matmul_shapes(
        [("z", [("x", (0, 3))])]), ValueError, "two positive ints"),
    Case("viz.matrices.plot_matmul_shapes", "no rows", lambda: V.plot_matmul_shapes([]),
         ValueError, "at least one"),
    Case("viz.matrices.plot_matmul_shapes", "a gap given as a string", lambda: V.plot_matmul_shapes(
        MATMUL, gap="1"), TypeError, "gap must be a real number"),
    Case("viz.matrices.plot_outer_products", "different batch sizes", lambda: V.plot_outer_products(
        np.ones((2, 3)), np.ones((1, 4))), ValueError, "same N rows"),
    Case("viz.matrices.plot_outer_products", "no examples", lambda: V.plot_outer_products(
        np.ones((0, 3)), np.ones((0, 4))), ValueError, "at least one example"),
    Case("viz.matrices.plot_outer_products", "complex numbers", lambda: V.plot_outer_products(
        np.ones((2, 3)) * 1j, np.ones((2, 4))), TypeError, "complex"),
    Case("viz.matrices.plot_outer_products", "numbers where the axes go",
         lambda: V.plot_outer_products(
        np.ones((2, 3)), np.ones((2, 4)), axes=[1, 2, 3]), TypeError, "axes[0]"),
    Case("viz.landscape.plot_layer_grid", "a row key as a string (split into characters)",
         lambda: V.plot_layer_grid(GRID, "relu", ["he"]), TypeError, "['relu']"),
    Case("viz.landscape.plot_layer_grid", "a missing case", lambda: V.plot_layer_grid(
        GRID, ["relu", "tanh"], ["he"]), ValueError, "no entry"),
    Case("viz.landscape.plot_layer_grid", "an infinite norm (on a log axis)",
         lambda: V.plot_layer_grid(
        {("relu", "he"): {"dW": [1.0, np.inf]}}, ["relu"], ["he"]), ValueError, "infinite"),
    Case("viz.landscape.plot_layer_grid", "a panel with no curve", lambda: V.plot_layer_grid(
        {("relu", "he"): {}}, ["relu"], ["he"]), ValueError, "no curve"),
    Case("viz.landscape.plot_loss_slice", "values transposed", lambda: V.plot_loss_slice(
        ALPHAS, BETAS, SLICE.T), ValueError, "len(betas)"),
    Case("viz.landscape.plot_loss_slice", "decreasing coordinates", lambda: V.plot_loss_slice(
        ALPHAS[::-1], BETAS, SLICE), ValueError, "increasing"),
    Case("viz.landscape.plot_loss_slice", "a loss that overflowed", lambda: V.plot_loss_slice(
        ALPHAS, BETAS, SLICE + np.where(SLICE > 1, np.inf, 0)), ValueError, "infinite"),
    Case("viz.landscape.plot_loss_slice", "one explicit level", lambda: V.plot_loss_slice(
        ALPHAS, BETAS, SLICE, levels=[1.0]), ValueError, "at least 2"),
    Case("viz.matrices.plot_grid", "a 1-D array",
         lambda: V.plot_grid(np.ones(3)), ValueError, "2-D"),
    Case("viz.matrices.plot_grid", "a %-style format (written as it is)", lambda: V.plot_grid(
        np.ones((2, 2)), fmt="%.1f"), ValueError, "'{:.1f}'"),
    Case("viz.matrices.plot_grid", "one rectangle instead of a list", lambda: V.plot_grid(
        np.ones((2, 2)), highlight=(0, 0, 1, 1)), ValueError, "[(0, 0, 1, 1)]"),
    Case("viz.matrices.plot_grid", "a rectangle outside the array", lambda: V.plot_grid(
        np.ones((2, 2)), highlight=[(5, 5, 1, 1)]), ValueError, "outside"),
    Case("viz.matrices.plot_grid", "vmin above vmax", lambda: V.plot_grid(
        np.ones((2, 2)), vmin=2, vmax=1), ValueError, "vmin must not exceed vmax"),
    Case("viz.matrices.plot_hinton", "no weights", lambda: V.plot_hinton(np.ones((0, 2))),
         ValueError, "2-D array of weights"),
    Case("viz.matrices.plot_hinton", "a zero max_weight", lambda: V.plot_hinton(
        np.ones((2, 2)), max_weight=0), ValueError, "max_weight must be positive"),
    Case("viz.matrices.plot_hinton", "too few row labels", lambda: V.plot_hinton(
        np.ones((2, 2)), row_labels=["a"]), ValueError, "one label per row"),
    Case("viz.matrices.plot_hinton", "labels as one string", lambda: V.plot_hinton(
        np.ones((2, 2)), col_labels="ab"), TypeError, "list of 2 labels"),
]


def sigmoid_derivative(z: np.ndarray) -> np.ndarray:
    s = 1 / (1 + np.exp(-z))
    return s * (1 - s)


def _exercise(**changes: object) -> core.ReferenceExercise:
    fields = dict(
        name="double", chapter=0, task="Return 2x.", signature="double(x)",
        outputs=(core.Output("2x"),), make_inputs=lambda rng: (rng.normal(),),
        expected=lambda x: (2 * x,), hint="Multiply by two.", nudge="How much bigger?",
    )
    return core.ReferenceExercise(**{**fields, **changes})


def _trial(fn, rng):  # noqa: ANN001, ANN202
    return None


ONES = np.ones
X_TWO_LAYER = dict(x=ONES((3, 2)), y=ONES((3, 1)), W1=ONES((2, 4)), b1=ONES(4), W2=ONES((4, 1)),
                   b2=ONES(1))
NET_1986 = dict(W1=ONES((3, 2)), b1=ONES(2), W2=ONES((2, 1)), b2=ONES(1), X=ONES((4, 3)),
                D=ONES((4, 1)))
LOGITS = np.array([[1.0, 2.0, 0.5], [0.1, 0.2, 0.3]])

EXERCISES = [
    # check() answers a misspelt name or any answer with a verdict
    # (tests/test_exercises_verdicts.py); these are calls wrong in themselves.
    Case("exercises.check", "the arguments swapped", lambda: E.check(
        sigmoid_derivative, "sigmoid_derivative"), TypeError, "the name comes first"),
    Case("exercises.check", "a seed that is not an int", lambda: E.check(
        "sigmoid_derivative", sigmoid_derivative, seed="7", quiet=True), TypeError,
         "seed must be a non-negative int"),
    Case("exercises.check", "a negative seed", lambda: E.check(
        "sigmoid_derivative", sigmoid_derivative, seed=-1, quiet=True), ValueError,
         "non-negative"),
    Case("exercises.check", "hint 3", lambda: E.check(
        "sigmoid_derivative", sigmoid_derivative, hint=3, quiet=True), ValueError,
         "hint must be 1"),
    Case("exercises.check", "quiet as a string", lambda: E.check(
        "sigmoid_derivative", sigmoid_derivative, quiet="yes"), TypeError, "True or False"),
    Case("exercises.describe", "a misspelt name", lambda: E.describe("sigmoid_derivativ"),
         ValueError, "Did you mean 'sigmoid_derivative'"),
    Case("exercises.describe", "the function instead of its name",
         lambda: E.describe(sigmoid_derivative), TypeError, "name must be"),
    Case("exercises.list_exercises", "a chapter without exercises",
         lambda: E.list_exercises(99), ValueError, "chapters with exercises"),
    Case("exercises.list_exercises", "the chapter as a string", lambda: E.list_exercises("2"),
         TypeError, "chapter must be an int"),
    Case("exercises.core.run_check", "a name instead of an Exercise",
         lambda: core.run_check("sigmoid_derivative", sigmoid_derivative), TypeError,
         "check(name, fn)"),
    Case("exercises.core.run_check", "a Generator as the seed", lambda: core.run_check(
        E.EXERCISES["sigmoid_derivative"], sigmoid_derivative, seed=np.random.default_rng()),
         TypeError, "seed"),
    Case("exercises.comparison.Output", "a name that is not a string",
         lambda: core.Output(("dL", "dw")), TypeError, "name must be a non-empty str"),
    Case("exercises.comparison.compare", "a string where the Output goes", lambda: core.compare(
        "dL/dw", np.ones(2), np.ones(2)), TypeError, "Output('dL/dw')"),
    Case("exercises.comparison.compare", "a NaN expected answer", lambda: core.compare(
        core.Output("d"), np.array([np.nan]), np.ones(1)), ValueError, "NaN"),
    Case("exercises.comparison.gradients_by_differences", "one array as the argument list",
         lambda: core.gradients_by_differences(lambda a: float(a.sum()), np.ones(2)),
         TypeError, "list or tuple"),
    Case("exercises.comparison.gradients_by_differences", "a loss that is not a function",
         lambda: core.gradients_by_differences(5, [np.ones(2)]), TypeError, "loss must be"),
    Case("exercises.core.reset_tries", "a misspelt name", lambda: core.reset_tries(
        "mse_gradeint"), ValueError, "Did you mean 'mse_gradient'"),
    Case("exercises.core.reset_tries", "a number", lambda: core.reset_tries(5),
         TypeError, "name must be"),
    Case("exercises.kinds.Exercise", "the interface built directly", lambda: core.Exercise(
        name="double", chapter=0, task="t", signature="double(x)", hint="h", nudge="n"),
         TypeError, "build one of its kinds"),
    Case("exercises.kinds.TrialExercise", "a trial that is not a function",
         lambda: core.TrialExercise(name="double", chapter=0, task="t", signature="double(x)",
                                    hint="h", nudge="n", trial="check it"),
         TypeError, "trial must be a function"),
    Case("exercises.kinds.ReferenceExercise", "None as the nudge", lambda: _exercise(nudge=None),
         TypeError, "nudge must be a str"),
    Case("exercises.kinds.ReferenceExercise", "an empty nudge", lambda: _exercise(nudge=" "),
         ValueError, "expected a nudge"),
    Case("exercises.kinds.ReferenceExercise", "no cases", lambda: _exercise(n_cases=0),
         ValueError, "n_cases"),
    Case("exercises.kinds.ReferenceExercise", "outputs as a list of names",
         lambda: _exercise(outputs=["2x"]), TypeError, "tuple of Output"),
    Case("exercises.kinds.custom_exercise", "no trial function", lambda: core.custom_exercise(
        "double", 0, "Return 2x.", "double(x)", "Multiply by two.", None, nudge="Bigger?"),
         TypeError, "trial must be a function"),
    Case("exercises.kinds.custom_exercise", "a name with a space", lambda: core.custom_exercise(
        "my double", 0, "Return 2x.", "double(x)", "Multiply.", _trial, nudge="Bigger?"),
         ValueError, "Python name"),
    Case("exercises.chain_rule.neuron_loss", "w and x of different lengths",
         lambda: chain_rule.neuron_loss(ONES(2), ONES(3), 0.5, 1.0), ValueError,
         "same shape"),
    Case("exercises.chain_rule.neuron_loss", "a bias of several numbers",
         lambda: chain_rule.neuron_loss(ONES(2), ONES(2), ONES(2), 1.0), ValueError,
         "b must be one number"),
    Case("exercises.chain_rule.neuron_loss", "NaN weights",
         lambda: chain_rule.neuron_loss(ONES(2) * np.nan, ONES(2), 0.5, 1.0), ValueError,
         "NaN"),
    Case("exercises.chain_rule.neuron_loss", "a Tensor", lambda: chain_rule.neuron_loss(
        Tensor([1.0, 2.0]), ONES(2), 0.5, 1.0), TypeError, ".data"),
    Case("exercises.forward_vs_reverse.g", "two numbers", lambda: modes.g(ONES(2)), ValueError,
         "3 numbers"),
    Case("exercises.forward_vs_reverse.g", "a 2-D array (not a batch)",
         lambda: modes.g(ONES((3, 2))), ValueError, "1-D"),
    Case("exercises.forward_vs_reverse.g", "complex numbers", lambda: modes.g(ONES(3) * 1j),
         TypeError, "complex"),
    Case("exercises.computational_graphs.fanout_loss", "a Value (the graph would be cut at tanh)",
         lambda: graphs.fanout_loss(Value(1.0), 2.0, 3.0), TypeError, ".tanh()"),
    Case("exercises.computational_graphs.fanout_loss", "an array", lambda: graphs.fanout_loss(
        ONES(2), 2.0, 3.0), ValueError, "one number"),
    Case("exercises.computational_graphs.fanout_loss", "a string", lambda: graphs.fanout_loss(
        "1", 2.0, 3.0), TypeError, "real number"),
    Case("exercises.modern_frameworks.softplus", "a NumPy array", lambda: higher_order.softplus(
        ONES(2)), TypeError, "Tensor(x)"),
    Case("exercises.losses.log_softmax_reference", "one row as a 1-D array",
         lambda: losses_ex.log_softmax_reference(np.array([1.0, 2.0])), ValueError, "2-D"),
    Case("exercises.losses.log_softmax_reference", "too few digits",
         lambda: losses_ex.log_softmax_reference(LOGITS, digits=5), ValueError,
         "at least 17"),
    Case("exercises.losses.log_softmax_reference", "an infinite logit",
         lambda: losses_ex.log_softmax_reference(np.array([[np.inf, 1.0]])), ValueError,
         "infinite"),
    Case("exercises.losses.mean_cross_entropy", "a label past the classes",
         lambda: losses_ex.mean_cross_entropy(LOGITS, np.array([0, 3])), ValueError,
         "labels"),
    Case("exercises.losses.mean_cross_entropy", "a negative label (would count from the end)",
         lambda: losses_ex.mean_cross_entropy(LOGITS, np.array([0, -1])), ValueError,
         "labels"),
    Case("exercises.losses.mean_cross_entropy", "fewer labels than rows",
         lambda: losses_ex.mean_cross_entropy(LOGITS, np.array([0])), ValueError, "labels"),
    Case("exercises.losses.mean_cross_entropy", "no rows",
         lambda: losses_ex.mean_cross_entropy(np.ones((0, 3)), np.array([], int)),
         ValueError, "at least one row"),
    Case("exercises.losses.mean_bce", "shapes that would broadcast",
         lambda: losses_ex.mean_bce(ONES((2, 1)), ONES(2)), ValueError, "same non-empty shape"),
    Case("exercises.losses.mean_bce", "a target of 2", lambda: losses_ex.mean_bce(
        ONES(2), np.array([2.0, 0.0])), ValueError, "[0, 1]"),
    Case("exercises.losses.mean_bce", "no entries", lambda: losses_ex.mean_bce(
        ONES(0), ONES(0)), ValueError, "non-empty"),
    Case("exercises.matrix_backprop.two_layer_loss", "y of shape (N,) for one output",
         lambda: matrix_form.two_layer_loss(**{**X_TWO_LAYER, "y": ONES(3)}), ValueError,
         "y must have shape (3, 1)"),
    Case("exercises.matrix_backprop.two_layer_loss", "x and W1 that do not fit",
         lambda: matrix_form.two_layer_loss(**{**X_TWO_LAYER, "x": ONES((3, 5))}),
         ValueError, "W1 must have shape (5, 4)"),
    Case("exercises.matrix_backprop.two_layer_loss", "a bias as a row (1, H)",
         lambda: matrix_form.two_layer_loss(**{**X_TWO_LAYER, "b1": ONES((1, 4))}),
         ValueError, "b1 must be 1-D"),
    Case("exercises.learning_as_optimisation.mse", "y as a column (N, 1)", lambda: optimisation.mse(
        ONES((4, 2)), ONES((4, 1)), ONES(2), 0.5), ValueError, "y must have shape (4,)"),
    Case("exercises.learning_as_optimisation.mse", "one weight too many", lambda: optimisation.mse(
        ONES((4, 2)), ONES(4), ONES(3), 0.5), ValueError, "w must have shape (2,)"),
    Case("exercises.learning_as_optimisation.mse", "a bias per example", lambda: optimisation.mse(
        ONES((4, 2)), ONES(4), ONES(2), ONES(4)), ValueError, "b must be one number"),
    Case("exercises.learning_as_optimisation.mse", "no examples", lambda: optimisation.mse(
        ONES((0, 2)), ONES(0), ONES(2), 0.5), ValueError, "no rows"),
    Case("exercises.paper_1986.summed_error", "targets D as a 1-D array",
         lambda: paper1986.summed_error(**{**NET_1986, "D": ONES(4)}), ValueError, "D must be"),
    Case("exercises.paper_1986.summed_error", "X with the wrong number of inputs",
         lambda: paper1986.summed_error(**{**NET_1986, "X": ONES((4, 2))}), ValueError,
         "W1 must have shape"),
    Case("exercises.paper_1986.margin_error", "a target of 0.5 (neither on nor off)",
         lambda: paper1986.margin_error(np.array([0.9, 0.1]), np.array([0.5, 0.0])),
         ValueError, "0 or 1"),
    Case("exercises.paper_1986.margin_error", "an output above 1",
         lambda: paper1986.margin_error(np.array([1.5, 0.1]), np.array([1.0, 0.0])),
         ValueError, "[0, 1]"),
    Case("exercises.paper_1986.margin_error", "a margin of 0.6",
         lambda: paper1986.margin_error(np.array([0.9, 0.1]), np.array([1.0, 0.0]), 0.6),
         ValueError, "margin must be in [0, 0.5)"),
    Case("exercises.paper_1986.margin_error", "shapes that would broadcast",
         lambda: paper1986.margin_error(ONES((2, 1)) / 2, np.array([1.0, 0.0])), ValueError,
         "same shape"),
    Case("exercises.tensor_engine.log_softmax_rows", "a Tensor",
         lambda: tensor_engine.log_softmax_rows(Tensor([1.0, 2.0])), TypeError, ".data"),
    Case("exercises.tensor_engine.log_softmax_rows", "rows without logits",
         lambda: tensor_engine.log_softmax_rows(np.ones((2, 0))), ValueError,
         "at least one logit"),
    Case("exercises.training.softmax_regression_loss", "a label past the classes",
         lambda: training.softmax_regression_loss(ONES((3, 4)), ONES((5, 3)),
                                                  np.array([0, 1, 2, 4, 0])), ValueError,
         "labels"),
    Case("exercises.training.softmax_regression_loss", "W and X that do not fit",
         lambda: training.softmax_regression_loss(ONES((2, 4)), ONES((5, 3)),
                                                  np.array([0, 1, 2, 3, 0])), ValueError,
         "needs X (N, D)"),
    Case("exercises.gradient_checking.softmax_rows", "NaN logits", lambda: debugging.softmax_rows(
        np.array([np.nan, 2.0])), ValueError, "NaN"),
    Case("exercises.gradient_checking.softmax_rows", "one number", lambda: debugging.softmax_rows(
        np.float64(1.0)), ValueError, "rows of at least one logit"),
]

CASES = SYMBOLIC + VIZ + EXERCISES


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    if case.name == "exercises.kinds.custom_exercise":  # deprecated: it warns, then refuses
        with pytest.warns(DeprecationWarning, match="TrialExercise"):
            check(case)
    else:
        check(case)
    plt.close("all")
