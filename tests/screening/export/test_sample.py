"""Sample rows for the export dialog: the rows the export would write, nothing written."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from screening.export import export
from screening.export.sample import CODE_PLACEHOLDER, SAMPLE_COLUMNS, sample_rows
from screening.vault import Vault


def test_samples_are_rows_of_the_real_export(coordinator: Vault, tmp_path: Path) -> None:
    before = len(coordinator.audit_entries())
    samples = sample_rows(coordinator, k=5, n=3)
    assert len(samples) == 3
    assert len(coordinator.audit_entries()) == before, "a look is not an export"
    assert all(row["case_code"] == CODE_PLACEHOLDER for row in samples)

    out = tmp_path / "all.csv"
    export(coordinator, out, fmt="csv", k=5)
    with out.open(encoding="utf-8") as handle:
        written = list(csv.DictReader(handle))
    key = lambda row: tuple(row[c] for c in SAMPLE_COLUMNS)  # noqa: E731
    groups = Counter(key(row) for row in written)
    for row in samples:
        assert groups[key(row)] >= 1, "every sample is a row the export writes"
        without_code = {c: v for c, v in row.items() if c != "case_code"}
        assert any(
            {c: v for c, v in w.items() if c != "case_code"} == without_code for w in written
        )
