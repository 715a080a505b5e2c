"""No answer, user name or passphrase reaches disk outside the encrypted database pages."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from screening.vault import Vault, WrongCredentials, generate_recovery_keypair
from tests.screening.cli.clirun import screening_argv

from .conftest import FAST

ANSWER = "Zq7AnswerMarkerKx9"
NAME = "Yusuf Markerman Qv4"
PASSPHRASE = "plinth sapphire Wj2markerPass orbit"
SCREENER_NAME = "Ines Markerova Hh8"
SCREENER_PASS = "tundra Pq3markerPass quiver lantern"
ENCODINGS = ("utf-8", "utf-16-le", "utf-16-be")


def _needles() -> dict[str, list[bytes]]:
    texts = {
        "answer": [ANSWER],
        "name": [NAME, NAME.casefold(), SCREENER_NAME, SCREENER_NAME.casefold()],
        "passphrase": [PASSPHRASE, SCREENER_PASS],
    }
    return {kind: [t.encode(e) for t in items for e in ENCODINGS] for kind, items in texts.items()}


def _files(root: Path, since: float) -> Iterator[Path]:
    for dirpath, _, filenames in os.walk(root, onerror=lambda e: None):
        for filename in filenames:
            path = Path(dirpath, filename)
            try:
                st = path.lstat()
            except OSError:
                continue
            if path.is_file() and st.st_mtime >= since and st.st_size < 200 * 1024 * 1024:
                yield path


def _scan(paths: list[Path]) -> list[str]:
    found = []
    needles = _needles()
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError:
            continue
        for kind, variants in needles.items():
            if any(v in data for v in variants):
                found.append(f"{kind} in {path}")
    return found


@pytest.mark.slow
def test_markers_never_reach_disk(tmp_path: Path) -> None:
    started = time.time() - 1
    vault_dir = tmp_path / "vault"
    v = Vault.create(vault_dir, NAME, PASSPHRASE, kdf=FAST)
    v.add_user(SCREENER_NAME, SCREENER_PASS, role="screener", kdf=FAST)
    _, org_public = generate_recovery_keypair()
    v.set_recovery_key(org_public)
    ids = []
    for n in range(30):
        iid = v.create_interview(
            form_id="full",
            form_version="2",
            form_hash="h",
            language="ar",
            location=f"camp {ANSWER}",
        )
        v.save_answer(iid, "name", f"{ANSWER} {n}")
        v.save_answer(iid, "story", {"text": ANSWER * 20, "list": [ANSWER]})
        v.save_answer(iid, "members[1]/name", ANSWER)
        v.save_answer(iid, "age", None, "declined")
        ids.append(iid)
    v.clear_answer(ids[0], "story")
    v.set_outcome(ids[1], {"explanation": ANSWER})
    v.set_override(ids[1], "refer", f"reason {ANSWER}")
    v.complete_interview(ids[2], {"why": ANSWER})
    v.correct_answer(ids[2], "name", ANSWER + " fixed", reason=f"typo {ANSWER}")
    v.mark_delivered(ids[2])
    v.stop_interview(ids[3], f"stopped {ANSWER}")
    backup = v.backup(tmp_path / "backup.zip")
    v.remove_user(SCREENER_NAME)
    v.lock()
    with pytest.raises(WrongCredentials):
        Vault.unlock(vault_dir, NAME, PASSPHRASE + " nope")
    v = Vault.unlock(vault_dir, NAME, PASSPHRASE)
    with v.transaction() as conn:  # make the one completed interview old enough to purge
        old = (datetime.now(UTC) - timedelta(days=90)).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        conn.execute("UPDATE interviews SET completed_at = ?", (old,))
    assert v.purge(30) == 1
    v.change_passphrase(PASSPHRASE, PASSPHRASE + " two")
    v.lock()
    restored = Vault.restore(backup, tmp_path / "restored", NAME, PASSPHRASE)
    restored.lock()
    # The command line too (passphrases through stdin only).
    cli = subprocess.run(
        [
            *screening_argv(),  # the test's cheap key derivation, so the check finds no weak slot
            "vault",
            "check",
            "--vault",
            str(vault_dir),
            "--user",
            NAME,
            "--passphrase-stdin",
        ],
        input=PASSPHRASE + " two\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 0, cli.stderr

    vault_files = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    names = {p.name for p in vault_files}
    assert {"vault.db", "slots.json", "backoff.json", "backup.zip"} <= names
    assert _scan(vault_files) == []
    temp_files = list(_files(Path(tempfile.gettempdir()), started))
    assert _scan(temp_files) == []
    # Sanity check of the scanner itself: it does find a marker written in UTF-16.
    probe = tmp_path / "probe.txt"
    probe.write_bytes(ANSWER.encode("utf-16-le"))
    assert _scan([probe]) == [f"answer in {probe}"]
