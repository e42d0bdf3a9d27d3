"""Every public function of the package has bad-input cases (tests/test_bad_inputs_*.py)."""

from __future__ import annotations

import importlib
import pathlib

from bad_inputs import NOTHING_TO_REFUSE, public_callables, takes_input


def all_cases() -> list:
    cases = []
    for path in sorted(pathlib.Path(__file__).parent.glob("test_bad_inputs_*.py")):
        cases += importlib.import_module(path.stem).CASES
    return cases


def test_every_public_function_has_a_bad_input_case() -> None:
    covered = {case.name for case in all_cases()}
    missing = [
        name for name, obj in public_callables().items()
        if takes_input(obj) and name not in covered and name not in NOTHING_TO_REFUSE
    ]
    assert not missing, (
        "public functions without a bad-input case (add one to a tests/test_bad_inputs_*.py "
        f"file, or a reason to NOTHING_TO_REFUSE in tests/bad_inputs.py): {missing}"
    )


def test_cases_name_real_public_functions() -> None:
    """A case under a misspelt or removed name would cover nothing."""
    public = set(public_callables())
    unknown = sorted(
        {c.name for c in all_cases() if c.name not in public and not _is_method(c.name)}
    )
    assert not unknown, f"cases for names that are not public callables: {unknown}"


def _is_method(name: str) -> bool:
    """``tensor.Tensor.reshape``-style names: a public class and one of its attributes."""
    module, _, attr = name.rpartition(".")
    return module in public_callables() and hasattr(public_callables()[module], attr)
