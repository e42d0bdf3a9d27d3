"""Higher-order gradients: differentiate the backward pass itself (chapter 13).

:meth:`Tensor.backward <backprop_course.tensor.Tensor.backward>` applies each
operation's vector-Jacobian product (VJP) to plain NumPy arrays. That is fast,
and the gradients it leaves behind are just numbers: nothing records how they
were computed, so they cannot be differentiated again.

:func:`grad` walks the same graph in the same reverse topological order, but
applies each operation's VJP *written with Tensor operations*. The gradients it
returns are Tensors with graphs of their own (PyTorch's ``create_graph=True``),
and differentiating them again gives second derivatives. Each operation's rule is
written beside the operation itself (``backprop_course/ops/``, ``nn.linear``, the
losses) and registered in one table keyed by the operation's name
(:data:`~backprop_course.graph.RULES`), so the first-order engine stays as fast as it is.

:func:`hvp` uses this for Pearlmutter's exact Hessian-vector product
``H v = ∇(∇f · v)``, at the cost of a few gradients and without ever forming
``H``; :func:`hessian` builds the whole matrix row by row, for small problems
and for checking.

    >>> import numpy as np
    >>> from backprop_course.higher import hvp
    >>> f = lambda x: (x * x * x).sum()             # H = diag(6 x)
    >>> hvp(f, np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    array([ 6., 12.])
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .checks import as_array as _as_array
from .checks import check_callable as _check_callable
from .checks import finite_positive
from .checks import flag as _flag
from .graph import RULES, topological_order
from .graph import rule as graph_rule
from .saved import BackwardError, check_saved
from .tensor import Tensor

__all__ = [
    "RULES",
    "conjugate_gradients",
    "grad",
    "hessian",
    "hvp",
    "hvp_operator",
    "register_rule",
]

Rule = Callable[[Tensor, Tensor], Sequence["Tensor | None"]]

# RULES (from graph): the rule of every operation, registered beside the operation.

def register_rule(op: str, rule: Rule | None = None) -> Any:
    """Register ``rule`` as the higher-order VJP of the operation named ``op``.

    Use it as ``register_rule("sqdiff", rule)`` or as a decorator,
    ``@register_rule("sqdiff")``. Operations without a rule can still be
    differentiated once with ``backward()``; :func:`grad` refuses them.

    Raises
    ------
    TypeError
        If ``op`` is not a non-empty string or ``rule`` is not callable.
    """
    if not isinstance(op, str) or not op:
        raise TypeError(f"register_rule needs an operation name (a str), got {op!r}")
    add = graph_rule(op)  # the same table as the package's own @rule beside each operation
    return add if rule is None else add(rule)


def _rule_for(node: Tensor) -> Rule:
    op = node._op
    rule = RULES.get("**" if op.startswith("**") else op)
    if rule is None:
        known = ", ".join(sorted(RULES))
        raise NotImplementedError(
            f"no higher-order rule for the operation {op!r}: grad() needs every operation's "
            f"backward pass written with Tensor operations. Build the function from operations "
            f"that have one ({known}), or give it one: beside an operation of the package with "
            f"@backprop_course.graph.rule({op!r}), for your own operation with "
            f"backprop_course.higher.register_rule({op!r}, rule)"
        )
    return rule


# ------------------------------------------------------------------ grad
def grad(
    output: Tensor,
    inputs: Tensor | Sequence[Tensor],
    grad_output: Any = None,
    *,
    create_graph: bool = False,
) -> Any:
    """The gradients of ``output`` with respect to ``inputs``, as Tensors.

    The functional form of the backward pass, like ``torch.autograd.grad``: it
    returns the gradients instead of adding them into ``.grad`` (no ``.grad``
    is read or changed), and with ``create_graph=True`` every operation of the
    backward pass is recorded, so the gradients can be differentiated again.

    Parameters
    ----------
    output : Tensor
        What to differentiate; a scalar unless ``grad_output`` is given.
    inputs : Tensor or sequence of Tensor
        The tensors to differentiate with respect to; each must require a
        gradient.
    grad_output : array_like or Tensor, optional
        dL/d(output), the seed; 1 for a scalar output.
    create_graph : bool, default False
        Keep the backward pass as a graph: the returned gradients then require a
        gradient themselves when they depend on an input that does. Without it
        they are detached, like the arrays ``backward()`` leaves.

    Returns
    -------
    Tensor or list of Tensor
        One gradient per input, of the input's shape (zeros for a leaf that
        ``output`` does not depend on, as ``jax.grad`` gives); a single Tensor if
        ``inputs`` was one.

    Raises
    ------
    BackwardError
        If ``output`` does not require a gradient, is not a scalar and no
        ``grad_output`` is given, or ``grad_output`` has the wrong shape.
    ValueError
        If an input does not require a gradient, or is a computed tensor that
        ``output`` was not computed from (computing it again makes a new tensor, not
        the one in the graph: keep the one the forward pass used).
    TypeError
        If ``inputs`` is not a Tensor or a list of them, or ``create_graph`` not a bool.
    NotImplementedError
        If the graph holds an operation without a rule in :data:`~backprop_course.graph.RULES`.
    """
    single = isinstance(inputs, Tensor)
    xs = _check_inputs([inputs] if single else inputs)
    create_graph = _flag(create_graph, "grad(): create_graph")
    grads = _record_backward(output, _seed(output, grad_output))
    result = []
    for i, x in enumerate(xs):
        g = grads.get(x)
        if g is None:  # output does not depend on x
            _check_unused(x, i)
            g = Tensor(np.zeros_like(x.data))
        result.append(g if create_graph else g.detach())
    return result[0] if single else result


def _record_backward(output: Tensor, seed: Tensor) -> dict[Tensor, Tensor]:
    """The backward pass in Tensor operations: dL/d(node) for every node reached, as Tensors."""
    grads = {output: seed}
    order = topological_order(output)
    check_saved(order)  # data changed since the forward pass: refuse, as backward() does
    for node in reversed(order):
        g = grads.get(node)
        if g is None or not node._prev:
            continue  # a leaf, or a node that received no gradient
        results = _checked(node, _rule_for(node)(node, g))
        for parent, dp in zip(node._prev, results, strict=True):
            if dp is not None and parent.requires_grad:
                # the sum over paths of the chain rule, as one more operation
                grads[parent] = grads[parent] + dp if parent in grads else dp
    return grads


def _checked(node: Tensor, results: Sequence[Tensor | None]) -> tuple:
    """A rule's results, after checking there is one per input, of the input's shape."""
    if not isinstance(results, tuple | list):
        raise TypeError(
            f"the rule of {node._op!r} returned a {type(results).__name__}; a rule returns a "
            f"tuple with one gradient per input, such as (g * ...,)"
        )
    results = tuple(results)
    if len(results) != len(node._prev):
        raise ValueError(
            f"the rule of {node._op!r} returned {len(results)} gradient(s) for "
            f"{len(node._prev)} input(s)"
        )
    for parent, dp in zip(node._prev, results, strict=True):
        if dp is not None and dp.shape != parent.shape:
            raise ValueError(
                f"the rule of {node._op!r} gave a gradient of shape {dp.shape} to an "
                f"input of shape {parent.shape}"
            )
    return results


def _check_unused(x: Tensor, i: int) -> None:
    """A leaf the output does not depend on has gradient 0; a computed tensor is a mistake."""
    if x._prev:
        raise ValueError(
            f"input {i} (shape {x.shape}, computed by '{x._op}') is not in the graph of the "
            "output: the output was not computed from this tensor. Computing it again makes "
            "a new tensor; pass the one the forward pass used"
        )


def _check_inputs(inputs: Any) -> list[Tensor]:
    if not isinstance(inputs, Sequence) or not inputs:
        raise TypeError("inputs must be a Tensor or a non-empty list of Tensors")
    for i, x in enumerate(inputs):
        if not isinstance(x, Tensor):
            raise TypeError(f"input {i} is a {type(x).__name__}, not a Tensor")
        if not x.requires_grad:
            raise ValueError(
                f"input {i} (shape {x.shape}) does not require a gradient: create it with "
                "requires_grad=True"
            )
    return list(inputs)


def _seed(output: Tensor, grad_output: Any) -> Tensor:
    if not isinstance(output, Tensor):
        raise TypeError(f"output must be a Tensor, got {type(output).__name__}")
    if not output.requires_grad:
        raise BackwardError(
            "grad() of a tensor that does not require a gradient: it was not computed from "
            "any tensor created with requires_grad=True"
        )
    if grad_output is None:
        if output.size != 1:
            raise BackwardError(
                f"grad() without grad_output needs a scalar output, got shape {output.shape}"
            )
        return Tensor(np.ones_like(output.data))
    seed = (
        grad_output
        if isinstance(grad_output, Tensor)
        else Tensor(_as_array(grad_output, "grad_output"))
    )
    if seed.shape != output.shape:
        raise BackwardError(
            f"grad_output has shape {seed.shape} but the output has shape {output.shape}"
        )
    return seed


# ------------------------------------------------------- Hessian products
def hvp_operator(f: Callable[..., Tensor], inputs: Any) -> Callable[[Any], Any]:
    """The map ``v -> H v`` for the Hessian ``H`` of ``f`` at ``inputs``.

    The gradient graph is built once (``grad(..., create_graph=True)``); each
    call differentiates ``∇f · v`` through it: one more backward pass, so many
    products at the same point (power iteration, conjugate gradients) cost one
    backward pass each.

    Parameters
    ----------
    f : callable
        ``f(*tensors)`` returns a scalar Tensor built from its arguments with
        Tensor operations.
    inputs : array_like or Tensor, or a list of them
        The point; fresh leaf Tensors are made from their values, so nothing
        the caller owns (no ``.grad``) is changed.

    Returns
    -------
    callable
        ``op(v)`` with ``v`` shaped like ``inputs`` (an array, or a list of
        arrays), returning ``H v`` in the same structure.
    """
    single, leaves, gradients = _gradient_graph(f, inputs)

    def apply(vectors: Any) -> Any:
        vs = _check_vectors(vectors, leaves, single)
        dot = None
        for g, v in zip(gradients, vs, strict=True):
            term = (g * v).sum()
            dot = term if dot is None else dot + term
        if not dot.requires_grad:  # f is linear: its gradient is constant
            products = [np.zeros_like(x.data) for x in leaves]
        else:
            products = [t.data for t in grad(dot, leaves)]
        return products[0] if single else products

    return apply


def hvp(f: Callable[..., Tensor], inputs: Any, vectors: Any) -> Any:
    """The exact Hessian-vector product ``H v`` of a scalar function ``f``.

    Computed as the gradient of ``∇f(x) · v`` (reverse over reverse), with
    no finite differences and no Hessian matrix.

    Parameters
    ----------
    f : callable
        ``f(*tensors)`` returns a scalar Tensor.
    inputs : array_like or Tensor, or a list of them
        The point ``x``.
    vectors : array_like, or a list of them
        ``v``, in the same structure and shapes as ``inputs``.

    Returns
    -------
    numpy.ndarray or list of numpy.ndarray
        ``H v``, in the structure of ``inputs``.

    Raises
    ------
    ValueError
        If a vector's shape differs from its input's, or it contains NaN or
        infinity, or ``f`` does not return a scalar.
    """
    return hvp_operator(f, inputs)(vectors)


def hessian(f: Callable[..., Tensor], inputs: Any) -> np.ndarray:
    """The full Hessian matrix of a scalar function, one exact row at a time.

    Row ``i`` is the gradient of the ``i``-th entry of the gradient. With
    several inputs, their entries are numbered in order, each flattened, so
    the result is ``(n, n)`` with ``n`` the total number of entries. It costs
    ``n`` backward passes: for small problems and checks (use :func:`hvp` for
    large ones).
    """
    _, leaves, gradients = _gradient_graph(f, inputs)
    flat = [g.reshape(-1) for g in gradients]
    n = sum(x.size for x in leaves)
    rows = np.zeros((n, n))
    i = 0
    for g in flat:
        for j in range(g.size):
            entry = g[j]
            if entry.requires_grad:
                rows[i] = np.concatenate([r.data.ravel() for r in grad(entry, leaves)])
            i += 1
    return rows


def conjugate_gradients(
    hvp: Callable[[np.ndarray], np.ndarray],
    b: np.ndarray,
    tol: float = 1e-10,
    max_products: int = 100,
) -> tuple[np.ndarray, int]:
    """Solve ``H x = b`` for a symmetric positive definite ``H`` known only through ``hvp``.

    The conjugate gradient method: each step moves along a direction conjugate to the
    previous ones (``p_j . H p_k = 0``), so it never undoes their progress, and needs one
    product ``H p``. With ``b = -∇L`` and ``hvp`` from :func:`hvp_operator` the solution is
    the Newton step, found without forming ``H`` (Newton-CG, Hessian-free optimisation).

    Parameters
    ----------
    hvp : callable
        ``v -> H v`` for flat vectors.
    b : numpy.ndarray, shape (n,)
    tol : float
        Stop once the residual ``|b - H x|`` is below ``tol * |b|``.
    max_products : int
        At most this many products (then the current ``x`` is returned).

    Returns
    -------
    x : numpy.ndarray
    products : int
        How many products ``H p`` were used.

    Raises
    ------
    ValueError
        If ``b`` is not a finite vector, ``tol`` is negative, ``max_products`` is not a
        positive int, ``hvp`` returns a vector of another shape than its argument's (``H``
        is not square) or NaN, ``H`` is not symmetric (``p . H q != q . H p`` for two
        search directions; without symmetry the method gives a wrong ``x``), or ``H`` has
        curvature ``p . H p <= 0`` along a search direction (it is not positive definite:
        the Newton step would head for a saddle or a maximum).
    TypeError
        If ``hvp`` is not a function of one vector, or returns something other than numbers.
    """
    b = _as_array(b, "b")
    if b.ndim != 1:
        raise ValueError(f"b must be a vector (n,), got shape {b.shape}")
    _check_callable(hvp, "conjugate_gradients: hvp", "one vector shaped like b", b)
    finite_positive(tol, "tol", "a number >= 0", zero_ok=True)
    if isinstance(max_products, bool) or not isinstance(max_products, numbers.Integral) \
            or max_products < 1:
        raise ValueError(f"max_products must be a positive int, got {max_products!r}")
    x, r = np.zeros_like(b), b.copy()  # r = b - H x, the residual
    p, rr = r.copy(), r @ r
    products, before = 0, None
    while products < max_products and np.sqrt(rr) > tol * np.linalg.norm(b):
        Hp = _product(hvp, p)
        products += 1
        if before is not None:
            _check_symmetric(*before, p, Hp)
        before = p, Hp
        curvature = p @ Hp
        if curvature <= 0:
            raise ValueError(
                f"H is not positive definite: p . H p = {curvature:.3g} along a search "
                f"direction (after {products} products)"
            )
        alpha = rr / curvature  # the exact minimum along p
        x, r = x + alpha * p, r - alpha * Hp
        rr_new = r @ r
        p, rr = r + (rr_new / rr) * p, rr_new  # the next direction, conjugate to p
    return x, products


def _product(hvp: Callable[[np.ndarray], Any], p: np.ndarray) -> np.ndarray:
    """``hvp(p)``, checked: real numbers, finite, shaped like ``p`` (H is square)."""
    Hp = hvp(p)
    Hp = _as_array(Hp.data if isinstance(Hp, Tensor) else Hp, "conjugate_gradients: hvp(p)")
    if Hp.shape != p.shape:
        raise ValueError(
            f"conjugate_gradients: hvp returned shape {Hp.shape} for a vector of shape "
            f"{p.shape}; H must be a square matrix (n, n) with n = {p.size}, the length of b"
        )
    return Hp.astype(np.float64, copy=False)


def _check_symmetric(p: np.ndarray, Hp: np.ndarray, q: np.ndarray, Hq: np.ndarray) -> None:
    """Refuse an H with ``p . H q != q . H p``: conjugate gradients assumes a symmetric H."""
    pHq, qHp = p @ Hq, q @ Hp
    scale = np.linalg.norm(p) * np.linalg.norm(Hq) + np.linalg.norm(q) * np.linalg.norm(Hp)
    if abs(pHq - qHp) > 1e-6 * scale:
        raise ValueError(
            f"conjugate_gradients: H is not symmetric: for two search directions p and q, "
            f"p . H q = {pHq:.6g} but q . H p = {qHp:.6g}. The method needs a symmetric "
            "positive definite H (a Hessian is symmetric); with another H it converges to a "
            "wrong x"
        )


def _gradient_graph(f: Callable[..., Tensor], inputs: Any) -> tuple[bool, list, list]:
    """Fresh leaves for ``inputs``, and the gradient of ``f`` at them with its graph recorded.

    Returns whether ``inputs`` was a single input, the leaves and the gradients (constant zero
    Tensors where ``f`` does not depend on an input at all).
    """
    single = not isinstance(inputs, list | tuple)
    if not single and not inputs:
        raise ValueError("inputs is empty: pass the point, one array (or a list of arrays)")
    leaves = [_leaf(x, i) for i, x in enumerate([inputs] if single else inputs)]
    _check_callable(
        f, "f", "one Tensor" if single else
        f"{len(leaves)} Tensors, one per entry of the list of inputs (for one vector input, "
        "pass a NumPy array, not a list)", *leaves)
    out = f(*leaves)
    if not isinstance(out, Tensor):
        raise TypeError(f"f must return a Tensor, got {type(out).__name__}")
    if out.size != 1:
        raise ValueError(f"f must return a scalar (one element), got shape {out.shape}")
    if not out.requires_grad:  # f ignores its inputs: every derivative is 0
        return single, leaves, [Tensor(np.zeros_like(x.data)) for x in leaves]
    return single, leaves, grad(out, leaves, create_graph=True)


def _leaf(x: Any, i: int) -> Tensor:
    data = x.data if isinstance(x, Tensor) else _as_array(x, f"input {i}")
    return Tensor(data, requires_grad=True)


def _check_vectors(vectors: Any, leaves: list[Tensor], single: bool) -> list[np.ndarray]:
    vs = [vectors] if single else vectors
    if not isinstance(vs, list | tuple) or len(vs) != len(leaves):
        raise ValueError(f"need {len(leaves)} vectors, one per input, got {vectors!r:.80}")
    checked = []
    for i, (v, x) in enumerate(zip(vs, leaves, strict=True)):
        arr = _as_array(v.data if isinstance(v, Tensor) else v, f"vector {i}")
        if arr.shape != x.shape:
            raise ValueError(f"vector {i} has shape {arr.shape}, but its input has shape {x.shape}")
        checked.append(arr)
    return checked
