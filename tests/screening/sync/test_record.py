"""The interview record (docs/protocol.md, "Record format"): export, checks, import."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from screening.canonical import canonical_json, parse_canonical
from screening.vault import Vault, VaultError
from screening.vault.interchange import (
    RecordError,
    check_record,
    export_record,
    import_record,
    imported_audit,
)
from tests.screening.sync.rig import ADMIN, ADMIN_PASS, COORD, COORD_PASS, FAST

SOURCE = {"vault_id": "v-1", "sealed_by": ADMIN, "sealed_at": "2025-01-31T09:30:00.000000Z"}


@pytest.fixture
def vaults(tmp_path: Path) -> Iterator[tuple[Vault, Vault]]:
    laptop = Vault.create(tmp_path / "laptop", ADMIN, ADMIN_PASS, kdf=FAST)
    coord = Vault.create(tmp_path / "coord", COORD, COORD_PASS, kdf=FAST)
    yield laptop, coord
    laptop.lock()
    coord.lock()


def _interview(v: Vault) -> str:
    iid = v.create_interview(
        form_id="screening-adult",
        form_version="1.2",
        form_hash="9f" * 32,
        language="ar",
        screener_language="en",
        interpreter_used=True,
        location="Bar — centre d'accueil",
        started_at=datetime(2025, 1, 30, 8, 15, tzinfo=UTC),
    )
    v.save_answer(iid, "arrival", date(2024, 12, 1))
    v.save_answer(iid, "debt", Decimal("1250.50"))
    v.save_answer(iid, "languages", ["ar", "fr"])
    v.save_answer(iid, "story", "وصلت في ديسمبر")
    v.save_answer(iid, "employer", None, "declined")
    v.save_answer(iid, "unsure", None, "dont_know")
    v.save_answer(iid, "tmp", "x")
    v.clear_answer(iid, "tmp")
    v.complete_interview(iid, {"result": "likely", "elements": {"coercion": ["q1"]}, "w": 0.5})
    v.set_override(iid, "refer", "the person asked for shelter")
    v.correct_answer(iid, "story", "وصلت في نوفمبر", reason="interpreter correction")
    return iid


def test_a_record_round_trips_into_another_vault(vaults: tuple[Vault, Vault]) -> None:
    laptop, coord = vaults
    iid = _interview(laptop)
    record = export_record(laptop.connection(), iid, source=SOURCE)
    assert set(record) == {
        "format", "version", "interview", "answers", "corrections", "audit", "source",
    }  # fmt: skip
    # It survives canonical JSON (what is sealed) unchanged.
    travelled = parse_canonical(canonical_json(record))
    assert travelled == record
    summary = check_record(travelled)
    assert (summary.interview_id, summary.form_id, summary.form_version) == (
        iid,
        "screening-adult",
        "1.2",
    )
    with coord.transaction() as tx:
        assert import_record(tx, coord.user, travelled, device_id="d-1", detail="test")
    with coord.transaction() as tx:
        assert not import_record(tx, coord.user, travelled, device_id="d-1", detail="test")
    assert coord.answers(iid) == laptop.answers(iid)
    assert coord.answers(iid)["arrival"] == (date(2024, 12, 1), None)
    assert coord.answers(iid)["debt"] == (Decimal("1250.50"), None)
    assert coord.answer_revisions(iid) == laptop.answer_revisions(iid)  # cleared row included
    assert coord.corrections(iid) == laptop.corrections(iid)
    mine, theirs = laptop.get_interview(iid), coord.get_interview(iid)
    for field in (
        "created_at", "completed_at", "updated_at", "screener", "status", "outcome",
        "override", "language", "screener_language", "interpreter_used", "location",
        "form_hash",
    ):  # fmt: skip
        assert getattr(theirs, field) == getattr(mine, field), field
    assert theirs.created_at == "2025-01-30T08:15:00.000000Z"
    trail = imported_audit(coord.connection(), iid)
    assert [e.action for e in trail] == [e["action"] for e in record["audit"]]
    assert "override" in [e.action for e in trail]
    assert [e.action for e in coord.audit_entries()][-1] == "import"
    coord.verify_audit()


def test_only_finished_interviews_are_exported(vaults: tuple[Vault, Vault]) -> None:
    laptop, _ = vaults
    draft = laptop.create_interview(form_id="f", form_version="1", form_hash="h", language="en")
    with pytest.raises(VaultError, match="only finished ones"):
        export_record(laptop.connection(), draft, source=SOURCE)


def _broken(record: dict[str, Any], how: str) -> dict[str, Any]:
    bad = copy.deepcopy(record)
    if how == "format":
        bad["format"] = "something-else"
    elif how == "extra field":
        bad["interview"]["secret"] = "x"
    elif how == "status":
        bad["interview"]["status"] = "draft"
    elif how == "special with value":
        bad["answers"][0]["special"] = "declined"
    elif how == "value not json":
        bad["answers"][0]["value"] = "{not json"
    elif how == "twice":
        bad["answers"].append(dict(bad["answers"][0]))
    elif how == "audit edited":
        bad["audit"][0]["detail"] = "edited"
    elif how == "audit of another interview":
        bad["audit"][0]["object_id"] = "00000000-0000-4000-8000-000000000000"
    elif how == "time":
        bad["interview"]["created_at"] = "yesterday"
    elif how == "id":
        bad["interview"]["id"] = "../../etc"
    return bad


@pytest.mark.parametrize(
    "how",
    [
        "format",
        "extra field",
        "status",
        "special with value",
        "value not json",
        "twice",
        "audit edited",
        "audit of another interview",
        "time",
        "id",
    ],
)
def test_a_malformed_record_is_refused_and_nothing_is_written(
    vaults: tuple[Vault, Vault], how: str
) -> None:
    laptop, coord = vaults
    record = export_record(laptop.connection(), _interview(laptop), source=SOURCE)
    bad = _broken(record, how)
    with pytest.raises(RecordError, match="The interview record is invalid"):
        check_record(bad)
    with pytest.raises(RecordError), coord.transaction() as tx:
        import_record(tx, coord.user, bad, device_id="d", detail="x")
    assert coord.count_interviews() == 0
