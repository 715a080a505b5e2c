"""Child process for the prefill durability test: answer `adults` again and again through
screening.recording, each answer writing the prefill `people` (= adults + 1) with it.

Usage: python prefill_child.py VAULT_DIR INTERVIEW_ID
Prints "ready" once the draft is resumed, then "ack N" after each answer N was committed.
The parent kills it with SIGKILL at a random moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from screening import recording
from screening.vault import Vault
from tests.screening.formbuilder import compiled, q

USER = "Amira Haddad"
PASSPHRASE = "violet kettle marathon orbit"
FORM = compiled(
    q("integer", "adults"),
    q("integer", "people", calculation="${adults} + 1"),
)


def main() -> None:
    vault_dir, interview_id = Path(sys.argv[1]), sys.argv[2]
    vault = Vault.unlock(vault_dir, USER, PASSPHRASE)
    # Tiny auto-checkpoint threshold: kills land inside checkpoints as well as commits.
    vault.connection().execute("PRAGMA wal_autocheckpoint = 4").fetchall()
    session, _, _ = recording.resume(vault, interview_id, FORM, "en")
    given = session.get("adults")
    n = 0 if given is None else int(given.value)  # type: ignore[arg-type]
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    while True:
        n += 1
        assert session.answer("adults", n).ok
        recording.save_current(vault, interview_id, session, "adults")
        sys.stdout.write(f"ack {n}\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
