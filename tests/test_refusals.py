"""The engine refuses what it cannot differentiate correctly: no silent wrong gradient.

Each test is a case a learner can type. The answer is either right (checked against
the gradient of the computation that was recorded, or against central differences) or a
clear error raised by the package, at the operation, saying what was wrong.
"""

from __future__ import annotations

import sys
import threading

import numpy as np
import pytest

import backprop_course as bc
from backprop_course import checkpoint, higher, losses, nn, optim, train
from backprop_course.exercises import check
from backprop_course.scalar import Value
from backprop_course.tensor import BackwardError

RNG = np.random.default_rng(15)


# ------------------------------------------------------- data changed after the forward pass
@pytest.mark.parametrize("op", ["mul", "matmul", "log", "relu", "linear", "div", "pow"])
def test_changing_data_after_the_forward_pass_never_gives_a_wrong_gradient(op: str) -> None:
    """Either the gradient of the computation that was recorded, or a clear refusal."""
    def build(x: bc.Tensor, w: bc.Tensor) -> bc.Tensor:
        return {
            "mul": lambda: (x * w).sum(),
            "matmul": lambda: x @ w,
            "log": lambda: w.log().sum(),
            "relu": lambda: (w - 1.5).relu().sum() + w.sum(),
            "linear": lambda: nn.linear(x[None, :], w.reshape(2, 1)).sum(),
            "div": lambda: (x / w).sum(),
            "pow": lambda: (w ** 3).sum(),
        }[op]()

    reference = bc.Tensor([1.0, 2.0], requires_grad=True)
    build(bc.Tensor([3.0, 4.0]), reference).backward()
    x, w = bc.Tensor([3.0, 4.0]), bc.Tensor([1.0, 2.0], requires_grad=True)
    y = build(x, w)
    w.data[:] = 100.0
    reads_w = op in ("log", "div", "pow")  # these backward passes need w's own values
    if reads_w:
        with pytest.raises(BackwardError, match="changed in place after the forward pass"):
            y.backward()
        assert w.grad is None  # refused before any gradient was written
    else:
        y.backward()
        np.testing.assert_allclose(w.grad, reference.grad, rtol=1e-15)


def test_replacing_an_input_whose_values_the_gradient_needs_is_refused() -> None:
    x, w = bc.Tensor([3.0, 4.0]), bc.Tensor([1.0, 2.0], requires_grad=True)
    y = (x * w).sum()  # dy/dw = x
    x.data = np.array([100.0, 100.0])
    with pytest.raises(BackwardError, match="its input 0 .*a constant.*replaced"):
        y.backward()


