"""SymPy derivations that the chapters show and the tests reuse.

The course derives every gradient symbolically before it implements it. This
package keeps those derivations in one place, so that a chapter and a test derive
the *same* expression. For one sigmoid neuron with squared error,

.. math:: z = \\sum_i w_i x_i + b, \\qquad a = \\sigma(z), \\qquad L = \\tfrac12 (a - y)^2,

:func:`neuron` builds the expressions and the three chain-rule factors
:math:`\\partial L/\\partial a`, :math:`\\partial a/\\partial z` and
:math:`\\partial z/\\partial w_i`, and :func:`lambdify` turns any of them into a
NumPy function.

The derivations live in one module per idea; every name is used as ``bc.symbolic.<name>``.

==========================  =================================================  ========
module                      what it derives                                    chapters
==========================  =================================================  ========
``symbolic.helpers``        ``sigmoid``, ``partial``, ``lambdify``             all
``symbolic.regression``     the least-squares loss of a linear model           1
``symbolic.single_neuron``  one sigmoid neuron, factor by factor               2
``symbolic.dense``          a dense network, batch first, and its loss         5
``symbolic.losses``         softmax, cross-entropy, binary cross-entropy, MSE  6, 10
``symbolic.modern_layers``  an LSTM step, layer norm, the softmax Jacobian     14
==========================  =================================================  ========
"""

from __future__ import annotations

from .dense import DenseNetwork, dense_network
from .helpers import lambdify, partial, sigmoid
from .losses import binary_cross_entropy, cross_entropy, mean_squared_error, softmax
from .modern_layers import layer_norm, lstm_step, softmax_jacobian
from .regression import LeastSquares, least_squares
from .single_neuron import Neuron, neuron

__all__ = [
    "sigmoid", "partial", "lambdify",  # helpers
    "LeastSquares", "least_squares",  # regression, chapter 1
    "Neuron", "neuron",  # single_neuron, chapter 2
    "DenseNetwork", "dense_network",  # dense, chapter 5
    "softmax", "cross_entropy", "binary_cross_entropy", "mean_squared_error",  # losses, ch. 6
    "lstm_step", "layer_norm", "softmax_jacobian",  # modern_layers, chapter 14
]
