"""Exercises of the chapter "Backprop in matrix form".

Shapes follow the book: a batch x of shape (N, D_in), weights W (D_in, D_out),
bias b (D_out,), z = x @ W + b, and δ = dL/dz of z's shape. Every expected
answer is computed from a definition, never from the formula the learner is
asked to write: central differences of a scalar function of the inputs
(column by column for a Jacobian), with NumPy's own matrix product and
``np.tanh`` for the forward pass.
"""

from __future__ import annotations

import numpy as np

from ..checks import real_array
from ..gradcheck import numerical_gradient
from ..numerics import sigmoid
from .core import Output, ReferenceExercise, gradients_by_differences
from .reference_inputs import _shape_is

__all__ = ["CHAPTER", "EXERCISES", "two_layer_loss"]

CHAPTER = 5
"""The chapter that sets these exercises."""


def _size(rng: np.random.Generator) -> int:
    return int(rng.integers(1, 5))


# ------------------------------------------------------------ jacobian_of_sigmoid
def _vector_case(rng: np.random.Generator) -> tuple:
    return (rng.uniform(-4.0, 4.0, size=_size(rng) + 1),)


def _jacobian_of_sigmoid_expected(z: np.ndarray) -> tuple[np.ndarray]:
    # Column j of the Jacobian is how the whole output moves when z_j is nudged.
    eps = 1e-6
    columns = []
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = eps
        columns.append((sigmoid(z + step) - sigmoid(z - step)) / (2 * eps))
    return (np.stack(columns, axis=1),)


# --------------------------------------------------------- dense_backward_by_hand
def _dense_case(rng: np.random.Generator) -> tuple:
    n, d_in, d_out = _size(rng), _size(rng), _size(rng)
    return (
        rng.normal(size=(n, d_out)),  # dout = dL/dz
        rng.normal(size=(n, d_in)),  # x
        rng.normal(size=(d_in, d_out)),  # W
    )


def _dense_backward_expected(dout: np.ndarray, x: np.ndarray, W: np.ndarray) -> tuple:
    # sum(z * dout) is the scalar whose gradient with respect to z is dout, so its
    # gradients with respect to x, W and b are what backprop passes on.
    b = np.zeros(W.shape[1])

    def surrogate(x_: np.ndarray, W_: np.ndarray, b_: np.ndarray) -> float:
        return float(np.sum((x_ @ W_ + b_) * dout))

    return gradients_by_differences(surrogate, [x, W, b])


# ------------------------------------------------------------------- hidden_delta
def _hidden_case(rng: np.random.Generator) -> tuple:
    n, d, d_next = _size(rng), _size(rng), _size(rng)
    z = rng.uniform(-3.0, 3.0, size=(n, d))
    return (
        rng.normal(size=(n, d_next)),  # delta_next = dL/dz^{l+1}
        rng.normal(size=(d, d_next)),  # W_next = W^{l+1}
        sigmoid(z),  # a = a^l = sigma(z^l)
    )


def _hidden_delta_expected(delta_next: np.ndarray, W_next: np.ndarray, a: np.ndarray) -> tuple:
    # Recover z^l from a^l, then differentiate the scalar sum(z^{l+1} * delta_next),
    # whose gradient with respect to z^{l+1} is delta_next, with respect to z^l.
    z = np.log(a) - np.log1p(-a)

    def surrogate(z_: np.ndarray) -> float:
        return float(np.sum((sigmoid(z_) @ W_next) * delta_next))

    return (numerical_gradient(surrogate, z),)


# ---------------------------------------------------------------- two_layer_grads
def two_layer_loss(
    x: np.ndarray,
    y: np.ndarray,
    W1: np.ndarray,
    b1: np.ndarray,
    W2: np.ndarray,
    b2: np.ndarray,
) -> float:
    """The exercise's network: sigmoid hidden layer, linear output, mean squared error.

    ``L = mean((sigmoid(x @ W1 + b1) @ W2 + b2 - y)**2)`` over every entry, as
    :func:`backprop_course.layers.mse_forward` computes it.

    Shapes: x (N, D_in), y (N, D_out), W1 (D_in, H), b1 (H,), W2 (H, D_out), b2 (D_out,).

    Raises
    ------
    TypeError
        If an input is not real numbers.
    ValueError
        If a shape does not fit the others (y of shape (N,) for D_out = 1 included: it
        would broadcast against the (N, 1) output into N² differences), or a value is NaN
        or infinite.
    """
    f = "two_layer_loss"
    x, W1, W2 = (real_array(a, n, f, ndim=2, float64=True) for n, a in (("x", x), ("W1", W1),
                                                                    ("W2", W2)))
    b1, b2 = (real_array(a, n, f, ndim=1, float64=True) for n, a in (("b1", b1), ("b2", b2)))
    y = real_array(y, "y", f, float64=True)
    _shape_is(W1, (x.shape[1], W1.shape[1]), f"{f}: W1", f" (x has {x.shape[1]} columns)")
    _shape_is(b1, (W1.shape[1],), f"{f}: b1", " (one bias per hidden unit)")
    _shape_is(W2, (W1.shape[1], W2.shape[1]), f"{f}: W2", f" (W1 has {W1.shape[1]} columns)")
    _shape_is(b2, (W2.shape[1],), f"{f}: b2", " (one bias per output)")
    _shape_is(y, (x.shape[0], W2.shape[1]), f"{f}: y", " (one row of targets per row of x)")
    out = sigmoid(x @ W1 + b1) @ W2 + b2
    return float(np.mean((out - y) ** 2))


