"""Printing a referral slip from the referrals dialog: through QtPrintSupport to a PDF file
(QPrinter's PDF output, no dialog), read back with pypdf; in the person's language where a
slip language exists; audited only once something was printed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from app.coordinator.referrals_dialog import ReferralsDialog
from screening.referrals import Referrals
from tests.app.coordinator.conftest import Cases, open_case, open_received

CONTACT = "+382 67 000 000"


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def _text(path: Path) -> str:
    """The PDF's words, spaced as printed: Qt's PDF writer spaces words with tabs and sets
    "fi" as a ligature, which pypdf gives back as such."""
    import unicodedata

    from pypdf import PdfReader

    raw = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return " ".join(unicodedata.normalize("NFKC", raw).split())


def _referral(vault, interview_id: str):  # type: ignore[no-untyped-def]
    book = Referrals(vault)
    provider = book.add_provider("Sigurna kuća <Demo>", "shelter", contact="+382 20 000 000")
    return book.create(
        interview_id, provider.id, consent="person", referrer_contact=CONTACT,
        needs=["shelter", "legal"], urgency="urgent",
    )  # fmt: skip


def test_print_the_slip_from_the_case_page(qtbot, coordinator_window, cases: Cases, tmp_path):  # type: ignore[no-untyped-def]
    window = coordinator_window
    referral = _referral(window.vault, cases.adult)
    workspace = open_received(qtbot, window)
    open_case(qtbot, workspace, cases.adult)
    qtbot.mouseClick(workspace.case_page.referrals_button, Qt.MouseButton.LeftButton)
    dialog = workspace.referrals_dialog
    assert dialog is not None and dialog.print_button.isEnabled()

    # The button opens the system's print dialog; cancelling prints and audits nothing.
    before = [e.action for e in window.vault.audit_entries()].count("referral_slip")
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    chooser = dialog.print_dialog
    assert isinstance(chooser, QPrintDialog) and chooser.isVisible()
    chooser.reject()
    assert dialog.print_dialog is None
    assert [e.action for e in window.vault.audit_entries()].count("referral_slip") == before

    out = tmp_path / "printed.pdf"
    assert dialog.print_slip(dialog.selected(), _pdf_printer(out))
    text = _text(out)
    assert referral.case_code in text
    assert "Referral" in text and "Case code" in text and "Confidential" in text
    assert "Sigurna kuća <Demo>" in text  # data, not markup
    assert "safe accommodation" in text and "legal aid" in text and CONTACT in text
    assert "Not included on this slip" in text  # no name without identity included
    assert "Slip sent to the printer" in dialog.message.text()
    [last] = [e for e in window.vault.audit_entries() if e.action == "referral_slip"][-1:]
    assert (last.object_id, last.detail) == (referral.id, "slip printed, no name")


def test_printed_in_the_persons_language(qtbot, coordinator_window, cases: Cases, tmp_path):  # type: ignore[no-untyped-def]
    vault = coordinator_window.vault
    referral = _referral(vault, cases.adult)
    dialog = ReferralsDialog(Referrals(vault), cases.adult, "en", "cnr")
    qtbot.addWidget(dialog)
    out = tmp_path / "cnr.pdf"
    assert dialog.print_slip(dialog.selected(), _pdf_printer(out))
    text = _text(out)
    assert "Šifra slučaja" in text and referral.case_code in text and "Case code" not in text
    assert "Povjerljivo" in text
