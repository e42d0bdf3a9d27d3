"""Running the learner's function safely: a time limit, and its errors told in words.

Whatever the learner's code does (loop forever, raise, call ``sys.exit()``), the
checker gets back control and a sentence to put in the verdict.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time
import traceback
from collections.abc import Iterator
from typing import Any

__all__: list[str] = []


TIME_LIMIT = 30.0  # seconds a check may take before its verdict says the function hangs


class _TimedOut(BaseException):
    """The learner's function ran past the time limit (a BaseException: no `except
    Exception` in the learner's code can swallow it)."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _TimedOut in the block after ``seconds``.

    A timer signal where there is one (Unix, the main thread: a notebook's kernel);
    elsewhere a trace function that looks at the clock at every step of Python code.
    Either way a loop of Python code is stopped; a single long NumPy call is
    stopped when it returns.
    """
    def expire(*_: Any) -> None:
        raise _TimedOut

    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGALRM, expire)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        return
    deadline = time.monotonic() + seconds
    tracer_before = sys.gettrace()

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if time.monotonic() > deadline:
            raise _TimedOut
        frame.f_trace_opcodes = True  # `while True: pass` has no line events, only opcodes
        return tracer

    sys.settrace(tracer)
    try:
        yield
    finally:
        sys.settrace(tracer_before)


def _describe_call_error(err: BaseException) -> str:
    """Say what the learner's function raised and on which of its lines."""
    frames = [
        f for f in traceback.extract_tb(err.__traceback__) if "backprop_course" not in f.filename
    ]
    where = ""
    if frames:
        last = frames[-1]
        code = f": `{last.line.strip()}`" if last.line else ""
        where = f" at line {last.lineno} of {last.name}(){code}"
    if isinstance(err, SystemExit):
        return (f"Your function called sys.exit() or exit() (SystemExit {err}){where}: it "
                "must return its answer instead")
    return f"Your function raised {type(err).__name__}: {err}{where}"
