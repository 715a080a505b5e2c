"""Child process for the durability test: save answers forever, acknowledge each commit.

Usage: python durability_child.py DB_PATH RUN INTERVIEW_ID  (data key as hex on stdin)
Prints "ready" once the database is open, then "ack RUN I" after each save_answer returned
(i.e. after COMMIT). The parent kills it with SIGKILL at a random moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from screening.vault import records
from screening.vault.database import open_database


def main() -> None:
    db_path, run, interview_id = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    key = bytearray.fromhex(sys.stdin.readline().strip())
    conn = open_database(db_path, key)
    # Tiny auto-checkpoint threshold: kills land inside checkpoints as well as commits.
    conn.execute("PRAGMA wal_autocheckpoint = 4").fetchall()
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    i = 0
    while True:
        # Ten names per run, each rewritten: the final value must be the last acknowledged
        # one or a later one.
        records.save_answer(conn, "child", interview_id, f"r{run}/q{i % 10}", [run, i])
        out.write(f"ack {run} {i}\n")
        out.flush()
        i += 1
        if i % 40 == 0:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()


if __name__ == "__main__":
    main()
