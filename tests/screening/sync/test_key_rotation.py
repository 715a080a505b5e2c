"""A removed user's copy of a laptop vault can no longer sign as the laptop (issue #13, item 1).

Real vaults, a real hub (SQLite and PostgreSQL), the real sync client. Before the fix, the
copy's sync was accepted, the coordinator imported its interview as a normal one, and the
real laptop's next sync failed with a chain fork.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from hub.store import Tx
from screening.org import keys
from screening.sync import coordinator, keyrotation, laptop, protocol, state
from screening.sync.client import sync
from screening.sync.errors import SyncError
from screening.sync.rotation import make_rotation
from screening.sync.sealing import seal_pending
from screening.sync.transport import HubSession
from screening.vault import Vault
from tests.screening.sync.conftest import Org
from tests.screening.sync.rig import (
    ADMIN,
    ADMIN_PASS,
    FAST,
    QUICK,
    SCREENER,
    SCREENER_PASS,
    completed_interview,
    enrolled_laptop,
)

OTHER, OTHER_PASS = "Nadia Rahman", "saffron tugboat meadow quartz"


def _laptop(org: Org, folder: Path) -> Vault:
    """An enrolled laptop with an admin and a screener; returned unlocked as the admin."""
    return enrolled_laptop(folder, org.coord, with_screener=False)


def _copy_of(folder: Path, to: Path) -> Path:
    shutil.copytree(folder, to)
    return to


def _imported_ids(org: Org) -> set[str]:
    rows = org.coord.connection().execute("SELECT interview_id FROM sync_imports")
    return {str(r[0]) for r in rows}


def test_a_removed_users_copy_of_the_vault_cannot_sync(org: Org, tmp_path: Path) -> None:
    admin = _laptop(org, tmp_path / "laptop")
    admin.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    first = completed_interview(admin, 1)
    sync(admin, policy=QUICK)
    # Sealed but not yet pushed when the user is removed: signed by the old key.
    waiting = completed_interview(admin, 2)
    assert seal_pending(admin) == 1
    admin.lock()
    # The screener keeps a copy of the vault folder, then is removed.
    copy = _copy_of(tmp_path / "laptop", tmp_path / "copy")
    admin = Vault.unlock(tmp_path / "laptop", ADMIN, ADMIN_PASS)
    old_key = state.device_identity(admin).key_id  # type: ignore[union-attr]
    admin.remove_user(SCREENER)
    assert state.device_identity(admin).key_id != old_key  # type: ignore[union-attr]
    after = completed_interview(admin, 3)
    report = sync(admin, policy=QUICK)
    assert report.acknowledged == 2  # the waiting envelope (old key) and the new one
    assert [e.action for e in admin.audit_entries()].count("device_key_registered") == 1

    # The removed user runs an interview on the copy and syncs: refused, nothing stored.
    stolen = Vault.unlock(copy, SCREENER, SCREENER_PASS)
    forged = completed_interview(stolen, 4, marker=" forged")
    stored_before = len(org.rig.envelopes())
    with pytest.raises(SyncError) as refused:
        sync(stolen, policy=QUICK)
    assert refused.value.code == keyrotation.REPLACED_CODE
    assert "enrol this laptop again" in refused.value.message
    assert len(org.rig.envelopes()) == stored_before
    # and it stays stopped, without asking the hub again
    with pytest.raises(SyncError) as again:
        sync(stolen, policy=QUICK)
    assert again.value.code == keyrotation.REPLACED_CODE
    stolen.lock()

    # The coordinator accepts the new key for the same device, imports the real laptop's
    # interviews (including the one signed by the old key), and hears about the copy.
    imported = sync(org.coord, policy=QUICK)
    assert _imported_ids(org) == {first, waiting, after}
    assert forged not in _imported_ids(org)
    assert imported.rejected == 0
    (alert,) = imported.alerts
    assert "replaced key was used 1 time(s)" in alert
    (device,) = coordinator.list_devices(org.coord, policy=QUICK)
    assert device.trusted and len(device.key_chain) == 2

    # The real laptop carries on as before.
    last = completed_interview(admin, 5)
    assert sync(admin, policy=QUICK).acknowledged == 1
    sync(org.coord, policy=QUICK)
    assert last in _imported_ids(org)
    admin.lock()


def test_a_copy_that_rotated_first_stops_the_laptop_and_alerts_the_coordinator(
    org: Org, tmp_path: Path
) -> None:
    admin = _laptop(org, tmp_path / "laptop")
    admin.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    admin.add_user(OTHER, OTHER_PASS, role="admin", kdf=FAST)
    first = completed_interview(admin, 1)
    sync(admin, policy=QUICK)
    sync(org.coord, policy=QUICK)
    admin.lock()
    # Someone with a copy (and an admin passphrase) removes a user there and syncs first.
    copy = Vault.unlock(_copy_of(tmp_path / "laptop", tmp_path / "copy"), OTHER, OTHER_PASS)
    copy.remove_user(SCREENER)
    from_copy = completed_interview(copy, 2, marker=" copy")
    sync(copy, policy=QUICK)
    copy.lock()

    admin = Vault.unlock(tmp_path / "laptop", ADMIN, ADMIN_PASS)
    admin.remove_user(SCREENER)
    completed_interview(admin, 3)
    with pytest.raises(SyncError) as refused:
        sync(admin, policy=QUICK)
    assert refused.value.code == keyrotation.REPLACED_CODE
    assert "revoke device" in refused.value.message
    actions = [e.action for e in admin.audit_entries()]
    assert "device_key_replaced" in actions and "device_key_registered" not in actions
    # Enrolling this vault again would mix its chain with the revoked device's: refused, with
    # what to do instead.
    code, _ = coordinator.create_enrol_code(org.coord, policy=QUICK)
    with pytest.raises(SyncError, match="Create a new vault"):
        laptop.enrol_device(admin, org.keys.public, code, policy=QUICK)
    admin.lock()

    report = sync(org.coord, policy=QUICK)
    assert any("replace an already replaced key" in a for a in report.alerts)
    (device,) = coordinator.list_devices(org.coord, policy=QUICK)
    assert not device.trusted and "revoke it" in (device.problem or "")
    # Nothing from the disputed device is imported after the conflict: neither holder can be
    # told apart from the other. What was imported before stays.
    assert _imported_ids(org) == {first}
    assert from_copy not in _imported_ids(org)


def test_restoring_a_backup_moves_the_laptop_to_a_new_key(org: Org, tmp_path: Path) -> None:
    admin = _laptop(org, tmp_path / "laptop")
    completed_interview(admin, 1)
    sync(admin, policy=QUICK)
    archive = admin.backup(tmp_path / "laptop.backup")
    admin.lock()
    # The laptop is lost; its backup is restored on a new one. Whoever has the archive (or
    # the old laptop) holds the old key.
    restored = Vault.restore(archive, tmp_path / "new-laptop", ADMIN, ADMIN_PASS)
    assert [e.action for e in restored.audit_entries()][-1] == "device_key_rotated"
    said = keyrotation.register_now(restored, policy=QUICK)
    assert "registered with the hub" in said
    completed_interview(restored, 2)
    assert sync(restored, policy=QUICK).acknowledged == 1
    restored.lock()

    old = Vault.unlock(tmp_path / "laptop", ADMIN, ADMIN_PASS)
    completed_interview(old, 3)
    with pytest.raises(SyncError) as refused:
        sync(old, policy=QUICK)
    assert refused.value.code == keyrotation.REPLACED_CODE
    old.lock()
    report = sync(org.coord, policy=QUICK)
    assert report.imported == 2 and len(report.alerts) == 1


def test_a_lost_registration_answer_is_asked_for_again(org: Org, tmp_path: Path) -> None:
    admin = _laptop(org, tmp_path / "laptop")
    admin.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    admin.remove_user(SCREENER)
    (pending,) = keyrotation.pending(admin)
    identity, org_public = state.require_device(admin)
    # The hub registers the rotation, but the laptop never records the answer.
    old = keys.load_ed25519_private(pending.old_private)
    body = make_rotation(identity.device_id or "", old, identity.private_key, 1).to_json()
    with HubSession(org_public.hub_url, org_public.hub_ca_pem, old, policy=QUICK) as session:
        session.call("POST", protocol.PATH_ROTATE_KEY, json_body=body)
    completed_interview(admin, 1)
    assert sync(admin, policy=QUICK).acknowledged == 1
    assert keyrotation.pending(admin) == []
    row = admin.connection().execute("SELECT old_private_key FROM sync_key_rotations").fetchone()
    assert row[0] is None  # the old key is erased once the hub has the new one
    admin.lock()


def test_a_vault_that_is_not_enrolled_keeps_no_rotation(tmp_path: Path) -> None:
    vault = Vault.create(tmp_path / "v", ADMIN, ADMIN_PASS, kdf=FAST)
    vault.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    vault.remove_user(SCREENER)
    assert keyrotation.pending(vault) == []
    assert keyrotation.register_now(vault) == ""
    vault.lock()


@pytest.mark.parametrize("tamper", ["hidden", "first_seq_changed", "new_key_swapped"])
def test_a_hub_that_lies_about_a_rotation_is_not_believed(
    org: Org, tmp_path: Path, tamper: str
) -> None:
    admin = _laptop(org, tmp_path / "laptop")
    admin.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    admin.remove_user(SCREENER)
    iid = completed_interview(admin, 1)
    sync(admin, policy=QUICK)
    admin.lock()
    mallory = keys.b64encode(keys.ed25519_public_raw(keys.load_ed25519_private(bytes(32))))

    def lie(tx: Tx) -> None:
        if tamper == "hidden":  # the device's new key listed as if it had always been its key
            tx._x("DELETE FROM key_rotations")
            return
        (text,) = tx._one("SELECT rotation FROM key_rotations")
        body = json.loads(text)
        if tamper == "first_seq_changed":
            body["statement"]["first_seq"] = 2
        else:
            body["statement"]["new_public_key"] = mallory
        tx._x("UPDATE key_rotations SET rotation = ?", (json.dumps(body),))

    org.rig.write(lie)
    report = sync(org.coord, policy=QUICK)
    (device,) = coordinator.list_devices(org.coord, policy=QUICK)
    assert not device.trusted
    assert iid not in _imported_ids(org) and report.rejected == 1


def test_two_removals_while_offline_register_in_order(org: Org, tmp_path: Path) -> None:
    admin = _laptop(org, tmp_path / "laptop")
    admin.add_user(SCREENER, SCREENER_PASS, role="screener", kdf=FAST)
    admin.add_user(OTHER, OTHER_PASS, role="screener", kdf=FAST)
    # Each envelope is sealed under the key of its moment: old, middle, new.
    ids = [completed_interview(admin, 1)]
    seal_pending(admin)
    admin.remove_user(SCREENER)
    ids.append(completed_interview(admin, 2))
    seal_pending(admin)
    admin.remove_user(OTHER)
    ids.append(completed_interview(admin, 3))
    assert [p.first_seq for p in keyrotation.pending(admin)] == [2, 3]
    assert sync(admin, policy=QUICK).acknowledged == 3
    assert keyrotation.pending(admin) == []
    admin.lock()
    report = sync(org.coord, policy=QUICK)
    assert report.imported == 3 and report.rejected == 0 and report.alerts == []
    assert _imported_ids(org) == set(ids)
    (device,) = coordinator.list_devices(org.coord, policy=QUICK)
    assert device.trusted and [seq for seq, _ in device.key_chain] == [1, 2, 3]