def test_an_optimiser_step_between_two_backward_passes_is_refused() -> None:
    model = nn.MLP([3, 4, 2], rng=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    X, labels = RNG.normal(size=(5, 3)), np.array([0, 1, 0, 1, 1])
    hidden = model(bc.Tensor(X))  # a graph shared by two losses
    loss1 = losses.cross_entropy(hidden, labels)
    loss2 = (hidden * hidden).mean()
    loss1.backward()
    opt.step()
    with pytest.raises(BackwardError, match="an optimiser step"):
        loss2.backward()


def test_replacing_data_is_refused_too() -> None:
    x, w = bc.Tensor([3.0, 4.0]), bc.Tensor([1.0, 2.0], requires_grad=True)
    y = (x * w).sum()
    x.data = np.array([7.0, 8.0])
    with pytest.raises(BackwardError, match=r"replaced \(t.data = ...\)"):
        y.backward()


def test_changing_data_the_backward_pass_does_not_read_is_allowed() -> None:
    # y = x + w reads neither array: its gradient is 1 whatever they hold now
    x, w = bc.Tensor([3.0, 4.0]), bc.Tensor([1.0, 2.0], requires_grad=True)
    y = (x + w).sum()
    x.data[:] = -1.0
    y.backward()
    np.testing.assert_array_equal(w.grad, [1.0, 1.0])
    # and a constant factor's partner: d(x w)/dx is not needed when x needs no gradient
    a = bc.Tensor([3.0, 4.0])
    b = bc.Tensor([1.0, 2.0], requires_grad=True)
    z = (a * b).sum()
    b.data[:] = 5.0  # b's own value is not used for b's gradient
    z.backward()
    np.testing.assert_array_equal(b.grad, [3.0, 4.0])


def test_an_output_replaced_is_refused() -> None:
    w = bc.Tensor([0.5, -0.5], requires_grad=True)
    e = w.exp()  # exp's backward reads its own output
    y = e.sum()
    e.data = e.data * 2
    with pytest.raises(BackwardError, match="its output"):
        y.backward()


def test_higher_order_gradients_refuse_changed_data() -> None:
    x = bc.Tensor([1.0, 2.0], requires_grad=True)
    y = (x * x * x).sum()
    x.data[0] = 9.0
    with pytest.raises(BackwardError, match="changed in place"):
        higher.grad(y, x, create_graph=True)


def test_the_usual_loop_still_works() -> None:
    model = nn.MLP([3, 4, 2], rng=0)
    opt = optim.Adam(model.parameters(), lr=0.01)
    X, labels = RNG.normal(size=(8, 3)), RNG.integers(0, 2, 8)
    for _ in range(3):
        loss = losses.cross_entropy(model(bc.Tensor(X)), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()


def test_an_index_changed_after_indexing_does_not_change_the_gradient() -> None:
    x = bc.Tensor([1.0, 2.0, 3.0], requires_grad=True)
    index = [0, 0, 2]
    y = x[index].sum()
    index[1] = 1  # the learner reuses the list
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 0.0, 1.0])


def test_labels_changed_after_the_loss_do_not_change_the_gradient() -> None:
    logits = bc.Tensor(RNG.normal(size=(3, 4)), requires_grad=True)
    labels = np.array([0, 1, 2])
    loss = losses.cross_entropy(logits, labels)
    expected = np.exp(logits.data) / np.exp(logits.data).sum(1, keepdims=True)
    expected[np.arange(3), [0, 1, 2]] -= 1
    labels[:] = 3
    loss.backward()
    np.testing.assert_allclose(logits.grad, expected / 3, atol=1e-15)


def test_a_value_changed_after_the_forward_pass_keeps_the_recorded_gradient() -> None:
    # Value holds floats: its operations keep the numbers they computed with, so a later
    # change of .data cannot reach the backward pass (the gradient of what was computed)
    a, b = Value(2.0), Value(3.0)
    c = a * b + a.log() + (b - 4).relu() + a ** 2
    b.data, a.data = 100.0, 50.0
    c.backward()
    assert a.grad == pytest.approx(3.0 + 1 / 2.0 + 4.0)
    assert b.grad == pytest.approx(2.0)


# ----------------------------------------------------------------- checkpoint
def test_checkpoint_is_exact_with_a_non_leaf_input_used_outside_the_segment() -> None:
    V = bc.Tensor(RNG.normal(size=(3, 3)), requires_grad=True)
    x = bc.Tensor(RNG.normal(size=(4, 3)), requires_grad=True)

    def loss(use_checkpoint: bool) -> tuple[np.ndarray, np.ndarray]:
        V.grad, x.grad = None, None
        W = V * 2  # tied or rescaled weights: a non-leaf tensor
        segment = lambda h: (h @ W).tanh() @ W  # noqa: E731
        y = checkpoint.checkpoint(segment, x) if use_checkpoint else segment(x)
        ((y * y).sum() + (W * W).sum()).backward()
        return V.grad.copy(), x.grad.copy()

    plain, ckpt = loss(False), loss(True)
    for p, c in zip(plain, ckpt, strict=True):
        np.testing.assert_allclose(c, p, rtol=1e-13, atol=1e-13)


