"""Exercises of the chapter "The chain rule".

The neuron is the chapter's: z = w . x + b, a = sigma(z), L = (a - y)^2 / 2.
Each expected answer is computed with central differences of that definition,
never from a formula for the gradient.
"""

from __future__ import annotations

import numpy as np

from ..checks import one_number, real_array
from ..gradcheck import numerical_gradient
from ..numerics import sigmoid
from .core import Output, ReferenceExercise

__all__ = ["CHAPTER", "EXERCISES", "neuron_loss"]

CHAPTER = 2
"""The chapter that sets these exercises."""


def neuron_loss(w: np.ndarray, x: np.ndarray, b: float, y: float) -> float:
    """The chapter's loss L = (sigma(w . x + b) - y)^2 / 2 for one sigmoid neuron.

    ``w`` and ``x`` are arrays of the same shape (n,), or two numbers for one input;
    ``b`` and ``y`` are numbers.

    Raises
    ------
    TypeError
        If an input is not real numbers (a Tensor: pass ``.data``), or ``b`` or ``y`` is
        not a number.
    ValueError
        If ``w`` and ``x`` differ in shape or are not 1-D (or 0-d), ``b`` or ``y`` is an
        array of several numbers, or anything is NaN or infinite.
    """
    w = real_array(w, "w", "neuron_loss", ndim=(0, 1), float64=True)
    x = real_array(x, "x", "neuron_loss", ndim=(0, 1), float64=True)
    if w.shape != x.shape or w.size == 0:
        raise ValueError(
            f"neuron_loss: w and x need the same shape (one weight per input, at least one), "
            f"got {w.shape} and {x.shape}"
        )
    b, y = one_number(b, "b", "neuron_loss"), one_number(y, "y", "neuron_loss")
    return 0.5 * float(sigmoid(np.dot(w, x) + b) - y) ** 2


def _z_case(rng: np.random.Generator) -> tuple:
    shape = tuple(int(n) for n in rng.integers(1, 5, size=rng.integers(1, 3)))  # 1-D or 2-D
    return (rng.uniform(-8.0, 8.0, size=shape),)


def _sigmoid_derivative_expected(z: np.ndarray) -> tuple[np.ndarray]:
    eps = 1e-6  # sigma acts entrywise, so one central difference per entry at once
    return ((sigmoid(z + eps) - sigmoid(z - eps)) / (2 * eps),)


def _neuron_case(rng: np.random.Generator) -> tuple:
    n = int(rng.integers(1, 6))
    return (
        rng.normal(0.0, 1.0, n),  # w
        rng.normal(0.0, 1.0, n),  # x
        float(rng.normal(0.0, 0.5)),  # b
        float(rng.choice([0.0, 1.0])),  # y, a 0/1 target
    )


def _neuron_grads_expected(w: np.ndarray, x: np.ndarray, b: float, y: float) -> tuple:
    dw = numerical_gradient(lambda w_: neuron_loss(w_, x, b, y), w)
    db = numerical_gradient(lambda b_: neuron_loss(w, x, float(b_), y), np.array(b))
    return dw, db


def _neuron_input_grad_expected(w: np.ndarray, x: np.ndarray, b: float, y: float) -> tuple:
    return (numerical_gradient(lambda x_: neuron_loss(w, x_, b, y), x),)


EXERCISES = [
    ReferenceExercise(
        name="sigmoid_derivative",
        chapter=CHAPTER,
        task="Return the derivative of the sigmoid, d sigma/dz, for every entry of the array z.",
        signature="sigmoid_derivative(z)",
        outputs=(Output("d sigma/dz"),),
        make_inputs=_z_case,
        expected=_sigmoid_derivative_expected,
        hint="sigma'(z) can be written with sigma itself: sigma(z) * (1 - sigma(z)). "
        "Work with whole arrays (np.exp), not math.exp.",
        nudge="The sigmoid's slope can be written with the sigmoid itself: compute sigma(z) once "
        "and reuse it, with whole-array NumPy operations.",
    ),
    ReferenceExercise(
        name="neuron_grads",
        chapter=CHAPTER,
        task="Return (dL/dw, dL/db) for one sigmoid neuron with L = (sigma(w . x + b) - y)^2 / 2.",
        signature="neuron_grads(w, x, b, y)",
        outputs=(Output("dL/dw"), Output("dL/db")),
        make_inputs=_neuron_case,
        expected=_neuron_grads_expected,
        hint="Multiply the three factors of the chain rule: dL/da = a - y, da/dz = a (1 - a), "
        "and dz/dw = x (dz/db = 1). Compute z and a first, in a forward pass.",
        nudge="Run the forward pass first (z, then a), then multiply the chain rule's factors "
        "from the loss back to w and b. The usual slip is forgetting the sigmoid's own slope.",
    ),
    ReferenceExercise(
        name="neuron_input_grad",
        chapter=CHAPTER,
        task="Return dL/dx, the gradient of the neuron's loss with respect to its input x.",
        signature="neuron_input_grad(w, x, b, y)",
        outputs=(Output("dL/dx"),),
        make_inputs=_neuron_case,
        expected=_neuron_input_grad_expected,
        hint="z = w . x + b is symmetric in w and x: dz/dx = w. The first two factors "
        "(dL/da and da/dz) are the same as for dL/dw.",
        nudge="Follow the same chain as for dL/dw: only the last factor changes, and z depends on "
        "x just as it depends on w.",
    ),
]
