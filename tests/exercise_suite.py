"""The tests that every chapter's exercise checkers get, written once.

A chapter's test module defines its book solutions, typical wrong answers (each with a phrase
the verdict must contain) and, optionally, other correct answers, then adds the standard tests
with::

    globals().update(standard_exercise_tests(11, SOLUTIONS, WRONG, ALTERNATIVES))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from backprop_course.exercises import EXERCISES, check, list_exercises


def _raising(*args: Any) -> float:
    return 1 / 0


def standard_exercise_tests(
    chapter: int,
    solutions: dict[str, Callable[..., Any]],
    wrong: dict[str, Sequence[tuple[Callable[..., Any], str]]],
    alternatives: dict[str, Callable[..., Any] | Sequence[Callable[..., Any]]] | None = None,
    seeds: Sequence[int | None] = (None, 0, 1, 2, 3),
    wrong_seeds: Sequence[int] = (0, 1),
) -> dict[str, Callable[..., None]]:
    """Test functions, by name, checking that ``chapter``'s checkers accept every correct
    answer on several seeds (and print their verdict), reject every typical wrong answer on
    every one of ``wrong_seeds`` with a verdict that contains its phrase, no traceback, the
    hint at the level due and the seed of its case, explain a function that returns None, and
    report a raising function, naming its line, and a non-function, instead of raising.

    ``alternatives`` gives, by exercise, another correct answer or a list of them.
    """
    alternatives = alternatives or {}
    other_answers = [
        (name, fn)
        for name, answers in alternatives.items()
        for fn in (answers if isinstance(answers, list | tuple) else [answers])
    ]

    def test_exercises_are_registered_in_book_order() -> None:
        assert list_exercises(chapter=chapter) == list(solutions)
        assert set(wrong) == set(solutions) >= set(alternatives)
        assert all(EXERCISES[name].chapter == chapter for name in solutions)

    @pytest.mark.parametrize("name", list(solutions))
    @pytest.mark.parametrize("seed", list(seeds))
    def test_correct_solution_passes(
        name: str, seed: int | None, capsys: pytest.CaptureFixture
    ) -> None:
        result = check(name, solutions[name], seed=seed)
        assert result.passed, result.message
        assert "correct" in capsys.readouterr().out

    @pytest.mark.parametrize(("name", "answer"), other_answers)
    @pytest.mark.parametrize("seed", [4, 5])
    def test_other_correct_answers_pass(name: str, answer: Callable[..., Any], seed: int) -> None:
        result = check(name, answer, seed=seed, quiet=True)
        assert result.passed, result.message

    cases = [(name, fn, phrase) for name, answers in wrong.items() for fn, phrase in answers]

    @pytest.mark.parametrize(("name", "answer", "phrase"), cases)
    def test_typical_mistakes_fail_with_a_diagnosis(
        name: str, answer: Callable[..., Any], phrase: str
    ) -> None:
        exercise = EXERCISES[name]
        for tries, seed in enumerate(wrong_seeds, 1):  # a wrong answer must fail on each one
            result = check(name, answer, seed=seed, quiet=True)
            assert not result.passed, f"seed {seed}: {result.message}"
            assert phrase in result.message, result.message
            assert "Traceback" not in result.message
            # The nudge first; from the third failed try in a row, the whole hint.
            given, held_back = exercise.nudge, exercise.hint
            if tries >= 3:
                given, held_back = held_back, given
            assert f"Hint: {given}" in result.message and held_back not in result.message
            assert result.message.endswith(f", seed={seed}).")  # the call that reruns it

    @pytest.mark.parametrize("name", list(solutions))
    def test_returning_none_is_explained(name: str) -> None:
        result = check(name, lambda *args: None, seed=0, quiet=True)
        assert not result.passed
        assert "None" in result.message or "tuple" in result.message, result.message

    @pytest.mark.parametrize("name", list(solutions))
    def test_a_raising_function_is_reported_not_raised(name: str) -> None:
        result = check(name, _raising, seed=0, quiet=True)
        assert not result.passed
        assert "ZeroDivisionError" in result.message
        assert "return 1 / 0" in result.message, result.message

    @pytest.mark.parametrize("name", list(solutions))
    def test_a_value_that_is_not_a_function_is_explained(name: str) -> None:
        result = check(name, 42, quiet=True)
        assert not result.passed
        assert "expected a function" in result.message, result.message

    tests = [
        test_exercises_are_registered_in_book_order,
        test_a_value_that_is_not_a_function_is_explained,
        test_correct_solution_passes,
        test_typical_mistakes_fail_with_a_diagnosis,
        test_returning_none_is_explained,
        test_a_raising_function_is_reported_not_raised,
    ]
    if alternatives:  # (an empty parameter set would show up as a skipped test)
        tests.append(test_other_correct_answers_pass)
    return {test.__name__: test for test in tests}
