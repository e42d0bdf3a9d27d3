"""Bad inputs for the layers, losses, modules, optimisers, initialisers and diagnostics.

Each case is a mistake a learner can type; the package must refuse it at the operation,
in its own words (see tests/bad_inputs.py for what a case checks).
"""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import Case, check, ids

from backprop_course import diagnostics, init, losses, nn, optim
from backprop_course.layers import conv, dense, normalization, recurrent
from backprop_course.tensor import Tensor

RNG = np.random.default_rng(0)
X, W, B = np.ones((2, 3)), np.ones((3, 4)), np.zeros(4)
IMG = np.arange(16.0).reshape(1, 1, 4, 4)
KERNEL, KBIAS = np.ones((2, 1, 2, 2)), np.zeros(2)
N, T, D, H = 2, 3, 4, 5
SEQ, H0 = np.ones((N, T, D)), np.zeros((N, H))
WX, WH, BH = np.full((D, H), 0.1), np.eye(H) * 0.1, np.zeros(H)


def _cache(forward, *args):
    return forward(*args)[1]


def _dense_cache():
    return _cache(dense.dense_forward, X, W, B)


def _sce_cache():
    return _cache(dense.softmax_cross_entropy_forward, np.zeros((2, 3)), [0, 1])


def _conv_cache():
    return _cache(conv.conv2d_forward, IMG, KERNEL, KBIAS)


def _pool_cache():
    return _cache(conv.maxpool2d_forward, IMG)


def _seq_cache():
    return _cache(recurrent.rnn_forward, SEQ, H0, WX, WH, BH)


def _step_cache():
    return _cache(recurrent.rnn_step_forward, np.ones((N, D)), H0, WX, WH, BH)


def _param(shape=(3,)) -> Tensor:
    return Tensor(np.ones(shape), requires_grad=True)


def _with_grad(shape=(3,)) -> Tensor:
    p = _param(shape)
    p.grad = np.ones(shape)
    return p


def _replaced_then_stepped() -> None:
    w = _param()
    opt = optim.SGD([w], lr=0.1, momentum=0.9)
    w.data = np.ones(4)  # a new array of another shape: the velocity no longer fits
    w.grad = np.ones(4)
    opt.step()


def _stats(**kw):
    fields = {"z_std": np.ones(2), "delta_norm": np.ones(2), "dW_norm": np.ones(2), "loss": 1.0}
    return diagnostics.LayerStatistics(**{**fields, **kw})


NET = diagnostics.deep_mlp(2, 4, rng=0)
XD, YD = np.ones((3, 4)), np.array([0, 1, 2])

