"""Bad inputs for bc.viz.step_through and bc.viz.trace_backward (the backward pass, step by step).

Each case is a mistake a learner can type; the call must raise the package's own error, of the
right type, with a phrase that says what was wrong.
"""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import Case, check, ids

from backprop_course import Tensor, Value
from backprop_course import viz as V


def _loss() -> Value:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    return a * b + a


def _tensor_loss() -> Tensor:
    W = Tensor(np.ones((2, 2)), requires_grad=True)
    return (W * 2.0).sum()


CASES = [
    Case("viz.step_through.step_through", "a float instead of a graph",
         lambda: V.step_through(1.5), TypeError, "a Value or a Tensor"),
    Case("viz.step_through.step_through", "an array instead of a Tensor",
         lambda: V.step_through(np.ones(3)), TypeError, "got ndarray"),
    Case("viz.step_through.step_through", "a Tensor that is not a scalar",
         lambda: V.step_through(Tensor(np.ones(3), requires_grad=True) * 2.0), ValueError,
         "reduce it first"),
    Case("viz.step_through.step_through", "a Tensor that needs no gradient",
         lambda: V.step_through(Tensor(np.ones(3)).sum()), ValueError,
         "does not require a gradient"),
    Case("viz.step_through.step_through", "predict as a string",
         lambda: V.step_through(_loss(), predict="yes"), TypeError, "predict must be True or"),
    Case("viz.step_through.step_through", "predict on a Tensor graph",
         lambda: V.step_through(_tensor_loss(), predict=True), ValueError, "needs a Value graph"),
    Case("viz.step_through.step_through", "a negative max_drawn",
         lambda: V.step_through(_loss(), max_drawn=-1), ValueError, "max_drawn must be an int"),
    Case("viz.step_through.step_through", "max_steps too small to show anything",
         lambda: V.step_through(_loss(), max_steps=3), ValueError,
         "max_steps must be an int >= 10"),
    Case("viz.step_through.step_through", "max_steps as a float",
         lambda: V.step_through(_loss(), max_steps=100.0), TypeError, "max_steps must be an int"),
    Case("viz.step_through.step_through", "names as a list",
         lambda: V.step_through(_loss(), names=["a", "b"]), TypeError, "names must be a dict"),
    Case("viz.step_through.step_through", "names the wrong way round",
         lambda: V.step_through(_tensor_loss(), names={Tensor(1.0): "W"}), TypeError,
         "every key of names must be a non-empty str"),
    Case("viz.step_through.step_through", "a name for a number, not a node",
         lambda: V.step_through(_loss(), names={"a": 2.0}), TypeError,
         "must be a Value or a Tensor"),
    Case("viz.step_through.trace_backward", "a list of Values",
         lambda: V.trace_backward([Value(1.0)]), TypeError, "a Value or a Tensor"),
    Case("viz.step_through.trace_backward", "digits as a float",
         lambda: V.trace_backward(_loss(), digits=4.5), TypeError, "digits must be an int"),
    Case("viz.step_through.trace_backward", "more digits than a float has",
         lambda: V.trace_backward(_loss(), digits=20), ValueError, "between 2 and 15"),
    Case("viz.step_through.trace_backward", "a backward function that overwrites",
         lambda: V.trace_backward(_overwriting()), ValueError, "do not add up"),
]


def _overwriting() -> Value:
    w = Value(2.0)
    out = Value.from_op(w.data * 3.0, (w,), "times3")

    def _backward(grad: float) -> None:
        w.grad = grad * 3.0  # = where += belongs

    out._backward = _backward
    return out + w


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    check(case)
