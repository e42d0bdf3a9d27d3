"""backprop_course: the companion package of the book *Backpropagation, from the chain rule up*.

>>> import backprop_course as bc
>>> x = bc.Value(2.0)
>>> y = x * x + 3 * x
>>> y.backward()
>>> x.grad
7.0

Modules
-------
scalar      :class:`Value`, scalar reverse-mode autodiff (chapter 3)
tensor      :class:`Tensor`, reverse-mode autodiff on NumPy arrays (chapter 8)
graph       the computational graph: topological order, the backward walk, the rules table
ops         the operations of Tensor, each with its backward pass and its rule (chapters 8, 13)
saved       refusing a backward pass whose saved data changed since the forward pass
gradcheck   numerical gradients and gradient checking (every chapter)
dual        forward mode: dual numbers, jvp (chapter 4)
descent     plain gradient descent, returning the path of iterates (chapter 1)
layers      explicit forward/backward pairs, backprop by hand (chapters 5-6, 12)
nn          Module, Linear, Sequential, MLP on Tensor (PyTorch-shaped)
losses      mse, binary_cross_entropy, cross_entropy on Tensors
optim       SGD (with momentum) and Adam
init        weight initialisers (Xavier/Glorot, He)
data        the course's data sets and mini-batches
train       the training loop, fit()
parallel    data parallelism: a batch's gradient from shards in worker processes
diagnostics gradient norms layer by layer, gradient clipping (chapter 11)
landscape   many small networks trained at once; slices of the loss (chapter 11)
sigmoid_nets the batched sigmoid-network trainer of chapters 9 and 11
checkpoint  the memory of backprop, gradient checkpointing (chapter 11)
higher      higher-order gradients: grad(create_graph=True), Hessian-vector products (ch. 13)
symbolic    SymPy derivations shared by the chapters and the tests
viz         figures shared by the chapters (imported on first use: it loads matplotlib)
source      show_source: the package's own code, as the chapters print it
checks      the argument checks the modules share
numerics    the logistic sigmoid in its two stable forms, shared by the modules
texts       a small public-domain text and a character codec (chapter 14)
experiments reproductions of published experiments: experiments.paper1986 (chapter 9)
exercises   checkers for the exercises
"""

import importlib
from typing import Any

from . import (
    checkpoint,
    data,
    descent,
    diagnostics,
    dual,
    exercises,
    experiments,
    gradcheck,
    graph,
    higher,
    init,
    landscape,
    layers,
    losses,
    nn,
    numerics,
    optim,
    parallel,
    scalar,
    source,
    symbolic,
    tensor,
    texts,
    train,
)
from .gradcheck import GradcheckReport, below, numerical_gradient, rel_error
from .scalar import Value
from .tensor import BackwardError, Tensor, no_grad

__version__ = "0.1.0"

__all__ = [
    "Value",
    "Tensor",
    "BackwardError",
    "no_grad",
    "GradcheckReport",
    "numerical_gradient",
    "rel_error",
    "below",
    # modules, in the order of the list above
    "scalar",
    "tensor",
    "graph",
    "gradcheck",
    "dual",
    "descent",
    "layers",
    "nn",
    "losses",
    "optim",
    "init",
    "data",
    "train",
    "parallel",
    "diagnostics",
    "landscape",
    "checkpoint",
    "higher",
    "symbolic",
    "viz",
    "source",
    "numerics",
    "experiments",
    "exercises",
    "texts",
]


def __getattr__(name: str) -> Any:
    if name == "viz":  # lazy, so that `import backprop_course` does not load matplotlib
        return importlib.import_module(".viz", __name__)
    raise AttributeError(f"module 'backprop_course' has no attribute {name!r}")