def test_checkpoint_finds_parameters_it_was_not_told_about() -> None:
    W = bc.Tensor(RNG.normal(size=(3, 2)), requires_grad=True)
    x = bc.Tensor(RNG.normal(size=(4, 3)))  # the data: no gradient
    out = checkpoint.checkpoint(lambda h: (h @ W).sigmoid(), x)
    out.sum().backward()
    s = 1 / (1 + np.exp(-(x.data @ W.data)))
    np.testing.assert_allclose(W.grad, x.data.T @ (s * (1 - s)), rtol=1e-12)


def test_checkpoint_refuses_a_parameter_changed_before_the_backward_pass() -> None:
    W = bc.Tensor(RNG.normal(size=(3, 2)), requires_grad=True)
    out = checkpoint.checkpoint(lambda h: h @ W, RNG.normal(size=(4, 3)))
    W.data += 1.0
    with pytest.raises(BackwardError, match="'checkpoint'"):
        out.sum().backward()


# ------------------------------------------------------------ clear errors at the operation
def test_scalar_power_errors_are_clear() -> None:
    with pytest.raises(OverflowError, match=r"10.0 \*\* 400.0 overflows a float"):
        Value(10) ** 400
    with pytest.raises(ValueError, match="Value \\*\\* Value needs a positive base"):
        Value(-2) ** Value(2)
    y = Value(0.0) ** 0.5
    with pytest.raises(FloatingPointError, match=r"derivative of x \*\* 0.5 is infinite at x = 0"):
        y.backward()


def test_tensor_power_with_a_tensor_exponent_needs_a_positive_base() -> None:
    with pytest.raises(ValueError, match="Tensor \\*\\* Tensor needs a positive base"):
        bc.Tensor([-2.0, 1.0]) ** bc.Tensor([2.0, 2.0])


def test_scalars_reduce_along_axis_zero_as_in_pytorch() -> None:
    t = bc.Tensor(3.0, requires_grad=True)
    assert t.sum(axis=0).item() == 3.0 and t.mean(axis=-1).item() == 3.0
    assert t.log_softmax().item() == 0.0
    g = higher.grad(t.log_softmax().sum(axis=0), t, create_graph=True)
    assert g.item() == 0.0
    assert higher.hessian(lambda a: (a.log_softmax() * a).sum(axis=0), np.array(2.0)).shape \
        == (1, 1)


def test_a_tensor_cannot_be_an_index() -> None:
    x = bc.Tensor([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="a Tensor cannot be an index"):
        x[bc.Tensor([0, 1])]
    np.testing.assert_array_equal(x[np.array([2, 0])].data, [3.0, 1.0])


def test_truth_of_a_tensor() -> None:
    assert bool(bc.Tensor(2.0)) and not bool(bc.Tensor([0.0]))
    with pytest.raises(ValueError, match="truth value of a tensor with 2 elements"):
        bool(bc.Tensor([1.0, 0.0]))
    with pytest.raises(TypeError, match="len\\(\\) of a 0-d tensor"):
        len(bc.Tensor(1.0))


def test_a_gradient_assigned_by_hand_must_have_the_shape() -> None:
    w = bc.Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(ValueError, match="a gradient must have its tensor's shape \\(2,\\)"):
        w.grad = np.zeros(3)
    with pytest.raises(TypeError, match="real numbers"):
        w.grad = np.array(["a", "b"])
    w.grad = [0.5, 0.5]  # a list of the right shape is fine
    assert w.grad.dtype == np.float64
    w.grad = None


def test_fit_refuses_empty_data_and_bad_batch_sizes() -> None:
    model = nn.MLP([2, 3, 2], rng=0)
    opt = optim.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="at least one training example"):
        train.fit(model, losses.cross_entropy, opt, np.zeros((0, 2)), np.zeros(0, int),
                  progress=False)
    # an int out of range is a ValueError; a float or a bool is not an int: a TypeError
    for bad, error in ((0, ValueError), (-3, ValueError), (2.5, TypeError), (True, TypeError)):
        with pytest.raises(error, match="batch_size must be an int >= 1"):
            train.fit(model, losses.cross_entropy, opt, np.zeros((4, 2)), np.zeros(4, int),
                      batch_size=bad, progress=False)


# ----------------------------------------------------------------- the checker
def _endless(*args):
    while True:
        pass


