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

from backprop_course import symbolic as S  # noqa: E402

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
    Case("symbolic.sigmoid", "a string instead of a symbol", lambda: S.sigmoid("z"),
         TypeError, "sp.Symbol('z', real=True)"),
    Case("symbolic.sigmoid", "a Matrix", lambda: S.sigmoid(sp.Matrix([Z, Z])),
         TypeError, "applyfunc"),
    Case("symbolic.sigmoid", "a NumPy array", lambda: S.sigmoid(np.array([1.0, 2.0])),
         TypeError, "got ndarray"),
    Case("symbolic.sigmoid", "NaN", lambda: S.sigmoid(float("nan")), ValueError, "finite"),
    Case("symbolic.partial", "None as a name", lambda: S.partial(None, "a"),
         TypeError, "of must be a name"),
    Case("symbolic.partial", "an empty name", lambda: S.partial("L", ""),
         ValueError, "non-empty"),
    Case("symbolic.neuron", "zero inputs", lambda: S.neuron(0), ValueError, "positive int"),
    Case("symbolic.neuron", "a float count", lambda: S.neuron(2.0), ValueError, "positive int"),
    Case("symbolic.Neuron", "one symbol where a tuple of weights goes",
         lambda: S.Neuron(**_neuron_fields(w=sp.Symbol("w"))), TypeError, "tuple of SymPy"),
    Case("symbolic.Neuron", "more weights than inputs",
         lambda: S.Neuron(**_neuron_fields(x=NEURON.x[:1])), ValueError, "same length"),
    Case("symbolic.Neuron.dz_dw", "an index past the weights", lambda: NEURON.dz_dw(2),
         ValueError, "from 0 to 1"),
    Case("symbolic.Neuron.dz_dw", "a negative index (no wrap-around)",
         lambda: NEURON.dz_dw(-1), ValueError, "counted from 0"),
    Case("symbolic.Neuron.chain_rule", "a float index", lambda: NEURON.chain_rule(1.0),
         TypeError, "must be an int"),
    Case("symbolic.Neuron.gradient", "a symbol made anew (not real=True)",
         lambda: NEURON.gradient(sp.Symbol("w_1")), ValueError, "other assumptions"),
    Case("symbolic.Neuron.gradient", "a string", lambda: NEURON.gradient("b"),
         TypeError, "one of the symbols"),
    Case("symbolic.lambdify", "a string expression", lambda: S.lambdify("x + 1", [Z]),
         TypeError, "expr must be a SymPy expression"),
    Case("symbolic.lambdify", "symbols given as strings", lambda: S.lambdify(Z + 1, ["z"]),
         TypeError, "symbols[0] must be a SymPy symbol"),
    Case("symbolic.lambdify", "a symbol listed twice", lambda: S.lambdify(Z + 1, [Z, Z]),
         ValueError, "more than once"),
    Case("symbolic.lambdify", "a symbol of the same name but other assumptions",
         lambda: S.lambdify(Z + 1, [sp.Symbol("z")]), ValueError, "same name"),
    Case("symbolic.lambdify", "no symbols at all", lambda: S.lambdify(Z + 1, None),
         TypeError, "sequence of SymPy symbols"),
    Case("symbolic.least_squares", "no samples", lambda: S.least_squares(0),
         ValueError, "n_samples must be a positive int"),
    Case("symbolic.least_squares", "a fractional feature count",
         lambda: S.least_squares(2, 1.5), ValueError, "n_features must be a positive int"),
    Case("symbolic.LeastSquares", "rows of x that do not match the weights",
         lambda: S.LeastSquares(**_ls_fields(x=LS.x[:2])), ValueError, "one row per target"),
    Case("symbolic.LeastSquares.data", "NaN in x",
         lambda: LS.data(np.full((3, 2), np.nan), np.ones(3)), ValueError, "NaN"),
    Case("symbolic.LeastSquares.data", "complex numbers",
         lambda: LS.data(np.ones((3, 2)) * 1j, np.ones(3)), TypeError, "complex"),
    Case("symbolic.LeastSquares.data", "x of the wrong shape",
         lambda: LS.data(np.ones((2, 2)), np.ones(3)), ValueError, "shape (3, 2)"),
    Case("symbolic.LeastSquares.gradient", "a symbol not in the loss",
         lambda: LS.gradient(sp.Symbol("q")), ValueError, "one of the symbols"),
    Case("symbolic.softmax", "one logit, not a list", lambda: S.softmax(Z),
         TypeError, "wrap it in a list"),
    Case("symbolic.softmax", "a string of names", lambda: S.softmax("abc"),
         TypeError, "sp.symbols"),
    Case("symbolic.softmax", "a 2-D Matrix (whose rows?)",
         lambda: S.softmax(sp.ones(2, 2)), ValueError, "one row or one column"),
    Case("symbolic.softmax", "no logits", lambda: S.softmax([]), ValueError, "at least one"),
    Case("symbolic.cross_entropy", "a class index as the target",
         lambda: S.cross_entropy(P3, 2), TypeError, "one-hot"),
    Case("symbolic.cross_entropy", "targets and probabilities of different lengths",
         lambda: S.cross_entropy(P3, [1, 0]), ValueError, "as many targets"),
    Case("symbolic.cross_entropy", "no classes (a sum of nothing is not a loss)",
         lambda: S.cross_entropy([], []), ValueError, "at least one class"),
    Case("symbolic.cross_entropy", "a probability above 1",
         lambda: S.cross_entropy([1.5, 0.2], [1, 0]), ValueError, "probability in [0, 1]"),
    Case("symbolic.binary_cross_entropy", "a list of outputs",
         lambda: S.binary_cross_entropy([Z], [1]), TypeError, "got list"),
    Case("symbolic.binary_cross_entropy", "a probability outside [0, 1]",
         lambda: S.binary_cross_entropy(1.5, 1), ValueError, "probability in [0, 1]"),
    Case("symbolic.binary_cross_entropy", "a string target",
         lambda: S.binary_cross_entropy(Z, "1"), TypeError, "y must be a SymPy expression"),
    Case("symbolic.mean_squared_error", "one expression, not a list",
         lambda: S.mean_squared_error(Z, 1), TypeError, "wrap it in a list"),
    Case("symbolic.mean_squared_error", "nested lists",
         lambda: S.mean_squared_error([[Z, Z]], [[1, 2]]), TypeError, "a[0]"),
    Case("symbolic.mean_squared_error", "Matrices of different shapes (same size)",
         lambda: S.mean_squared_error(sp.ones(2, 2), sp.ones(1, 4)), ValueError, "same shape"),
    Case("symbolic.mean_squared_error", "lengths that differ",
         lambda: S.mean_squared_error([Z], [1, 2]), ValueError, "same length"),
    Case("symbolic.dense_network", "one int for the sizes", lambda: S.dense_network(3),
         TypeError, "sequence of ints"),
    Case("symbolic.dense_network", "a single size", lambda: S.dense_network((3,)),
         ValueError, "at least two"),
    Case("symbolic.dense_network", "an unknown activation",
         lambda: S.dense_network((2, 2), "relu"), ValueError, "unknown activation 'relu'"),
    Case("symbolic.dense_network", "None as the activation",
         lambda: S.dense_network((2, 2), None), TypeError, "activation must be a name"),
    Case("symbolic.dense_network", "zero samples",
         lambda: S.dense_network((2, 2), n_samples=0), ValueError, "n_samples"),
    Case("symbolic.DenseNetwork", "one activation for two layers",
         lambda: S.DenseNetwork(**_net_fields(activations=("sigmoid",))), ValueError,
         "2 entries"),
    Case("symbolic.DenseNetwork.W", "layer 0 (layers count from 1)", lambda: NET.W(0),
         ValueError, "from 1 to 2"),
    Case("symbolic.DenseNetwork.a", "a layer past the output", lambda: NET.a(3),
         ValueError, "from 0 to 2"),
    Case("symbolic.DenseNetwork.dense", "a_prev with the wrong number of columns",
         lambda: NET.dense(1, sp.Matrix([[1, 2, 3]])), ValueError, "2 columns"),
    Case("symbolic.DenseNetwork.sigma", "a list instead of a Matrix",
         lambda: NET.sigma(1, [Z]), TypeError, "SymPy Matrix"),
    Case("symbolic.DenseNetwork.loss_of", "an output of the wrong shape",
         lambda: NET.loss_of(sp.Matrix([[1, 2]])), ValueError, "shape (1, 1)"),
    Case("symbolic.DenseNetwork.symbols", "a number as the name", lambda: NET.symbols(1, 1),
         TypeError, "name must be a name"),
    Case("symbolic.DenseNetwork.gradient", "one symbol, not a Matrix",
         lambda: NET.gradient(NET.W(1)[0, 0]), TypeError, "sp.diff(net.loss, s)"),
    Case("symbolic.DenseNetwork.gradient", "a Matrix of symbols made anew",
         lambda: NET.gradient(sp.Matrix([[sp.Symbol("q")]])), ValueError,
         "not a symbol of this network"),
    Case("symbolic.DenseNetwork.arguments", "one array for all the weights",
         lambda: NET.arguments(np.ones((2, 3)), *NET_ARGS[1:]), TypeError, "list of 2 arrays"),
    Case("symbolic.DenseNetwork.arguments", "NaN in the batch",
         lambda: NET.arguments(*NET_ARGS[:2], np.full((1, 2), np.nan), NET_ARGS[3]),
         ValueError, "NaN"),
    Case("symbolic.DenseNetwork.arguments", "x of the wrong shape",
         lambda: NET.arguments(*NET_ARGS[:2], np.ones((2, 2)), NET_ARGS[3]),
         ValueError, "x must have shape (1, 2)"),
]

CASES = SYMBOLIC


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    check(case)
    plt.close("all")
