"""Bad inputs for ``train.checked_loss_fn``, the check every training loop takes its loss through.

A class or a number where the loss function goes is refused at once; a loss function that
returns a plain number is refused when it returns it, with the caller's name first.
"""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import Case, check, ids

import backprop_course as bc
from backprop_course import train


def _returns_a_float(outputs, targets):  # noqa: ANN001, ANN202
    return float(np.mean((outputs.data - targets) ** 2))


CASES = [
    Case("train.checked_loss_fn", "a class (a layer, not a loss)",
         lambda: train.checked_loss_fn(bc.nn.Linear, "fit"), TypeError,
         "fit: loss_fn must be a function"),
    Case("train.checked_loss_fn", "a number", lambda: train.checked_loss_fn(0.5, "shard_gradient"),
         TypeError, "shard_gradient: loss_fn must be a function"),
    Case("train.checked_loss_fn", "a loss that returns a float (no backward pass)",
         lambda: train.checked_loss_fn(_returns_a_float, "fit")(bc.Tensor(np.ones(2)), np.ones(2)),
         TypeError, "but it returned float"),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    check(case)
