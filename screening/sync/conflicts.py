"""Held `update_conflict` envelopes: both copies side by side, and a coordinator's choice.

The importer holds an update of an interview back when applying it could lose something
(screening/vault/recordupdate.py): most often the coordinator changed the copy here (a
correction, an override) and the laptop changed it too. A person must compare the two:
`open_conflict` returns both copies as plain data (answers by question with the form's
labels, outcome, who changed each copy last and when, the end of each audit trail), and
`resolve_conflict` applies the choice (the layout of the two copies is
screening/sync/conflictview.py's):

- `local`: the copy here stays as it is;
- `incoming`: the laptop's copy replaces it (as an update does; only when it comes from the
  same device, names the same form and its laptop audit trail extends the one imported here:
  an altered or forked history is never taken, whoever asks).

Before anything is shown or taken, the held envelope is checked again as the importer checked
it, offline: it parses and names the held envelope, its device signature verifies with the key
that verified it when it was held (kept with it, `sync_rejected.signer_key`), its previous hash
is the hash of the device's envelope before it as recorded here, then it is decrypted and the
record checked. A held envelope altered since it was held fails here and is never used: the
next sync asks the hub for it again and replaces the kept copy.

Nothing is lost either way (docs/sync.md, "Held conflicts"): the resolution is written to
`sync_resolved` (append-only) with the envelope as received (sealed to the organisation key)
and, when the incoming copy was taken, the record it replaced (canonical JSON); the envelope
is recorded in `sync_imports`, so the next sync acknowledges it to the hub and never imports
it again; one `conflict_resolved` audit row says who chose what, when, for which envelope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from screening import jsonio
from screening.canonical import canonical_json
from screening.envelope import (
    GENESIS_HASH,
    Envelope,
    EnvelopeError,
    envelope_hash,
    open_verified,
    verify,
)
from screening.org import keys
from screening.org.orgkeys import OrgKeys
from screening.sync import state
from screening.sync.conflictview import (
    AnswerRow,
    Choice,
    ConflictCopy,
    answer_rows,
    find_form,
    form_title,
    incoming_copy,
    local_copy,
)
from screening.sync.errors import SyncError
from screening.vault import Vault, audit
from screening.vault.database import Connection
from screening.vault.interchange import RecordError, check_record, export_record, has_interview
from screening.vault.recordupdate import (
    UpdatePlan,
    UpdateRefused,
    apply_update,
    plan_update,
)

CONFLICT = UpdateRefused.code
RESOLVED = "conflict_resolved"  # this vault's audit action for a resolution
CHOICES: tuple[Choice, ...] = ("local", "incoming")


class ConflictError(SyncError):
    """A held conflict cannot be shown or resolved as asked (one sentence, no contents)."""

    def __init__(self, message: str, *, code: str, exit_code: int = 1) -> None:
        super().__init__(message, code=code, exit_code=exit_code)


# ------------------------------------------------------------------------------- the data


@dataclass(frozen=True, slots=True)
class HeldConflict:
    """One held update_conflict, as a list shows it (ids, times and the reason only)."""

    envelope_id: str
    device_id: str
    seq: int
    reason: str
    first_at: str
    last_at: str
    attempts: int


@dataclass(frozen=True, slots=True)
class Conflict:
    """Both copies of one interview, for a person to choose between. Holds answer text: keep
    it in memory only, for as long as it is on screen."""

    envelope_id: str
    device_id: str
    seq: int
    interview_id: str
    form_title: str
    reason: str  # why the importer held it back
    fingerprint: str  # the envelope's hash: `resolve_conflict` takes exactly this envelope
    rows: tuple[AnswerRow, ...]
    local: ConflictCopy
    incoming: ConflictCopy
    incoming_allowed: bool
    incoming_refused: str | None  # why the incoming copy cannot be taken (one sentence)

    @property
    def differences(self) -> int:
        return sum(row.differs for row in self.rows) + (self.outcome_differs or 0)

    @property
    def outcome_differs(self) -> bool:
        a, b = self.local, self.incoming
        return (a.outcome, a.override, a.status) != (b.outcome, b.override, b.status)


@dataclass(frozen=True, slots=True)
class Resolution:
    envelope_id: str
    interview_id: str
    choice: Choice
    resolved_by: str
    resolved_at: str


# ------------------------------------------------------------------------------ listing


def held_conflicts(vault: Vault) -> list[HeldConflict]:
    """The held update conflicts, oldest first (no decryption; ids and reasons only)."""
    state.require_coordinator(vault, "resolve held conflicts")
    rows = vault.connection().execute(
        "SELECT envelope_id, device_id, seq, message, first_at, last_at, attempts"
        " FROM sync_rejected WHERE code = ? ORDER BY hub_cursor",
        (CONFLICT,),
    )
    return [
        HeldConflict(str(e), str(d), int(s), str(m), str(f), str(la), int(n))
        for e, d, s, m, f, la, n in rows
    ]


# ----------------------------------------------------------------------- checking again


@dataclass(frozen=True, slots=True)
class _Held:
    envelope_id: str
    device_id: str
    seq: int
    cursor: int
    message: str
    data: bytes
    signer_key: bytes | None


def _held_row(conn: Connection, envelope_id: str) -> _Held:
    if not isinstance(envelope_id, str) or not 1 <= len(envelope_id) <= 64:
        raise ConflictError("An envelope id is 1 to 64 characters.", code="bad_input")
    row = conn.execute(
        "SELECT envelope_id, device_id, seq, hub_cursor, code, message, data, signer_key"
        " FROM sync_rejected WHERE envelope_id = ?",
        (envelope_id,),
    ).fetchone()
    if row is None:
        done = conn.execute(
            "SELECT choice, resolved_by, resolved_at FROM sync_resolved WHERE envelope_id = ?",
            (envelope_id,),
        ).fetchone()
        if done is not None:
            raise ConflictError(
                f"Envelope {envelope_id} was resolved already ({done[0]} copy kept, by "
                f"{done[1]} at {done[2]}).",
                code="already_resolved",
            )
        raise ConflictError(
            f"No envelope {envelope_id} is held here; 'screening sync --held' lists them.",
            code="not_held",
        )
    if row[4] != CONFLICT:
        raise ConflictError(
            f"Envelope {envelope_id} is held for another reason ({row[4]}), not as a conflict "
            "between two copies; it is retried on every sync.",
            code="not_a_conflict",
        )
    return _Held(
        str(row[0]),
        str(row[1]),
        int(row[2]),
        int(row[3]),
        str(row[5]),
        bytes(row[6]),
        None if row[7] is None else bytes(row[7]),
    )


def _link_before(conn: Connection, device_id: str, seq: int) -> str | None:
    """The hash of the device's envelope before `seq` as this vault recorded it."""
    if seq == 1:
        return GENESIS_HASH
    found = conn.execute(
        "SELECT hash FROM sync_imports WHERE device_id = ? AND seq = ?", (device_id, seq - 1)
    ).fetchone()
    if found is not None:
        return str(found[0])
    for table, column in (("sync_rejected", "data"), ("sync_resolved", "envelope")):
        kept = conn.execute(
            f"SELECT {column} FROM {table} WHERE device_id = ? AND seq = ?", (device_id, seq - 1)
        ).fetchone()
        if kept is not None:
            return envelope_hash(bytes(kept[0]))
    return None


