"""The harness of the bad-input tests: every public function, given input a learner can type
that it cannot use, raises a clear error of its own.

Each ``tests/test_bad_inputs_*.py`` file lists :class:`Case` s for the public functions of
some modules; ``tests/test_bad_inputs.py`` checks that every public callable of the package
has at least one case (or a reason in :data:`NOTHING_TO_REFUSE`). A case passes when the
call raises the expected error type, its message contains the phrase, and the error is
raised by the package (the innermost frame of the traceback is in ``backprop_course``,
not in NumPy or Python's machinery): the error comes at the operation that cannot
proceed, in words a learner can act on.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass

import pytest

import backprop_course


@dataclass(frozen=True)
class Case:
    """One bad input for one public function.

    ``name`` is the function's public name as ``module.function`` relative to the package
    (``"tensor.Tensor"``, ``"layers.conv.im2col"``, ``"tensor.Tensor.reshape"`` for a method);
    ``call`` makes the bad call; ``error`` is the exception type it must raise and
    ``phrase`` a piece of its message (compared case-insensitively); ``what`` names the
    bad input (it becomes the test id).
    """

    name: str
    what: str
    call: Callable[[], object]
    error: type[BaseException] | tuple[type[BaseException], ...]
    phrase: str


def check(case: Case) -> None:
    """Run one case: the right error type, the phrase, raised inside the package."""
    with pytest.raises(case.error) as info:
        case.call()
    message = str(info.value)
    assert case.phrase.lower() in message.lower(), (
        f"{case.name} ({case.what}): the message {message!r} lacks {case.phrase!r}"
    )
    frames = traceback.extract_tb(info.tb)
    innermost = frames[-1].filename if frames else ""
    assert "backprop_course" in innermost.replace("\\", "/"), (
        f"{case.name} ({case.what}): {type(info.value).__name__} was raised in "
        f"{innermost}, not by the package: {message!r}"
    )


def ids(cases: list[Case]) -> list[str]:
    return [f"{c.name}: {c.what}" for c in cases]


# Public callables that take no input a learner could get wrong, with the reason.
NOTHING_TO_REFUSE: dict[str, str] = {
    "saved.BackwardError": "an exception type",
    "tensor.no_grad": "a context manager without arguments",
    "descent.DivergenceWarning": "a warning type",
    "exercises.core.CheckResult": "the checker's verdict, made by the checker",
    "checks.describe": "describes any value for an error message",
    "checks.not_numbers": "describes any value that is not numbers for an error message",
}


def public_callables() -> dict[str, object]:
    """Every callable in some module's ``__all__``, once, by the module that defines it.

    Keys are ``module.name`` relative to the package, e.g. ``"layers.conv.im2col"``.
    """
    found: dict[str, object] = {}
    seen: set[int] = set()
    package = backprop_course.__name__
    for info in pkgutil.walk_packages(backprop_course.__path__, package + "."):
        module = importlib.import_module(info.name)
        for name in getattr(module, "__all__", ()):
            obj = getattr(module, name)
            if not callable(obj) or id(obj) in seen:
                continue
            home = getattr(obj, "__module__", info.name) or info.name
            if not home.startswith(package + "."):
                continue  # re-exported from elsewhere (e.g. NumPy)
            seen.add(id(obj))
            found[f"{home[len(package) + 1:]}.{name}"] = obj
    return found


def takes_input(obj: object) -> bool:
    """Whether a callable has any parameter (a class: its constructor)."""
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return True
    return bool(signature.parameters)
