"""Hypothesis strategies shared by the tests of the autodiff engines.

Arrays are float64, of 0 to 3 dimensions and small sizes, and their values are
bounded away from trouble: in [-3, 3] by default, positive where a log, a
fractional power or a denominator needs it, and at least 0.1 away from ReLU's
kink at 0. Shapes come in pairs that broadcast against each other (extra leading
dimensions and size-1 dimensions on either side) and in pairs that ``@`` accepts
(1-D, 2-D and batched 3-D).

The profile loaded here makes every run draw the same examples (``derandomize``)
and keeps no example database, so CI is reproducible.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

settings.register_profile(
    "course",
    deadline=None,
    max_examples=40,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("course")

MAX_SIDE = 4

# ---------------------------------------------------------------- numbers


def floats(low: float = -3.0, high: float = 3.0) -> st.SearchStrategy[float]:
    """Finite floats in [low, high], without subnormals."""
    return st.floats(low, high, allow_nan=False, allow_infinity=False, allow_subnormal=False)


def positive(low: float = 0.5, high: float = 3.0) -> st.SearchStrategy[float]:
    """Floats in [low, high] with low > 0: for log, fractional powers and denominators."""
    assert low > 0
    return floats(low, high)


def away_from_zero(margin: float = 0.1, high: float = 3.0) -> st.SearchStrategy[float]:
    """Floats with margin <= |x| <= high, e.g. to stay clear of ReLU's kink at 0."""
    magnitude = floats(margin, high)
    return st.tuples(st.sampled_from([-1.0, 1.0]), magnitude).map(lambda sm: sm[0] * sm[1])


# ----------------------------------------------------------------- shapes


