"""Tests of :class:`backprop_course.Value`, the scalar autodiff engine.

Every gradient is compared with central differences of the same function
evaluated on plain floats (in float64), never with numbers taken from the
engine's own output.
"""

from __future__ import annotations

import math
import operator
import sys
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numeric import central_difference
from strategies import away_from_zero, evaluate, floats, positive, scalar_expressions

import backprop_course as bc
from backprop_course import Value

RTOL = 1e-6  # the relative error every gradient must reach




def assert_gradient(analytic: float, numerical: float, scale: float = 1.0, what: str = "") -> None:
    """Relative error below RTOL, except for gradients that are zero up to round-off:

    those are allowed an absolute error of 1e-9 max(1, scale), the noise of the
    central difference, where a relative error would mean nothing (0 vs 1e-13).
    """
    error = abs(analytic - numerical)
    allowed = RTOL * max(abs(analytic), abs(numerical)) + 1e-9 * max(1.0, abs(scale))
    assert error <= allowed, (
        f"{what}: backward gives {analytic!r}, central differences {numerical!r} "
        f"(relative error {error / max(abs(analytic), abs(numerical)):.2e})"
    )


def check_gradients(f: Callable[..., object], xs: list[float]) -> None:
    """Backpropagate through f(*Values) and compare every leaf's grad with central differences
    of f(*floats). Also checks the forward value."""
    leaves = [Value(x) for x in xs]
    out = f(*leaves)
    assert isinstance(out, Value)
    expected = f(*xs)
    assert out.data == pytest.approx(expected, rel=1e-12, abs=1e-12)
    out.backward()
    for i, leaf in enumerate(leaves):

        def f_i(xi: float, i: int = i) -> float:
            return f(*xs[:i], xi, *xs[i + 1 :])

        assert_gradient(leaf.grad, central_difference(f_i, xs[i]), expected, f"input {i}")


# ------------------------------------------------------------ every op

BINARY = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


@pytest.mark.parametrize("sides", ["Value-Value", "Value-number", "number-Value"])
@pytest.mark.parametrize("symbol", list(BINARY))
@given(a=floats(), b=away_from_zero(0.5))
def test_binary_ops(symbol: str, sides: str, a: float, b: float) -> None:
    op = BINARY[symbol]
    if sides == "Value-Value":
        check_gradients(op, [a, b])
    elif sides == "Value-number":
        check_gradients(lambda x: op(x, b), [a])
    else:
        check_gradients(lambda y: op(a, y), [b])


@pytest.mark.parametrize("symbol", list(BINARY))
@given(a=away_from_zero(0.5))
def test_binary_ops_with_the_same_value_on_both_sides(symbol: str, a: float) -> None:
    op = BINARY[symbol]
    check_gradients(lambda x: op(x, x), [a])


@pytest.mark.parametrize(
    ("exponent", "base"),
    [
        (2, floats()),
        (3.0, floats()),
        (1, floats()),
        (0, away_from_zero(0.5)),
        (-1, away_from_zero(0.5)),
        (-2.0, away_from_zero(0.5)),
        (0.5, positive()),
        (-1.5, positive()),
        (2.5, positive()),
    ],
)
@given(data=st.data())
def test_pow_with_a_number_exponent(
    exponent: float, base: st.SearchStrategy, data: st.DataObject
) -> None:
    check_gradients(lambda x: x**exponent, [data.draw(base)])


@given(base=positive(), exponent=floats(-2.0, 2.0))
def test_pow_with_any_number_exponent(base: float, exponent: float) -> None:
    check_gradients(lambda x: x**exponent, [base])


@given(base=positive(), exponent=floats(-2.0, 2.0))
def test_pow_with_value_exponent_and_base(base: float, exponent: float) -> None:
    check_gradients(lambda x, n: x**n, [base, exponent])
    check_gradients(lambda n: base**n, [exponent])  # number ** Value


@given(a=floats())
def test_negation(a: float) -> None:
    check_gradients(lambda x: -x, [a])


# The same function on a Value (its method) and on a float (math), for the reference.
def _exp(x: float | Value) -> float | Value:
    return x.exp() if isinstance(x, Value) else math.exp(x)


def _log(x: float | Value) -> float | Value:
    return x.log() if isinstance(x, Value) else math.log(x)


def _tanh(x: float | Value) -> float | Value:
    return x.tanh() if isinstance(x, Value) else math.tanh(x)


def _sigmoid(x: float | Value) -> float | Value:
    return x.sigmoid() if isinstance(x, Value) else 1.0 / (1.0 + math.exp(-x))


def _relu(x: float | Value) -> float | Value:
    return x.relu() if isinstance(x, Value) else max(x, 0.0)


UNARY = {
    "exp": (_exp, floats()),
    "log": (_log, positive(0.1, 3.0)),
    "tanh": (_tanh, floats()),
    "sigmoid": (_sigmoid, floats(-6.0, 6.0)),
    "relu": (_relu, away_from_zero(0.1)),
}


@pytest.mark.parametrize("name", list(UNARY))
@given(data=st.data())
def test_unary_functions(name: str, data: st.DataObject) -> None:
    f, values = UNARY[name]
    check_gradients(f, [data.draw(values)])


def test_relu_gradient_is_zero_left_of_the_kink_and_at_it() -> None:
    for x in (-1.5, 0.0):
        v = Value(x)
        v.relu().backward()
        assert v.grad == 0.0


def test_sigmoid_does_not_overflow() -> None:
    for x, expected in ((-800.0, 0.0), (800.0, 1.0)):
        v = Value(x)
        s = v.sigmoid()
        s.backward()
        assert s.data == pytest.approx(expected, abs=1e-300)
        assert v.grad == pytest.approx(0.0, abs=1e-300)


