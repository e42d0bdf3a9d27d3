"""A failing verdict gives its hint in steps and the seed that brings its case back.

Level 1 (the default) names what is wrong and gives the exercise's nudge, never the whole
hint; ``hint=2`` gives the whole hint, and so does the third failed try of an exercise in a
row, until a pass starts the count again. Every failing verdict ends with the call that
runs the same case again.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from backprop_course.exercises import EXERCISES, check
from backprop_course.exercises.core import (
    Exercise,
    Output,
    ReferenceExercise,
    TrialExercise,
    custom_exercise,
    reset_tries,
)

RERUN = re.compile(r'^To run this case again: check\("(\w+)", (\w+), seed=(\d+)\)\.$')


def mse_gradient(x, y, w, b):
    r = x @ w + b - y
    return 2 / len(y) * x.T @ r, 2 / len(y) * r.sum()


def half_gradient(x, y, w, b):
    """The classic slip: the factor 2 of the square forgotten."""
    return tuple(g / 2 for g in mse_gradient(x, y, w, b))


def _raising(*args):
    return 1 / 0


def _rerun_line(message: str) -> re.Match:
    last = message.splitlines()[-1]
    match = RERUN.match(last)
    assert match, f"the verdict does not end with the call that reruns its case:\n{message}"
    return match


def test_every_exercise_has_a_nudge_that_is_not_its_hint() -> None:
    assert len(EXERCISES) == 52
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
        ReferenceExercise(**kwargs, nudge="  ")
    with pytest.raises(ValueError, match="got the hint itself"):
        ReferenceExercise(**kwargs, nudge="Multiply by two.")
    with pytest.raises(TypeError, match="nudge"):
        TrialExercise(name="double", chapter=0, task="Return 2x.", signature="double(x)",
                      hint="Multiply by two.", trial=lambda fn, rng: None)


def test_every_exercise_is_one_of_the_two_kinds_with_only_its_fields() -> None:
    kinds = {type(ex) for ex in EXERCISES.values()}
    assert kinds == {ReferenceExercise, TrialExercise}
    assert not hasattr(EXERCISES["value_sin"], "outputs")
    assert not hasattr(EXERCISES["sigmoid_derivative"], "trial")
    with pytest.raises(TypeError, match="ReferenceExercise"):
        Exercise(name="double", chapter=0, task="t", signature="double(x)", hint="h", nudge="n")


def test_custom_exercise_still_builds_a_trial_exercise_with_a_warning() -> None:
    with pytest.warns(DeprecationWarning, match="TrialExercise"):
        ex = custom_exercise("double", 0, "Return 2x.", "double(x)", "Multiply by two.",
                             lambda fn, rng: None, nudge="How much bigger?")
    assert isinstance(ex, TrialExercise) and ex.chapter == 0


def test_the_first_verdict_gives_the_nudge_not_the_formula() -> None:
    ex = EXERCISES["mse_gradient"]
    result = check("mse_gradient", half_gradient, seed=0, quiet=True)
    assert not result.passed
    lines = result.message.splitlines()
    assert lines[0].startswith("mse_gradient: not yet. entry ")
    assert "0.5 times the right one" in lines[0]  # what is wrong and where
    assert lines[1].startswith("The input was x=")  # (an array over several lines)
    assert lines[-3:] == [
        f"Hint: {ex.nudge}",
        'For the whole hint: check("mse_gradient", half_gradient, hint=2).',
        'To run this case again: check("mse_gradient", half_gradient, seed=0).',
    ]
    assert ex.hint not in result.message
    assert "(2/N)" not in result.message and "x.T @ r" not in result.message


def test_hint_2_gives_the_whole_hint() -> None:
    ex = EXERCISES["mse_gradient"]
    result = check("mse_gradient", half_gradient, seed=0, hint=2, quiet=True)
    assert not result.passed
    assert f"Hint: {ex.hint}" in result.message
    assert "dL/dw = (2/N) x.T @ r" in result.message
    assert ex.nudge not in result.message
    assert "For the whole hint" not in result.message  # nothing more to ask for
    assert "after" not in result.message.lower()  # asked for, not given after tries
    assert _rerun_line(result.message).group(3) == "0"


@pytest.mark.parametrize("name", list(EXERCISES))
def test_every_exercise_gives_its_hint_in_two_steps(name: str) -> None:
    ex = EXERCISES[name]
    first = check(name, _raising, seed=0, quiet=True).message
    assert "ZeroDivisionError" in first
    assert f"Hint: {ex.nudge}" in first and ex.hint not in first
    assert f'For the whole hint: check("{name}", _raising, hint=2).' in first
    whole = check(name, _raising, seed=0, hint=2, quiet=True).message
    assert f"Hint: {ex.hint}" in whole and ex.nudge not in whole
    for message in (first, whole):
        assert _rerun_line(message).groups() == (name, "_raising", "0")


def test_the_third_failed_try_gives_the_whole_hint_and_a_pass_resets() -> None:
    ex = EXERCISES["mse_gradient"]

    def tries(n: int) -> list[str]:
        return [check("mse_gradient", half_gradient, quiet=True).message for _ in range(n)]

    first, second, third, fourth = tries(4)
    for message in (first, second):
        assert ex.nudge in message and ex.hint not in message
    assert "After three tries, here is the whole hint.\nHint: " + ex.hint in third
    assert "After four tries, here is the whole hint." in fourth and ex.hint in fourth
    for message in (third, fourth):
        assert ex.nudge not in message and "For the whole hint" not in message
        _rerun_line(message)

    # Another exercise keeps its own count.
    other = check("sigmoid_derivative", lambda z: 0 * z, quiet=True).message
    assert EXERCISES["sigmoid_derivative"].nudge in other

    assert check("mse_gradient", mse_gradient, quiet=True).passed
    after_pass = tries(1)[0]
    assert ex.nudge in after_pass and ex.hint not in after_pass

    tries(2)
    reset_tries("mse_gradient")
    assert ex.nudge in tries(1)[0]


def test_a_failing_verdict_gives_the_seed_that_reruns_its_case() -> None:
    first = check("mse_gradient", half_gradient, quiet=True)
    name, function, seed = _rerun_line(first.message).groups()
    assert (name, function) == ("mse_gradient", "half_gradient")
    assert 0 <= int(seed) < 10**6
    again = check("mse_gradient", half_gradient, seed=int(seed), quiet=True)
    assert again.message == first.message  # the same input, the same entry, the same values


def test_a_lambda_is_called_your_function() -> None:
    message = check("mse_gradient", lambda x, y, w, b: (0 * w, 0.0), seed=7, quiet=True).message
    assert message.endswith('check("mse_gradient", your_function, seed=7).')
    assert 'check("mse_gradient", your_function, hint=2).' in message


@pytest.mark.parametrize("name", list(EXERCISES))
def test_every_exercise_reproduces_its_failing_case(name: str) -> None:
    def wrong(*args):
        """Wrong for every exercise; the array ones see their inputs in the verdict."""
        return np.full(np.shape(args[0]), 0.25) if args else 0.25

    first = check(name, wrong, quiet=True)
    assert not first.passed, first.message
    seed = int(_rerun_line(first.message).group(3))
    again = check(name, wrong, seed=seed, quiet=True)
    assert again.message == first.message


def test_a_pass_prints_no_seed(capsys: pytest.CaptureFixture) -> None:
    result = check("mse_gradient", mse_gradient)
    assert result.passed
    out = capsys.readouterr().out
    assert "seed" not in out and "Hint" not in out


@pytest.mark.parametrize("bad", [0, 3, -1, "2", 2.5, None, True])
def test_a_bad_hint_level_is_a_clear_error(bad) -> None:
    with pytest.raises(ValueError, match=r"hint must be 1 \(a nudge\) or 2 \(the whole hint\)"):
        check("mse_gradient", mse_gradient, hint=bad)
    with pytest.raises(ValueError, match=re.escape(f"got {bad!r}")):
        check("mse_gradient", mse_gradient, hint=bad, quiet=True)


# ---------------------------------------------- what check() answers with a verdict, not a raise
# check() is called in a notebook cell by a learner: a misspelt exercise name and any
# answer at all (not a function, a function that returns the wrong kind of thing) give a
# failing verdict in words. Only a call that is wrong in itself raises (tests/
# test_bad_inputs_book.py): the name not a string, or a bad seed, hint or timeout.


def test_an_unknown_exercise_is_a_verdict_that_names_the_closest_and_lists_them(
    capsys: pytest.CaptureFixture,
) -> None:
    result = check("mse_gradeint", mse_gradient)
    assert not result.passed and result.exercise == "mse_gradeint"
    assert result.message.startswith(
        "There is no exercise called 'mse_gradeint'. Did you mean 'mse_gradient'?"
    )
    assert all(name in result.message for name in EXERCISES)  # the known exercises
    assert "There is no exercise" in capsys.readouterr().out  # printed, like any verdict
    far = check("no_such_thing_at_all", mse_gradient, quiet=True)
    assert "Did you mean" not in far.message and "The exercises are:" in far.message


@pytest.mark.parametrize(
    ("answer", "kind"),
    [("mse_gradient", "str"), (np.zeros(3), "ndarray"), (None, "NoneType"), (42, "int")],
)
def test_an_answer_that_is_not_a_function_is_a_verdict(answer, kind: str) -> None:
    result = check("mse_gradient", answer, quiet=True)
    assert not result.passed
    assert f"expected a function, got {kind}" in result.message
    assert "check('mse_gradient', my_function)" in result.message


@pytest.mark.parametrize(
    ("returns", "phrase"),
    [("a string", "expected numbers, got str"), (None, "returned None"),
     ([1j, 2j], "complex numbers")],
)
def test_an_answer_of_the_wrong_type_is_a_verdict(returns, phrase: str) -> None:
    def answer(x, y, w, b):
        return returns, 0.0

    result = check("mse_gradient", answer, seed=0, quiet=True)
    assert not result.passed and phrase in result.message


def test_a_call_that_is_wrong_in_itself_raises() -> None:
    with pytest.raises(TypeError, match="the name comes first"):
        check(mse_gradient, "mse_gradient")  # the arguments swapped
    with pytest.raises(TypeError, match="seed must be a non-negative int"):
        check("mse_gradient", mse_gradient, seed="7")
    with pytest.raises(TypeError, match="quiet must be True or False"):
        check("mse_gradient", mse_gradient, quiet="yes")


OLD_MODULE_NAMES = {  # moved to modules named after their chapters; kept for one release
    "optimisation": "learning_as_optimisation", "graphs": "computational_graphs",
    "modes": "forward_vs_reverse", "matrix_form": "matrix_backprop", "losses_ex": "losses",
    "paper1986": "paper_1986", "debugging": "gradient_checking",
    "struggles": "when_backprop_struggles", "higher_order": "modern_frameworks",
}


@pytest.mark.parametrize(("old", "new"), OLD_MODULE_NAMES.items())
def test_old_module_names_still_import_the_same_objects(old: str, new: str) -> None:
    import importlib

    old_module = importlib.import_module(f"backprop_course.exercises.{old}")
    new_module = importlib.import_module(f"backprop_course.exercises.{new}")
    assert old_module.EXERCISES is new_module.EXERCISES
    for name in old_module.__all__:
        assert getattr(old_module, name) is getattr(new_module, name)


def test_each_chapter_module_gives_its_chapter_once() -> None:
    import importlib

    from backprop_course.exercises import CHAPTER_MODULES

    for number, name in enumerate(CHAPTER_MODULES, 1):
        module = importlib.import_module(f"backprop_course.exercises.{name}")
        assert module.CHAPTER == number
        assert all(ex.chapter == number for ex in module.EXERCISES)