def shapes(min_dims: int = 0, max_dims: int = 3) -> st.SearchStrategy[tuple[int, ...]]:
    """Small array shapes, from 0-d up to ``max_dims`` dimensions."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=1, max_side=MAX_SIDE)


def arrays(
    shape: tuple[int, ...] | st.SearchStrategy[tuple[int, ...]] | None = None,
    elements: st.SearchStrategy[float] | None = None,
) -> st.SearchStrategy[np.ndarray]:
    """float64 arrays of ``shape`` (by default a random 0-d to 3-d shape) with ``elements``."""
    return hnp.arrays(
        np.float64,
        shapes() if shape is None else shape,
        elements=floats() if elements is None else elements,
    )


# Pairs picked by hand so that every kind of broadcasting occurs in every run,
# whatever Hypothesis draws besides: a bias row, a column against a row, extra
# leading dimensions on the left or on the right, a 0-d operand, size-1 axes on
# both sides at once.
_BROADCAST_PAIRS = [
    ((2, 3), (3,)),
    ((3,), (2, 3)),
    ((4, 1), (1, 3)),
    ((1, 3), (4, 1)),
    ((2, 1, 3), (4, 1)),
    ((4, 1), (2, 1, 3)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((3, 1, 2), (3, 4, 1)),
    ((1,), (2, 2, 3)),
    ((2, 3), (2, 3)),
]


def broadcastable_shapes() -> st.SearchStrategy[tuple[tuple[int, ...], tuple[int, ...]]]:
    """Two shapes that broadcast together (NumPy's rules), e.g. ((2, 1, 3), (4, 1))."""
    drawn = hnp.mutually_broadcastable_shapes(
        num_shapes=2, min_dims=0, max_dims=3, min_side=1, max_side=MAX_SIDE
    ).map(lambda b: tuple(b.input_shapes))
    return st.one_of(st.sampled_from(_BROADCAST_PAIRS), drawn)


@st.composite
def matmul_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Two shapes that ``@`` accepts: vectors, matrices, and batches (with broadcasting)."""
    side = st.integers(1, MAX_SIDE)
    n, k, m, batch = draw(side), draw(side), draw(side), draw(st.integers(2, 3))
    left_batch, right_batch = draw(
        st.sampled_from(
            [
                ((), ()),
                ((batch,), ()),
                ((), (batch,)),
                ((batch,), (batch,)),
                ((1,), (batch,)),
                ((batch,), (1,)),
            ]
        )
    )
    left = draw(st.sampled_from([(k,), (*left_batch, n, k)]))
    right = draw(st.sampled_from([(k,), (*right_batch, k, m)]))
    return left, right


@st.composite
def axes(draw: st.DrawFn, ndim: int) -> int | tuple[int, ...] | None:
    """An ``axis`` argument for a reduction over an array of ``ndim`` dimensions:
    None, one axis (possibly negative) or a tuple of distinct axes."""
    if ndim == 0:
        return draw(st.sampled_from([None, ()]))
    return draw(
        st.one_of(
            st.none(),
            st.integers(-ndim, ndim - 1),
            hnp.valid_tuple_axes(ndim, min_size=1),
        )
    )


@st.composite
def reshapes(draw: st.DrawFn, shape: tuple[int, ...]) -> tuple[int, ...]:
    """Another shape with as many entries as ``shape`` (1 to 3 dimensions, maybe a -1)."""
    size = int(np.prod(shape))
    factors = [p for p in (2, 3, 5, 7) for _ in range(_multiplicity(size, p))]
    ndim = draw(st.integers(1, 3))
    new = [1] * ndim
    for p in factors:
        new[draw(st.integers(0, ndim - 1))] *= p
    if draw(st.booleans()):
        new[draw(st.integers(0, ndim - 1))] = -1
    return tuple(new)


def _multiplicity(n: int, p: int) -> int:
    count = 0
    while n % p == 0 and n > 1:
        n //= p
        count += 1
    return count


@st.composite
def indices(draw: st.DrawFn, shape: tuple[int, ...]) -> object:
    """An index into an array of ``shape``: basic (ints, slices, ..., None), integer
    arrays with repeated entries, a boolean mask, or integer arrays mixed with a slice."""
    kinds = ["basic"] + (["fancy", "mask", "fancy_and_slice"] if shape else [])
    kind = draw(st.sampled_from(kinds))
    if kind == "basic":
        return draw(hnp.basic_indices(shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True))
    if kind == "fancy":
        # Small index arrays over few distinct values: repeats are the rule, and a
        # repeated entry must receive the sum of its gradients.
        return draw(
            hnp.integer_array_indices(shape, result_shape=hnp.array_shapes(max_dims=2, max_side=5))
        )
    if kind == "mask":
        return draw(hnp.arrays(np.bool_, shape))
    rows = draw(st.lists(st.integers(-shape[0], shape[0] - 1), min_size=1, max_size=6))
    start = draw(st.integers(0, max(shape[1:2] or (1,))))
    return (np.array(rows), slice(start, None)) if len(shape) > 1 else np.array(rows)


# ------------------------------------------------- random scalar expressions
# An expression is a tree of tuples: ("x", i) is the i-th leaf, (op, child, ...)
# applies op. The same tree is evaluated on Values (to backpropagate) and on
# plain floats (for central differences), by :func:`evaluate`.

# Exponents of ("pow_frac", a, p) = (a*a + 1) ** p: the base is at least 1.
_FRACTIONAL_POWERS = [0.5, -0.5, 1.5, -1.5, 2.5]
_UNARY = [
    "neg",
    "exp",
    "log_sq1",
    "log_exp",
    "tanh",
    "sigmoid",
    "relu",
    "pow2",
    "pow3",
    "pow_frac",
    "rpow2",
    "shared",
]
_BINARY = ["add", "sub", "mul", "div_sq1"]
# Ops with a Python number on one side: x + c, c + x, ..., c / (x*x + 1).
_WITH_NUMBER = ["add_c", "c_add", "sub_c", "c_sub", "mul_c", "c_mul", "div_c", "c_div_sq1"]
_LIMIT = 10.0  # larger intermediate values are scaled down by ("scale", a) = a * 0.1


def _apply(name: str, v: Any) -> Any:  # v: a float or a Value
    """exp/log/tanh/sigmoid/relu of a float (with math) or of a Value (its method)."""
    if isinstance(v, float):
        if name == "sigmoid":
            return 1.0 / (1.0 + math.exp(-v))
        if name == "relu":
            return v if v > 0 else 0.0
        return getattr(math, name)(v)
    return getattr(v, name)()


def evaluate(node: tuple, leaves: list) -> Any:  # a float or a Value
    """The value of expression ``node`` with ``leaves`` (floats or Values) as its leaves."""
    op = node[0]
    if op == "x":
        return leaves[node[1]]
    a = evaluate(node[1], leaves)
    if op in _BINARY:
        b = evaluate(node[2], leaves)
        return {
            "add": lambda: a + b,
            "sub": lambda: a - b,
            "mul": lambda: a * b,
            "div_sq1": lambda: a / (b * b + 1),
        }[op]()
    if op in _WITH_NUMBER:
        c = node[2]
        return {
            "add_c": lambda: a + c,
            "c_add": lambda: c + a,
            "sub_c": lambda: a - c,
            "c_sub": lambda: c - a,
            "mul_c": lambda: a * c,
            "c_mul": lambda: c * a,
            "div_c": lambda: a / c,
            "c_div_sq1": lambda: c / (a * a + 1),
        }[op]()
    if op == "neg":
        return -a
    if op in ("exp", "tanh", "sigmoid", "relu"):
        return _apply(op, a)
    if op == "log_sq1":
        return _apply("log", a * a + 1)
    if op == "log_exp":
        return _apply("log", _apply("exp", a))
    if op == "pow2":
        return a**2
    if op == "pow3":
        return a**3.0
    if op == "pow_frac":
        return (a * a + 1) ** node[2]
    if op == "rpow2":
        return 2.0**a
    if op == "shared":  # one node used three times: its gradient is the sum of three paths
        return a * a - a
    if op == "scale":
        return a * 0.1
    raise ValueError(f"unknown op {op!r}")


@st.composite
def _expression(
    draw: st.DrawFn, depth: int, xs: list[float], leaf_ok: bool = True
) -> tuple[tuple, float]:
    """An expression tree of depth <= ``depth`` over leaves ``xs``, and its value there.

    The value is known while the tree is drawn, so the tree is kept out of
    trouble: exp, tanh and sigmoid get arguments of size <= 3 (a larger argument
    is scaled down first), ReLU gets no argument within 0.1 of its kink (it
    becomes a sigmoid), and no intermediate value exceeds 10 in size.
    """
    if depth == 0:
        kind = "leaf"
    else:
        kinds = ["unary", "binary", "number"]
        kind = draw(st.sampled_from(["leaf", *kinds] if leaf_ok else kinds))
    if kind == "leaf":
        i = draw(st.integers(0, len(xs) - 1))
        return ("x", i), xs[i]
    child, v = draw(_expression(depth - 1, xs))
    if kind == "unary":
        op = draw(st.sampled_from(_UNARY))
        if op == "relu" and abs(v) < 0.1:
            op = "sigmoid"
        if op in ("exp", "log_exp", "rpow2", "tanh", "sigmoid") and abs(v) > 3:
            child = ("scale", child)
        node = (
            (op, child, draw(st.sampled_from(_FRACTIONAL_POWERS)))
            if op == "pow_frac"
            else (op, child)
        )
    elif kind == "binary":
        other, _ = draw(_expression(depth - 1, xs))
        node = (draw(st.sampled_from(_BINARY)), child, other)
    else:
        op = draw(st.sampled_from(_WITH_NUMBER))
        c = draw(away_from_zero(0.5) if op == "div_c" else floats())
        node = (op, child, c)
    value = evaluate(node, xs)
    while abs(value) > _LIMIT:
        node = ("scale", node)
        value = evaluate(node, xs)
    return node, value


@st.composite
def scalar_expressions(draw: st.DrawFn, max_depth: int = 5) -> tuple[list[float], tuple]:
    """1 to 3 leaf values in [-2, 2] and a random expression tree of depth <= ``max_depth``."""
    xs = draw(st.lists(floats(-2.0, 2.0), min_size=1, max_size=3))
    depth = draw(st.integers(1, max_depth))
    node, _ = draw(_expression(depth, xs, leaf_ok=False))
    return xs, node
