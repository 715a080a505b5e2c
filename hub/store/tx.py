"""One transaction's view of the hub's tables (`Tx`) and the rows it returns: the SQL both
store implementations share. The store (base.py) and the SQLite group committer (commit.py)
both hand out `Tx`; it lives below both so that neither imports the other for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class CodeRow:
    code_hash: str
    created_at: int
    expires_at: int
    used_at: int | None
    device_id: str | None


@dataclass(frozen=True, slots=True)
class DeviceRow:
    device_id: str
    key_id: str
    public_key: bytes
    code_hash: str
    attestation: str
    enrolled_at: int
    revoked_at: int | None
    last_seq: int
    last_hash: str


@dataclass(frozen=True, slots=True)
class RotationRow:
    """A device key rotation: accepted (the device's keys moved on) or refused (a second
    rotation of a key already rotated, kept for the coordinator's alert)."""

    device_id: str
    old_key_id: str
    old_public_key: bytes
    new_key_id: str
    rotation: str  # canonical JSON: statement and both signatures
    rotated_at: int
    accepted: bool
    retired_uses: int
    last_retired_use: int | None


@dataclass(frozen=True, slots=True)
class EnvelopeRow:
    cursor: int
    envelope_id: str
    device_id: str
    seq: int
    hash: str
    body: bytes
    received_at: int
    acked_at: int | None


@dataclass(frozen=True, slots=True)
class FormRow:
    cursor: int
    form_id: str
    version: str
    hash: str
    document: str
    published_at: int


_DEVICE_COLS = (
    "device_id, key_id, public_key, code_hash, attestation, enrolled_at, revoked_at, "
    "last_seq, last_hash"
)
_ENVELOPE_COLS = "cursor_pos, envelope_id, device_id, seq, hash, body, received_at, acked_at"
_FORM_COLS = "cursor_pos, form_id, version, hash, document, published_at"
_ROTATION_COLS = (
    "device_id, old_key_id, old_public_key, new_key_id, rotation, rotated_at, accepted, "
    "retired_uses, last_retired_use"
)
# PostgreSQL advisory lock keys. Any constants work; these start with "SD" in ASCII, unlikely
# to clash with another application's keys on a shared server.
WRITERS_LOCK_KEY = 0x5344_4855_42  # held shared by every writer, briefly exclusive by a pull
FORMS_LOCK_KEY = 0x5344_464F_524D  # held by a form publisher to commit
ACK_CHUNK = 500  # ids per acknowledging UPDATE on SQLite (see Tx.ack)
TABLES = ("meta", "enrol_codes", "devices", "envelopes", "forms", "nonces", "key_rotations")


def _rotation(row: Sequence[Any]) -> RotationRow:
    values = list(row)
    values[2] = bytes(values[2])
    values[6] = bool(values[6])
    return RotationRow(*values)


def _device(row: Sequence[Any] | None) -> DeviceRow | None:
    if row is None:
        return None
    values = list(row)
    values[2] = bytes(values[2])
    return DeviceRow(*values)


def _envelope(row: Sequence[Any]) -> EnvelopeRow:
    values = list(row)
    values[5] = bytes(values[5])
    return EnvelopeRow(*values)


class Tx:
    """One transaction. SQL is written with `?` and rewritten for drivers that use `%s`."""

    def __init__(self, conn: Any, paramstyle: str, *, settled: int | None = None) -> None:
        self._conn = conn
        # pyformat is psycopg, i.e. PostgreSQL: the one of the two with row locks.
        self._pyformat = paramstyle == "pyformat"
        self._after_commit: list[Callable[[], None]] = []
        # The highest cursor below which no writer is still in flight (PostgreSQL reads);
        # None where writers commit in cursor order anyway.
        self.settled = settled

    def on_commit(self, fn: Callable[[], None]) -> None:
        """Run `fn` once the transaction is durable (log lines must not claim what rolled back)."""
        self._after_commit.append(fn)

    def committed(self) -> None:
        for fn in self._after_commit:
            fn()
        self._after_commit.clear()

    def _x(self, sql: str, params: Sequence[Any] = ()) -> Any:
        if self._pyformat:
            sql = sql.replace("?", "%s")
        return self._conn.execute(sql, tuple(params))

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        return self._x(sql, params).fetchone()

    # meta
    def meta(self, key: str) -> str | None:
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._x(
            "INSERT INTO meta (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    # nonces
    def use_nonce(self, key_id: str, nonce: str, expires_at: int) -> bool:
        """False when this key already used this nonce (a replay)."""
        cur = self._x(
            "INSERT INTO nonces (key_id, nonce, expires_at) VALUES (?, ?, ?) "
            "ON CONFLICT (key_id, nonce) DO NOTHING",
            (key_id, nonce, expires_at),
        )
        return bool(cur.rowcount == 1)

    def purge_nonces(self, now: int) -> None:
        self._x("DELETE FROM nonces WHERE expires_at < ?", (now,))

    # enrolment codes
    def code(self, code_hash: str) -> CodeRow | None:
        row = self._one(
            "SELECT code_hash, created_at, expires_at, used_at, device_id FROM enrol_codes "
            "WHERE code_hash = ?",
            (code_hash,),
        )
        return None if row is None else CodeRow(*row)

    def add_code(self, code_hash: str, created_at: int, expires_at: int) -> None:
        self._x(
            "INSERT INTO enrol_codes (code_hash, created_at, expires_at) VALUES (?, ?, ?)",
            (code_hash, created_at, expires_at),
        )

    def spend_code(self, code_hash: str, device_id: str, when: int) -> bool:
        """Mark an unused, unexpired code used by `device_id`; False if it was not.

        One conditional UPDATE: of two transactions spending the same code at once, the second
        waits for the first's row lock, re-checks `used_at` once it commits, and updates nothing.
        """
        row = self._one(
            "UPDATE enrol_codes SET used_at = ?, device_id = ? "
            "WHERE code_hash = ? AND used_at IS NULL AND expires_at > ? RETURNING code_hash",
            (when, device_id, code_hash, when),
        )
        return row is not None

    # devices
    def device(self, device_id: str, *, lock: bool = False) -> DeviceRow | None:
        """The device; with `lock`, its row stays locked for this transaction (PostgreSQL).

        The lock serialises what reads and moves one device's chain head (pushes, rotations,
        revocation) across processes, and nothing else: other devices' pushes do not wait.
        NO KEY UPDATE, so that envelope inserts (whose foreign key takes KEY SHARE on the
        device's row) are not blocked by it. SQLite has one writer at a time and no row locks.
        """
        lock_sql = " FOR NO KEY UPDATE" if lock and self._pyformat else ""
        return _device(
            self._one(
                f"SELECT {_DEVICE_COLS} FROM devices WHERE device_id = ?{lock_sql}", (device_id,)
            )
        )

    def device_by_key(self, key_id: str) -> DeviceRow | None:
        return _device(self._one(f"SELECT {_DEVICE_COLS} FROM devices WHERE key_id = ?", (key_id,)))

    def devices(self) -> list[DeviceRow]:
        rows = self._x(f"SELECT {_DEVICE_COLS} FROM devices ORDER BY enrolled_at, device_id")
        return [d for d in map(_device, rows.fetchall()) if d is not None]

    def add_device(self, d: DeviceRow) -> None:
        self._x(
            f"INSERT INTO devices ({_DEVICE_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                d.device_id,
                d.key_id,
                d.public_key,
                d.code_hash,
                d.attestation,
                d.enrolled_at,
                d.revoked_at,
                d.last_seq,
                d.last_hash,
            ),
        )

    def revoke_device(self, device_id: str, when: int) -> None:
        self._x("UPDATE devices SET revoked_at = ? WHERE device_id = ?", (when, device_id))

    def set_device_head(self, device_id: str, seq: int, envelope_hash: str) -> None:
        self._x(
            "UPDATE devices SET last_seq = ?, last_hash = ? WHERE device_id = ?",
            (seq, envelope_hash, device_id),
        )

    # device key rotations
    def rotations(self, device_id: str | None = None) -> list[RotationRow]:
        """Rotations in the order they were stored (all devices when `device_id` is None)."""
        where, params = ("WHERE device_id = ? ", (device_id,)) if device_id else ("", ())
        rows = self._x(
            f"SELECT {_ROTATION_COLS} FROM key_rotations {where}ORDER BY position", params
        )
        return [_rotation(r) for r in rows.fetchall()]

    def retired_key(self, key_id: str) -> RotationRow | None:
        """The accepted rotation that retired `key_id`, if it was ever retired."""
        row = self._one(
            f"SELECT {_ROTATION_COLS} FROM key_rotations WHERE old_key_id = ? AND accepted = 1",
            (key_id,),
        )
        return None if row is None else _rotation(row)

    def key_known(self, key_id: str) -> bool:
        """Whether any device uses or ever used this key."""
        row = self._one(
            "SELECT 1 FROM devices WHERE key_id = ? UNION ALL SELECT 1 FROM key_rotations"
            " WHERE (old_key_id = ? OR new_key_id = ?) AND accepted = 1",
            (key_id, key_id, key_id),
        )
        return row is not None

    def add_rotation(self, r: RotationRow) -> None:
        """Store a rotation; an accepted one also moves the device onto its new key."""
        self._x(
            f"INSERT INTO key_rotations ({_ROTATION_COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (old_key_id, new_key_id) DO NOTHING",
            (
                r.device_id, r.old_key_id, r.old_public_key, r.new_key_id, r.rotation,
                r.rotated_at, int(r.accepted), r.retired_uses, r.last_retired_use,
            ),
        )  # fmt: skip

    def set_device_key(self, device_id: str, key_id: str, public_key: bytes) -> None:
        self._x(
            "UPDATE devices SET key_id = ?, public_key = ? WHERE device_id = ?",
            (key_id, public_key, device_id),
        )

    def note_retired_use(self, key_id: str, when: int) -> None:
        self._x(
            "UPDATE key_rotations SET retired_uses = retired_uses + 1, last_retired_use = ?"
            " WHERE old_key_id = ? AND accepted = 1",
            (when, key_id),
        )

    # envelopes
    def envelope(self, envelope_id: str) -> EnvelopeRow | None:
        row = self._one(
            f"SELECT {_ENVELOPE_COLS} FROM envelopes WHERE envelope_id = ?", (envelope_id,)
        )
        return None if row is None else _envelope(row)

    def envelopes_by_id(self, envelope_ids: Sequence[str]) -> dict[str, EnvelopeRow]:
        """The stored envelopes among these ids (one query for a whole batch)."""
        if not envelope_ids:
            return {}
        marks = ", ".join("?" * len(envelope_ids))
        rows = self._x(
            f"SELECT {_ENVELOPE_COLS} FROM envelopes WHERE envelope_id IN ({marks})",
            tuple(envelope_ids),
        )
        return {e.envelope_id: e for e in map(_envelope, rows.fetchall())}

    def add_envelope(
        self, envelope_id: str, device_id: str, seq: int, hash_: str, body: bytes, when: int
    ) -> int:
        row = self._one(
            "INSERT INTO envelopes (envelope_id, device_id, seq, hash, body, received_at) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING cursor_pos",
            (envelope_id, device_id, seq, hash_, body, when),
        )
        return int(row[0])

    def add_envelopes(
        self, rows: Sequence[tuple[str, str, int, str, bytes, int]]
    ) -> dict[str, int]:
        """Insert (envelope_id, device_id, seq, hash, body, received_at) rows in one statement;
        their cursors by envelope id, drawn in the order given."""
        if not rows:
            return {}
        marks = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(rows))
        found = self._x(
            "INSERT INTO envelopes (envelope_id, device_id, seq, hash, body, received_at) "
            f"VALUES {marks} RETURNING envelope_id, cursor_pos",
            tuple(v for row in rows for v in row),
        ).fetchall()
        cursors = {str(e): int(c) for e, c in found}
        drawn = [cursors[row[0]] for row in rows]
        if drawn != sorted(drawn):  # a reader relies on cursor order being chain order
            raise RuntimeError("the database drew cursors out of the rows' order")
        return cursors

    def envelopes_after(self, cursor: int, limit: int) -> list[EnvelopeRow]:
        """Envelopes after `cursor` in cursor order; on PostgreSQL only settled ones (a writer
        still in flight may yet commit a lower cursor than one already visible)."""
        upto, params = "", (cursor, limit)
        if self.settled is not None:
            upto, params = "AND cursor_pos <= ? ", (cursor, self.settled, limit)
        rows = self._x(
            f"SELECT {_ENVELOPE_COLS} FROM envelopes WHERE cursor_pos > ? {upto}"
            "ORDER BY cursor_pos LIMIT ?",
            params,
        )
        return [_envelope(r) for r in rows.fetchall()]

    def ack(self, envelope_ids: Sequence[str], when: int) -> list[str]:
        """Mark envelopes acknowledged; returns the ids the hub does not hold, in request order.

        An envelope acknowledged before keeps its first time and counts as held (acks are
        idempotent). One statement per request (one per ACK_CHUNK ids on SQLite, whose
        builds may allow as few as 999 parameters) instead of one per id: an ack request
        names up to 1,000 envelopes, and on PostgreSQL each statement is a round trip.
        """
        wanted = list(dict.fromkeys(envelope_ids))
        if not wanted:
            return []
        held: set[str] = set()
        if self._pyformat:
            rows = self._x(
                "UPDATE envelopes SET acked_at = COALESCE(acked_at, ?) "
                "WHERE envelope_id = ANY(?) RETURNING envelope_id",
                (when, wanted),
            ).fetchall()
            held.update(str(r[0]) for r in rows)
        else:
            for start in range(0, len(wanted), ACK_CHUNK):
                chunk = wanted[start : start + ACK_CHUNK]
                marks = ", ".join("?" * len(chunk))
                rows = self._x(
                    "UPDATE envelopes SET acked_at = COALESCE(acked_at, ?) "
                    f"WHERE envelope_id IN ({marks}) RETURNING envelope_id",
                    (when, *chunk),
                ).fetchall()
                held.update(str(r[0]) for r in rows)
        return [i for i in wanted if i not in held]

    # forms
    def form(self, form_id: str, version: str) -> FormRow | None:
        row = self._one(
            f"SELECT {_FORM_COLS} FROM forms WHERE form_id = ? AND version = ?", (form_id, version)
        )
        return None if row is None else FormRow(*row)

    def lock_forms(self) -> None:
        """Publishers of forms one at a time, to commit (PostgreSQL; SQLite has one writer).

        Laptops read forms "after cursor N" without waiting for anyone, which is safe only if
        form cursors commit in order. Publishing is rare (the organisation, now and then).
        """
        if self._pyformat:
            self._x("SELECT pg_advisory_xact_lock(?)", (FORMS_LOCK_KEY,))

    def add_form(self, form_id: str, version: str, hash_: str, document: str, when: int) -> int:
        row = self._one(
            "INSERT INTO forms (form_id, version, hash, document, published_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING cursor_pos",
            (form_id, version, hash_, document, when),
        )
        return int(row[0])

    def forms_after(self, cursor: int, limit: int) -> list[FormRow]:
        rows = self._x(
            f"SELECT {_FORM_COLS} FROM forms WHERE cursor_pos > ? ORDER BY cursor_pos LIMIT ?",
            (cursor, limit),
        )
        return [FormRow(*r) for r in rows.fetchall()]

    # tests and operators
    def counts(self) -> dict[str, int]:
        return {t: int(self._one(f"SELECT COUNT(*) FROM {t}")[0]) for t in TABLES}

    def ping(self) -> None:
        self._one("SELECT 1")
