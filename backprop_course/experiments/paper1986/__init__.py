"""The experiments of Rumelhart, Hinton & Williams (1986), reproduced (chapter 9).

>>> from backprop_course.experiments import paper1986
>>> result = paper1986.run("symmetry", seed=0)
>>> result.converged, result.weights[0].shape
(True, (6, 2))

``run`` trains one network with the paper's procedure (Nature 323, pp. 533-535):
logistic units; a bias is a weight from an extra input that is always 1; the
error is summed over the cases and the output units,
E = 1/2 sum_c sum_j (y_jc - d_jc)^2; the gradient is accumulated over all the
cases and the weights change once per sweep, with momentum,
dw(t) = -epsilon dE/dw(t) + alpha dw(t-1). ``sweep`` runs many seeds at once
(the seeds are stacked along a first axis, so a sweep of every seed is a few
batched matrix products) and returns the distribution of sweeps.

The chapter's many-seed results are cached in ``paper1986_results.json`` beside
this package; regenerate them (hours on two cores; ``--only NAME`` for one entry) and
check them against the code (seconds, on any CPU) with

    python -m backprop_course.experiments.paper1986 --regenerate
    python -m backprop_course.experiments.paper1986 --check

The modules, by idea: ``tasks`` (the paper's constants, the tasks and their data),
``training`` (``run``, ``sweep``),
``results`` (what they return), ``analysis`` (where training stopped: ``hessian``,
``end_state``, ``settle``, ``classify``), ``family`` (the family trees: the set-up
that learns, the balance of gradient and decay, the units of Fig. 4, every case held
out in turn), ``catalogue`` (what the cache holds) and ``cache`` (the cached results,
their check and the CLI). The
forward and backward passes (``forward``, ``backward``, ...) are the package's
batched logistic networks, :mod:`backprop_course.sigmoid_nets`, re-exported here.
"""

from __future__ import annotations

from ...sigmoid_nets import backward, forward, gradients, output_error

# The names marked noqa are not in __all__ but importable from here, as they were before
# the split into modules: the paper's constants, the thresholds of the analysis, what the
# cache holds, and the CLI.
from .analysis import (
    CURVATURE_ZERO,  # noqa: F401
    FLAT_FALL,  # noqa: F401
    GRADIENT_ZERO,  # noqa: F401
    NEARBY,  # noqa: F401
    NEGATIVE_CURVATURE,  # noqa: F401
    SETTLE_RADIUS,  # noqa: F401
    SETTLE_STEPS,  # noqa: F401
    EndState,
    Settled,
    classify,
    end_state,
    hessian,
    settle,
)
from .cache import (
    RESULTS_FILE,
    check_cache,
    load_network,
    load_results,
    load_rotation,
    load_trace,
    main,  # noqa: F401
    regenerate,
)
from .catalogue import (
    CACHED_NETWORKS,  # noqa: F401
    CACHED_RUNS,  # noqa: F401
    HISTORY_POINTS,  # noqa: F401
    KEEP_WEIGHTS,  # noqa: F401
    PROBE_AT,  # noqa: F401
    PROBE_RTOL,  # noqa: F401
    PROBE_SEEDS,  # noqa: F401
    TRAINED_ON,  # noqa: F401
)
from .family import (
    WORKING,
    LayerBalance,
    Rotation,
    layer_balance,
    person_features,
    person_units,
    rotation,
    separating_units,
)
from .results import Result, SweepResult, Unfinished
from .tasks import (
    ENCODER_ALPHA,  # noqa: F401
    ENCODER_EPSILON,  # noqa: F401
    FAMILY_ALPHA,  # noqa: F401
    FAMILY_DECAY,  # noqa: F401
    FAMILY_EPSILON,  # noqa: F401
    FAMILY_HELD_OUT,  # noqa: F401
    FAMILY_MARGIN,  # noqa: F401
    FAMILY_SWEEPS,  # noqa: F401
    FAMILY_WARMUP,  # noqa: F401
    FURTHER_SWEEPS,  # noqa: F401
    INIT_RANGE,  # noqa: F401
    LONG_SWEEPS,  # noqa: F401
    MAX_SWEEPS,  # noqa: F401
    OVERRIDES,  # noqa: F401
    PARITY_EPSILON,  # noqa: F401
    PARITY_PRESENTATIONS,  # noqa: F401
    PDP_ALPHA,  # noqa: F401
    RAY_SCALE,  # noqa: F401
    SYMMETRY_ALPHA,  # noqa: F401
    SYMMETRY_EPSILON,  # noqa: F401
    SYMMETRY_SWEEPS,  # noqa: F401
    TASKS,
    TOLERANCE,  # noqa: F401
    XOR_DIRECT_SWEEPS,  # noqa: F401
    XOR_EPSILON,  # noqa: F401
    XOR_STUCK_EPSILON,  # noqa: F401
    XOR_STUCK_RUNS,  # noqa: F401
    Task,
    task_data,
)
from .training import run, sweep

__all__ = ["TASKS", "Task", "Result", "SweepResult", "Unfinished", "EndState", "Settled", "run",
           "sweep", "forward", "backward", "gradients", "output_error", "task_data", "hessian",
           "end_state", "settle", "classify", "load_results", "load_network", "load_rotation",
           "load_trace", "check_cache", "regenerate", "RESULTS_FILE", "WORKING", "LayerBalance",
           "Rotation", "layer_balance", "person_features", "person_units", "separating_units",
           "rotation"]
