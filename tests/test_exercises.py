"""Every checker accepts a correct answer and rejects wrong ones in plain words, never raising."""

from __future__ import annotations

import numpy as np
from exercise_suite import standard_exercise_tests

from backprop_course.exercises import check, describe


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def sigmoid_derivative(z):
    return _sigmoid(z) * (1 - _sigmoid(z))


def neuron_grads(w, x, b, y):
    a = _sigmoid(w @ x + b)
    delta = (a - y) * a * (1 - a)
    return delta * x, delta


def neuron_input_grad(w, x, b, y):
    a = _sigmoid(w @ x + b)
    return (a - y) * a * (1 - a) * w


# A correct solution for every exercise: adding an exercise without one fails.
SOLUTIONS = {
    "sigmoid_derivative": sigmoid_derivative,
    "neuron_grads": neuron_grads,
    "neuron_input_grad": neuron_input_grad,
}

# Typical wrong answers, each with a phrase the verdict must contain.
WRONG = {
    "sigmoid_derivative": [
        (lambda z: 2 * sigmoid_derivative(z), "2 times the right one"),
        (lambda z: -sigmoid_derivative(z), "wrong sign"),
        (lambda z: _sigmoid(z), "expected"),
        (lambda z: sigmoid_derivative(z).ravel()[:1], "shape"),
    ],
    "neuron_grads": [
        # the classic slip: forgetting the slope of the sigmoid
        (lambda w, x, b, y: ((_sigmoid(w @ x + b) - y) * x, _sigmoid(w @ x + b) - y), "dL/dw"),
        (lambda w, x, b, y: neuron_grads(w, x, b, y)[0], "tuple of 2"),
        (lambda w, x, b, y: (neuron_grads(w, x, b, y)[0], 0.0), "dL/db"),
    ],
    "neuron_input_grad": [
        (lambda w, x, b, y: neuron_grads(w, x, b, y)[0], "expected"),
    ],
}


def test_none_nan_and_non_numbers_are_explained() -> None:
    assert "forget `return`" in check("sigmoid_derivative", lambda z: None, quiet=True).message
    nan = check("sigmoid_derivative", lambda z: z * np.nan, quiet=True)
    assert not nan.passed and "not a finite number" in nan.message
    text = check("sigmoid_derivative", lambda z: "slope", quiet=True)
    assert not text.passed and "expected numbers" in text.message


def test_misuse_is_explained_without_raising() -> None:
    unknown = check("sigmoid_derivativ", sigmoid_derivative, quiet=True)
    assert not unknown.passed and "Did you mean 'sigmoid_derivative'" in unknown.message
    called = check("sigmoid_derivative", sigmoid_derivative(np.zeros(2)), quiet=True)
    assert not called.passed and "without calling it" in called.message


def test_learner_mutating_inputs_does_not_break_the_check() -> None:
    def mutating(w, x, b, y):
        grads = neuron_grads(w, x, b, y)
        w[:] = 0.0
        x[:] = 0.0
        return grads

    assert check("neuron_grads", mutating, quiet=True).passed


def test_describe_gives_the_signature() -> None:
    assert describe("neuron_grads").startswith("neuron_grads(w, x, b, y)")


def test_custom_trial_exercises_report_in_words() -> None:
    from backprop_course.exercises.core import TrialExercise, run_check

    def trial(fn, rng):
        x = rng.normal()
        got = fn(x)
        return None if np.isclose(got, 2 * x) else f"expected {2 * x:.4g}, got {got:.4g}."

    ex = TrialExercise(
        name="double", chapter=0, task="Return 2x.", signature="double(x)",
        hint="Multiply by two.", trial=trial, nudge="How much bigger than x is the answer?",
    )
    assert run_check(ex, lambda x: 2 * x).passed
    wrong = run_check(ex, lambda x: 3 * x, seed=0)
    assert not wrong.passed and "expected" in wrong.message
    assert "Hint: How much bigger" in wrong.message and "Multiply" not in wrong.message
    assert wrong.message.endswith('To run this case again: check("double", your_function, seed=0).')
    whole = run_check(ex, lambda x: 3 * x, seed=0, hint=2)
    assert "Hint: Multiply by two." in whole.message
    raised = run_check(ex, lambda x: x.missing)
    assert not raised.passed and "AttributeError" in raised.message


globals().update(standard_exercise_tests(2, SOLUTIONS, WRONG))
