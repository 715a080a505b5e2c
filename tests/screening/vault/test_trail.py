"""One interview's audit trail as a reviewer reads it (`screening.vault.trail`), without Qt:
the laptop's rows first, then this vault's, and when sync first received the interview."""

from __future__ import annotations

from screening.canonical import canonical_json, parse_canonical
from screening.vault import Vault, audit
from screening.vault.interchange import check_record, export_record, import_record
from screening.vault.trail import device_trail, first_receipt, interview_trail, vault_trail
from tests.screening.vault.conftest import ADMIN

SOURCE = {"vault_id": "v-1", "sealed_by": ADMIN, "sealed_at": "2026-11-30T09:30:00.000000Z"}


def _received(laptop: Vault, coord: Vault) -> str:
    iid = laptop.create_interview(
        form_id="screening-adult", form_version="1", form_hash="ab" * 32, language="en"
    )
    laptop.save_answer(iid, "consent", "yes")
    laptop.save_answer(iid, "age", "31")
    laptop.complete_interview(iid, {"result": "no_indication"})
    record = parse_canonical(canonical_json(export_record(laptop.connection(), iid, source=SOURCE)))
    check_record(record)
    with coord.transaction() as tx:
        assert import_record(tx, coord.user, record, device_id="d-1", detail="test")
        audit.append(tx, coord.user, "case_viewed", iid)
    return iid


def test_the_laptops_rows_come_first_then_this_vaults(vaults: tuple[Vault, Vault]) -> None:
    laptop, coord = vaults
    iid = _received(laptop, coord)
    conn = coord.connection()
    device = device_trail(conn, iid)
    here = vault_trail(conn, iid)
    assert device and {line.source for line in device} == {"device"}
    assert [line.action for line in here] == ["import", "case_viewed"]
    assert {line.source for line in here} == {"vault"}
    assert {line.actor for line in here} == {coord.user}
    assert interview_trail(conn, iid) == device + here
    # The laptop's rows are the laptop's own audit rows of the interview, in its order.
    own = [(e.action, e.detail) for e in audit.entries(laptop.connection()) if e.object_id == iid]
    assert [(line.action, line.detail) for line in device] == own
    assert "answer_changed" in [line.action for line in device]
    # Details name questions, never the answers.
    assert all("31" not in (line.detail or "") for line in device + here)


def test_only_this_interviews_rows(vaults: tuple[Vault, Vault]) -> None:
    laptop, coord = vaults
    first = _received(laptop, coord)
    second = _received(laptop, coord)
    conn = coord.connection()
    assert all(line.at for line in interview_trail(conn, first))
    assert len(vault_trail(conn, first)) == len(vault_trail(conn, second)) == 2
    assert vault_trail(conn, "no-such-interview") == []
    assert device_trail(conn, "no-such-interview") == []


def test_received_by_sync_names_the_time_and_the_device(vaults: tuple[Vault, Vault]) -> None:
    laptop, coord = vaults
    iid = _received(laptop, coord)
    conn = coord.connection()
    # Imported without a sync record (another importer): this vault's own import row.
    imported_at = vault_trail(conn, iid)[0].at
    assert first_receipt(conn, iid) == (imported_at, "")
    with coord.transaction() as tx:
        tx.executemany(
            "INSERT INTO sync_imports (envelope_id, device_id, seq, hash, interview_id,"
            " hub_cursor, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                ("e-2", "d-2", 2, "h2", iid, 2, "2026-12-02T10:00:00Z"),
                ("e-1", "d-1", 1, "h1", iid, 1, "2026-12-01T10:00:00Z"),
            ],
        )
    assert first_receipt(conn, iid) == ("2026-12-01T10:00:00Z", "d-1")


def test_an_interview_made_here_was_never_received(vaults: tuple[Vault, Vault]) -> None:
    laptop, _coord = vaults
    iid = laptop.create_interview(
        form_id="screening-adult", form_version="1", form_hash="ab" * 32, language="en"
    )
    conn = laptop.connection()
    assert first_receipt(conn, iid) is None
    assert device_trail(conn, iid) == []
    assert vault_trail(conn, iid)  # the creation is audited here
