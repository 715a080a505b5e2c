"""PDF documents (the aggregate report, referral slips) with fpdf2 and an embedded Unicode font.

The built-in PDF fonts only know Latin-1, which has no "č", "ž" or "đ" and no Arabic. The
DejaVu Sans TrueType font (Debian package `fonts-dejavu-core`) covers Latin, Cyrillic and
Arabic and is embedded (subset) in every document, so the file shows the same everywhere.
Arabic needs shaping (joined letter forms, right to left): fpdf2 does it when `uharfbuzz`
is installed; without it Arabic letters would come out unjoined, so text in Arabic script
is refused with a clear message instead.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Any

from screening.export.errors import ExportError

FONT_FAMILY = "dejavu"
_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu: fonts-dejavu-core
    "/usr/share/fonts/dejavu",  # Fedora
    "/usr/share/fonts/TTF",  # Arch
    "/usr/local/share/fonts",
    "/Library/Fonts",
)
_RTL = re.compile(r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def font_path(name: str = "DejaVuSans.ttf") -> Path:
    override = os.environ.get("SCREENING_PDF_FONT_DIR")
    for folder in ([override] if override else []) + list(_FONT_DIRS):
        candidate = Path(folder) / name
        if candidate.is_file():
            return candidate
    raise ExportError(
        f"The font {name} was not found: install the fonts-dejavu-core package "
        "(or set SCREENING_PDF_FONT_DIR to a folder that has it)."
    )


def shaping_available() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


def new_document(title: str) -> Any:
    from fpdf import FPDF

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font(FONT_FAMILY, "", str(font_path("DejaVuSans.ttf")))
    pdf.add_font(FONT_FAMILY, "B", str(font_path("DejaVuSans-Bold.ttf")))
    if shaping_available():
        pdf.set_text_shaping(True)
    pdf.set_title(title)
    pdf.set_creator("Screening Desk")
    pdf.set_author("")
    pdf.set_margins(18, 16, 18)
    pdf.add_page()
    pdf.set_font(FONT_FAMILY, size=10)
    return pdf


def check_script(text: str) -> str:
    """Refuse right-to-left text when it cannot be shaped, rather than print it garbled."""
    if _RTL.search(text) and not shaping_available():
        raise ExportError(
            "Text in Arabic script cannot be laid out without the uharfbuzz package; "
            "install it and try again."
        )
    return text


def save(pdf: Any, path: Path) -> None:
    """Write the document to `path` (owner-only permissions)."""
    data = bytes(pdf.output())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            fd = -1
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        if fd != -1:
            with contextlib.suppress(OSError):
                os.close(fd)
