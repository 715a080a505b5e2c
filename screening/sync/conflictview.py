"""Both copies of an interview in a held update conflict, as plain data to show side by side
(screening/sync/conflicts.py checks and opens the envelope; this module lays the two records
out: answers by question with the form's labels, outcome, who changed each copy last and
when, the end of each audit trail). No Qt; nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from screening.vault import Vault
from screening.vault.database import Connection
from screening.vault.recordupdate import IMPORTED_ACTIONS, LOCAL_CHANGE_ACTIONS
from screening.vault.trail import AuditLine, device_trail, vault_trail

AUDIT_TAIL = 8  # audit entries shown under each copy
Choice = Literal["local", "incoming"]


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One question's answer in both copies; None where a copy has no answer to it."""

    key: str
    label: str  # the question's label in the chosen language, else its id
    local: str | None
    incoming: str | None

    @property
    def differs(self) -> bool:
        return self.local != self.incoming


@dataclass(frozen=True, slots=True)
class ConflictCopy:
    which: Choice
    status: str
    outcome: str | None  # the scoring's result key
    override: tuple[str, str, str, str] | None  # recommendation, reason, by, at
    screener: str
    changed_by: str  # who made the newest change to this copy
    changed_at: str
    audit_tail: tuple[AuditLine, ...]


def find_form(vault: Vault, iv: dict[str, Any], language: str) -> Any:
    from screening.errors import ScreeningError
    from screening.sync.offered import form_catalogue

    try:
        return form_catalogue(vault, language).compiled_for_interview(
            iv["form_id"], iv["form_version"], iv["form_hash"]
        )
    except ScreeningError:
        return None


def _value_text(form: Any, node: Any, text: str | None, special: str | None, lang: str) -> str:
    if special is not None:
        return f"({special})"  # a marker, never a value: "(declined)", "(dont_know)"
    from screening.vault.records import decode_value

    value = decode_value(text)
    if form is not None and node is not None and node.kind in ("select_one", "select_multiple"):
        labels = {c.name: form.text(c.label, lang) for c in node.choices}
        values = value if isinstance(value, list) else [value]
        return "; ".join(labels.get(str(v), str(v)) for v in values)
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


def answer_rows(
    form: Any, local: list[dict[str, Any]], incoming: list[dict[str, Any]], lang: str
) -> tuple[AnswerRow, ...]:
    from screening.engine import parse_key

    order = {name: i for i, name in enumerate(form.nodes)} if form is not None else {}

    def node_of(key: str) -> Any:
        try:
            name, _ = parse_key(key)
        except ValueError:
            return None
        return None if form is None else form.nodes.get(name)

    def texts(answers: list[dict[str, Any]]) -> dict[str, str]:
        return {
            a["name"]: _value_text(form, node_of(a["name"]), a["value"], a["special"], lang)
            for a in answers
        }

    mine, theirs = texts(local), texts(incoming)

    def position(key: str) -> tuple[int, str]:
        try:
            name, instance = parse_key(key)
        except ValueError:
            return (len(order), key)
        return (order.get(name, len(order)), f"{name}\0{instance or 0:09d}")

    rows = []
    for key in sorted(mine.keys() | theirs.keys(), key=position):
        node = node_of(key)
        label = form.text(getattr(node.source, "label", None), lang) if node is not None else ""
        try:
            instance = parse_key(key)[1]
        except ValueError:
            instance = None
        label = label or key
        if instance:
            label = f"{label} ({instance})"
        rows.append(AnswerRow(key, label, mine.get(key), theirs.get(key)))
    return tuple(rows)


def _override(iv: dict[str, Any]) -> tuple[str, str, str, str] | None:
    o = iv.get("override")
    if not o:
        return None
    return (str(o["recommendation"]), str(o["reason"]), str(o["by"]), str(o["at"]))


def _outcome(iv: dict[str, Any]) -> str | None:
    outcome = iv.get("outcome")
    result = outcome.get("result") if isinstance(outcome, dict) else None
    return None if result is None else str(result)


def local_copy(conn: Connection, record: dict[str, Any]) -> ConflictCopy:
    iv = record["interview"]
    iid = iv["id"]
    device = device_trail(conn, iid)
    here = vault_trail(conn, iid)
    changes = [a for a in here if a.action in LOCAL_CHANGE_ACTIONS + IMPORTED_ACTIONS]
    newest = changes[-1] if changes else (device[-1] if device else None)
    if newest is not None and newest.action in IMPORTED_ACTIONS and device:
        newest = device[-1]  # imported as the laptop left it: the laptop's last change
    # The laptop's rows first: the interview happened there.
    return _copy("local", iv, newest, device + here)


def incoming_copy(record: dict[str, Any]) -> ConflictCopy:
    iv = record["interview"]
    trail = [
        AuditLine(str(e["at"]), str(e["actor"]), str(e["action"]), e["detail"], "device")
        for e in sorted(record["audit"], key=lambda e: e["seq"])
    ]
    return _copy("incoming", iv, trail[-1] if trail else None, trail)


def _copy(
    which: Choice, iv: dict[str, Any], newest: AuditLine | None, trail: list[AuditLine]
) -> ConflictCopy:
    """One copy as shown: who changed it last and when (else its screener and its last
    update), and the end of its audit trail."""
    return ConflictCopy(
        which=which,
        status=str(iv["status"]),
        outcome=_outcome(iv),
        override=_override(iv),
        screener=str(iv["screener"]),
        changed_by=newest.actor if newest else str(iv["screener"]),
        changed_at=newest.at if newest else str(iv["updated_at"]),
        audit_tail=tuple(trail[-AUDIT_TAIL:]),
    )


def form_title(form: Any, iv: dict[str, Any], language: str) -> str:
    if form is not None:
        title = form.text(getattr(form.form, "title", None), language)
        if title:
            return f"{title} {iv['form_version']}"
    return f"{iv['form_id']} {iv['form_version']}"
