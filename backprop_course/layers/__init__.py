"""Layers as explicit forward/backward pairs: backpropagation written out by hand.

Every layer is two functions, in the manner of Stanford's CS231n:

* ``*_forward(inputs...) -> (out, cache)`` computes the output and keeps in
  ``cache`` whatever the backward pass will need;
* ``*_backward(dout, cache) -> gradients`` receives ``dout`` = dL/d(out), of the
  output's shape, and returns dL/d(input) for every input, each of that input's shape.

Every name is importable from here (``bc.layers.dense_forward``,
``bc.layers.conv2d_forward``, ...); the modules group them by idea:

=================  ===============================================================
``dense``          dense layer, activations, losses (chapters 5-6)
``conv``           2-D convolution and max pooling, images (N, C, H, W) (chapter 12)
``recurrent``      a recurrent step, backpropagation through time (chapter 12)
``normalization``  batch normalisation, training mode (chapter 12)
=================  ===============================================================
"""

from .conv import (
    col2im,
    conv2d_backward,
    conv2d_forward,
    conv_output_size,
    im2col,
    im2col_indices,
    maxpool2d_backward,
    maxpool2d_forward,
)
from .dense import (
    affine_backward,
    affine_forward,
    check_labels,
    dense_backward,
    dense_forward,
    log_softmax,
    mse_backward,
    mse_forward,
    relu_backward,
    relu_forward,
    sigmoid_backward,
    sigmoid_forward,
    softmax_cross_entropy_backward,
    softmax_cross_entropy_forward,
    tanh_backward,
    tanh_forward,
)
from .normalization import batchnorm_backward, batchnorm_forward
from .recurrent import rnn_backward, rnn_forward, rnn_step_backward, rnn_step_forward

__all__ = [
    # dense.py
    "dense_forward",
    "dense_backward",
    "affine_forward",
    "affine_backward",
    "sigmoid_forward",
    "sigmoid_backward",
    "tanh_forward",
    "tanh_backward",
    "relu_forward",
    "relu_backward",
    "softmax_cross_entropy_forward",
    "softmax_cross_entropy_backward",
    "mse_forward",
    "mse_backward",
    "check_labels",
    "log_softmax",
    # conv.py
    "conv_output_size",
    "im2col_indices",
    "im2col",
    "col2im",
    "conv2d_forward",
    "conv2d_backward",
    "maxpool2d_forward",
    "maxpool2d_backward",
    # recurrent.py
    "rnn_step_forward",
    "rnn_step_backward",
    "rnn_forward",
    "rnn_backward",
    # normalization.py
    "batchnorm_forward",
    "batchnorm_backward",
]
