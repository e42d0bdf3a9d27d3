"""The tests that every chapter's exercise checkers get, written once.

A chapter's test module defines its book solutions, other correct answers and typical wrong
answers (each with a phrase the verdict must contain), then adds the standard tests with::

    globals().update(standard_exercise_tests(11, SOLUTIONS, WRONG, ALTERNATIVES))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from backprop_course.exercises import EXERCISES, check, list_exercises


def _raising(*args: Any) -> None:
    raise ZeroDivisionError("learner bug")


def standard_exercise_tests(
    chapter: int,
    solutions: dict[str, Callable[..., Any]],
    wrong: dict[str, Sequence[tuple[Callable[..., Any], str]]],
    alternatives: dict[str, Callable[..., Any]],
    seeds: Sequence[int | None] = (None, 0, 1, 2, 3),
) -> dict[str, Callable[..., None]]:
    """Test functions, by name, checking that ``chapter``'s checkers accept every correct
    answer on several seeds, reject every typical wrong one with a verdict that contains its
    phrase (and no traceback), and report a raising function instead of raising."""

    def test_exercises_are_registered_in_book_order() -> None:
        assert list_exercises(chapter=chapter) == list(solutions)
        assert set(wrong) == set(solutions) == set(alternatives)
        assert all(EXERCISES[name].chapter == chapter for name in solutions)

    @pytest.mark.parametrize("name", list(solutions))
    @pytest.mark.parametrize("seed", list(seeds))
    def test_correct_solution_passes(name: str, seed: int | None) -> None:
        result = check(name, solutions[name], seed=seed, quiet=True)
        assert result.passed, result.message
        assert "correct" in result.message

    @pytest.mark.parametrize("name", list(alternatives))
    @pytest.mark.parametrize("seed", [4, 5])
    def test_other_correct_answers_pass(name: str, seed: int) -> None:
        result = check(name, alternatives[name], seed=seed, quiet=True)
        assert result.passed, result.message

    cases = [(n, i) for n, answers in wrong.items() for i in range(len(answers))]

    @pytest.mark.parametrize(("name", "index"), cases)
    @pytest.mark.parametrize("seed", [0, 1])
    def test_typical_mistakes_fail_with_a_diagnosis(name: str, index: int, seed: int) -> None:
        answer, phrase = wrong[name][index]
        result = check(name, answer, seed=seed, quiet=True)
        assert not result.passed
        assert phrase in result.message, result.message
        assert "Traceback" not in result.message

    @pytest.mark.parametrize("name", list(solutions))
    def test_a_raising_function_is_reported_not_raised(name: str) -> None:
        result = check(name, _raising, seed=0, quiet=True)
        assert not result.passed
        assert "ZeroDivisionError" in result.message and "learner bug" in result.message

    tests = [
        test_exercises_are_registered_in_book_order,
        test_correct_solution_passes,
        test_other_correct_answers_pass,
        test_typical_mistakes_fail_with_a_diagnosis,
        test_a_raising_function_is_reported_not_raised,
    ]
    return {test.__name__: test for test in tests}
