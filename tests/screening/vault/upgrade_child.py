"""Child process for the upgrade kill test: unlock, say "ready", upgrade, say "done".

Usage: python upgrade_child.py VAULT_DIR USER  (passphrase on stdin; the vault's key slots
use cheap key derivation). The parent kills it with SIGKILL at a random moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from screening.vault import Vault


def main() -> None:
    vault = Vault.unlock(Path(sys.argv[1]), sys.argv[2], sys.stdin.readline().rstrip("\n"))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    vault.upgrade_format()
    sys.stdout.write("done\n")
    sys.stdout.flush()
    vault.lock()


if __name__ == "__main__":
    main()
