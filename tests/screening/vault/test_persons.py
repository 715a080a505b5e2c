"""Person ids: continued and linked interviews share one; the id travels to the coordinator."""

from __future__ import annotations

import pytest

from screening.canonical import canonical_json, parse_canonical
from screening.vault import Vault
from screening.vault.interchange import RecordError, check_record, export_record, import_record
from tests.screening.vault.conftest import ADMIN

SOURCE = {"vault_id": "v-1", "sealed_by": ADMIN, "sealed_at": "2025-01-31T09:30:00.000000Z"}


def _finished(v: Vault, continues: str | None = None) -> str:
    iid = v.create_interview(
        form_id="screening-adult", form_version="1", form_hash="ab" * 32, language="en",
        continues=continues,
    )  # fmt: skip
    v.save_answer(iid, "consent", "yes")
    v.complete_interview(iid, {"result": "no_indication"})
    return iid


def test_the_person_travels_with_the_record(vaults: tuple[Vault, Vault]) -> None:
    laptop, coord = vaults
    rapid = _finished(laptop)
    unlinked = export_record(laptop.connection(), rapid, source=SOURCE)
    assert "person_id" not in unlinked["interview"]  # records of unlinked interviews unchanged
    full = _finished(laptop, continues=rapid)
    person = laptop.person_of(full)
    assert person and laptop.person_of(rapid) == person
    for iid in (rapid, full):
        record = parse_canonical(canonical_json(export_record(laptop.connection(), iid,
                                                               source=SOURCE)))  # fmt: skip
        assert record["interview"]["person_id"] == person
        check_record(record)
        with coord.transaction() as tx:
            assert import_record(tx, coord.user, record, device_id="d-1", detail="test")
    assert set(coord.interviews_of_person(rapid)) == {rapid, full}


def test_a_bad_person_id_is_refused(vaults: tuple[Vault, Vault]) -> None:
    laptop, coord = vaults
    rapid = _finished(laptop)
    _finished(laptop, continues=rapid)
    record = export_record(laptop.connection(), rapid, source=SOURCE)
    record["interview"]["person_id"] = "../../etc"
    with pytest.raises(RecordError, match="person id"):
        check_record(record)
    assert coord.count_interviews() == 0


def test_linking_merges_two_people_and_is_audited(vaults: tuple[Vault, Vault]) -> None:
    _, coord = vaults
    a, b = _finished(coord), _finished(coord)
    c = _finished(coord, continues=b)
    person = coord.link_interviews(a, c, "the same young woman, seen in March and in May")
    assert {coord.person_of(i) for i in (a, b, c)} == {person}
    linked = [e for e in coord.audit_entries() if e.action == "person_link"]
    assert {e.object_id for e in linked} == {b, c}
    assert all("seen in March" in e.detail for e in linked)
    coord.verify_audit()
