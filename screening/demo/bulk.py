"""Many realistic synthetic interviews, fast: for export tests and benchmarks only.

`screening.demo.seed` walks the engine and saves answer by answer (one committed, audited
transaction each, about 50 ms per interview): right for demo data, far too slow for
100,000 interviews. Here a few hundred interviews are generated through the engine once
(`DemoGenerator`, so answers, skip logic and outcomes are real) and used as templates.
Each new interview copies a template's answers and outcome with a new id, start time,
place, age, sex, nationality and name, and thousands are inserted per transaction through
`Vault.transaction()`, with one audit row per batch. No real person is in this data.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from screening.demo.places import CENTRES
from screening.vault import audit
from screening.vault.records import encode_value

if TYPE_CHECKING:
    from screening.vault import Vault

BATCH = 2_000
# Arrivals through the Western Balkans: a few nationalities are common, many are rare.
NATIONALITY_WEIGHTS = {
    "afghanistan": 18,
    "syria": 14,
    "morocco": 12,
    "pakistan": 10,
    "bangladesh": 7,
    "turkiye": 6,
    "algeria": 5,
    "iraq": 5,
    "egypt": 4,
    "iran": 4,
    "tunisia": 3,
    "india": 3,
    "nepal": 2,
    "albania": 2,
    "kosovo": 2,
    "serbia": 2,
    "libya": 1,
    "palestine": 1,
    "cuba": 1,
    "eritrea": 1,
    "somalia": 1,
    "nigeria": 1,
    "cameroon": 1,
    "ukraine": 1,
    "china": 0.5,
    "burundi": 0.3,
    "stateless": 0.3,
}


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _templates(count: int, seed: int) -> list[tuple[object, ...]]:
    from screening.demo.generator import DemoGenerator
    from screening.demo.seed import shipped_compiled_forms
    from screening.engine.replay import special_of
    from screening.engine.results import outcome_of

    out = []
    for interview in DemoGenerator(shipped_compiled_forms(), seed).interviews(count):
        session = interview.session
        assert session is not None
        answers: dict[str, tuple[str | None, str | None]] = {}
        for key, value in interview.steps:
            special = special_of(value)
            if special is not None:
                answers[key] = (None, special.value)
            else:
                answer = session.get(key)
                answers[key] = (encode_value(answer.value if answer else value), None)
        outcome = None
        if interview.status != "draft":
            result = outcome_of(session)
            if result is not None:
                outcome = json.dumps(result.model_dump(mode="json"), ensure_ascii=False)
        form = session.form
        out.append(
            (
                form.id,
                form.version,
                form.form_hash,
                interview.language,
                interview.screener_language,
                interview.interpreter_used,
                interview.status,
                interview.stop_reason,
                outcome,
                answers,
                form.form.scoring.population if form.form.scoring else "adult",
            )
        )
    return out


def bulk_seed(
    vault: Vault,
    count: int,
    *,
    seed: int = 1,
    templates: int = 150,
    names: tuple[str, ...] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Insert `count` synthetic interviews; returns how many are completed."""
    rng = random.Random(seed)
    pool = _templates(templates, seed)
    if names is None:
        from faker import Faker

        faker = Faker(["sq_AL", "ar_EG", "fa_IR", "fr_FR", "tr_TR", "bn_BD"])
        faker.seed_instance(seed)
        names = tuple(faker.first_name() for _ in range(300))
    nationalities = list(NATIONALITY_WEIGHTS)
    weights = list(NATIONALITY_WEIGHTS.values())
    start = datetime(2025, 1, 1, tzinfo=UTC)
    completed = 0
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        interviews = []
        answers = []
        for _ in range(size):
            (form_id, version, form_hash, language, screener_language, interpreter, status,
             stop_reason, outcome, template_answers, population) = rng.choice(pool)  # fmt: skip
            interview_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
            created = start + timedelta(minutes=rng.randrange(0, 2 * 365 * 24 * 60))
            finished = created + timedelta(minutes=rng.randrange(5, 90))
            interviews.append(
                (
                    interview_id,
                    form_id,
                    version,
                    form_hash,
                    language,
                    screener_language,
                    int(interpreter),
                    vault.user,
                    rng.choice(CENTRES),
                    _iso(created),
                    _iso(finished),
                    _iso(finished) if status != "draft" else None,
                    status,
                    stop_reason,
                    outcome,
                )
            )
            completed += status == "completed"
            varied = dict(template_answers)
            if "age" in varied and varied["age"][1] is None:
                low, high = (9, 17) if population == "child" else (18, 64)
                varied["age"] = (encode_value(rng.randint(low, high)), None)
            if "sex" in varied and varied["sex"][1] is None:
                sex = rng.choices(("male", "female", "other"), (62, 37, 1))[0]
                varied["sex"] = (encode_value(sex), None)
            if "nationality" in varied and varied["nationality"][1] is None:
                nationality = rng.choices(nationalities, weights)[0]
                varied["nationality"] = (encode_value(nationality), None)
            if "preferred_name" in varied and varied["preferred_name"][1] is None:
                varied["preferred_name"] = (encode_value(rng.choice(names)), None)
            at = _iso(finished)
            for name, (value, special) in varied.items():
                answers.append((interview_id, name, value, special, at))
        with vault.transaction() as conn:
            conn.executemany(
                "INSERT INTO interviews (id, form_id, form_version, form_hash, language,"
                " screener_language, interpreter_used, screener, location, created_at,"
                " updated_at, completed_at, status, stop_reason, outcome)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                interviews,
            )
            conn.executemany(
                "INSERT INTO answers (interview_id, name, value, special, answered_at, revision)"
                " VALUES (?, ?, ?, ?, ?, 1)",
                answers,
            )
            audit.append(conn, vault.user, "demo_seed", None, f"{size} synthetic interviews")
        done += size
        if progress is not None:
            progress(done, count)
    return completed
