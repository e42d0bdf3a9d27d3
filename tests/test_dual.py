"""Tests of :mod:`backprop_course.dual`: dual numbers, ``jvp`` and ``gradient_forward``.

Every tangent is compared with central differences of the same function on plain
floats, and on random expressions also with the reverse-mode gradient of
:class:`~backprop_course.Value` and :class:`~backprop_course.Tensor`: forward and
reverse mode are independent implementations of the same chain rule.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numeric import central_difference
from strategies import away_from_zero, evaluate, floats, positive, scalar_expressions

import backprop_course as bc
from backprop_course import dual
from backprop_course.dual import Dual, gradient_forward, jvp

RTOL = 1e-6  # the relative error every tangent must reach against central differences




def numerical_jvp(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, v: np.ndarray):
    """J v as the rate of change of f along the line x + t v (Richardson, as above)."""
    h = 1e-4
    wide = (np.asarray(f(x + h * v)) - np.asarray(f(x - h * v))) / (2 * h)
    narrow = (np.asarray(f(x + h / 2 * v)) - np.asarray(f(x - h / 2 * v))) / h
    return (4 * narrow - wide) / 3


def assert_close(got, want, scale: float = 1.0, rtol: float = RTOL) -> None:  # noqa: ANN001
    """Relative error below rtol, or absolute below 1e-9 max(1, scale) for values near zero."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-9 * max(1.0, abs(scale)))


def sigmoid(a: float) -> float:
    return 1.0 / (1.0 + math.exp(-a))


# ------------------------------------------------------------- one op at a time
UNARY = {
    "exp": (math.exp, floats()),
    "log": (math.log, positive(0.1, 5.0)),
    "tanh": (math.tanh, floats()),
    "sigmoid": (sigmoid, floats()),
    "relu": (lambda a: max(a, 0.0), away_from_zero(0.1)),
    "sin": (math.sin, floats(-6.0, 6.0)),
    "cos": (math.cos, floats(-6.0, 6.0)),
}


@pytest.mark.parametrize("name", list(UNARY))
@given(data=st.data(), tangent=floats())
def test_unary_rules_match_central_differences(name: str, data, tangent: float) -> None:  # noqa: ANN001
    fn, points = UNARY[name]
    a = data.draw(points)
    out = getattr(Dual(a, tangent), name)()
    assert isinstance(out, Dual)
    assert out.real == pytest.approx(fn(a), rel=1e-12, abs=1e-12)
    assert_close(out.tangent, tangent * central_difference(fn, a), scale=tangent)


