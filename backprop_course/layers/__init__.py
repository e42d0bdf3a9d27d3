"""Layers as explicit forward/backward pairs: backpropagation written out by hand.

Every layer is two functions, in the manner of Stanford's CS231n:

* ``*_forward(inputs...) -> (out, cache)`` computes the output and keeps in
  ``cache`` whatever the backward pass will need;
* ``*_backward(dout, cache) -> gradients`` receives ``dout`` = dL/d(out), of the
  output's shape, and returns dL/d(input) for every input, each of that input's shape.

Every name is importable from here (``bc.layers.dense_forward``,
``bc.layers.conv2d_forward``, ...); the modules group them by idea:

===================  ===============================================================
``dense``            dense layer, activations, losses (chapters 5-6)
``conv``             2-D convolution and max pooling, images (N, C, H, W) (chapter 12)
``recurrent``        a recurrent step, backpropagation through time (chapter 12)
``normalization``    batch normalisation, training mode (chapter 12)
``dropout``          inverted dropout, training and evaluation modes (chapter 14)
``layernorm``        layer normalisation (chapter 14)
``lstm``             the LSTM cell, backpropagation through time (chapter 14)
``attention``        scaled dot-product and multi-head self-attention (chapter 14)
``transformer``      a pre-norm transformer block from the pairs above (chapter 14)
``batchnorm_modes``  batch norm's running averages and evaluation mode, spatial batch norm
``words``            word embedding, temporal softmax loss with a mask, multiclass SVM loss
===================  ===============================================================
"""

from . import (
    attention,
    batchnorm_modes,
    conv,
    dense,
    dropout,
    layernorm,
    lstm,
    normalization,
    recurrent,
    transformer,
    words,
)
from .attention import *  # noqa: F403
from .batchnorm_modes import *  # noqa: F403
from .conv import *  # noqa: F403  (each module's __all__ says what it exports)
from .dense import *  # noqa: F403
from .dropout import *  # noqa: F403
from .layernorm import *  # noqa: F403
from .lstm import *  # noqa: F403
from .normalization import *  # noqa: F403
from .recurrent import *  # noqa: F403
from .transformer import *  # noqa: F403
from .words import *  # noqa: F403

# One list, built from the modules': a new layer is added to its module's __all__ only.
__all__ = [*dense.__all__, *conv.__all__, *recurrent.__all__, *normalization.__all__]
__all__ += [*dropout.__all__, *layernorm.__all__, *lstm.__all__, *attention.__all__,
            *transformer.__all__, *batchnorm_modes.__all__, *words.__all__]