def test_check_gives_a_verdict_on_an_endless_loop() -> None:
    result = check("sigmoid_derivative", _endless, timeout=0.3, quiet=True)
    assert not result.passed and "did not return within 0.3 seconds" in result.message
    assert "loop that never ends" in result.message


def test_check_gives_a_verdict_on_an_endless_loop_outside_the_main_thread() -> None:
    out = []
    t = threading.Thread(target=lambda: out.append(
        check("sigmoid_derivative", _endless, timeout=0.3, quiet=True)))
    t.start()
    t.join(20)
    assert not t.is_alive() and "did not return" in out[0].message


def test_sys_exit_does_not_escape_the_checker() -> None:
    def leaves(*args):
        sys.exit(3)

    result = check("sigmoid_derivative", leaves, quiet=True)
    assert not result.passed and "called sys.exit()" in result.message


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "10", True])
def test_check_rejects_a_bad_timeout(bad) -> None:
    with pytest.raises(ValueError, match="timeout must be a positive number"):
        check("sigmoid_derivative", lambda z: z, timeout=bad)


# ----------------------------------------------------------------- gradcheck
def _double_with(bad_value: float):
    def f(x: bc.Tensor) -> bc.Tensor:
        out = bc.Tensor.from_op(x.data * 2, (x,), "double")

        def _backward(g: np.ndarray) -> None:
            x.accumulate_grad(g * bad_value)

        out._backward = _backward
        return out.sum()

    return f


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_gradcheck_fails_a_backward_pass_that_gives_nan_or_inf(bad: float) -> None:
    report = bc.gradcheck(_double_with(bad), np.array([1.0, 2.0]))
    assert not report.passed and not report
    assert "not a finite number" in str(report) and "backward pass gave" in str(report)


@pytest.mark.parametrize("kw", [{"eps": 0}, {"eps": -1e-6}, {"eps": float("nan")},
                                {"rtol": -1.0}, {"atol": float("inf")}])
def test_gradcheck_refuses_bad_tolerances(kw: dict) -> None:
    name = next(iter(kw))
    with pytest.raises(ValueError, match=f"{name} must be"):
        bc.gradcheck(lambda x: (x * x).sum(), np.array([1.0]), **kw)


@pytest.mark.parametrize("answer, phrase", [
    (lambda z: "abc", "expected numbers, got str"),
    (lambda z: None, "returned None"),
    (lambda z: z.astype(complex), "expected real numbers, got complex"),
    (lambda z: np.full(z.shape, np.nan), "not a finite number"),
    (lambda z: [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0], "expected an array of shape"),
])
def test_check_names_what_is_wrong_with_an_answer_of_the_wrong_type(answer, phrase) -> None:
    result = check("sigmoid_derivative", answer, quiet=True, seed=1)
    assert not result.passed and phrase in result.message


def test_float32_stays_float32_through_python_numbers() -> None:
    a = bc.Tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    for out in (a * 2.0, 2.0 * a, a + 1, 1 - a, a / 3.0, 3.0 / a, a ** 2.0, 2.0 ** a, a - 0.5):
        assert out.dtype == np.float32, out
    loss = ((a * 2.0 + 1) ** 2.0).sum()
    loss.backward()
    loss2 = (a * 3.0).sum()
    loss2.backward()  # gradient accumulation stays float32 too
    assert a.grad.dtype == np.float32
    np.testing.assert_allclose(a.grad, 4 * (2 * a.data + 1) + 3.0, rtol=1e-6)
    assert (bc.Tensor([1.0]) * np.float32(2.0)).dtype == np.float64  # a float64 tensor stays


def test_accuracy_names_bad_inputs() -> None:
    model = nn.MLP([2, 2], rng=0)
    with pytest.raises(ValueError, match="one label per row of X: X has 3 rows"):
        train.accuracy(model, np.zeros((3, 2)), np.zeros(2, int))
    with pytest.raises(ValueError, match="no examples"):
        train.accuracy(model, np.zeros((0, 2)), np.zeros(0, int))