BINARY = {"+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv}


@pytest.mark.parametrize("sides", ["Dual-Dual", "Dual-number", "number-Dual"])
@pytest.mark.parametrize("symbol", list(BINARY))
@given(a=floats(), b=away_from_zero(0.5), da=floats(), db=floats())
def test_binary_rules_match_central_differences(
    symbol: str, sides: str, a: float, b: float, da: float, db: float
) -> None:
    op = BINARY[symbol]
    left = Dual(a, da) if sides != "number-Dual" else a
    right = Dual(b, db) if sides != "Dual-number" else b
    out = op(left, right)
    assert isinstance(out, Dual)
    assert out.real == pytest.approx(op(a, b), rel=1e-12, abs=1e-12)
    # the tangent is d/dt op(a + t da, b + t db) at t = 0, with da = 0 or db = 0 for a number
    ta = da if sides != "number-Dual" else 0.0
    tb = db if sides != "Dual-number" else 0.0
    expected = central_difference(lambda t: op(a + t * ta, b + t * tb), 0.0)
    assert_close(out.tangent, expected, scale=op(a, b))


def test_product_rule_is_the_eps_squared_rule() -> None:
    # (a + a'eps)(b + b'eps) = ab + (a'b + ab')eps: the eps^2 term a'b' is dropped
    out = Dual(2.0, 3.0) * Dual(5.0, 7.0)
    assert (out.real, out.tangent) == (10.0, 3.0 * 5.0 + 2.0 * 7.0)


@pytest.mark.parametrize(
    ("exponent", "bases"),
    [
        (2, floats()),
        (3.0, floats()),
        (-1, away_from_zero(0.5)),
        (-2.0, away_from_zero(0.5)),
        (0.5, positive()),
        (-1.5, positive()),
        (1.5, positive()),
        (1, floats()),
    ],
)
@given(data=st.data(), tangent=floats())
def test_power_with_a_number_exponent(exponent: float, bases, data, tangent: float) -> None:  # noqa: ANN001
    a = data.draw(bases)
    out = Dual(a, tangent) ** exponent
    assert out.real == pytest.approx(a**exponent, rel=1e-12, abs=1e-12)
    expected = tangent * central_difference(lambda s: abs(s) ** exponent * _sign(s, exponent), a)
    assert_close(out.tangent, expected, scale=max(abs(out.real), 1.0))


def _sign(s: float, exponent: float) -> float:
    """Sign of s ** exponent for an integer exponent (keeps the difference real near 0)."""
    return -1.0 if s < 0 and float(exponent).is_integer() and int(exponent) % 2 else 1.0


def test_power_zero_is_a_constant_and_zero_base_works_for_exponents_from_one() -> None:
    out = Dual(-3.0, 2.0) ** 0
    assert (out.real, out.tangent) == (1.0, 0.0)
    for exponent, slope in [(1, 2.0), (1.5, 0.0), (2, 0.0), (3.0, 0.0)]:
        out = Dual(0.0, 2.0) ** exponent
        assert (out.real, out.tangent) == (0.0, slope)


@given(a=positive(), b=floats(-2.0, 2.0), da=floats(), db=floats())
def test_dual_to_a_dual_power(a: float, b: float, da: float, db: float) -> None:
    out = Dual(a, da) ** Dual(b, db)
    assert out.real == pytest.approx(a**b, rel=1e-12)
    expected = central_difference(lambda t: (a + t * da) ** (b + t * db), 0.0)
    assert_close(out.tangent, expected, scale=out.real)


@given(c=positive(), x=floats(-2.0, 2.0), dx=floats())
def test_number_to_a_dual_power(c: float, x: float, dx: float) -> None:
    out = c ** Dual(x, dx)
    assert out.real == pytest.approx(c**x, rel=1e-12)
    assert_close(out.tangent, dx * central_difference(lambda s: c**s, x), scale=out.real)


@given(a=floats(), da=floats())
def test_negation_and_plus(a: float, da: float) -> None:
    minus = -Dual(a, da)
    assert (minus.real, minus.tangent) == (-a, -da)
    plus = +Dual(a, da)
    assert (plus.real, plus.tangent) == (a, da)


def test_relu_tangent_is_zero_left_of_the_kink_and_at_it() -> None:
    assert Dual(-1.0, 5.0).relu().tangent == 0.0
    assert Dual(0.0, 5.0).relu().tangent == 0.0  # the convention Value uses too
    assert Dual(2.0, 5.0).relu().tangent == 5.0


def test_sigmoid_does_not_overflow() -> None:
    assert Dual(-800.0, 1.0).sigmoid().real == 0.0
    assert Dual(800.0, 1.0).sigmoid().real == 1.0


def test_a_variable_used_twice_gets_both_contributions() -> None:
    x = Dual(3.0, 1.0)
    y = x * x * x - x  # dy/dx = 3x^2 - 1
    assert y.tangent == pytest.approx(26.0)


# ----------------------------------------------------------- random expressions
@given(expression=scalar_expressions())
def test_forward_gradient_of_random_expressions_equals_reverse_mode_and_differences(
    expression: tuple[list[float], tuple],
) -> None:
    xs, node = expression

    def f(x):  # noqa: ANN001, ANN202 (an array of Duals or of floats)
        return evaluate(node, list(x))

    forward = gradient_forward(f, xs)

    leaves = [bc.Value(x) for x in xs]
    out = evaluate(node, leaves)
    out.backward()
    reverse = np.array([leaf.grad for leaf in leaves])
    np.testing.assert_allclose(forward, reverse, rtol=1e-9, atol=1e-12)

    at = [float(x) for x in xs]
    value = evaluate(node, at)
    for i in range(len(xs)):

        def f_i(t: float, i: int = i) -> float:
            return evaluate(node, at[:i] + [t] + at[i + 1 :])

        assert_close(forward[i], central_difference(f_i, float(xs[i])), scale=value)


@given(expression=scalar_expressions(), data=st.data())
def test_jvp_of_random_expressions_is_the_gradient_along_v(
    expression: tuple[list[float], tuple],
    data,  # noqa: ANN001
) -> None:
    xs, node = expression
    v = np.array(data.draw(st.lists(floats(), min_size=len(xs), max_size=len(xs))))
    value, tangent = jvp(lambda x: evaluate(node, list(x)), xs, v)
    assert isinstance(value, float) and isinstance(tangent, float)
    assert value == pytest.approx(evaluate(node, [float(x) for x in xs]), rel=1e-12, abs=1e-12)

    def along(t: float) -> float:
        return evaluate(node, [float(x + t * vi) for x, vi in zip(xs, v, strict=True)])

    assert_close(tangent, central_difference(along, 0.0), scale=value)


@given(data=st.data())
def test_jvp_and_vjp_of_random_vector_functions_agree(data) -> None:  # noqa: ANN001
    """For f: R^n -> R^m built from m random expressions, u . (J v) = (u^T J) . v,
    with J v from forward mode and u^T J from Value's backward pass."""
    xs, first = data.draw(scalar_expressions(max_depth=4))
    n = len(xs)
    m = data.draw(st.integers(1, 3))
    others = []
    for _ in range(m - 1):  # more expressions over the same leaves
        ys, node = data.draw(scalar_expressions(max_depth=4))
        others.append(_relabel(node, n))
    nodes = [first, *others]
    v = np.array(data.draw(st.lists(floats(), min_size=n, max_size=n)))
    u = np.array(data.draw(st.lists(floats(), min_size=m, max_size=m)))

    value, jv = jvp(lambda x: [evaluate(node, list(x)) for node in nodes], xs, v)
    assert value.shape == jv.shape == (m,)

    leaves = [bc.Value(x) for x in xs]
    outputs = [evaluate(node, leaves) for node in nodes]
    sum(u_j * out for u_j, out in zip(u, outputs, strict=True)).backward()
    ut_j = np.array([leaf.grad for leaf in leaves])

    assert float(u @ jv) == pytest.approx(float(ut_j @ v), rel=1e-9, abs=1e-9)

    def f_float(x: np.ndarray) -> np.ndarray:
        return np.array([evaluate(node, [float(e) for e in x]) for node in nodes])

    assert_close(jv, numerical_jvp(f_float, np.array(xs), v), scale=np.abs(value).max())


def _relabel(node: tuple, n: int) -> tuple:
    """The same expression with every leaf index taken modulo n (so it fits n leaves)."""
    if node[0] == "x":
        return ("x", node[1] % n)
    return (node[0], *(_relabel(c, n) if isinstance(c, tuple) else c for c in node[1:]))


@given(data=st.data())
def test_jvp_is_linear_in_the_direction(data) -> None:  # noqa: ANN001
    xs, node = data.draw(scalar_expressions(max_depth=4))
    n = len(xs)
    v1, v2 = (np.array(data.draw(st.lists(floats(), min_size=n, max_size=n))) for _ in "12")
    a, b = data.draw(floats()), data.draw(floats())

    def f(x):  # noqa: ANN001, ANN202
        return evaluate(node, list(x))

    combined = jvp(f, xs, a * v1 + b * v2)[1]
    separate = a * jvp(f, xs, v1)[1] + b * jvp(f, xs, v2)[1]
    assert combined == pytest.approx(separate, rel=1e-9, abs=1e-9)


# --------------------------------------------------- NumPy-style functions
def test_jvp_through_numpy_arrays_matches_the_tensor_engine() -> None:
    """f(x) = tanh(W x + b) * sigmoid(x[:3]) with NumPy ops on an object array of Duals;
    the dot-product test against Tensor's backward pass with a seed u."""
    rng = np.random.default_rng(0)
    W, b = rng.normal(size=(3, 5)), rng.normal(size=3)
    x, v, u = rng.normal(size=5), rng.normal(size=5), rng.normal(size=3)

    def f_dual(x):  # noqa: ANN001, ANN202
        return np.tanh(W @ x + b) * dual.sigmoid(x[:3])

    value, jv = jvp(f_dual, x, v)

    x_t = bc.Tensor(x, requires_grad=True)
    y = (bc.Tensor(W) @ x_t + b).tanh() * x_t[:3].sigmoid()
    y.backward(u)
    np.testing.assert_allclose(value, y.data, rtol=1e-12)
    assert float(u @ jv) == pytest.approx(float(x_t.grad @ v), rel=1e-10)

    def f_np(x: np.ndarray) -> np.ndarray:
        return np.tanh(W @ x + b) / (1 + np.exp(-x[:3]))

    assert_close(jv, numerical_jvp(f_np, x, v))


def test_gradient_forward_equals_tensor_backward_on_a_small_network_loss() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(8, 4)), rng.normal(size=8)
    w0 = rng.normal(size=4)

    def loss_dual(w):  # noqa: ANN001, ANN202
        r = np.tanh(x @ w) - y
        return 0.5 * (r * r).sum() / len(y)

    w_t = bc.Tensor(w0, requires_grad=True)
    loss = 0.5 * (((bc.Tensor(x) @ w_t).tanh() - y) ** 2).mean()
    loss.backward()
    np.testing.assert_allclose(gradient_forward(loss_dual, w0), w_t.grad, rtol=1e-10)