def _two_layer_case(rng: np.random.Generator) -> tuple:
    n, d_in, d_hidden, d_out = _size(rng), _size(rng), _size(rng), _size(rng)
    return (
        rng.normal(size=(n, d_in)),
        rng.normal(size=(n, d_out)),
        rng.normal(size=(d_in, d_hidden)),
        rng.normal(0.0, 0.5, size=d_hidden),
        rng.normal(size=(d_hidden, d_out)),
        rng.normal(0.0, 0.5, size=d_out),
    )


def _two_layer_expected(x, y, W1, b1, W2, b2) -> tuple:
    return gradients_by_differences(lambda *p: two_layer_loss(x, y, *p), [W1, b1, W2, b2])


EXERCISES = [
    ReferenceExercise(
        name="jacobian_of_sigmoid",
        chapter=CHAPTER,
        task="Return the Jacobian matrix d sigma(z)/dz (shape (D, D)) of the elementwise "
        "sigmoid at the vector z (shape (D,)).",
        signature="jacobian_of_sigmoid(z)",
        outputs=(Output("the Jacobian"),),
        make_inputs=_vector_case,
        expected=_jacobian_of_sigmoid_expected,
        hint="Output i depends only on input i, so the matrix is diagonal; its diagonal is "
        "sigma'(z) = sigma(z) * (1 - sigma(z)). np.diag builds a diagonal matrix from a vector.",
        nudge="Ask which outputs each input affects: the sigmoid acts entry by entry, and that "
        "decides where the Jacobian can be non-zero. The rest is chapter 2's slope.",
    ),
    ReferenceExercise(
        name="dense_backward_by_hand",
        chapter=CHAPTER,
        task="Given dout = dL/dz (N, D_out) for the layer z = x @ W + b, return (dx, dW, db) "
        "of shapes (N, D_in), (D_in, D_out) and (D_out,).",
        signature="dense_backward_by_hand(dout, x, W)",
        outputs=(Output("dx"), Output("dW"), Output("db")),
        make_inputs=_dense_case,
        expected=_dense_backward_expected,
        hint="Let the shapes guide you: dx = dout @ W.T, dW = x.T @ dout, and db sums dout "
        "over the batch (axis 0), because the bias is added to every example.",
        nudge="Let the shapes guide you: each gradient has the shape of its variable, and only "
        "one product of dout with x or W gives it. The bias is added to every example.",
    ),
    ReferenceExercise(
        name="hidden_delta",
        chapter=CHAPTER,
        task="Return delta = dL/dz of a sigmoid hidden layer, given the next layer's "
        "delta_next (N, D_next), its weights W_next (D, D_next) and this layer's "
        "activation a = sigma(z) (N, D).",
        signature="hidden_delta(delta_next, W_next, a)",
        outputs=(Output("delta"),),
        make_inputs=_hidden_case,
        expected=_hidden_delta_expected,
        hint="Equation (2): first pass the error back through the weights, delta_next @ "
        "W_next.T, then multiply elementwise by the sigmoid's slope a * (1 - a).",
        nudge="Two steps, as in equation (2): carry the error back through the next layer's "
        "weights, then through this layer's sigmoid, whose slope you can write with a alone.",
    ),
    ReferenceExercise(
        name="two_layer_grads",
        chapter=CHAPTER,
        task="Return (dW1, db1, dW2, db2) for L = mean((sigmoid(x @ W1 + b1) @ W2 + b2 - y)**2), "
        "the mean over every entry.",
        signature="two_layer_grads(x, y, W1, b1, W2, b2)",
        outputs=(Output("dW1"), Output("db1"), Output("dW2"), Output("db2")),
        make_inputs=_two_layer_case,
        expected=_two_layer_expected,
        hint="Forward pass first, keeping a1. The output is linear, so delta2 = dL/da2 = "
        "2 * (a2 - y) / y.size; then dW2 = a1.T @ delta2, db2 = delta2.sum(0), "
        "delta1 = (delta2 @ W2.T) * a1 * (1 - a1), dW1 = x.T @ delta1, db1 = delta1.sum(0).",
        nudge="Do a forward pass keeping the hidden activation, then go back layer by layer. The "
        "loss is a mean over every entry of the output, and the square gives a factor too.",
    ),
]
