"""The encrypted vault: SQLCipher database, key slots, users, audit log, backup, retention.

Everything the rest of Screening Desk needs is importable from here; see docs/vault.md for
the design and for how other modules may use `Vault.connection()`.
"""

from __future__ import annotations

from screening.vault.admin import UserInfo
from screening.vault.audit import AuditEntry
from screening.vault.errors import (
    PermissionDenied,
    ReadOnlyInterview,
    RecordNotFound,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultLockedOut,
    VaultNotFound,
    VaultTampered,
    WeakPassphrase,
    WrongCredentials,
)
from screening.vault.keys import (
    DEFAULT_KDF,
    KEM_HYBRID,
    KEM_X25519,
    KdfParams,
    generate_recovery_keypair,
)
from screening.vault.migrations import ROLES, SCHEMA_VERSION
from screening.vault.queries import Correction, InterviewRecord, InterviewSummary, Override
from screening.vault.unlocking import vault_exists
from screening.vault.vault import Vault

__all__ = [
    "DEFAULT_KDF",
    "KEM_HYBRID",
    "KEM_X25519",
    "ROLES",
    "SCHEMA_VERSION",
    "AuditEntry",
    "Correction",
    "InterviewRecord",
    "InterviewSummary",
    "KdfParams",
    "Override",
    "PermissionDenied",
    "ReadOnlyInterview",
    "RecordNotFound",
    "UserInfo",
    "Vault",
    "VaultError",
    "VaultExists",
    "VaultLocked",
    "VaultLockedOut",
    "VaultNotFound",
    "VaultTampered",
    "WeakPassphrase",
    "WrongCredentials",
    "generate_recovery_keypair",
    "vault_exists",
]