def test_gradient_forward_keeps_the_shape_of_x() -> None:
    x = np.arange(6.0).reshape(2, 3) / 10
    grad = gradient_forward(lambda w: (w * w).sum(), x)
    assert grad.shape == (2, 3)
    np.testing.assert_allclose(grad, 2 * x)
    assert gradient_forward(lambda t: t**3, 2.0) == pytest.approx(12.0)
    assert gradient_forward(lambda w: w.sum(), np.zeros(0)).shape == (0,)


def test_jvp_output_shapes() -> None:
    assert jvp(lambda t: t * t, 3.0, 1.0) == (9.0, 6.0)
    value, tangent = jvp(lambda x: x * 2.0, np.ones((2, 2)), np.eye(2))
    assert value.shape == tangent.shape == (2, 2)
    np.testing.assert_array_equal(tangent, 2 * np.eye(2))
    # a constant output has tangent 0; a mix of constants and Duals is fine
    assert jvp(lambda x: 7.0, [1.0], [1.0]) == (7.0, 0.0)
    value, tangent = jvp(lambda x: (x[0], 1.0), [2.0], [3.0])
    np.testing.assert_array_equal(value, [2.0, 1.0])
    np.testing.assert_array_equal(tangent, [3.0, 0.0])
    # a 0-d object array (as np.sum can give) becomes plain floats
    assert jvp(lambda x: np.array(x[0] * 3.0, dtype=object), [1.0], [1.0]) == (3.0, 3.0)


