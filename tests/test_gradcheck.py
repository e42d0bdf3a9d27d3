"""Tests of :mod:`backprop_course.gradcheck`: numerical gradients, rel_error, gradcheck."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import arrays, away_from_zero, broadcastable_shapes, floats, shapes

import backprop_course as bc
from backprop_course import GradcheckReport, Tensor, Value

# ----------------------------------------------------- numerical_gradient


@pytest.mark.parametrize("shape", [(), (5,), (2, 3, 4)])
def test_numerical_gradient_of_known_functions(shape: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    # Entries of size 0.5 to 2, so that the relative error is meaningful everywhere.
    x = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    cases = [
        (lambda z: np.sum(z**3), 3 * x**2),  # d/dx sum(x^3) = 3x^2
        (lambda z: np.sum(np.sin(z)), np.cos(x)),
        (lambda z: np.sum(z) ** 2, 2 * np.sum(x) * np.ones(shape)),
        (lambda z: float(np.exp(z).sum()), np.exp(x)),
    ]
    for f, expected in cases:
        grad = bc.numerical_gradient(f, x)
        assert grad.shape == x.shape
        assert grad.dtype == np.float64
        assert bc.rel_error(grad, expected) < 1e-6


def test_numerical_gradient_of_a_python_float() -> None:
    grad = bc.numerical_gradient(lambda z: float(z) ** 3, 1.5)
    assert grad.shape == ()
    assert bc.rel_error(grad, 3 * 1.5**2) < 1e-6


def test_numerical_gradient_of_an_int_array_is_float64() -> None:
    grad = bc.numerical_gradient(lambda z: np.sum(z**2), np.array([1, 2, 3]))
    assert grad.dtype == np.float64
    assert bc.rel_error(grad, np.array([2.0, 4.0, 6.0])) < 1e-6


def test_numerical_gradient_leaves_x_exactly_as_it_was() -> None:
    x = np.array([[0.1, -0.0, 1e-300], [1.0 / 3.0, -2.5, 7.0]])
    before = x.copy()
    bc.numerical_gradient(lambda z: np.sum(np.tanh(z)), x)  # f changes nothing
    assert x.tobytes() == before.tobytes()  # bitwise, -0.0 included

    def mutating(z: np.ndarray) -> float:
        value = float(np.sum(z**2))
        z *= 3.0  # f writes into its argument: x must still be left alone
        return value

    bc.numerical_gradient(mutating, x)
    assert x.tobytes() == before.tobytes()

    ints = np.array([1, 2, 3])
    int_before = ints.copy()
    bc.numerical_gradient(lambda z: np.sum(z**2), ints)
    assert ints.dtype == int_before.dtype and ints.tobytes() == int_before.tobytes()

    t = Tensor(x.copy())
    t_before = t.data.copy()
    bc.numerical_gradient(lambda z: np.sum(z), t)
    assert t.data.tobytes() == t_before.tobytes()


@given(x=arrays(elements=floats(-2.0, 2.0)))
def test_numerical_gradient_leaves_any_x_unchanged(x: np.ndarray) -> None:
    before = x.copy()
    grad = bc.numerical_gradient(lambda z: np.sum(z**2), x)
    assert x.tobytes() == before.tobytes()
    # The central difference of a quadratic is exact up to round-off: 2x.
    np.testing.assert_allclose(grad, 2 * x, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(
    "wrap",
    [
        lambda y: float(y),
        lambda y: np.asarray(y),  # 0-d array
        lambda y: np.float64(y),
        lambda y: Tensor([y]),  # one-element Tensor
        lambda y: Tensor([[y]]),
        lambda y: Value(y),
        lambda y: np.array([y]),
    ],
    ids=[
        "float",
        "0-d array",
        "numpy scalar",
        "Tensor (1,)",
        "Tensor (1, 1)",
        "Value",
        "array (1,)",
    ],
)
def test_numerical_gradient_accepts_every_kind_of_scalar(wrap: Callable[[float], object]) -> None:
    x = np.array([0.5, -1.5, 2.0])
    grad = bc.numerical_gradient(lambda z: wrap(float(np.sum(z**3))), x)
    assert bc.rel_error(grad, 3 * x**2) < 1e-6


def test_numerical_gradient_through_the_engines() -> None:
    x = np.array([0.3, -0.7])
    grad = bc.numerical_gradient(lambda z: Tensor(z).tanh().sum(), x)
    assert bc.rel_error(grad, 1 - np.tanh(x) ** 2) < 1e-6
    grad = bc.numerical_gradient(lambda z: Value(float(z)).sigmoid(), 0.4)
    s = 1 / (1 + np.exp(-0.4))
    assert bc.rel_error(grad, s * (1 - s)) < 1e-6


@pytest.mark.parametrize("result", [np.ones(3), Tensor(np.ones(3)), np.ones((1, 2))])
def test_numerical_gradient_needs_a_scalar_output(result: object) -> None:
    with pytest.raises(ValueError, match="scalar"):
        bc.numerical_gradient(lambda z: result, np.array([1.0, 2.0]))


def test_numerical_gradient_needs_a_number_output() -> None:
    with pytest.raises(TypeError):
        bc.numerical_gradient(lambda z: "one", np.array([1.0]))


@pytest.mark.parametrize("x", ["abc", np.array(["a", "b"]), None, [object()], np.array([1j, 2j])])
def test_numerical_gradient_needs_a_numeric_x(x: object) -> None:
    with pytest.raises(TypeError):
        bc.numerical_gradient(lambda z: 0.0, x)


@pytest.mark.parametrize("eps", [0.0, -1e-6, -1.0, float("nan"), float("inf")])
def test_numerical_gradient_needs_a_positive_eps(eps: float) -> None:
    with pytest.raises(ValueError, match="eps"):
        bc.numerical_gradient(lambda z: np.sum(z), np.ones(2), eps=eps)


def test_numerical_gradient_rejects_nan_in_x() -> None:
    with pytest.raises(ValueError):
        bc.numerical_gradient(lambda z: np.sum(z), np.array([1.0, np.nan]))


# -------------------------------------------------------------- rel_error


@given(a=arrays())
def test_rel_error_of_equal_arrays_is_zero(a: np.ndarray) -> None:
    assert bc.rel_error(a, a.copy()) == 0.0


def test_rel_error_of_zeros_is_zero() -> None:
    assert bc.rel_error(np.zeros((2, 3)), np.zeros((2, 3))) == 0.0
    assert bc.rel_error(0.0, 0.0) == 0.0
    assert bc.rel_error(np.zeros(0), np.zeros(0)) == 0.0


@given(shape=shapes(), data=st.data())
def test_rel_error_is_symmetric(shape: tuple[int, ...], data: st.DataObject) -> None:
    a = data.draw(arrays(shape))
    b = data.draw(arrays(shape))
    assert bc.rel_error(a, b) == bc.rel_error(b, a)
    assert 0.0 <= bc.rel_error(a, b) <= 2.0  # 2 at most, for entries of opposite signs


@given(a=away_from_zero(0.1), scale=st.sampled_from([1e-8, 1e-4, 1.0, 1e4, 1e8]))
def test_rel_error_is_scale_free(a: float, scale: float) -> None:
    b = 1.01 * a
    assert bc.rel_error(scale * a, scale * b) == pytest.approx(bc.rel_error(a, b), rel=1e-9)


def test_rel_error_of_one_percent() -> None:
    expected = 0.01 / 1.01  # |a - b| / max(|a|, |b|) = 0.0099...
    assert bc.rel_error(1e-4, 1.01e-4) == pytest.approx(expected, rel=1e-9)
    assert bc.rel_error(1e4, 1.01e4) == pytest.approx(expected, rel=1e-9)
    assert bc.rel_error(-1.0, -1.01) == pytest.approx(expected, rel=1e-9)


def test_rel_error_is_the_worst_entry() -> None:
    a = np.array([1.0, 2.0, 0.0])
    b = np.array([1.0, 2.2, 0.0])
    assert bc.rel_error(a, b) == pytest.approx(0.2 / 2.2, rel=1e-12)
    assert bc.rel_error(1.0, -1.0) == pytest.approx(2.0)


def test_rel_error_accepts_tensors() -> None:
    assert bc.rel_error(Tensor([1.0, 2.0]), np.array([1.0, 2.0])) == 0.0


@pytest.mark.parametrize(
    ("a", "b"), [(np.ones(3), np.ones(4)), (np.ones((2, 3)), np.ones((3, 2))), (np.ones(3), 1.0)]
)
def test_rel_error_shape_mismatch(a: object, b: object) -> None:
    with pytest.raises(ValueError, match="shape"):
        bc.rel_error(a, b)


# -------------------------------------------------------------- gradcheck


def test_gradcheck_module_is_callable() -> None:
    def f(a: Tensor, b: Tensor) -> Tensor:
        return (a @ b).tanh()

    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), rng.standard_normal((3, 4))
    report = bc.gradcheck(f, a, b)
    assert isinstance(report, GradcheckReport)
    assert report == bc.gradcheck.gradcheck(f, a, b)
    assert report.passed and bool(report) is True


CORRECT_FUNCTIONS = [
    (lambda a: (a * a).sum(), [(3,)]),
    (lambda a, b: (a @ b).tanh(), [(2, 3), (3, 4)]),  # non-scalar output: random projection
    (lambda a, b, c: ((a * b).sum(axis=0) + c).sigmoid().sum(), [(2, 3), (3,), (3,)]),
    (lambda a, b: (a / (b * b + 1.0)).log_softmax(axis=0), [(3, 2), (2,)]),
    (lambda a: a.exp().mean(axis=1, keepdims=True) ** 2, [(2, 3)]),
    (lambda a: a[np.array([0, 0, 1])].T, [(2, 2)]),
    (lambda a, b: a**2 + b, [(), (2,)]),
]


@pytest.mark.parametrize(("f", "input_shapes"), CORRECT_FUNCTIONS)
def test_gradcheck_passes_on_correct_functions(
    f: Callable[..., Tensor], input_shapes: list[tuple[int, ...]]
) -> None:
    rng = np.random.default_rng(1)
    inputs = [rng.standard_normal(s) for s in input_shapes]
    report = bc.gradcheck(f, *inputs)
    assert report.passed, str(report)
    assert bool(report) is True
    assert report.missing == []
    assert report.n_entries == sum(x.size for x in inputs)
    assert "passed" in str(report)
    # a passing check's worst error is round-off: the text gives no digits of it, so it reads
    # the same on every machine
    assert f"{report.rel_error:.1e}" not in str(report) and "relative 1e-6" in str(report)


@given(shapes_=broadcastable_shapes(), data=st.data())
def test_gradcheck_passes_on_random_broadcasting_ops(
    shapes_: tuple[tuple[int, ...], tuple[int, ...]], data: st.DataObject
) -> None:
    a = data.draw(arrays(shapes_[0], floats(-2.0, 2.0)))
    b = data.draw(arrays(shapes_[1], floats(-2.0, 2.0)))
    report = bc.gradcheck(lambda x, y: (x * y + x.tanh()) / (y * y + 1.0), a, b)
    assert report.passed, str(report)


def test_gradcheck_accepts_tensors_and_numbers_as_inputs() -> None:
    report = bc.gradcheck(lambda a, b: (a * b).sum(), Tensor([1.0, 2.0]), 3.0)
    assert report.passed, str(report)
    assert report.n_entries == 3


def _square_with_a_wrong_backward(t: Tensor) -> Tensor:
    """t ** 3 whose backward forgets a factor t: it gives 3 t instead of 3 t^2."""
    out = Tensor.from_op(t.data**3, (t,), "cube")

    def _backward(grad: np.ndarray) -> None:
        t.accumulate_grad(grad * 3 * t.data)  # the bug: should be 3 * t.data ** 2

    out._backward = _backward
    return out


def test_gradcheck_fails_on_a_wrong_backward() -> None:
    a = np.array([0.5, -1.0])
    # The relative error |3x^2 - 3x| / max(|3x^2|, |3x|) is 0 at x = 1 and worst at x = 0.2.
    b = np.array([[1.0, 1.1], [0.9, 0.2]])
    report = bc.gradcheck(lambda x, y: x.sum() + _square_with_a_wrong_backward(y).sum(), a, b)
    assert not report.passed
    assert bool(report) is False
    assert report.input_index == 1
    assert report.index == (1, 1)
    assert report.analytic == pytest.approx(3 * 0.2, rel=1e-12)  # what the wrong backward gives
    assert report.numerical == pytest.approx(3 * 0.2**2, rel=1e-6)  # the true derivative
    assert report.rel_error == pytest.approx((0.6 - 0.12) / 0.6, rel=1e-6)
    assert not report.at_kink
    assert report.missing == []
    text = str(report)
    assert "FAILED" in text
    assert "entry (1, 1) of input 1 (both counted from 0)" in text
    assert f"{report.analytic:.6g}" in text and f"{report.numerical:.6g}" in text
    assert "kink" not in text


def test_gradcheck_fails_on_a_monkeypatched_op(monkeypatch: pytest.MonkeyPatch) -> None:
    original = Tensor.tanh

    def tanh_without_the_local_derivative(self: Tensor) -> Tensor:
        out = original(self)
        if out.requires_grad:

            def _backward(grad: np.ndarray) -> None:
                self.accumulate_grad(grad)  # the bug: drops the factor 1 - tanh^2

            out._backward = _backward
        return out

    monkeypatch.setattr(Tensor, "tanh", tanh_without_the_local_derivative)
    x = np.array([[0.1, -0.2], [1.5, 0.3]])
    report = bc.gradcheck(lambda t: t.tanh() * 2.0, x)  # non-scalar output
    assert not report.passed
    assert report.input_index == 0
    assert report.index == (1, 0)  # 1 - tanh(1.5)^2 = 0.18 is the furthest from 1
    assert "FAILED" in str(report)


def test_gradcheck_at_relus_kink() -> None:
    x = np.array([0.0, 1.0, -2.0])
    report = bc.gradcheck(lambda t: t.relu().sum(), x)
    assert not report.passed
    assert report.at_kink
    assert report.index == (0,)
    assert report.analytic == 0.0  # the derivative at 0 is taken to be 0
    assert report.numerical == pytest.approx(0.5)  # the average of the slopes 0 and 1
    text = str(report)
    assert "FAILED" in text and "kink" in text
    assert bc.gradcheck(lambda t: t.relu().sum(), np.array([0.5, 1.0, -2.0])).passed


def _double_with_a_wrong_backward(t: Tensor) -> Tensor:
    """2 t whose backward forgets the factor 2: a bug in a function without a kink."""
    out = Tensor.from_op(2 * t.data, (t,), "double")

    def _backward(grad: np.ndarray) -> None:
        t.accumulate_grad(grad)  # the bug: should be 2 * grad

    out._backward = _backward
    return out


def test_gradcheck_does_not_call_a_bug_in_a_steep_smooth_function_a_kink() -> None:
    # tanh(2e4 x) at x = 1.25e-5 is smooth but so curved that its one-sided slopes differ by
    # eps f'' = 184, which a test at one step would take for a kink and so excuse the bug.
    # The gap shrinks in proportion to the step (18.4 at a tenth of it): not a kink.
    k = 1e4
    report = bc.gradcheck(
        lambda t: (_double_with_a_wrong_backward(t) * k).tanh().sum(), np.array([0.25 / k])
    )
    assert not report.passed
    assert report.analytic == pytest.approx(report.numerical / 2, rel=1e-3)  # the factor 2
    assert not report.at_kink and not report.kink_near and not report.curved
    assert "kink" not in str(report) and "smaller eps" not in str(report)


def test_gradcheck_says_when_the_step_is_too_large_for_a_correct_function() -> None:
    # The same steep tanh with a correct backward pass fails at eps = 1e-6 only through the
    # central difference's truncation error, which a tenth of the step cuts a hundredfold.
    k = 1e4
    report = bc.gradcheck(lambda t: (t * k).tanh().sum(), np.array([0.25 / k]))
    assert not report.passed
    assert report.curved and not report.at_kink
    assert "smaller eps" in str(report)
    assert bc.gradcheck(lambda t: (t * k).tanh().sum(), np.array([0.25 / k]), eps=1e-8).passed


@pytest.mark.parametrize("distance", [0.0, 1e-9, 0.05e-6, 1e-6 / 11, 0.25e-6, 0.4e-6, 0.9e-6])
def test_gradcheck_finds_a_kink_at_or_within_the_step(distance: float) -> None:
    # A kink at distance d makes the gap at step s the jump times 1 - d/s: it never shrinks in
    # proportion to s. eps/11 and eps/4 are the distances at which a single smaller step
    # (eps/10 or eps/3) would see a gap shrinking like a smooth function's.
    report = bc.gradcheck(lambda t: t.relu().sum(), np.array([0.5, distance, -0.3]))
    assert not report.passed and report.index == (1,)
    assert report.at_kink and not report.curved
    assert report.kink_near == (distance > 0.01e-6)  # within a hundredth of eps: at it
    if report.kink_near:
        assert report.analytic == 1.0  # right: ReLU's slope at a positive point
        assert "within the step" in str(report)
    else:
        assert "not differentiable at this point" in str(report)


def test_gradcheck_reports_an_input_that_gets_no_gradient() -> None:
    a, b = np.array([1.0, 2.0]), np.array([3.0, -4.0])
    report = bc.gradcheck(lambda x, y: (x * y.detach()).sum(), a, b)  # d/dy = x, not 0
    assert report.missing == [1]
    assert not report.passed
    assert report.input_index == 1
    assert "received no gradient" in str(report)


@pytest.mark.parametrize(
    "f",
    [
        lambda t: t.data.sum(),
        lambda t: float(t.data.sum()),
        lambda t: Value(1.0),
        lambda t: np.ones(2),
    ],
)
def test_gradcheck_needs_f_to_return_a_tensor(f: Callable[..., object]) -> None:
    with pytest.raises(TypeError, match="Tensor"):
        bc.gradcheck(f, np.ones(2))


def test_gradcheck_needs_inputs() -> None:
    with pytest.raises(ValueError):
        bc.gradcheck(lambda: Tensor(1.0))


def test_gradcheck_does_not_change_its_inputs() -> None:
    a = np.array([0.5, -1.5])
    before = a.copy()
    bc.gradcheck(lambda t: (t * t).sum(), a)
    assert a.tobytes() == before.tobytes()


def test_report_bool_is_passed() -> None:
    report = GradcheckReport(False, 0.5, 1.0, 0, (0,), 1.0, 2.0)
    assert bool(report) is False
    report.passed = True
    assert bool(report) is True


# --- below(): a bound every machine agrees on -------------------------------------------------


@pytest.mark.parametrize(
    ("bound", "text"),
    [(1e-12, "below 1e-12"), (1e-7, "below 1e-7"), (0.3, "below 0.3"), (10, "below 10"),
     (300.0, "below 300"), (2e5, "below 2e5"), (0.001, "below 0.001")],
)
def test_below_writes_the_bound_as_a_person_would(bound: float, text: str) -> None:
    assert bc.below(0.0, bound) == text
    assert bc.below(bound * 0.999, bound) == text


@pytest.mark.parametrize(
    ("bound", "text"),
    [(7.3e-15, "below 8e-15"), (2.1e-8, "below 3e-8"), (9.4, "below 10"), (0.95, "below 1"),
     (1.0000001e-7, "below 2e-7")],
)
def test_below_rounds_a_computed_bound_up_so_that_the_text_stays_true(
    bound: float, text: str
) -> None:
    assert bc.below(bound * (1 - 1e-9), bound) == text  # the largest values it lets through
    printed = float(text.split()[-1])
    assert printed >= bound
    with pytest.raises(AssertionError):  # the check is the bound given, not the one printed
        bc.below(bound, bound)


def test_below_depends_only_on_the_bound_not_on_the_round_off() -> None:
    # the same sum added in two orders: 0 on one machine, ~1e-16 on another; one printout
    x = np.random.default_rng(0).normal(size=1000)
    errors = [bc.rel_error(x.sum(), np.sort(x).sum()), 0.0, 1e-17]
    assert {bc.below(e, 1e-12) for e in errors} == {"below 1e-12"}


@pytest.mark.parametrize("value", [1e-12, 2e-12, 1.0, float("nan"), float("inf")])
def test_below_raises_when_the_value_is_not_below(value: float) -> None:
    with pytest.raises(AssertionError, match="is not below 1e-12"):
        bc.below(value, 1e-12)


@pytest.mark.parametrize("bound", [0.0, -1e-7, float("nan"), float("inf")])
def test_below_needs_a_positive_finite_bound(bound: float) -> None:
    with pytest.raises(ValueError, match="positive finite bound"):
        bc.below(0.0, bound)
