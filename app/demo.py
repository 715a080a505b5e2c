"""Demo interviews for training, screenshots, benchmarks and tests: metadata only, no people.

Rows go straight into the vault's `interviews` table through `Vault.transaction()`, thousands
per transaction: creating 100,000 interviews one by one through `create_interview` (one
fsync'd commit and audit row each) would take minutes. They carry no answers, so opening one
shows an empty draft or an outcome without answers behind it. One audit row records the
seeding. Runs through the operation runner (`seed_op`) with progress and cancel.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from app.ops import OpContext

if TYPE_CHECKING:
    from screening.vault import Vault

CHUNK = 5_000
PLACES = (
    "Reception centre A",
    "Reception centre B",
    "Transit point North",
    "Transit point South",
    "Border crossing 3",
    "Mobile team 1",
)
OUTCOME_WEIGHTS = {"no_indication": 6, "possible_trafficking": 3, "likely_trafficked": 1}


def _iso(moment: datetime) -> str:
    # The vault's own format (audit.now_iso): UTC, microseconds, "Z".
    return moment.isoformat(timespec="microseconds") + "Z"


def _forms() -> list[tuple[str, str]]:
    from screening.forms.catalog import shipped_forms

    return [(f.id, f.version) for f in shipped_forms()] or [("rapid-screening", "1")]


def rows(count: int, seed: int = 1, now: datetime | None = None) -> list[tuple[object, ...]]:
    """`count` plausible interview rows spread over the two years before `now`."""
    rng = random.Random(seed)
    forms = _forms()
    # Naive UTC and isoformat(): strftime is ten times slower for 100,000 rows.
    end = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    span = 2 * 365 * 24 * 60
    outcomes, weights = list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values())
    out = []
    for i in range(count):
        created = end - timedelta(minutes=rng.randrange(1, span))
        updated = created + timedelta(minutes=rng.randrange(5, 90))
        status = rng.choices(("draft", "completed", "stopped"), (2, 7, 1))[0]
        form_id, version = rng.choice(forms)
        outcome = None
        if status == "completed":
            outcome = json.dumps({"result": rng.choices(outcomes, weights)[0], "demo": True})
        out.append(
            (
                str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                form_id,
                version,
                "demo",
                rng.choice(("ar", "fr", "en", "ti", "ps", "cnr")),
                "en",
                int(rng.random() < 0.6),
                f"Demo screener {i % 5 + 1}",
                rng.choice(PLACES),
                _iso(created),
                _iso(updated),
                _iso(updated) if status != "draft" else None,
                status,
                outcome,
                int(status == "completed" and rng.random() < 0.5),
            )
        )
    return out


def seed(
    vault: Vault,
    count: int,
    ctx: OpContext | None = None,
    *,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Insert `count` demo interviews; returns how many were inserted before a cancel."""
    data = rows(count, seed)
    done = 0
    for start in range(0, count, CHUNK):
        if ctx is not None:
            ctx.raise_if_cancelled()
        chunk = data[start : start + CHUNK]
        with vault.transaction() as conn:
            conn.executemany(
                "INSERT INTO interviews (id, form_id, form_version, form_hash, language,"
                " screener_language, interpreter_used, screener, location, created_at,"
                " updated_at, completed_at, status, outcome, delivered)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                chunk,
            )
        done += len(chunk)
        if ctx is not None:
            ctx.progress(done, count)
        if progress is not None:
            progress(done, count)
    vault.audit("demo_seeded", None, f"{done} demo interviews")
    vault.connection().execute("PRAGMA optimize").fetchall()
    return done
