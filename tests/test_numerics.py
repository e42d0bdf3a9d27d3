"""The shared sigmoids against 30-digit values (mpmath), and their promises: no overflow, the
tanh form to the last bit of the expression the stored outputs were computed with."""

from __future__ import annotations

import warnings

import mpmath
import numpy as np

from backprop_course.numerics import sigmoid, two_branch_sigmoid

Z = np.concatenate([np.arange(-40.0, 41.0), [-745.0, -700.0, 0.1, 700.0, 745.0]])
EXACT = np.array([float(1 / (1 + mpmath.exp(-mpmath.mpf(z)))) for z in Z])


def test_tanh_form_is_exact_in_absolute_terms_and_never_overflows() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails the test
        s = sigmoid(Z)
    assert np.abs(s - EXACT).max() < 1e-15  # about one unit in the last place of 1
    assert s.shape == Z.shape and s.dtype == np.float64


def test_tanh_form_is_bit_for_bit_the_expression_the_book_was_computed_with() -> None:
    z = np.random.default_rng(0).normal(scale=20.0, size=1000)
    assert np.array_equal(sigmoid(z), 0.5 * (1.0 + np.tanh(0.5 * z)))
    assert sigmoid(-1.5) == 0.5 * (1.0 + np.tanh(-0.75))  # a number too


def test_two_branch_form_is_exact_relative_to_its_value() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = two_branch_sigmoid(Z)
    assert (np.abs(s - EXACT) / EXACT).max() < 1e-15
    # where the tanh form has no digit left, the two-branch form has them all
    at_40 = int(np.flatnonzero(Z == -40.0)[0])
    assert abs(sigmoid(Z)[at_40] - EXACT[at_40]) / EXACT[at_40] > 0.9


def test_both_forms_keep_float32_and_nan() -> None:
    z = np.array([-3.0, np.nan, 3.0], dtype=np.float32)
    for f in (sigmoid, two_branch_sigmoid):
        s = f(z)
        assert s.dtype == np.float32 and np.isnan(s[1])
        assert abs(float(s[2]) - 1 / (1 + np.exp(-3.0))) < 1e-7