def test_jvp_does_not_modify_its_inputs() -> None:
    x, v = np.array([1.0, 2.0]), np.array([0.5, -1.0])
    jvp(lambda z: z * z, x, v)
    np.testing.assert_array_equal(x, [1.0, 2.0])
    np.testing.assert_array_equal(v, [0.5, -1.0])


def test_arrays_of_duals_combine_with_float_arrays_on_either_side() -> None:
    d = Dual(2.0, 1.0)
    for out in (d * np.array([1.0, 3.0]), np.array([1.0, 3.0]) * d):
        assert out.dtype == object
        assert [e.tangent for e in out] == [1.0, 3.0]
    assert (np.float64(2.0) * d).tangent == 2.0
    assert (d * np.float64(2.0)).tangent == 2.0


@pytest.mark.parametrize("name", ["exp", "log", "tanh", "sigmoid", "relu", "sin", "cos"])
def test_module_functions_work_on_duals_numbers_and_arrays(name: str) -> None:
    fn = getattr(dual, name)
    d = Dual(0.7, 2.0)
    out = fn(d)
    expected = getattr(d, name)()
    assert (out.real, out.tangent) == (expected.real, expected.tangent)
    assert fn(0.7) == expected.real
    floats_out = fn(np.array([[0.7, 1.3]]))
    assert floats_out.dtype == np.float64 and floats_out.shape == (1, 2)
    assert floats_out[0, 0] == expected.real
    duals_out = fn([d, Dual(1.3)])
    assert duals_out.dtype == object and duals_out[0].tangent == expected.tangent


def test_numpy_ufuncs_call_the_dual_methods() -> None:
    x = np.array([Dual(0.3, 1.0), Dual(-0.4, 2.0)], dtype=object)
    for name in ["exp", "tanh", "sin", "cos"]:
        out = getattr(np, name)(x)
        for got, e in zip(out, x, strict=True):
            want = getattr(e, name)()
            assert (got.real, got.tangent) == (want.real, want.tangent)
    assert np.log(np.array([Dual(2.0, 1.0)], dtype=object))[0].tangent == 0.5


def test_repr_shows_both_parts() -> None:
    assert repr(Dual(1.5, -2.0)) == "Dual(real=1.5, tangent=-2)"


def test_integers_and_numpy_numbers_are_accepted_as_floats() -> None:
    for number in (3, np.float32(3.0), np.int64(3), np.float64(3.0)):
        d = Dual(number, number)
        assert type(d.real) is float and type(d.tangent) is float
        assert d.real == 3.0


