"""Bad inputs for chapter 14's held-out evaluation: ``char_transformer.held_out_loss`` and
``train``'s ``eval_every``.

The loss on the held-out sonnets reads a model and a 1-D array of character ids: another
module, ids given as text or floats, or fewer ids than one window and its next character are
refused at once, naming what was wrong.
"""

from __future__ import annotations

import numpy as np
import pytest
from bad_inputs import Case, check, ids

from backprop_course import nn_attention
from backprop_course.experiments import char_transformer


def _model() -> nn_attention.CharTransformer:
    return nn_attention.CharTransformer(5, D=4, n_heads=2, n_layers=1, context=3, rng=0)


CASES = [
    Case("experiments.char_transformer.held_out_loss", "a TransformerBlock",
         lambda: char_transformer.held_out_loss(nn_attention.TransformerBlock(4, 2),
                                                np.arange(5)),
         TypeError, "needs a CharTransformer"),
    Case("experiments.char_transformer.held_out_loss", "the text instead of its ids",
         lambda: char_transformer.held_out_loss(_model(), "some text"), TypeError,
         "ids must be integers"),
    Case("experiments.char_transformer.held_out_loss", "float ids",
         lambda: char_transformer.held_out_loss(_model(), np.zeros(8)), TypeError,
         "ids must be integers"),
    Case("experiments.char_transformer.held_out_loss", "fewer ids than a window and one",
         lambda: char_transformer.held_out_loss(_model(), np.arange(3)), ValueError,
         "at least context + 1 = 4"),
    Case("experiments.char_transformer.held_out_loss", "a batch of windows (2-D ids)",
         lambda: char_transformer.held_out_loss(_model(), np.zeros((2, 4), dtype=int)),
         ValueError, "a 1-D array"),
    Case("experiments.char_transformer.train", "eval_every = 0",
         lambda: char_transformer.train(0, eval_every=0), ValueError,
         "eval_every must be an int >= 1"),
    Case("experiments.char_transformer.train", "eval_every as a float",
         lambda: char_transformer.train(0, eval_every=5.0), TypeError,
         "eval_every must be an int"),
]


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_bad_input_is_refused_clearly(case: Case) -> None:
    check(case)
