"""k-anonymised exports for coordinators: CSV, XLSX, HTCDS JSON and an aggregate PDF report.

    from screening.export import Filters, export

    result = export(vault, Path("stats.csv"), fmt="csv", k=5, filters=Filters(form_id=None))
    result.report  # also written to stats.csv.report.json

One row per person (the newest completed interview). Direct identifiers never leave the
vault; every released column but the case code (quasi-identifiers, outcome, detail) is
generalised and rare rows suppressed until each row is shared by at least k rows; case
codes are random per export unless stable codes are asked for. docs/export.md explains the
algorithm, its guarantees and the HTCDS mapping.
"""

from screening.export.casecode import CaseCoder, pseudonym_key
from screening.export.errors import ExportCancelled, ExportError
from screening.export.exporter import (
    DEFAULT_K,
    FORMATS,
    ExportResult,
    export,
    preview,
    report_path_for,
)
from screening.export.hierarchy import QI_COLUMNS
from screening.export.source import Filters

__all__ = [
    "DEFAULT_K",
    "FORMATS",
    "QI_COLUMNS",
    "CaseCoder",
    "ExportCancelled",
    "ExportError",
    "ExportResult",
    "Filters",
    "export",
    "preview",
    "pseudonym_key",
    "report_path_for",
]