def _tampered(held: _Held, what: str) -> ConflictError:
    return ConflictError(
        f"The held envelope {held.envelope_id} no longer verifies ({what}), so neither copy "
        "was changed; sync again to fetch it from the hub anew.",
        code="held_envelope_altered",
        exit_code=2,
    )


def _open_held(conn: Connection, held: _Held, org: OrgKeys) -> dict[str, Any]:
    """The held envelope's record, after every check the importer made before holding it."""
    try:
        env = Envelope.from_bytes(held.data)
    except EnvelopeError:
        raise _tampered(held, "it is not a valid envelope") from None
    header = env.header
    if (header.envelope_id, header.device_id, header.seq) != (
        held.envelope_id,
        held.device_id,
        held.seq,
    ):
        raise _tampered(held, "its header names another envelope")
    if held.signer_key is None:
        raise ConflictError(
            f"Envelope {held.envelope_id} was held by an earlier version that did not keep its "
            "device key; run sync once more, then resolve it.",
            code="sync_first",
        )
    try:
        verify(env, keys.load_ed25519_public(held.signer_key))
    except (EnvelopeError, ValueError):
        raise _tampered(held, "its device signature does not verify") from None
    head = conn.execute(
        "SELECT last_seq FROM sync_chains WHERE device_id = ?", (held.device_id,)
    ).fetchone()
    before = _link_before(conn, held.device_id, held.seq)
    if head is None or int(head[0]) < held.seq or before != header.prev_hash:
        raise _tampered(held, "it does not hold its place in the device's chain")
    try:
        record = open_verified(env, org)
    except EnvelopeError:
        raise _tampered(held, "it cannot be opened with the organisation's key") from None
    try:
        check_record(record)
    except RecordError:
        raise _tampered(held, "its record is not well formed") from None
    if not has_interview(conn, record["interview"]["id"]):
        raise ConflictError(
            f"The interview of envelope {held.envelope_id} is not in this vault; sync again to "
            "import it.",
            code="interview_missing",
        )
    return record


def _incoming_plan(conn: Connection, record: dict[str, Any], device_id: str) -> UpdatePlan:
    """How the incoming copy would replace the one here; ConflictError when it must not."""
    try:
        plan = plan_update(conn, record, device_id=device_id, replace_local_changes=True)
    except UpdateRefused as exc:
        raise ConflictError(
            f"The incoming copy cannot replace the copy here: {exc.reason}.",
            code="incoming_refused",
        ) from None
    if plan.kind == "older":
        raise ConflictError(
            "The incoming copy cannot replace the copy here: a newer copy from the same laptop "
            "was applied here since.",
            code="incoming_refused",
        )
    if plan.kind == "same":
        raise ConflictError(
            "The incoming copy cannot replace the copy here: it holds nothing the copy here lacks.",
            code="incoming_refused",
        )
    return plan