# ---------------------------------------------------- random expressions


@settings(max_examples=200)
@given(expression=scalar_expressions())
def test_random_expressions(expression: tuple[list[float], tuple]) -> None:
    xs, tree = expression
    check_gradients(lambda *leaves: evaluate(tree, list(leaves)), xs)


# ------------------------------------------------------------- fan-out


@given(a=floats())
def test_fan_out_sums_the_gradients(a: float) -> None:
    x = Value(a)
    (x * x).backward()
    assert x.grad == pytest.approx(2 * a, rel=1e-12, abs=1e-12)  # d(x^2)/dx = 2x

    x = Value(a)
    (x + x).backward()
    assert x.grad == 2.0

    x = Value(a)
    (x * x * x + x).backward()
    assert x.grad == pytest.approx(3 * a * a + 1, rel=1e-12)


@given(a=floats(), b=floats())
def test_shared_subexpression(a: float, b: float) -> None:
    x, y = Value(a), Value(b)
    s = x * y  # used three times below
    (s * s + s.tanh() + 3.0 * s).backward()
    ds = 2 * a * b + (1 - math.tanh(a * b) ** 2) + 3.0  # dL/ds, summed over the three uses
    assert x.grad == pytest.approx(ds * b, rel=1e-12, abs=1e-12)
    assert y.grad == pytest.approx(ds * a, rel=1e-12, abs=1e-12)
    check_gradients(lambda x, y: (x * y) * (x * y) + _tanh(x * y) + 3.0 * (x * y), [a, b])


def test_backward_twice_doubles_the_leaf_gradients() -> None:
    x, y = Value(0.7), Value(-1.3)
    z = x * y + x.exp()  # x is used twice
    w = z.tanh()
    w.backward()
    gx, gy, gz = x.grad, y.grad, z.grad
    dw_dz = 1 - math.tanh(0.7 * -1.3 + math.exp(0.7)) ** 2
    assert gx == pytest.approx(dw_dz * (-1.3 + math.exp(0.7)), rel=1e-12)
    assert gy == pytest.approx(dw_dz * 0.7, rel=1e-12)
    w.backward()
    assert x.grad == pytest.approx(2 * gx, rel=1e-15)
    assert y.grad == pytest.approx(2 * gy, rel=1e-15)
    assert z.grad == pytest.approx(gz, rel=1e-15)  # intermediate nodes start afresh


def test_backward_on_a_leaf() -> None:
    x = Value(2.0)
    x.backward()
    assert x.grad == 1.0  # dx/dx
    x.backward()
    assert x.grad == 2.0  # a leaf's gradient accumulates, even when it is the output


def test_deep_chain_without_recursion_error() -> None:
    limit = sys.getrecursionlimit()
    n, factor = 100_000, 1.00001
    x = Value(1.0)
    y = x
    for _ in range(n):
        y = y * factor
    y.backward()
    assert x.grad == pytest.approx(factor**n, rel=1e-9)  # d(x c^n)/dx = c^n
    del y  # freeing the chain must not recurse either
    assert sys.getrecursionlimit() == limit


def test_deep_chain_with_fan_out() -> None:
    limit = sys.getrecursionlimit()
    n = 25_000  # more than 100,000 nodes: x * c, +, and - (itself a * and a +) per step
    x = Value(0.3)
    y = x
    for _ in range(n):
        y = (y + x * 1e-5) - 0.0  # x is used n + 1 times
    y.backward()
    assert x.grad == pytest.approx(1 + n * 1e-5, rel=1e-9)  # y = x (1 + n 1e-5), summed n times
    assert sys.getrecursionlimit() == limit


# ----------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("data", "error", "named"),
    [
        ("abc", TypeError, ["str", "abc"]),
        (None, TypeError, ["NoneType"]),
        ([1.0], TypeError, ["list"]),
        (1 + 2j, TypeError, ["complex"]),
        (float("nan"), ValueError, ["nan"]),
        (float("inf"), ValueError, ["inf"]),
    ],
)
def test_bad_data_is_rejected_with_a_message_naming_it(
    data: object, error: type[Exception], named: list[str]
) -> None:
    with pytest.raises(error) as info:
        Value(data)  # type: ignore[arg-type]
    for word in named:
        assert word in str(info.value)


def test_real_numbers_are_accepted_as_floats() -> None:
    import numpy as np

    for data in (3, 2.5, np.float32(1.5), np.int64(-4)):
        v = Value(data)
        assert type(v.data) is float and v.data == float(data)


@pytest.mark.parametrize("other", ["a", None, [1.0], 1 + 2j])
def test_arithmetic_with_a_non_number_raises_type_error(other: object) -> None:
    x = Value(1.0)
    for op in (operator.add, operator.sub, operator.mul, operator.truediv):
        with pytest.raises(TypeError):
            op(x, other)
        with pytest.raises(TypeError):
            op(other, x)
    with pytest.raises(TypeError, match="str"):
        x + "a"


@pytest.mark.parametrize("a", [0.0, -1.0, -1e-300])
def test_log_of_zero_or_negative_raises_value_error(a: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        Value(a).log()
    with pytest.raises(ValueError):
        (Value(1.0) - 1.0 + a).log()


def test_division_by_a_zero_value() -> None:
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / Value(0.0)
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / (Value(2.0) - 2.0)
    with pytest.raises(ZeroDivisionError):
        2.0 / Value(0.0)
    with pytest.raises(ZeroDivisionError):
        Value(1.0) / 0


def test_value_is_exported() -> None:
    assert bc.Value is Value


def test_power_zero_has_zero_gradient_even_at_zero() -> None:
    v = bc.Value(0.0)
    (v**0).backward()
    assert v.grad == 0.0
