"""A failing verdict gives its hint in steps: first the exercise's nudge, then its whole hint."""

from __future__ import annotations

import pytest

from backprop_course.exercises import EXERCISES
from backprop_course.exercises.core import Exercise, Output, custom_exercise


def test_every_exercise_has_a_nudge_that_is_not_its_hint() -> None:
    assert len(EXERCISES) == 48
    for name, ex in EXERCISES.items():
        assert ex.nudge.strip(), name
        assert ex.nudge.strip() != ex.hint.strip(), name
        assert ex.nudge not in ex.hint, name  # not a piece of the whole hint either


def test_an_exercise_without_a_proper_nudge_is_refused() -> None:
    kwargs = dict(
        name="double", chapter=0, task="Return 2x.", signature="double(x)",
        outputs=(Output("2x"),), make_inputs=lambda rng: (rng.normal(),),
        expected=lambda x: (2 * x,), hint="Multiply by two.",
    )
    with pytest.raises(ValueError, match="expected a nudge"):
        Exercise(**kwargs, nudge="  ")
    with pytest.raises(ValueError, match="got the hint itself"):
        Exercise(**kwargs, nudge="Multiply by two.")
    with pytest.raises(TypeError, match="nudge"):
        custom_exercise("double", 0, "Return 2x.", "double(x)", "Multiply by two.", None)