# ---------------------------------------------------------------- bad input
@pytest.mark.parametrize("bad", ["2", None, 1 + 2j, True, [1.0], Dual(1.0)])
def test_parts_that_are_not_real_numbers_raise_type_error(bad: object) -> None:
    with pytest.raises(TypeError, match="must be a"):
        Dual(bad)
    with pytest.raises(TypeError, match="tangent"):
        Dual(1.0, bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_parts_that_are_not_finite_raise_value_error(bad: float) -> None:
    with pytest.raises(ValueError, match="finite"):
        Dual(bad)
    with pytest.raises(ValueError, match="finite"):
        Dual(0.0, bad)


@pytest.mark.parametrize("other", ["a", None, [1.0], 1j, bc.Value(1.0)])
@pytest.mark.parametrize("symbol", ["+", "-", "*", "/", "**"])
def test_arithmetic_with_a_non_number_raises_type_error(symbol: str, other: object) -> None:
    op = {**BINARY, "**": operator.pow}[symbol]
    with pytest.raises(TypeError, match="Dual"):
        op(Dual(2.0, 1.0), other)
    with pytest.raises(TypeError):
        op(other, Dual(2.0, 1.0))


def test_arithmetic_with_nan_raises_value_error() -> None:
    with pytest.raises(ValueError, match="finite"):
        Dual(1.0) + math.nan


@pytest.mark.parametrize("a", [0.0, -1.0, -1e-300])
def test_log_of_a_non_positive_number_raises_value_error(a: float) -> None:
    with pytest.raises(ValueError, match="log needs a positive number"):
        Dual(a, 1.0).log()
    with pytest.raises(ValueError, match="log needs a positive number"):
        dual.log(a)


def test_bad_powers_and_divisions_are_explained() -> None:
    with pytest.raises(ZeroDivisionError, match="real part is 0"):
        Dual(1.0, 1.0) / Dual(0.0, 1.0)
    with pytest.raises(ZeroDivisionError, match="real part is 0"):
        1.0 / Dual(0.0)
    with pytest.raises(ZeroDivisionError, match="negative power"):
        Dual(0.0, 1.0) ** -1
    with pytest.raises(ValueError, match="not a real number"):
        Dual(-2.0, 1.0) ** 0.5
    with pytest.raises(ValueError, match="infinite at a = 0"):
        Dual(0.0, 1.0) ** 0.5
    with pytest.raises(ValueError, match="positive base"):
        Dual(-2.0) ** Dual(2.0)
    with pytest.raises(ValueError, match="positive base"):
        (-2.0) ** Dual(2.0)


def test_overflow_is_explained() -> None:
    with pytest.raises(OverflowError, match="exp"):
        Dual(1000.0).exp()
    with pytest.raises(OverflowError, match="overflows"):
        Dual(1e200) ** 3
    with pytest.raises(ValueError, match="overflow"):
        Dual(1e200) * Dual(1e200)


def test_float_of_a_dual_raises_and_says_why() -> None:
    with pytest.raises(TypeError, match="tangent"):
        float(Dual(1.0, 2.0))
    with pytest.raises(TypeError, match="math"):
        jvp(lambda x: math.exp(x[0]), [1.0], [1.0])


def test_module_functions_reject_non_numbers() -> None:
    with pytest.raises(TypeError, match="tanh needs a Dual"):
        dual.tanh("1.0")


@pytest.mark.parametrize(
    ("x", "v", "error", "phrase"),
    [
        (["a", "b"], [1.0, 1.0], TypeError, "x must be real numbers"),
        ([1.0, 2.0], ["a", "b"], TypeError, "v must be real numbers"),
        ([1.0, math.nan], [1.0, 1.0], ValueError, "NaN"),
        ([1.0, 2.0], [1.0, math.inf], ValueError, "NaN or infinite"),
        ([1.0, 2.0], [1.0, 2.0, 3.0], ValueError, "shape"),
        ([[1.0], [1.0, 2.0]], [1.0, 1.0], TypeError, "rectangular"),
        ([True, False], [1.0, 1.0], TypeError, "real numbers"),
        ([Dual(1.0)], [1.0], TypeError, "plain numbers"),
        (Dual(1.0), 1.0, TypeError, "plain numbers"),
    ],
)
def test_jvp_rejects_bad_points_and_directions(x, v, error, phrase: str) -> None:  # noqa: ANN001
    with pytest.raises(error, match=phrase):
        jvp(lambda z: z, x, v)


def test_jvp_rejects_bad_functions_and_outputs() -> None:
    with pytest.raises(TypeError, match="f must be a function"):
        jvp("f", [1.0], [1.0])
    with pytest.raises(TypeError, match="returned str"):
        jvp(lambda x: "nothing", [1.0], [1.0])
    with pytest.raises(TypeError, match="Value at index"):
        jvp(lambda x: [x[0], bc.Value(1.0)], [1.0], [1.0])
    with pytest.raises(TypeError, match="list at index"):
        jvp(lambda x: [[x[0]], [x[0], x[0]]], [1.0], [1.0])


def test_gradient_forward_needs_a_scalar_function() -> None:
    with pytest.raises(ValueError, match="scalar f"):
        gradient_forward(lambda x: x * 2.0, [1.0, 2.0])
