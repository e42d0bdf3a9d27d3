"""Bad inputs for ``backprop_course.numerics``: the shared sigmoids refuse what is not real numbers.

A string, None, complex numbers or booleans would otherwise give NumPy's own error (or, for
complex numbers, a silent complex result); the package names the function and what it got.
"""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import Case, check, ids

from backprop_course import numerics

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
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    check(case)