# ------------------------------------------------------------------------------ showing


def _source(vault: Vault) -> dict[str, str]:
    return {"vault_id": vault.vault_id, "sealed_by": vault.user, "sealed_at": audit.now_iso()}


def open_conflict(vault: Vault, envelope_id: str, language: str = "en") -> Conflict:
    """Check the held envelope again, open it, and put both copies side by side.

    Labels and choice names are in `language` where the form has it. Writes nothing.
    """
    org = state.require_org_keys(vault, "resolve held conflicts")
    with vault.transaction() as conn:  # one consistent read, from any thread
        held = _held_row(conn, envelope_id)
        incoming = _open_held(conn, held, org)
        iid = incoming["interview"]["id"]
        local = export_record(conn, iid, source=_source(vault))
        try:
            _incoming_plan(conn, incoming, held.device_id)
            refused = None
        except ConflictError as exc:
            refused = exc.message
        form = find_form(vault, local["interview"], language)
        title = form_title(form, local["interview"], language)
        return Conflict(
            envelope_id=held.envelope_id,
            device_id=held.device_id,
            seq=held.seq,
            interview_id=iid,
            form_title=title,
            reason=held.message,
            fingerprint=envelope_hash(held.data),
            rows=answer_rows(form, local["answers"], incoming["answers"], language),
            local=local_copy(conn, local),
            incoming=incoming_copy(incoming),
            incoming_allowed=refused is None,
            incoming_refused=refused,
        )


# ---------------------------------------------------------------------------- resolving


def resolve_conflict(
    vault: Vault, envelope_id: str, keep: str, *, fingerprint: str | None = None
) -> Resolution:
    """Keep the copy here (`local`) or take the incoming one (`incoming`), audited.

    `fingerprint`: the `Conflict.fingerprint` a person looked at; the envelope held now must
    be that one. The envelope is checked again first, whatever the choice: what is kept as
    the copy not chosen must be what the laptop sent.
    """
    if keep not in CHOICES:
        raise ConflictError(
            "Choose which copy to keep: 'local' (the copy here) or 'incoming' (the laptop's).",
            code="bad_input",
        )
    org = state.require_org_keys(vault, "resolve held conflicts")
    now = audit.now_iso()
    with vault.transaction() as tx:
        held = _held_row(tx, envelope_id)
        digest = envelope_hash(held.data)
        if fingerprint is not None and fingerprint != digest:
            raise ConflictError(
                f"Envelope {envelope_id} changed since it was shown (a sync fetched it again); "
                "open it again before choosing.",
                code="conflict_changed",
            )
        record = _open_held(tx, held, org)
        iid = record["interview"]["id"]
        origin = f"envelope {held.seq} from device {held.device_id} ({held.envelope_id})"
        replaced = None
        if keep == "incoming":
            plan = _incoming_plan(tx, record, held.device_id)
            replaced = canonical_json(export_record(tx, iid, source=_source(vault))).decode()
            apply_update(
                tx,
                vault.user,
                record,
                plan,
                device_id=held.device_id,
                detail=f"{origin}; chosen over the copy here; {len(plan.new_audit)} new "
                "laptop audit entries",
            )
        tx.execute(
            "INSERT INTO sync_resolved (envelope_id, device_id, seq, hub_cursor, interview_id,"
            " choice, envelope, replaced_record, reason, resolved_by, resolved_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                held.envelope_id,
                held.device_id,
                held.seq,
                held.cursor,
                iid,
                keep,
                held.data,
                replaced,
                held.message,
                vault.user,
                now,
            ),
        )
        # Recorded as received: the next sync acknowledges it and never imports it again.
        state.record_imports(
            tx, [(held.envelope_id, held.device_id, held.seq, digest, iid, held.cursor, now)]
        )
        said = "kept the copy here" if keep == "local" else "took the incoming copy"
        audit.append(tx, vault.user, RESOLVED, iid, f"{said}; {origin}")
    return Resolution(held.envelope_id, iid, keep, vault.user, now)  # type: ignore[arg-type]


def set_aside_copy(vault: Vault, envelope_id: str) -> dict[str, Any]:
    """The copy a resolution did not choose, for recovery: the record replaced here (incoming
    taken), or the laptop's record from the kept envelope (local kept)."""
    org = state.require_org_keys(vault, "read resolved conflicts")
    row = (
        vault.connection()
        .execute(
            "SELECT choice, envelope, replaced_record FROM sync_resolved WHERE envelope_id = ?",
            (envelope_id,),
        )
        .fetchone()
    )
    if row is None:
        raise ConflictError(f"No resolved conflict has envelope {envelope_id}.", code="not_held")
    if row[0] == "incoming":
        return dict(jsonio.loads(str(row[2])))
    env = Envelope.from_bytes(bytes(row[1]))
    return open_verified(env, org)
