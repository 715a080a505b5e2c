"""What the frozen executables set up before the app's own code runs.

The bundle carries the DejaVu fonts for PDF slips and reports in `fonts/` beside the
executables, where a laptop without them installed still finds them.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def bundle_dir() -> Path:
    # PyInstaller puts the collected files in sys._MEIPASS (the `_internal` folder).
    return Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent))


def prepare() -> None:
    fonts = bundle_dir() / "fonts"
    if fonts.is_dir():
        os.environ.setdefault("SCREENING_PDF_FONT_DIR", str(fonts))
