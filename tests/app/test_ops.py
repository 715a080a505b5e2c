"""The operation runner: success, failure (one sentence or a generic one), progress, cancel."""

from __future__ import annotations

import logging
import threading

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ops import OpContext, OpRunner, generic_failure_text
from screening.errors import ScreeningError


def make_runner(qtbot) -> tuple[QWidget, OpRunner]:
    parent = QWidget()
    qtbot.addWidget(parent)
    return parent, OpRunner(parent)


def test_success_arrives_on_the_gui_thread(qtbot) -> None:
    _parent, runner = make_runner(qtbot)
    gui = threading.get_ident()
    seen: dict[str, object] = {}

    def work(ctx: OpContext) -> int:
        seen["worker"] = threading.get_ident()
        return 42

    def done(value: int) -> None:
        seen["value"], seen["callback"] = value, threading.get_ident()

    op = runner.run("answer", work, on_success=done)
    assert runner.busy
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert seen["value"] == 42
    assert seen["worker"] != gui and seen["callback"] == gui
    qtbot.waitUntil(lambda: not runner.busy)


def test_screening_error_is_shown_as_its_sentence(qtbot) -> None:
    parent, runner = make_runner(qtbot)

    def work(ctx: OpContext) -> None:
        raise ScreeningError("The vault folder is not writable.")

    op = runner.run("refuse", work)
    with qtbot.waitSignal(op.failed, timeout=5000) as blocker:
        pass
    assert isinstance(blocker.args[0], ScreeningError)
    boxes = parent.findChildren(QMessageBox)
    assert [b.text() for b in boxes] == ["The vault folder is not writable."]
    assert boxes[0].isVisible() and boxes[0].accessibleName()


def test_unexpected_error_is_generic_and_logged_without_data(qtbot, caplog) -> None:
    parent, runner = make_runner(qtbot)
    secret = "Fatima said she was beaten"

    def work(ctx: OpContext) -> None:
        raise KeyError(secret)

    with caplog.at_level(logging.INFO, logger="screening_desk"):
        op = runner.run("bug", work)
        with qtbot.waitSignal(op.failed, timeout=5000):
            pass
    boxes = parent.findChildren(QMessageBox)
    assert [b.text() for b in boxes] == [generic_failure_text()]
    assert "KeyError" in caplog.text and "test_ops.py" in caplog.text
    assert secret not in caplog.text


def test_failure_handled_by_the_caller_shows_no_box(qtbot) -> None:
    parent, runner = make_runner(qtbot)
    handled: list[BaseException] = []

    def work(ctx: OpContext) -> None:
        raise ScreeningError("shown inline")

    op = runner.run("inline", work, on_failure=lambda exc: handled.append(exc) or True)
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert len(handled) == 1 and not parent.findChildren(QMessageBox)


def test_progress_and_cooperative_cancel(qtbot) -> None:
    _parent, runner = make_runner(qtbot)
    started, release = threading.Event(), threading.Event()
    progress: list[tuple[int, int, str]] = []
    outcomes: list[str] = []

    def work(ctx: OpContext) -> int:
        ctx.progress(1, 10, "first")
        started.set()
        release.wait(5)
        for step in range(2, 11):
            ctx.raise_if_cancelled()
            ctx.progress(step, 10)
        return 10

    op = runner.run(
        "long",
        work,
        on_success=lambda v: outcomes.append("success"),
        on_progress=lambda d, t, label: progress.append((d, t, label)),
        on_cancel=lambda: outcomes.append("cancelled"),
    )
    assert started.wait(5)
    op.cancel()
    release.set()
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert outcomes == ["cancelled"]
    assert progress == [(1, 10, "first")]


@pytest.mark.parametrize(("keep", "expected"), [(False, "cancelled"), (True, 42)])
def test_a_result_after_a_cancel_is_dropped_unless_kept(qtbot, keep: bool, expected) -> None:  # type: ignore[no-untyped-def]
    _parent, runner = make_runner(qtbot)
    outcomes: list[object] = []
    op = runner.run(
        "quick",
        lambda ctx: 42,
        on_success=outcomes.append,
        on_cancel=lambda: outcomes.append("cancelled"),
        keep_late_result=keep,
    )
    assert runner.wait(5000)  # done; its result is still queued for the GUI thread
    op.cancel()
    with qtbot.waitSignal(op.finished, timeout=5000):
        pass
    assert outcomes == [expected]


def test_cancel_all_and_wait(qtbot) -> None:
    _parent, runner = make_runner(qtbot)
    cancelled: list[bool] = []

    def work(ctx: OpContext) -> None:
        while not ctx.cancelled:
            threading.Event().wait(0.01)
        cancelled.append(True)
        ctx.raise_if_cancelled()

    op = runner.run("spin", work)
    runner.cancel_all()
    assert runner.wait(5000)
    with qtbot.waitSignal(op.cancelled, timeout=5000):
        pass
    assert cancelled == [True]
