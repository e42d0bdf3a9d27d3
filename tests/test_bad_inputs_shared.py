"""Bad inputs for the helpers the modules share: ``numerics`` and the newer ``checks``.

The shared sigmoids refuse what is not real numbers: a string, None, complex numbers or
booleans would otherwise give NumPy's own error (or, for complex numbers, a silent complex
result); the package names the function and what it got. The checks refuse as their
docstrings say (``finite_positive``: every refusal a ValueError).
"""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import Case, check, ids

import backprop_course as bc
from backprop_course import checks, numerics

BAD = [  # (what, the bad z, a phrase of the message)
    ("a string", "0.5", "z must be real numbers"),
    ("None", None, "got None"),
    ("complex numbers", np.array([1j]), "complex128"),
    ("booleans", np.array([True]), "bool"),
]
CASES = [
    Case(f"numerics.{f.__name__}", what, lambda f=f, z=z: f(z), TypeError, phrase)
    for f in (numerics.sigmoid, numerics.two_branch_sigmoid)
    for what, z, phrase in BAD
] + [
    Case("checks.finite_positive", "zero", lambda: checks.finite_positive(0, "eps", "a positive "
         "number"), ValueError, "eps must be a positive number, got 0"),
    Case("checks.finite_positive", "a string (a ValueError too)", lambda: checks.finite_positive(
        "1e-6", "eps", "a positive number"), ValueError, "eps must be a positive number"),
    Case("checks.finite_positive", "an infinity", lambda: checks.finite_positive(
        float("inf"), "tol", "a number >= 0", zero_ok=True), ValueError, "tol must be a number"),
    Case("checks.positive_int", "a float (a ValueError too)", lambda: checks.positive_int(
        2.0, "n_inputs"), ValueError, "n_inputs must be a positive int, got 2.0"),
    Case("checks.positive_int", "zero", lambda: checks.positive_int(0, "n", "f"), ValueError,
         "f: n must be a positive int, got 0"),
    Case("checks.unpack_step_caches", "one step's cache instead of the list",
         lambda: checks.unpack_step_caches((np.ones((2, 2)),), "rnn_backward", (2,)), TypeError,
         "rnn_backward needs the cache that rnn_forward returned (its second value, a list"),
    Case("checks.unpack_step_caches", "a step cache of the wrong kind",
         lambda: checks.unpack_step_caches([(np.ones(2),)], "rnn_backward", (2,)), TypeError,
         "needs the cache that rnn_forward returned (its second value)"),
    Case("checks.choice", "a number where a name goes",
         lambda: checks.choice(3, {"relu": 0, "tanh": 1}, "activation", "MLP"), TypeError,
         "activation must be a name, one of ['relu', 'tanh']"),
    Case("checks.choice", "a name that is not a choice",
         lambda: checks.choice("softmax", ("relu", "tanh"), "activation", "MLP"), ValueError,
         "unknown activation 'softmax'"),
    Case("checks.one_number", "a Tensor", lambda: checks.one_number(bc.Tensor(2.0), "slope", "f"),
         TypeError, "pass its .item()"),
    Case("checks.one_number", "several numbers", lambda: checks.one_number(np.ones(2), "b"),
         ValueError, "b must be one number, got an array of shape (2,)"),
    Case("checks.one_number", "NaN", lambda: checks.one_number(float("nan"), "x0"), ValueError,
         "x0 must be a finite number"),
    Case("checks.one_number", "zero where a positive number goes",
         lambda: checks.one_number(0, "span", "f", positive=True), ValueError,
         "span must be positive"),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    check(case)
