"""The one mechanism for slow work: run a callable off the GUI thread, report back on it.

The shape of Anki's CollectionOp/QueryOp. A caller hands `OpRunner.run` a function that takes
an `OpContext`; the function runs on a `QThreadPool` thread and may report progress and check
for cancellation through the context. Success, failure, progress and cancellation arrive on
the GUI thread as callbacks, so callers never touch widgets from a worker.

Failures: a `ScreeningError` carries one sentence meant for the person at the keyboard and is
shown as it is; anything else is a bug, shown as a generic sentence and logged by type and
code location only, because exception messages can quote data (a name, an answer).
"""

from __future__ import annotations

import logging
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget

from screening.errors import ScreeningError

T = TypeVar("T")
log = logging.getLogger("screening_desk.ops")


class OpCancelled(Exception):
    """Raised inside an operation by `OpContext.raise_if_cancelled` to stop early."""


class OpContext:
    """What the background function sees: progress reporting and the cancel flag."""

    def __init__(self, op: Op[Any]) -> None:
        self._op = op
        self._cancel = threading.Event()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def raise_if_cancelled(self) -> None:
        if self._cancel.is_set():
            raise OpCancelled()

    def progress(self, done: int, total: int = 0, label: str = "") -> None:
        """Report progress; `total == 0` means "unknown" (a busy indicator)."""
        self._op.progressed.emit(int(done), int(total), label)


def describe_bug(exc: BaseException) -> str:
    """The exception's type and where it was raised, without its message (it may hold data)."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {frames[-1].filename.rsplit('/', 1)[-1]}:{frames[-1].lineno}" if frames else ""
    return f"{type(exc).__name__}{where}"


def generic_failure_text() -> str:
    return QCoreApplication.translate(
        "ops",
        "Something went wrong and the task was not finished. Everything saved before is safe; "
        "try again, and tell your coordinator if it keeps happening.",
    )


class Op(QObject, Generic[T]):
    """One running operation. Lives on the GUI thread; its worker emits its signals."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    progressed = Signal(int, int, str)
    finished = Signal()
    # Private relays: emitted from the worker thread, received on the GUI thread (queued).
    _result = Signal(object)
    _error = Signal(object)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.context = OpContext(self)
        self.running = True
        self.keep_late_result = False
        self._result.connect(self._on_result)
        self._error.connect(self._on_error)

    def cancel(self) -> None:
        """Ask the function to stop; it stops at its next `raise_if_cancelled`."""
        self.context._cancel.set()

    @Slot(object)
    def _on_result(self, value: object) -> None:
        self.running = False
        # By default a result that arrives after a cancel is dropped: whoever cancelled (a
        # lock, a newer query) has moved on. `keep_late_result`: the function's work stands
        # once it returned (an export has written its file), so it is reported as done.
        if self.context.cancelled and not self.keep_late_result:
            self.cancelled.emit()
        else:
            self.succeeded.emit(value)
        self.finished.emit()

    @Slot(object)
    def _on_error(self, exc: object) -> None:
        self.running = False
        if isinstance(exc, OpCancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(exc)
        self.finished.emit()


class _Job(QRunnable):
    def __init__(self, op: Op[Any], fn: Callable[[OpContext], Any]) -> None:
        super().__init__()
        self._op = op
        self._fn = fn
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            value = self._fn(self._op.context)
        except BaseException as exc:  # every failure must reach the GUI thread
            self._op._error.emit(exc)
        else:
            self._op._result.emit(value)
        finally:
            self._fn = None  # type: ignore[assignment]  # drop references (e.g. to a vault)


Failure = Callable[[BaseException], bool | None]


class OpRunner(QObject):
    """Runs operations; keeps each alive until it has reported back.

    `on_failure` may return True to say "I showed it myself" (the unlock page shows a wrong
    passphrase inline); otherwise the runner shows a message box over `parent_widget`.
    """

    def __init__(self, parent_widget: QWidget | None = None, pool: QThreadPool | None = None):
        super().__init__(parent_widget)
        self._widget = parent_widget
        self._pool = pool or QThreadPool.globalInstance()
        self._ops: set[Op[Any]] = set()

    @property
    def busy(self) -> bool:
        return bool(self._ops)

    def run(
        self,
        name: str,
        fn: Callable[[OpContext], T],
        *,
        on_success: Callable[[T], None] | None = None,
        on_failure: Failure | None = None,
        on_progress: Callable[[int, int, str], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        on_finished: Callable[[], None] | None = None,
        keep_late_result: bool = False,
    ) -> Op[T]:
        op: Op[T] = Op(name, self)
        op.keep_late_result = keep_late_result
        self._ops.add(op)
        if on_success is not None:
            op.succeeded.connect(on_success)
        if on_progress is not None:
            op.progressed.connect(on_progress)
        if on_cancel is not None:
            op.cancelled.connect(on_cancel)
        op.failed.connect(lambda exc: self._report(op, exc, on_failure))
        if on_finished is not None:
            op.finished.connect(on_finished)
        op.finished.connect(lambda: self._forget(op))
        self._pool.start(_Job(op, fn))
        return op

    def cancel_all(self) -> None:
        for op in list(self._ops):
            op.cancel()

    def wait(self, msecs: int = -1) -> bool:
        """Block until every worker thread is done (used when quitting)."""
        return self._pool.waitForDone(msecs)

    def _forget(self, op: Op[Any]) -> None:
        self._ops.discard(op)
        op.deleteLater()

    def _report(self, op: Op[Any], exc: BaseException, on_failure: Failure | None) -> None:
        if isinstance(exc, ScreeningError):
            log.info("%s refused: %s", op.name, type(exc).__name__)
        else:
            log.error("%s failed: %s", op.name, describe_bug(exc))
        if on_failure is not None and on_failure(exc):
            return
        self.show_failure(exc)

    def show_failure(self, exc: BaseException) -> QWidget:
        from PySide6.QtWidgets import QMessageBox  # not needed before the first failure

        text = exc.message if isinstance(exc, ScreeningError) else generic_failure_text()
        box = QMessageBox(self._widget)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(QCoreApplication.translate("ops", "Screening Desk"))
        box.setText(text)
        box.addButton(QCoreApplication.translate("ops", "OK"), QMessageBox.ButtonRole.AcceptRole)
        box.setAccessibleName(QCoreApplication.translate("ops", "Problem"))
        box.setAccessibleDescription(text)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        # open(), not exec(): a nested event loop would keep running under a lock or a quit.
        box.open()
        return box
