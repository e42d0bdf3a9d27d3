"""Tests of :class:`backprop_course.Tensor`, the autodiff engine on NumPy arrays.

Every op is checked the same way: its output is compared with NumPy's, and the
gradient of ``loss = (op(...) * r).sum()``, for a random ``r``, is compared with
central differences of the same loss computed with plain NumPy. The random
projection ``r`` tests the whole vector-Jacobian product, not just its sum.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numeric import central_difference
from strategies import (
    arrays,
    away_from_zero,
    axes,
    broadcastable_shapes,
    floats,
    indices,
    matmul_shapes,
    positive,
    reshapes,
    shapes,
)

import backprop_course as bc
from backprop_course import BackwardError, Tensor
from backprop_course.tensor import unbroadcast

RTOL = 1e-6  # the relative error every gradient must reach


def _np_log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


# The elementwise functions, as Tensor methods and as the NumPy reference. An op
# is written once as ``op(M, *args)`` and run with M = TENSOR on Tensors and with
# M = NUMPY on arrays; arithmetic, sum, mean, reshape, .T, transpose and indexing
# are spelled the same way for both.
TENSOR = SimpleNamespace(
    exp=lambda t: t.exp(),
    log=lambda t: t.log(),
    tanh=lambda t: t.tanh(),
    sigmoid=lambda t: t.sigmoid(),
    relu=lambda t: t.relu(),
    log_softmax=lambda t, axis=-1: t.log_softmax(axis),
)
NUMPY = SimpleNamespace(
    exp=np.exp,
    log=np.log,
    tanh=np.tanh,
    sigmoid=lambda x: 1.0 / (1.0 + np.exp(-x)),
    relu=lambda x: np.where(x > 0, x, 0.0),
    log_softmax=_np_log_softmax,
)




def assert_gradient(analytic: np.ndarray, numerical: np.ndarray, scale: float, what: str) -> None:
    """Every entry within relative error RTOL, except entries that are zero up to round-off:

    those are allowed an absolute error of 1e-9 max(1, scale), where ``scale`` is
    the size of the loss's terms, since 0 against 1e-13 has a relative error of 1.
    """
    assert analytic.shape == numerical.shape, f"{what}: gradient shape {analytic.shape}"
    error = np.abs(analytic - numerical)
    allowed = RTOL * np.maximum(np.abs(analytic), np.abs(numerical)) + 1e-9 * max(1.0, scale)
    assert (error <= allowed).all(), (
        f"{what}: relative error {bc.rel_error(analytic, numerical):.2e}\n"
        f"backward:\n{analytic}\ncentral differences:\n{numerical}"
    )


def check_op(
    op: Callable[..., object],
    args: list[np.ndarray | float],
    kinds: list[str],
    seed: int = 0,
    seeded_backward: bool = False,
) -> Tensor:
    """Run ``op`` on Tensors and on arrays; compare outputs and gradients.

    ``kinds[i]`` says how argument i is passed to the Tensor version: "grad" (a
    Tensor with requires_grad=True), "const" (a Tensor without), "array" (the bare
    ndarray) or "float" (a Python float). Gradients are those of
    ``(out * r).sum()`` (or ``out.backward(r)`` when ``seeded_backward``).
    """
    raw = [
        float(a) if k == "float" else np.array(a, dtype=np.float64)
        for a, k in zip(args, kinds, strict=True)
    ]
    originals = [np.copy(a) for a in raw]
    wrapped = [
        Tensor(a, requires_grad=k == "grad") if k in ("grad", "const") else a
        for a, k in zip(raw, kinds, strict=True)
    ]
    out = op(TENSOR, *wrapped)
    assert isinstance(out, Tensor)
    expected = np.asarray(op(NUMPY, *[np.copy(a) for a in raw]), dtype=np.float64)
    assert out.shape == expected.shape
    assert out.dtype == np.float64
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-12)
    assert out.requires_grad == ("grad" in kinds)

    r = np.random.default_rng(seed).standard_normal(expected.shape)
    if seeded_backward:
        out.backward(r)
    else:
        (out * r).sum().backward()
    scale = float(np.abs(expected * r).sum())
    for i, (a, kind, w) in enumerate(zip(raw, kinds, wrapped, strict=True)):
        if kind == "const":
            assert w.grad is None
        if kind != "grad":
            continue
        assert w.grad is not None, f"input {i} got no gradient"
        assert w.grad.shape == a.shape
        assert w.grad.dtype == np.float64

        def loss(xi: np.ndarray, i: int = i) -> float:
            moved = [np.copy(b) for b in raw]
            moved[i] = xi
            return float(np.sum(op(NUMPY, *moved) * r))

        assert_gradient(w.grad, central_difference(loss, a), scale, f"input {i}")
    for a, before in zip(raw, originals, strict=True):  # no op may change its inputs
        np.testing.assert_array_equal(a, before)
    return out


seeds = st.integers(0, 2**32 - 1)
ShapePair = tuple[tuple[int, ...], tuple[int, ...]]


# ------------------------------------------------------------ binary ops

BINARY = {
    "+": (lambda M, a, b: a + b, floats(), floats()),
    "-": (lambda M, a, b: a - b, floats(), floats()),
    "*": (lambda M, a, b: a * b, floats(), floats()),
    "/": (lambda M, a, b: a / b, floats(), away_from_zero(0.5)),
    "**": (lambda M, a, b: a**b, positive(), floats(-2.0, 2.0)),
}
MODES = [
    ("grad", "grad"),
    ("grad", "array"),
    ("array", "grad"),
    ("grad", "float"),
    ("float", "grad"),
    ("grad", "const"),
    ("const", "grad"),
]


@pytest.mark.parametrize("kinds", MODES, ids="-".join)
@pytest.mark.parametrize("symbol", list(BINARY))
@given(data=st.data())
def test_binary_ops_with_broadcasting(
    symbol: str, kinds: tuple[str, str], data: st.DataObject
) -> None:
    op, left_values, right_values = BINARY[symbol]
    left_shape, right_shape = data.draw(broadcastable_shapes(), label="shapes")
    if kinds[0] == "float":
        left_shape = ()
    if kinds[1] == "float":
        right_shape = ()
    a = data.draw(arrays(left_shape, left_values), label="a")
    b = data.draw(arrays(right_shape, right_values), label="b")
    check_op(op, [a, b], list(kinds), seed=data.draw(seeds, label="seed"))


@pytest.mark.parametrize("symbol", list(BINARY))
@given(data=st.data())
def test_binary_ops_on_the_same_tensor(symbol: str, data: st.DataObject) -> None:
    op, _, values = BINARY[symbol]
    if symbol == "**":
        values = positive()
    a = data.draw(arrays(elements=values))
    check_op(lambda M, x: op(M, x, x), [a], ["grad"], seed=data.draw(seeds))


MATMUL_MODES = [("grad", "grad"), ("grad", "array"), ("array", "grad"), ("grad", "const")]


@pytest.mark.parametrize("kinds", MATMUL_MODES, ids="-".join)
@given(data=st.data())
def test_matmul(kinds: tuple[str, str], data: st.DataObject) -> None:
    left_shape, right_shape = data.draw(matmul_shapes(), label="shapes")
    a = data.draw(arrays(left_shape), label="a")
    b = data.draw(arrays(right_shape), label="b")
    check_op(lambda M, x, y: x @ y, [a, b], list(kinds), seed=data.draw(seeds))


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ((3,), (3,)),
        ((3,), (3, 2)),
        ((2, 3), (3,)),
        ((2, 3), (3, 4)),
        ((2, 2, 3), (3,)),
        ((3,), (2, 3, 4)),
        ((1, 2, 3), (4, 3, 2)),
        ((2, 3), (4, 3, 2)),
    ],
)
def test_matmul_every_kind_of_operand(left: tuple[int, ...], right: tuple[int, ...]) -> None:
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal(left), rng.standard_normal(right)
    check_op(lambda M, x, y: x @ y, [a, b], ["grad", "grad"], seed=1)


@given(shapes_=matmul_shapes(), data=st.data())
def test_backward_with_a_seed_gradient_is_the_vector_jacobian_product(
    shapes_: ShapePair, data: st.DataObject
) -> None:
    a = data.draw(arrays(shapes_[0]))
    b = data.draw(arrays(shapes_[1]))
    check_op(
        lambda M, x, y: M.tanh(x @ y),
        [a, b],
        ["grad", "grad"],
        seed=data.draw(seeds),
        seeded_backward=True,
    )


# ------------------------------------------------------------- unary ops

UNARY = {
    "neg": (lambda M, a: -a, floats()),
    "exp": (lambda M, a: M.exp(a), floats()),
    "log": (lambda M, a: M.log(a), positive(0.2, 3.0)),
    "tanh": (lambda M, a: M.tanh(a), floats()),
    "sigmoid": (lambda M, a: M.sigmoid(a), floats(-6.0, 6.0)),
    "relu": (lambda M, a: M.relu(a), away_from_zero(0.1)),
    "T": (lambda M, a: a.T, floats()),
    "transpose()": (lambda M, a: a.transpose(), floats()),
}


@pytest.mark.parametrize("name", list(UNARY))
@given(data=st.data())
def test_unary_ops(name: str, data: st.DataObject) -> None:
    op, values = UNARY[name]
    a = data.draw(arrays(elements=values))
    check_op(op, [a], ["grad"], seed=data.draw(seeds))


@pytest.mark.parametrize(
    ("exponent", "values"),
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
        (np.float64(1.5), positive()),
    ],
)
@given(data=st.data())
def test_pow_with_a_number_exponent(
    exponent: float, values: st.SearchStrategy, data: st.DataObject
) -> None:
    a = data.draw(arrays(elements=values))
    check_op(lambda M, x: x**exponent, [a], ["grad"], seed=data.draw(seeds))


def test_relu_gradient_is_zero_at_and_left_of_the_kink() -> None:
    x = Tensor([-2.0, 0.0, 3.0], requires_grad=True)
    x.relu().sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0])


# ------------------------------------------------------------ reductions


@pytest.mark.parametrize("name", ["sum", "mean"])
@given(data=st.data())
def test_reductions(name: str, data: st.DataObject) -> None:
    a = data.draw(arrays(), label="a")
    axis = data.draw(axes(a.ndim), label="axis")
    keepdims = data.draw(st.booleans(), label="keepdims")
    check_op(
        lambda M, x: getattr(x, name)(axis=axis, keepdims=keepdims),
        [a],
        ["grad"],
        seed=data.draw(seeds),
    )


@pytest.mark.parametrize("name", ["sum", "mean"])
def test_reductions_with_default_arguments(name: str) -> None:
    a = np.arange(6.0).reshape(2, 3)
    out = check_op(lambda M, x: getattr(x, name)(), [a], ["grad"])
    assert out.shape == ()


# ------------------------------------------------------------------ shape


@given(data=st.data())
def test_reshape(data: st.DataObject) -> None:
    a = data.draw(arrays(), label="a")
    new_shape = data.draw(reshapes(a.shape), label="new_shape")
    seed = data.draw(seeds)
    check_op(lambda M, x: x.reshape(new_shape), [a], ["grad"], seed=seed)
    check_op(lambda M, x: x.reshape(*new_shape), [a], ["grad"], seed=seed)


@given(data=st.data())
def test_transpose_with_axes(data: st.DataObject) -> None:
    a = data.draw(arrays(), label="a")
    perm = data.draw(st.permutations(range(a.ndim)), label="perm")
    negative = data.draw(st.lists(st.booleans(), min_size=a.ndim, max_size=a.ndim))
    perm = tuple(p - a.ndim if neg else p for p, neg in zip(perm, negative, strict=True))
    seed = data.draw(seeds)
    check_op(lambda M, x: x.transpose(perm), [a], ["grad"], seed=seed)
    check_op(lambda M, x: x.transpose(*perm), [a], ["grad"], seed=seed)


@settings(max_examples=80)
@given(data=st.data())
def test_indexing(data: st.DataObject) -> None:
    a = data.draw(arrays(), label="a")
    index = data.draw(indices(a.shape), label="index")
    check_op(lambda M, x: x[index], [a], ["grad"], seed=data.draw(seeds))


@pytest.mark.parametrize(
    "index",
    [
        np.array([0, 0, 2, 0]),  # repeats: entry 0 gets the sum of three gradients
        [1, 1],
        (np.array([0, 1, 1]), np.array([2, 2, 0])),
        (np.array([1, 1]), slice(None, 2)),
        np.array([True, False, True]),
        np.array(
            [[True, False, True, False], [False, False, True, True], [True, True, True, True]]
        ),
        (slice(None, None, -1), slice(1, 3)),
        (Ellipsis, None, 1),
        -1,
    ],
)
def test_indexing_examples(index: object) -> None:
    a = np.arange(12.0).reshape(3, 4) / 7
    check_op(lambda M, x: x[index], [a], ["grad"], seed=3)


def test_repeated_index_accumulates() -> None:
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    x[np.array([0, 0, 0, 2])].sum().backward()
    np.testing.assert_array_equal(x.grad, [3.0, 0.0, 1.0])


# ------------------------------------------------------------ log_softmax


@given(data=st.data())
def test_log_softmax(data: st.DataObject) -> None:
    a = data.draw(arrays(shapes(min_dims=1), floats(-10.0, 10.0)), label="a")
    axis = data.draw(st.integers(-a.ndim, a.ndim - 1), label="axis")
    check_op(lambda M, x: M.log_softmax(x, axis), [a], ["grad"], seed=data.draw(seeds))


def test_log_softmax_default_axis_is_the_last() -> None:
    a = np.random.default_rng(0).standard_normal((2, 3, 4))
    out = Tensor(a).log_softmax()
    np.testing.assert_allclose(out.data, _np_log_softmax(a, -1), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_log_softmax_is_stable_for_huge_logits(axis: int) -> None:
    logits = np.array(
        [[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0], [1000.0, 1000.0, 999.0]]
    )
    x = Tensor(logits, requires_grad=True)
    out = x.log_softmax(axis)
    assert np.isfinite(out.data).all()
    np.testing.assert_allclose(np.exp(out.data).sum(axis=axis), 1.0, rtol=1e-12)
    r = np.random.default_rng(0).standard_normal(logits.shape)
    (out * r).sum().backward()
    assert np.isfinite(x.grad).all()
    # d/dx sum(r * log_softmax(x)) = r - softmax(x) sum(r), along the axis.
    shifted = logits - logits.max(axis=axis, keepdims=True)
    softmax = np.exp(shifted) / np.exp(shifted).sum(axis=axis, keepdims=True)
    expected = r - softmax * r.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(x.grad, expected, rtol=1e-12, atol=1e-12)
    check_op(lambda M, t: M.log_softmax(t, axis), [logits], ["grad"])


# --------------------------------------------------- random compositions

STEPS = {
    "add_y": lambda M, v, y: v + y,
    "mul_y": lambda M, v, y: v * y,
    "y_minus": lambda M, v, y: y - v,
    "div_by_y2": lambda M, v, y: v / (y * y + 1.0),
    "y_div": lambda M, v, y: y / (v * v + 1.0),
    "pow_y": lambda M, v, y: (v * v + 1.0) ** M.tanh(y),
    "tanh": lambda M, v, y: M.tanh(v),
    "sigmoid_times": lambda M, v, y: M.sigmoid(v) * v,  # v used twice
    "exp_tanh": lambda M, v, y: M.exp(M.tanh(v)),
    "log_sq1": lambda M, v, y: M.log(v * v + 1.0),
    "square_plus": lambda M, v, y: 0.5 * v**2 + v,
    "neg_minus": lambda M, v, y: 2.0 - (-v),
    "sum_last": lambda M, v, y: v.sum(axis=-1, keepdims=True) if v.ndim else v,
    "mean_first": lambda M, v, y: v.mean(axis=0, keepdims=True) if v.ndim else v,
    "log_softmax": lambda M, v, y: M.log_softmax(v, -1) if v.ndim else v,
    "transpose_back": lambda M, v, y: (v.T * 0.5).T,
    "flatten_back": lambda M, v, y: v.reshape(-1).reshape(v.shape),
    "reverse_first": lambda M, v, y: v[::-1] if v.ndim else v,
}
USES_Y = {"add_y", "mul_y", "y_minus", "div_by_y2", "y_div", "pow_y"}


def _run(steps: list[str], M: SimpleNamespace, x: object, y: object) -> object:
    v = x
    for name in steps:
        v = STEPS[name](M, v, y)
    return v


@settings(max_examples=100)
@given(
    shapes_=broadcastable_shapes(),
    steps=st.lists(st.sampled_from(list(STEPS)), min_size=2, max_size=5),
    data=st.data(),
)
def test_random_compositions(shapes_: ShapePair, steps: list[str], data: st.DataObject) -> None:
    if not USES_Y.intersection(steps):
        steps = [*steps, "mul_y"]  # so that y reaches the output and gets a gradient
    x = data.draw(arrays(shapes_[0], floats(-2.0, 2.0)), label="x")
    y = data.draw(arrays(shapes_[1], floats(-2.0, 2.0)), label="y")
    check_op(lambda M, a, b: _run(steps, M, a, b), [x, y], ["grad", "grad"], seed=data.draw(seeds))


# ------------------------------------------------------------- unbroadcast


@given(shapes_=broadcastable_shapes())
def test_unbroadcast_sums_over_the_broadcast_axes(shapes_: ShapePair) -> None:
    for shape in shapes_:
        full = np.broadcast_shapes(*shapes_)
        reduced = unbroadcast(np.ones(full), shape)
        assert reduced.shape == shape
        # Each entry of the operand was used prod(full) / prod(shape) times.
        np.testing.assert_array_equal(reduced, np.prod(full) / np.prod(shape))


# --------------------------------------------------------------- creation


@pytest.mark.parametrize(
    "data",
    [
        [1, 2, 3],
        np.array([1, 2], dtype=np.int32),
        [True, False],
        3,
        2.5,
        [[1.0, 2.0]],
        np.uint8(7),
        (1, 2),
        np.array([[1, 0]], dtype=np.int64),
    ],
)
def test_default_dtype_is_float64(data: object) -> None:
    t = Tensor(data)
    assert t.dtype == np.float64
    np.testing.assert_array_equal(t.data, np.asarray(data, dtype=np.float64))


def test_float32_stays_float32() -> None:
    assert Tensor(np.ones(2, dtype=np.float32)).dtype == np.float32


@pytest.mark.parametrize(
    ("data", "word"),
    [
        (["a", "b"], "strings"),
        ("abc", "strings"),
        (np.array([object(), object()], dtype=object), "objects"),
        (None, "objects"),
        ([1 + 2j], "complex"),
        (np.array([1.0, 2.0], dtype=np.complex128), "complex"),
        (3j, "complex"),
    ],
)
def test_non_real_data_raises_type_error(data: object, word: str) -> None:
    with pytest.raises(TypeError, match=word):
        Tensor(data)


def test_ragged_data_raises_type_error() -> None:
    with pytest.raises(TypeError):
        Tensor([[1.0, 2.0], [3.0]])


@pytest.mark.parametrize(
    "data", [[1.0, np.nan], np.inf, [[1.0, 2.0], [-np.inf, 0.0]], float("nan")]
)
def test_nan_or_inf_raises_value_error(data: object) -> None:
    with pytest.raises(ValueError, match="NaN or infinite"):
        Tensor(data)


# ----------------------------------------------------------- shape errors


def test_matmul_shape_error_names_both_shapes() -> None:
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones((2, 3)))
    with pytest.raises(ValueError) as info:
        a @ b
    assert "cannot multiply (2, 3) @ (2, 3)" in str(info.value)


@pytest.mark.parametrize(
    ("left", "right"),
    [((3,), (4,)), ((2, 3), (2,)), ((2, 2, 3), (3, 3, 4)), ((), (3,)), ((3,), ())],
)
def test_other_matmul_shape_errors(left: tuple[int, ...], right: tuple[int, ...]) -> None:
    with pytest.raises(ValueError) as info:
        Tensor(np.ones(left)) @ Tensor(np.ones(right))
    assert f"{left} @ {right}" in str(info.value)


def test_add_shape_error_names_both_shapes() -> None:
    a, b = Tensor(np.ones((2, 3))), Tensor(np.ones(4))
    with pytest.raises(ValueError) as info:
        a + b
    assert "cannot add (2, 3) and (4,)" in str(info.value)


@pytest.mark.parametrize(
    "op",
    [
        lambda a, b: a + b,
        lambda a, b: a - b,
        lambda a, b: a * b,
        lambda a, b: a / b,
        lambda a, b: b + a,
        lambda a, b: b * a,
        lambda a, b: a.data + b,
        lambda a, b: b.data - a,
    ],
)
def test_broadcasting_errors_name_both_shapes(op: Callable) -> None:
    a = Tensor(np.ones((2, 3)), requires_grad=True)
    b = Tensor(np.ones(4) * 2.0)
    with pytest.raises(ValueError) as info:
        op(a, b)
    assert "(2, 3)" in str(info.value) and "(4,)" in str(info.value)


def test_division_by_zero_entries() -> None:
    with pytest.raises(ZeroDivisionError):
        Tensor([1.0, 2.0]) / Tensor([1.0, 0.0])


def test_log_of_non_positive_entries() -> None:
    with pytest.raises(ValueError, match="positive"):
        Tensor([1.0, 0.0, -1.0]).log()


# --------------------------------------------------------------- backward


def test_backward_on_a_non_scalar_needs_a_seed() -> None:
    assert issubclass(BackwardError, ValueError) and issubclass(BackwardError, RuntimeError)
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    out = x * 2.0
    for error in (BackwardError, ValueError, RuntimeError):
        with pytest.raises(error, match="not a scalar"):
            out.backward()
    assert x.grad is None


@pytest.mark.parametrize("seed_shape", [(3, 2), (6,), (2, 3, 1), ()])
def test_seed_of_the_wrong_shape_raises(seed_shape: tuple[int, ...]) -> None:
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(BackwardError, match=r"\(2, 3\)"):
        (x * 2.0).backward(np.ones(seed_shape))


def test_seed_of_the_wrong_shape_for_a_scalar_raises() -> None:
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(BackwardError):
        x.sum().backward(np.ones(2))


def test_seed_may_be_a_tensor_or_a_list() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    (x * 3.0).backward(Tensor([1.0, -1.0]))
    np.testing.assert_array_equal(x.grad, [3.0, -3.0])
    x.zero_grad()
    (x * 3.0).backward([2.0, 0.5])
    np.testing.assert_array_equal(x.grad, [6.0, 1.5])


@pytest.mark.parametrize(
    "make",
    [
        lambda: Tensor(2.0),
        lambda: Tensor([1.0, 2.0]).sum(),
        lambda: (Tensor([1.0]) * Tensor([2.0])).exp(),
        lambda: Tensor([1.0, 2.0], requires_grad=True).detach().sum(),
    ],
)
def test_backward_on_a_tensor_that_requires_no_grad_raises(make: Callable[[], Tensor]) -> None:
    out = make()
    assert not out.requires_grad
    with pytest.raises(BackwardError, match="require"):
        out.backward()


def test_tensors_without_requires_grad_get_no_grad() -> None:
    w = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = Tensor([[0.5, -1.0]])
    c = Tensor(3.0)
    hidden = (x @ w).tanh() * c
    const = (x * c).exp()  # depends on no parameter
    assert not const.requires_grad
    (hidden + const).sum().backward()
    assert w.grad is not None
    assert x.grad is None and c.grad is None and const.grad is None


def test_detached_input_gets_no_grad() -> None:
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    (a * b.detach()).sum().backward()
    np.testing.assert_array_equal(a.grad, [3.0, 4.0])
    assert b.grad is None


def test_deep_chain_without_recursion_error() -> None:
    limit = sys.getrecursionlimit()
    n, factor = 20_000, 1.0001
    x = Tensor([1.0, -2.0], requires_grad=True)
    y = x
    for _ in range(n):
        y = y * factor
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [factor**n] * 2, rtol=1e-9)  # d(x c^n)/dx = c^n
    del y
    assert sys.getrecursionlimit() == limit


def test_deep_chain_of_mixed_ops() -> None:
    limit = sys.getrecursionlimit()
    n = 5_000  # 4 ops per step: 20,000 ops
    x = Tensor(np.array([0.5, 1.5]), requires_grad=True)
    y = x
    for _ in range(n):
        y = (y + x * 1e-4).reshape(2, 1)[:, 0] - 0.0
    y.sum().backward()
    np.testing.assert_allclose(x.grad, [1 + n * 1e-4] * 2, rtol=1e-9)  # y = x (1 + n 1e-4)
    assert sys.getrecursionlimit() == limit


def test_leaf_gradients_accumulate_across_backward_calls() -> None:
    a_data, b_data = np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.25, -0.5])
    a = Tensor(a_data, requires_grad=True)
    b = Tensor(b_data, requires_grad=True)
    loss = (a * b).sum() + a.exp().sum()
    loss.backward()
    np.testing.assert_allclose(a.grad, b_data + np.exp(a_data), rtol=1e-15)
    np.testing.assert_allclose(b.grad, a_data, rtol=1e-15)
    loss.backward()
    np.testing.assert_allclose(a.grad, 2 * (b_data + np.exp(a_data)), rtol=1e-15)
    np.testing.assert_allclose(b.grad, 2 * a_data, rtol=1e-15)
    a.zero_grad()
    assert a.grad is None


def test_backward_on_a_leaf_accumulates() -> None:
    x = Tensor(2.0, requires_grad=True)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_leaf_grad_is_its_own_writable_array() -> None:
    a = Tensor(np.ones((2, 3)), requires_grad=True)
    b = Tensor(np.ones((2, 3)), requires_grad=True)
    out = a + b
    seed = np.full((2, 3), 2.0)
    out.backward(seed)
    assert a.grad.flags.writeable and b.grad.flags.writeable
    a.grad[0, 0] = 99.0
    a.grad += 1.0
    np.testing.assert_array_equal(b.grad, np.full((2, 3), 2.0))
    np.testing.assert_array_equal(seed, np.full((2, 3), 2.0))

    c = Tensor(np.ones(3), requires_grad=True)
    c.sum().backward()  # the gradient of sum is a broadcast (read-only) view
    assert c.grad.flags.writeable
    c.grad[0] = 5.0
    np.testing.assert_array_equal(c.grad, [5.0, 1.0, 1.0])

    d = Tensor(np.ones(2), requires_grad=True)
    d_seed = np.array([1.0, 2.0])
    d.backward(d_seed)  # backward on the leaf itself
    d.grad[0] = 7.0
    np.testing.assert_array_equal(d_seed, [1.0, 2.0])


def test_fan_out_sums_the_gradients() -> None:
    x_data = np.array([[0.5, -1.0], [2.0, 0.25]])
    x = Tensor(x_data, requires_grad=True)
    (x * x + x + x @ x).sum().backward()
    # d/dx sum(x @ x) = 1 x^T + x^T 1 (1 = the all-ones matrix)
    ones = np.ones((2, 2))
    expected = 2 * x_data + 1 + ones @ x_data.T + x_data.T @ ones
    np.testing.assert_allclose(x.grad, expected, rtol=1e-14)


def test_tensor_is_exported() -> None:
    assert bc.Tensor is Tensor and bc.BackwardError is BackwardError


def test_power_zero_has_zero_gradient_even_at_zero() -> None:
    x = bc.Tensor([0.0, -2.0, 3.0], requires_grad=True)
    (x**0).sum().backward()
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0])


def test_zero_d_array_exponent_is_a_number() -> None:
    x = bc.Tensor([-1.5, 2.0], requires_grad=True)
    (x ** np.array(2.0)).sum().backward()
    np.testing.assert_allclose(x.grad, [-3.0, 4.0])


def test_a_parameter_owns_its_data() -> None:
    initial = np.ones(3)
    w = bc.Tensor(initial, requires_grad=True)
    w.data -= 1.0  # what an optimiser's step does
    np.testing.assert_array_equal(initial, [1.0, 1.0, 1.0])


def test_backward_refuses_a_non_finite_output() -> None:
    x = bc.Tensor([1e300, 1.0], requires_grad=True)
    with np.errstate(over="ignore"):
        y = (x * x).sum()
    with pytest.raises(FloatingPointError, match="NaN or inf"):
        y.backward()


def test_an_infinite_derivative_raises_where_it_happens() -> None:
    x = bc.Tensor([0.0, 4.0], requires_grad=True)
    y = (x**0.5).sum()
    assert y.item() == 2.0
    with pytest.raises(FloatingPointError, match="infinite at x = 0"):
        y.backward()


def test_a_gradient_of_the_wrong_shape_is_stopped_in_the_engine() -> None:
    x = bc.Tensor(np.ones((4, 3)), requires_grad=True)
    b = bc.Tensor(np.ones((1, 3)), requires_grad=True)
    out = bc.Tensor.from_op(x.data + b.data, (x, b), "+")

    def _backward(grad: np.ndarray) -> None:  # the classic bug: no unbroadcast for b
        x.accumulate_grad(grad)
        b.accumulate_grad(grad)

    out._backward = _backward
    with pytest.raises(ValueError, match=r"shape \(4, 3\) to a tensor of shape \(1, 3\)"):
        out.sum().backward()


def test_linear_gradients_are_owned_by_their_parameters() -> None:
    x = bc.Tensor(np.ones((2, 3)))
    W = bc.Tensor(np.ones((3, 2)), requires_grad=True)
    b = bc.Tensor(np.zeros(2), requires_grad=True)
    seed = np.ones((2, 2))
    bc.nn.linear(x, W, b).backward(seed)
    assert W.grad.flags.writeable and b.grad.flags.writeable
    for other in (x.data, W.data, b.data, b.grad, seed):
        assert not np.shares_memory(W.grad, other)
    assert not np.shares_memory(b.grad, seed)


def test_the_old_names_of_the_extension_api_still_work_with_a_deprecation_warning() -> None:
    """Tensor._result / _accumulate and Value._result were renamed from_op / accumulate_grad."""
    x = bc.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.warns(DeprecationWarning, match="Tensor.from_op"):
        out = bc.Tensor._result(x.data * 3.0, (x,), "triple")
    assert out.requires_grad and out._prev == (x,)
    with pytest.warns(DeprecationWarning, match="accumulate_grad"):
        x._accumulate(np.array([1.0, 1.0]))
    assert x.grad.tolist() == [1.0, 1.0]
    v = bc.Value(2.0)
    with pytest.warns(DeprecationWarning, match="Value.from_op"):
        w = bc.Value._result(4.0, (v,), "square")
    assert w.data == 4.0 and w._prev == (v,)