CASES = [
    # ------------------------------------------------------------------ layers.dense
    Case("layers.dense.dense_forward", "x of one example, 1-D",
         lambda: dense.dense_forward(np.ones(3), W, B), ValueError, "needs x (N, D_in)"),
    Case("layers.dense.dense_forward", "x and W do not multiply",
         lambda: dense.dense_forward(np.ones((2, 5)), W, B), ValueError, "inner dimensions"),
    Case("layers.dense.dense_forward", "a ragged list",
         lambda: dense.dense_forward([[1, 2, 3], [4]], W, B), TypeError, "rectangular"),
    Case("layers.dense.dense_forward", "None for x",
         lambda: dense.dense_forward(None, W, B), TypeError, "x must be an array of real"),
    Case("layers.dense.dense_forward", "NaN in W",
         lambda: dense.dense_forward(X, W * np.nan, B), ValueError, "W contains 12 NaN"),
    Case("layers.dense.dense_forward", "a Tensor instead of an array",
         lambda: dense.dense_forward(Tensor(X), W, B), TypeError, "pass t.data"),
    Case("layers.dense.dense_backward", "dout of the input's shape",
         lambda: dense.dense_backward(np.ones((2, 3)), _dense_cache()),
         ValueError, "dout has shape (2, 3), but the output had shape (2, 4)"),
    Case("layers.dense.dense_backward", "the sigmoid's cache",
         lambda: dense.dense_backward(np.ones((2, 4)), _cache(dense.sigmoid_forward, X)),
         TypeError, "needs the cache that dense_forward returned"),
    Case("layers.dense.dense_backward", "NaN in dout",
         lambda: dense.dense_backward(np.full((2, 4), np.nan), _dense_cache()),
         ValueError, "dout contains 8 NaN"),
    Case("layers.dense.sigmoid_forward", "strings",
         lambda: dense.sigmoid_forward(["1", "2"]), TypeError, "array of strings"),
    Case("layers.dense.sigmoid_forward", "inf",
         lambda: dense.sigmoid_forward([0.0, np.inf]), ValueError, "NaN or infinite"),
    Case("layers.dense.sigmoid_backward", "the dense layer's cache",
         lambda: dense.sigmoid_backward(X, _dense_cache()),
         TypeError, "needs the cache that sigmoid_forward returned"),
    Case("layers.dense.sigmoid_backward", "dout of another shape",
         lambda: dense.sigmoid_backward(np.ones(3), _cache(dense.sigmoid_forward, X)),
         ValueError, "dout has shape (3,)"),
    Case("layers.dense.tanh_forward", "complex numbers",
         lambda: dense.tanh_forward(np.array([1j])), TypeError, "complex"),
    Case("layers.dense.tanh_backward", "None for the cache",
         lambda: dense.tanh_backward(X, None), TypeError, "needs the cache that tanh_forward"),
    Case("layers.dense.tanh_backward", "None for dout",
         lambda: dense.tanh_backward(None, _cache(dense.tanh_forward, X)), TypeError,
         "dout must be an array of real numbers, got None"),
    Case("layers.dense.relu_forward", "None",
         lambda: dense.relu_forward(None), TypeError, "relu_forward: z must be an array"),
    Case("layers.dense.relu_backward", "a list for the cache",
         lambda: dense.relu_backward(X, X.tolist()),
         TypeError, "needs the cache that relu_forward"),
    Case("layers.dense.relu_backward", "dout transposed",
         lambda: dense.relu_backward(X.T, _cache(dense.relu_forward, X)), ValueError,
         "dout has shape (3, 2)"),
    Case("layers.dense.check_labels", "a label equal to the number of classes",
         lambda: dense.check_labels([0, 3], 2, 3), ValueError, "with 3 classes a label must be"),
    Case("layers.dense.check_labels", "a negative label",
         lambda: dense.check_labels([-1, 0], 2, 3), ValueError, "out of range: [-1]"),
    Case("layers.dense.check_labels", "float labels that are not whole",
         lambda: dense.check_labels([0.5, 1.0], 2, 3), ValueError, "got 0.5 (not a whole number)"),
    Case("layers.dense.check_labels", "string labels",
         lambda: dense.check_labels(["cat", "dog"], 2, 3), TypeError, "integer class indices"),
    Case("layers.dense.check_labels", "one-hot rows",
         lambda: dense.check_labels(np.eye(3)[:2], 2, 3), ValueError, "argmax(axis=1)"),
    Case("layers.dense.check_labels", "n_classes as a string",
         lambda: dense.check_labels([0, 1], 2, "3"), TypeError, "n_classes must be an int"),
    Case("layers.dense.check_labels", "inf as a label",
         lambda: dense.check_labels([np.inf, 1.0], 2, 3), ValueError, "not a whole number"),
    Case("layers.dense.log_softmax", "a 1-D vector",
         lambda: dense.log_softmax(np.ones(3)), ValueError, "logits must have shape (N, C)"),
    Case("layers.dense.log_softmax", "no classes",
         lambda: dense.log_softmax(np.ones((2, 0))), ValueError, "no classes"),
    Case("layers.dense.log_softmax", "a Python list of strings",
         lambda: dense.log_softmax([["a", "b"]]), TypeError, "real numbers"),
    Case("layers.dense.log_softmax", "+inf logit",
         lambda: dense.log_softmax(np.array([[np.inf, 1.0]])), ValueError, "NaN or infinite"),
    Case("layers.dense.softmax_cross_entropy_forward", "labels too large",
         lambda: dense.softmax_cross_entropy_forward(np.zeros((2, 3)), [0, 3]), ValueError,
         "out of range"),
    Case("layers.dense.softmax_cross_entropy_forward", "fewer labels than rows",
         lambda: dense.softmax_cross_entropy_forward(np.zeros((2, 3)), [1]), ValueError,
         "different batch sizes"),
    Case("layers.dense.softmax_cross_entropy_forward", "an empty batch",
         lambda: dense.softmax_cross_entropy_forward(np.zeros((0, 3)), []), ValueError,
         "empty batch"),
    Case("layers.dense.softmax_cross_entropy_forward", "None for the labels",
         lambda: dense.softmax_cross_entropy_forward(np.zeros((2, 3)), None), TypeError,
         "labels must be integer class indices 0..2, got None"),
    Case("layers.dense.softmax_cross_entropy_backward", "dout of the logits' shape",
         lambda: dense.softmax_cross_entropy_backward(
             np.ones((2, 3)), _sce_cache()),
         TypeError, "dout must be a finite number"),
    Case("layers.dense.softmax_cross_entropy_backward", "the dense layer's cache",
         lambda: dense.softmax_cross_entropy_backward(1.0, _dense_cache()),
         TypeError, "needs the cache that softmax_cross_entropy_forward returned"),
    Case("layers.dense.softmax_cross_entropy_backward", "NaN dout",
         lambda: dense.softmax_cross_entropy_backward(
             np.nan, _sce_cache()),
         ValueError, "got nan"),
    Case("layers.dense.mse_forward", "(N, 1) predictions against (N,) targets",
         lambda: dense.mse_forward(np.ones((3, 1)), np.ones(3)), ValueError,
         "pred has shape (3, 1) but target has shape (3,)"),
    Case("layers.dense.mse_forward", "empty arrays",
         lambda: dense.mse_forward(np.ones(0), np.ones(0)), ValueError, "empty"),
    Case("layers.dense.mse_forward", "a string target",
         lambda: dense.mse_forward(np.ones(3), "abc"), TypeError, "target must be an array"),
    Case("layers.dense.mse_backward", "a string dout",
         lambda: dense.mse_backward("1", _cache(dense.mse_forward, np.ones(3), np.zeros(3))),
         TypeError, "dout must be a finite number"),
    Case("layers.dense.mse_backward", "the bare difference array for the cache",
         lambda: dense.mse_backward(1.0, np.ones(3)), TypeError,
         "needs the cache that mse_forward returned"),
    # ------------------------------------------------------------------ layers.conv
    Case("layers.conv.conv_output_size", "stride 0",
         lambda: conv.conv_output_size(5, 3, 0), ValueError, "stride must be an int >= 1"),
    Case("layers.conv.conv_output_size", "a kernel larger than the padded input",
         lambda: conv.conv_output_size(2, 3), ValueError, "larger than 2 pixels"),
    Case("layers.conv.conv_output_size", "a float size",
         lambda: conv.conv_output_size(5.0, 3), TypeError, "size must be an int"),
    Case("layers.conv.conv_output_size", "negative padding",
         lambda: conv.conv_output_size(5, 3, 1, -1), ValueError, "pad must be an int >= 0"),
    Case("layers.conv.im2col_indices", "a 3-tuple shape",
         lambda: conv.im2col_indices((1, 4, 4), 2, 2),
         ValueError, "x_shape must be a tuple (N, C, H, W)"),
    Case("layers.conv.im2col_indices", "the array instead of its shape",
         lambda: conv.im2col_indices(IMG, 2, 2), TypeError, "pass x.shape"),
    Case("layers.conv.im2col_indices", "a float kernel height",
         lambda: conv.im2col_indices((1, 1, 4, 4), 2.0, 2), TypeError, "KH must be an int"),
    Case("layers.conv.im2col_indices", "a window larger than the image",
         lambda: conv.im2col_indices((1, 1, 4, 4), 5, 5),
         ValueError, "larger than the padded image"),
    Case("layers.conv.im2col", "a 3-D image",
         lambda: conv.im2col(IMG[0], 2, 2), ValueError, "im2col needs x of shape (N, C, H, W)"),
    Case("layers.conv.im2col", "negative padding",
         lambda: conv.im2col(IMG, 2, 2, 1, -1), ValueError, "pad must be an int >= 0"),
    Case("layers.conv.im2col", "a float stride",
         lambda: conv.im2col(IMG, 2, 2, 1.5), TypeError, "stride must be an int"),
    Case("layers.conv.col2im", "columns of another shape",
         lambda: conv.col2im(np.ones((1, 4, 8)), (1, 1, 4, 4), 2, 2), ValueError,
         "cols has shape (1, 4, 8)"),
    Case("layers.conv.col2im", "columns that would broadcast over the batch",
         lambda: conv.col2im(np.ones((4, 9)), (1, 1, 4, 4), 2, 2), ValueError, "gives (1, 4, 9)"),
    Case("layers.conv.col2im", "an x_shape of three numbers",
         lambda: conv.col2im(np.ones((1, 4, 9)), (1, 4, 4), 2, 2), ValueError, "x_shape must be"),
    Case("layers.conv.conv2d_forward", "channels that differ",
         lambda: conv.conv2d_forward(IMG, np.ones((2, 3, 2, 2)), KBIAS), ValueError,
         "has C = 1 channels but the kernel"),
    Case("layers.conv.conv2d_forward", "a stride of 1.0",
         lambda: conv.conv2d_forward(IMG, KERNEL, KBIAS, stride=1.0),
         TypeError, "stride must be an int"),
    Case("layers.conv.conv2d_forward", "no filters",
         lambda: conv.conv2d_forward(IMG, np.ones((0, 1, 2, 2)), np.zeros(0)), ValueError,
         "at least one filter"),
    Case("layers.conv.conv2d_forward", "an empty kernel",
         lambda: conv.conv2d_forward(IMG, np.ones((2, 1, 0, 2)), KBIAS),
         ValueError, "at least 1 × 1"),
    Case("layers.conv.conv2d_forward", "a bias per pixel",
         lambda: conv.conv2d_forward(IMG, KERNEL, np.zeros(3)), ValueError, "F = 2 filters"),
    Case("layers.conv.conv2d_backward", "dout of the input's shape",
         lambda: conv.conv2d_backward(np.ones((1, 2, 4, 4)), _conv_cache()),
         ValueError, "dout has shape (1, 2, 4, 4)"),
    Case("layers.conv.conv2d_backward", "the pooling cache",
         lambda: conv.conv2d_backward(np.ones((1, 2, 3, 3)), _pool_cache()),
         TypeError, "needs the cache that conv2d_forward returned"),
    Case("layers.conv.maxpool2d_forward", "a window of (2, 2)",
         lambda: conv.maxpool2d_forward(IMG, (2, 2)), TypeError, "size must be an int"),
    Case("layers.conv.maxpool2d_forward", "a window larger than the image",
         lambda: conv.maxpool2d_forward(IMG, 5), ValueError, "larger than the image"),
    Case("layers.conv.maxpool2d_forward", "stride 0",
         lambda: conv.maxpool2d_forward(IMG, 2, 0), ValueError, "stride must be an int >= 1"),
    Case("layers.conv.maxpool2d_backward", "the convolution's cache",
         lambda: conv.maxpool2d_backward(np.ones((1, 1, 2, 2)), _conv_cache()),
         TypeError, "needs the cache that maxpool2d_forward returned"),
    Case("layers.conv.maxpool2d_backward", "dout of the input's shape",
         lambda: conv.maxpool2d_backward(np.ones((1, 1, 4, 4)), _pool_cache()),
         ValueError, "dout has shape (1, 1, 4, 4)"),
    # ---------------------------------------------------------- layers.normalization
    Case("layers.normalization.batchnorm_forward", "an empty batch",
         lambda: normalization.batchnorm_forward(np.ones((0, 3)), np.ones(3), np.zeros(3)),
         ValueError, "empty batch"),
    Case("layers.normalization.batchnorm_forward", "gamma of the wrong length",
         lambda: normalization.batchnorm_forward(X, np.ones(2), np.zeros(3)), ValueError,
         "must both have shape (3,)"),
    Case("layers.normalization.batchnorm_forward", "eps = inf",
         lambda: normalization.batchnorm_forward(X, np.ones(3), np.zeros(3), np.inf), ValueError,
         "eps must be a positive number"),
    Case("layers.normalization.batchnorm_forward", "eps as a string",
         lambda: normalization.batchnorm_forward(X, np.ones(3), np.zeros(3), "1e-5"), TypeError,
         "eps must be a positive number"),
    Case("layers.normalization.batchnorm_backward", "the dense layer's cache",
         lambda: normalization.batchnorm_backward(X, _dense_cache()),
         TypeError, "needs the cache that batchnorm_forward returned"),
    Case("layers.normalization.batchnorm_backward", "dout transposed",
         lambda: normalization.batchnorm_backward(
             X.T, _cache(normalization.batchnorm_forward, X, np.ones(3), np.zeros(3))),
         ValueError, "dout has shape (3, 2)"),
    # ---------------------------------------------------------- layers.recurrent
    Case("layers.recurrent.rnn_step_forward", "Wh of another size",
         lambda: recurrent.rnn_step_forward(np.ones((N, D)), H0, WX, np.eye(H + 1), BH), ValueError,
         "Wh must be (H, H)"),
    Case("layers.recurrent.rnn_step_forward", "h_prev of another width",
         lambda: recurrent.rnn_step_forward(np.ones((N, D)), np.zeros((N, H + 1)), WX, WH, BH),
         ValueError, "h_prev has shape (2, 6)"),
    Case("layers.recurrent.rnn_step_forward", "None for h_prev",
         lambda: recurrent.rnn_step_forward(np.ones((N, D)), None, WX, WH, BH), TypeError,
         "h_prev must be an array"),
    Case("layers.recurrent.rnn_step_backward", "the whole sequence's cache",
         lambda: recurrent.rnn_step_backward(H0, _seq_cache()),
         TypeError, "needs the cache that rnn_step_forward returned"),
    Case("layers.recurrent.rnn_step_backward", "dh of the input's shape",
         lambda: recurrent.rnn_step_backward(
             np.ones((N, D)), _step_cache()),
         ValueError, "dout has shape (2, 4)"),
    Case("layers.recurrent.rnn_forward", "time-major x (T, N, D)",
         lambda: recurrent.rnn_forward(np.ones((T, N, D)), H0, WX, WH, BH), ValueError,
         "x is batch first"),
    Case("layers.recurrent.rnn_forward", "a sequence of length 0",
         lambda: recurrent.rnn_forward(np.ones((N, 0, D)), H0, WX, WH, BH), ValueError,
         "sequence of length 0"),
    Case("layers.recurrent.rnn_forward", "None for Wh",
         lambda: recurrent.rnn_forward(SEQ, H0, WX, None, BH), TypeError, "Wh must be an array"),
    Case("layers.recurrent.rnn_forward", "b of another size",
         lambda: recurrent.rnn_forward(SEQ, H0, WX, WH, np.zeros(3)), ValueError,
         "b has shape (3,) but Wx (4, 5) has H = 5"),
    Case("layers.recurrent.rnn_backward", "one step's cache",
         lambda: recurrent.rnn_backward(
             np.ones((N, T, H)), _step_cache()),
         TypeError, "needs the cache that rnn_forward returned"),
    Case("layers.recurrent.rnn_backward", "an empty list for the cache",
         lambda: recurrent.rnn_backward(np.ones((N, T, H)), []),
         TypeError, "a list of step caches"),
    Case("layers.recurrent.rnn_backward", "truncate = 0",
         lambda: recurrent.rnn_backward(np.ones((N, T, H)), _seq_cache(), 0),
         ValueError, "truncate must be a positive int"),
    Case("layers.recurrent.rnn_backward", "truncate = 1.5",
         lambda: recurrent.rnn_backward(np.ones((N, T, H)), _seq_cache(), 1.5),
         TypeError, "truncate must be a positive int"),
    Case("layers.recurrent.rnn_backward", "dh of the last step only",
         lambda: recurrent.rnn_backward(np.ones((N, H)), _seq_cache()),
         ValueError, "dout has shape (2, 5), but the output had shape (2, 3, 5)"),
    # ------------------------------------------------------------------------ losses
    Case("losses.mse", "(N, 1) predictions against (N,) targets",
         lambda: losses.mse(Tensor(np.zeros((3, 1))), np.zeros(3)), ValueError, "same shape"),
    Case("losses.mse", "None for the target",
         lambda: losses.mse(Tensor(np.zeros(3)), None), TypeError, "mse got a bad target"),
    Case("losses.mse", "empty tensors",
         lambda: losses.mse(Tensor(np.zeros(0)), np.zeros(0)), ValueError, "empty"),
    Case("losses.binary_cross_entropy", "a target of 2",
         lambda: losses.binary_cross_entropy(Tensor(np.zeros(3)), [0, 1, 2]), ValueError,
         "must be in [0, 1]"),
    Case("losses.binary_cross_entropy", "string targets",
         lambda: losses.binary_cross_entropy(Tensor(np.zeros(2)), ["0", "1"]), TypeError,
         "targets must be an array of real numbers"),
    Case("losses.binary_cross_entropy", "a NaN target",
         lambda: losses.binary_cross_entropy(Tensor(np.zeros(2)), [0.0, np.nan]), ValueError,
         "NaN or infinite"),
    Case("losses.binary_cross_entropy", "complex targets",
         lambda: losses.binary_cross_entropy(Tensor(np.zeros(2)), np.array([0, 1j])), TypeError,
         "complex"),
    Case("losses.binary_cross_entropy", "targets of another shape",
         lambda: losses.binary_cross_entropy(Tensor(np.zeros((3, 1))), np.zeros(3)), ValueError,
         "same shape"),
    Case("losses.cross_entropy", "a label out of range",
         lambda: losses.cross_entropy(Tensor(np.zeros((2, 3))), [0, 3]),
         ValueError, "out of range"),
    Case("losses.cross_entropy", "one-hot labels",
         lambda: losses.cross_entropy(Tensor(np.zeros((2, 3))), np.eye(3)[:2]), ValueError, "1-D"),
    Case("losses.cross_entropy", "labels and logits swapped",
         lambda: losses.cross_entropy(np.array([0, 1]), Tensor(np.zeros((2, 3)))), ValueError,
         "logits of shape (N, C)"),
    Case("losses.cross_entropy", "no classes",
         lambda: losses.cross_entropy(Tensor(np.zeros((2, 0))), [0, 0]), ValueError, "no classes"),
    Case("losses.cross_entropy", "string labels",
         lambda: losses.cross_entropy(Tensor(np.zeros((2, 3))), ["a", "b"]), TypeError,
         "integer class indices"),
    # ---------------------------------------------------------------------------- nn
    Case("nn.linear", "x and W do not multiply",
         lambda: nn.linear(np.ones((2, 5)), _param((3, 4))),
         ValueError, "inner dimensions 5 and 3"),
    Case("nn.linear", "a (1, D_out) bias",
         lambda: nn.linear(X, _param((3, 4)), _param((1, 4))), ValueError, "bias has shape (1, 4)"),
    Case("nn.linear", "None for x",
         lambda: nn.linear(None, _param((3, 4))), TypeError, "linear got a bad x"),
    Case("nn.Linear", "a string size",
         lambda: nn.Linear("3", 4), TypeError, "in_features must be an int"),
    Case("nn.Linear", "zero outputs",
         lambda: nn.Linear(3, 0), ValueError, "out_features must be an int >= 1"),
    Case("nn.Linear", "bias='no'",
         lambda: nn.Linear(3, 4, bias="no"), TypeError, "bias must be True or False"),
    Case("nn.Linear", "an unknown init",
         lambda: nn.Linear(3, 4, init="kaiming"), ValueError, "unknown init 'kaiming'"),
    Case("nn.Linear", "a negative seed",
         lambda: nn.Linear(3, 4, rng=-1), ValueError, "seed must be an int >= 0"),
    Case("nn.Linear.__call__", "inputs of the wrong width",
         lambda: nn.Linear(3, 4)(np.ones((2, 5))), ValueError, "expects inputs of shape (N, 3)"),
    Case("nn.Linear.__call__", "strings",
         lambda: nn.Linear(3, 4)("abc"), TypeError, "got a bad input"),
    Case("nn.ReLU.__call__", "None",
         lambda: nn.ReLU()(None), TypeError, "ReLU got a bad input"),
    Case("nn.Sequential", "a function instead of a Module",
         lambda: nn.Sequential(nn.Linear(2, 3), np.tanh), TypeError, "Sequential takes Modules"),
    Case("nn.Sequential", "a list of Modules",
         lambda: nn.Sequential([nn.Linear(2, 3)]), TypeError, "got list"),
    Case("nn.Sequential.__getitem__", "an index past the end",
         lambda: nn.Sequential(nn.Linear(2, 3))[5], IndexError, "has 1 layers"),
    Case("nn.MLP", "a single size",
         lambda: nn.MLP([3]), ValueError, "at least two"),
    Case("nn.MLP", "an int instead of a list",
         lambda: nn.MLP(3), TypeError, "sizes must be a list of ints"),
    Case("nn.MLP", "a float size",
         lambda: nn.MLP([3, 4.0]), TypeError, "sizes[1] must be an int"),
    Case("nn.MLP", "activation=None",
         lambda: nn.MLP([3, 4, 2], activation=None), TypeError, "activation must be a name"),
    Case("nn.MLP", "an unknown activation",
         lambda: nn.MLP([3, 4], activation="softmax"), ValueError, "unknown activation 'softmax'"),
    Case("nn.MLP", "init=''",
         lambda: nn.MLP([3, 4], init=""), ValueError, "unknown init ''"),
    # ------------------------------------------------------------------------- optim
    Case("nn.Module.train", "a string as the mode",
         lambda: nn.MLP([2, 3]).train("eval"), TypeError, "MLP.train: mode"),
    Case("optim.parameter_list", "the model instead of its parameters",
         lambda: optim.parameter_list(nn.Linear(2, 1), "clip"), TypeError,
         "needs model.parameters()"),
    Case("optim.parameter_list", "a single Tensor where a list goes",
         lambda: optim.parameter_list(Tensor([1.0], requires_grad=True)), TypeError,
         "pass [w]"),
    Case("optim.parameter_list", "an array among the parameters",
         lambda: optim.parameter_list([np.ones(2)]), TypeError, "parameter 0 is"),
    Case("optim.Optimizer", "the model instead of its parameters",
         lambda: optim.Optimizer(nn.MLP([2, 3])), TypeError, "needs model.parameters()"),
    Case("optim.Optimizer", "a single Tensor",
         lambda: optim.Optimizer(_param((2, 3))), TypeError, "pass [w]"),
    Case("optim.Optimizer", "an empty parameter list",
         lambda: optim.Optimizer([]), ValueError, "empty parameter list"),
    Case("optim.Optimizer", "a parameter twice",
         lambda: optim.Optimizer([(p := _param()), p]), ValueError, "updated twice"),
    Case("optim.Optimizer.step", "the base class's step",
         lambda: optim.Optimizer([_param()]).step(), NotImplementedError, "use SGD or Adam"),
    Case("optim.SGD", "a string learning rate",
         lambda: optim.SGD([_param()], lr="0.1"), TypeError, "lr must be a positive number"),
    Case("optim.SGD", "a negative learning rate",
         lambda: optim.SGD([_param()], lr=-0.1), ValueError, "lr must be a positive number"),
    Case("optim.SGD", "a NaN learning rate",
         lambda: optim.SGD([_param()], lr=float("nan")), ValueError, "got nan"),
    Case("optim.SGD", "a parameter without requires_grad",
         lambda: optim.SGD([Tensor(np.ones(3))], lr=0.1), ValueError, "requires_grad=True"),
    Case("optim.SGD", "an array for a parameter",
         lambda: optim.SGD([np.ones(3)], lr=0.1), TypeError, "not a Tensor"),
    Case("optim.SGD", "momentum 1",
         lambda: optim.SGD([_param()], lr=0.1, momentum=1.0),
         ValueError, "momentum must be a number in [0, 1)"),
    Case("optim.SGD", "momentum as a string",
         lambda: optim.SGD([_param()], lr=0.1, momentum="0.9"), TypeError, "momentum must be"),
    Case("optim.SGD.step", "a parameter whose .data was replaced by another shape",
         _replaced_then_stepped, ValueError, "was its .data replaced"),
    Case("optim.Adam", "beta2 = 1",
         lambda: optim.Adam([_param()], betas=(0.9, 1.0)),
         ValueError, "betas[1] must be a number in [0, 1)"),
    Case("optim.Adam", "a single beta",
         lambda: optim.Adam([_param()], betas=0.9), TypeError, "betas must be two numbers"),
    Case("optim.Adam", "three betas",
         lambda: optim.Adam([_param()], betas=(0.9, 0.99, 0.9)),
         ValueError, "betas must be two numbers"),
    Case("optim.Adam", "eps = 0",
         lambda: optim.Adam([_param()], eps=0), ValueError, "eps must be a positive number"),
    Case("optim.Adam", "a string learning rate",
         lambda: optim.Adam([_param()], lr="1e-3"), TypeError, "lr must be a positive number"),
    # -------------------------------------------------------------------------- init
    Case("init.as_rng", "a float seed",
         lambda: init.as_rng(0.5), TypeError, "int seed or a numpy.random.Generator"),
    Case("init.as_rng", "a negative seed",
         lambda: init.as_rng(-1), ValueError, "seed must be an int >= 0"),
    Case("init.as_rng", "a legacy RandomState",
         lambda: init.as_rng(np.random.RandomState(0)), TypeError, "default_rng(seed)"),
    Case("init.xavier_uniform", "fan_in 0",
         lambda: init.xavier_uniform(0, 3),
         ValueError, "xavier_uniform: fan_in must be an int >= 1"),
    Case("init.xavier_uniform", "a string seed",
         lambda: init.xavier_uniform(3, 3, "0"), TypeError, "rng must be an int seed"),
    Case("init.xavier_normal", "a float fan_out",
         lambda: init.xavier_normal(3, 2.0), TypeError, "fan_out must be an int"),
    Case("init.he_uniform", "a shape tuple as fan_in",
         lambda: init.he_uniform((3, 4), 3), TypeError, "fan_in must be an int"),
    Case("init.he_normal", "a negative fan_out",
         lambda: init.he_normal(3, -1), ValueError, "fan_out must be an int >= 1"),
    Case("init.uniform", "scale = inf",
         lambda: init.uniform(3, 3, 0, np.inf), ValueError, "scale must be a positive number"),
    Case("init.uniform", "a string scale",
         lambda: init.uniform(3, 3, 0, "0.3"), TypeError, "scale must be a positive number"),
    Case("init.uniform", "a negative scale",
         lambda: init.uniform(3, 3, 0, -0.3), ValueError, "got -0.3"),
    # ------------------------------------------------------------------- diagnostics
    Case("diagnostics.deep_mlp", "depth 0",
         lambda: diagnostics.deep_mlp(0, 4), ValueError, "depth must be an int >= 1"),
    Case("diagnostics.deep_mlp", "a float width",
         lambda: diagnostics.deep_mlp(2, 4.0), TypeError, "width must be an int"),
    Case("diagnostics.deep_mlp", "n_in = 0",
         lambda: diagnostics.deep_mlp(2, 4, n_in=0), ValueError, "n_in must be an int >= 1"),
    Case("diagnostics.deep_mlp", "an unknown activation",
         lambda: diagnostics.deep_mlp(2, 4, "softplus"), ValueError, "unknown activation"),
    Case("diagnostics.deep_mlp", "an init that returns NaN",
         lambda: diagnostics.deep_mlp(2, 4, init=lambda a, b, g: np.full((a, b), np.nan)),
         ValueError, "init returned contains"),
    Case("diagnostics.deep_mlp", "a number for init",
         lambda: diagnostics.deep_mlp(2, 4, init=0.5),
         TypeError, "init must be a name or a function"),
    Case("diagnostics.LayerStatistics", "arrays of different lengths",
         lambda: _stats(delta_norm=np.ones(3)), ValueError, "one entry per layer"),
    Case("diagnostics.LayerStatistics", "a string loss",
         lambda: _stats(loss="1.0"), TypeError, "loss must be a number"),
    Case("diagnostics.layer_statistics", "a Linear layer instead of a Sequential",
         lambda: diagnostics.layer_statistics(NET[0], XD, YD), TypeError, "needs a Sequential"),
    Case("diagnostics.layer_statistics", "an empty batch",
         lambda: diagnostics.layer_statistics(NET, np.ones((0, 4)), np.zeros(0, int)), ValueError,
         "N >= 1"),
    Case("diagnostics.layer_statistics", "a loss name instead of a function",
         lambda: diagnostics.layer_statistics(NET, XD, YD, loss_fn="mse"), TypeError,
         "loss_fn must be a function"),
    Case("diagnostics.layer_statistics", "a loss_fn that does not reduce",
         lambda: diagnostics.layer_statistics(NET, XD, YD, loss_fn=lambda out, t: out), ValueError,
         "must return one number"),
    Case("diagnostics.layer_statistics", "a label out of range",
         lambda: diagnostics.layer_statistics(NET, XD, np.array([0, 1, 9])),
         ValueError, "out of range"),
    Case("diagnostics.grad_norm", "the model instead of its parameters",
         lambda: diagnostics.grad_norm(NET), TypeError, "needs model.parameters()"),
    Case("diagnostics.grad_norm", "arrays instead of Tensors",
         lambda: diagnostics.grad_norm([np.ones(3)]), TypeError, "not a Tensor"),
    Case("diagnostics.grad_norm", "None",
         lambda: diagnostics.grad_norm(None), TypeError, "iterable of Tensors"),
    Case("diagnostics.clip_grad_norm", "max_norm 0",
         lambda: diagnostics.clip_grad_norm([_with_grad()], 0),
         ValueError, "max_norm must be a positive"),
    Case("diagnostics.clip_grad_norm", "max_norm as a string",
         lambda: diagnostics.clip_grad_norm([_with_grad()], "1"), TypeError, "max_norm must be"),
    Case("diagnostics.clip_grad_norm", "the arguments swapped",
         lambda: diagnostics.clip_grad_norm(1.0, [_with_grad()]), TypeError, "max_norm must be"),
    Case("diagnostics.clip_grad_norm", "the model instead of its parameters",
         lambda: diagnostics.clip_grad_norm(NET, 1.0), TypeError, "needs model.parameters()"),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    check(case)


# ----------------------------------------------------- what is accepted, and right
def test_a_single_tensor_is_its_own_parameter_list_for_the_gradient_norm() -> None:
    """As in PyTorch's clip_grad_norm_: one Tensor is [tensor], not a list of its rows."""
    w = _param((2, 3))
    w.grad = np.full((2, 3), 2.0)
    assert diagnostics.grad_norm(w) == pytest.approx(np.sqrt(6 * 4.0))
    assert diagnostics.clip_grad_norm(w, 1.0) == pytest.approx(np.sqrt(24.0))
    assert np.linalg.norm(w.grad) == pytest.approx(1.0)


def test_a_step_without_gradients_changes_nothing_and_adam_does_not_count_it() -> None:
    """PyTorch's rule: a parameter whose grad is None is skipped; a step with none is a no-op."""
    w = _param()
    sgd, adam = optim.SGD([w], lr=0.1, momentum=0.9), optim.Adam([w])
    sgd.step()
    adam.step()
    assert np.all(w.data == 1.0) and adam.t == 0


def test_whole_number_float_labels_and_numpy_sizes_are_accepted() -> None:
    assert dense.check_labels(np.array([0.0, 2.0]), np.int64(2), np.int64(3)).tolist() == [0, 2]
    assert nn.Linear(np.int64(3), np.int64(2)).W.shape == (3, 2)
    assert optim.SGD([_param()], lr=np.float32(0.5)).lr == pytest.approx(0.5)


def test_activation_modules_take_arrays_as_linear_does() -> None:
    assert nn.ReLU()(np.array([-1.0, 2.0])).data.tolist() == [0.0, 2.0]
    assert nn.linear(np.ones((1, 2)), np.ones((2, 1))).data.tolist() == [[2.0]]


def test_deep_mlp_n_in_is_used_as_given() -> None:
    """n_in=1 is one input (it was read as 'not given' only when it was 0, which is now refused)."""
    assert diagnostics.deep_mlp(2, 4, n_in=1, n_out=3)[0].W.shape == (1, 4)
