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

from . import conv, dense, normalization, recurrent
from .conv import *  # noqa: F403  (each module's __all__ says what it exports)
from .dense import *  # noqa: F403
from .normalization import *  # noqa: F403
from .recurrent import *  # noqa: F403

# One list, built from the modules': a new layer is added to its module's __all__ only.
__all__ = [*dense.__all__, *conv.__all__, *recurrent.__all__, *normalization.__all__]
