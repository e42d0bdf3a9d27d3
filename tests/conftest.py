"""Test-session set-up shared by every test and by nbval's notebook kernels.

Also the built book: one strict build per test session, shared by ``test_build.py`` and the
browser tests in ``tests/browser``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

# One BLAS thread per process, inherited by the kernels nbval starts: on a shared
# 2-core machine a multi-threaded BLAS slows small networks down by up to 10x.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

ROOT = Path(__file__).resolve().parent.parent
BOOK_FILES = ["_config.yml", "_toc.yml", "references.bib", "book"]
# Point this at an already built `_build/html` to test it without building (the browser
# suite's planted-defect test does this with a damaged copy); the strict-build log is then None.
PREBUILT_ENV = "BACKPROP_BOOK_HTML"


class BuiltBook(NamedTuple):
    html: Path  # the built `_build/html`
    log: str | None  # the build's output (None: a prebuilt book, see PREBUILT_ENV)
    returncode: int


class _BookBuild:
    """The strict build of a clean copy of the book, running in a process of its own."""

    def __init__(self, workdir: Path) -> None:
        src = workdir / "book-src"
        src.mkdir()
        for name in BOOK_FILES:
            path = ROOT / name
            if path.is_dir():
                ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
                shutil.copytree(path, src / name, ignore=ignore)
            else:
                shutil.copy(path, src / name)
        config = yaml.safe_load((src / "_config.yml").read_text())
        config["execute"]["execute_notebooks"] = "off"
        (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
        jupyter_book = Path(sys.executable).parent / "jupyter-book"
        command = [str(jupyter_book), "build", "-W", "-n", "--keep-going", str(src)]
        self.html = src / "_build" / "html"
        self.log_path = workdir / "build.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)

    def result(self) -> BuiltBook:
        try:
            returncode = self.process.wait(timeout=600)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise
        log = self.log_path.read_text()
        assert (self.html / "index.html").is_file(), f"the book did not build:\n{log[-5000:]}"
        return BuiltBook(self.html, log, returncode)


_BUILDS: list[_BookBuild] = []


def pytest_collection_modifyitems(
    session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Start the strict build as soon as the tests that need it are known, and run them last.

    It runs in its own process, on the second core, while the unit tests and nbval run
    in this one: the test command waits for it only if those finish first.
    """
    needs = [item for item in items if "built_book" in getattr(item, "fixturenames", ())]
    if not needs:
        return
    later = set(needs)
    if os.environ.get("PYTEST_XDIST_WORKER"):
        # Under pytest-xdist every worker collects every test, but one runs the book's tests
        # (see pytest_xdist_make_scheduler): that one builds, when its fixture asks, and it
        # gets them first, so that the build overlaps the other worker's tests.
        items[:] = needs + [item for item in items if item not in later]
        return
    items[:] = [item for item in items if item not in later] + needs
    if not os.environ.get(PREBUILT_ENV) and not _BUILDS:
        workdir = config._tmp_path_factory.mktemp("book-build")  # noqa: SLF001
        _BUILDS.append(_BookBuild(workdir))


def pytest_sessionfinish(session: pytest.Session) -> None:
    for build in _BUILDS:  # a run stopped early (-x, ^C) must not leave the build behind
        if build.process.poll() is None:
            build.process.kill()


BOOK_BUILD_SCOPE = ("tests/browser/", "tests/test_build.py")


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist, which the README does not install
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """With ``-n`` (pytest-xdist), send each notebook and each test file to one worker whole.

    A notebook's cells share one kernel, so they must run in order on one worker; the
    tests that read the built book (``BOOK_BUILD_SCOPE``) go to one worker together, so that
    the strict build runs once. Everything else is spread file by file.
    """
    from xdist.scheduler import LoadScopeScheduling

    class NotebookAndBookScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path = nodeid.split("::", 1)[0]
            return "the built book" if path.startswith(BOOK_BUILD_SCOPE) else path

    return NotebookAndBookScheduling(config, log)


@pytest.fixture(scope="session")
def built_book(tmp_path_factory: pytest.TempPathFactory) -> BuiltBook:
    """The book built strictly from a clean copy, once per session.

    The README's build command executes every notebook; nbval already proves that the
    stored outputs are what a fresh run gives. So this build renders the stored outputs
    (execution off) with ``-W -n --keep-going``: any Sphinx warning fails
    ``test_build.py::test_strict_build_has_no_warnings``, while ``--keep-going`` still writes
    every page, so that the browser tests can look at them too. The build starts in the
    background once collection is done (see ``pytest_collection_modifyitems``).
    """
    prebuilt = os.environ.get(PREBUILT_ENV)
    if prebuilt:
        html = Path(prebuilt).resolve()
        assert (html / "index.html").is_file(), f"{PREBUILT_ENV}={prebuilt} holds no built book"
        return BuiltBook(html, None, 0)
    if not _BUILDS:
        _BUILDS.append(_BookBuild(tmp_path_factory.mktemp("book-build")))
    return _BUILDS[0].result()


@pytest.fixture(autouse=True)
def _no_failed_exercise_tries() -> None:
    """Start every test with no failed tries of any exercise.

    From the third failed try of an exercise in a row, a checker's verdict gives the whole
    hint; without this, a verdict would depend on which tests ran before in the process.
    """
    core = sys.modules.get("backprop_course.exercises.core")  # import nothing a test did not
    if core is not None:
        core.reset_tries()
