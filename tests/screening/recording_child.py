"""Child process for the renumbering durability test: add, answer and remove repeat entries
through screening.recording forever, acknowledging each committed step.

Usage: python recording_child.py VAULT_DIR INTERVIEW_ID
Prints "ready" once the draft is resumed, then "ack <entries as JSON>" after each step
returned (i.e. after COMMIT). The parent kills it with SIGKILL at a random moment.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from screening import recording
from screening.engine import InterviewSession
from screening.vault import Vault
from tests.screening.formbuilder import compiled, group, q

USER = "Amira Haddad"
PASSPHRASE = "violet kettle marathon orbit"
FORM = compiled(group("people", q("integer", "who"), repeat=True))
FULL = 5  # entries before one in the middle is removed


def entries(session: InterviewSession) -> list[int | None]:
    """The draft as the parent reads it back: each entry's answer, None for an empty one."""
    count = session.instance_count("people")
    answers = [session.get(f"who[{n}]") for n in range(1, count + 1)]
    return [None if a is None else int(a.value) for a in answers]  # type: ignore[arg-type]


def step(vault: Vault, interview_id: str, session: InterviewSession) -> None:
    """One step of a fixed walk, decided by the draft alone (so the parent can replay it):
    answer an empty last entry, else remove entry 2 of a full repeat, else add an entry."""
    now = entries(session)
    if now and now[-1] is None:
        key = f"who[{len(now)}]"
        assert session.answer(key, max([0, *(v for v in now if v is not None)]) + 1).ok
        recording.save_current(vault, interview_id, session, key)
    elif len(now) >= FULL:
        recording.remove_entry(vault, interview_id, session, "people", 2)
    else:
        recording.add_entry(vault, interview_id, session, "people")


def main() -> None:
    vault_dir, interview_id = Path(sys.argv[1]), sys.argv[2]
    vault = Vault.unlock(vault_dir, USER, PASSPHRASE)
    # Tiny auto-checkpoint threshold: kills land inside checkpoints as well as commits.
    vault.connection().execute("PRAGMA wal_autocheckpoint = 4").fetchall()
    session, _, _ = recording.resume(vault, interview_id, FORM, "en")
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    while True:
        step(vault, interview_id, session)
        out.write(f"ack {json.dumps(entries(session))}\n")
        out.flush()


if __name__ == "__main__":
    main()
