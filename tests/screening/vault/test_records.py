"""Interviews and answers: saved one by one, read back exactly, read-only once finished."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from screening.vault import ReadOnlyInterview, RecordNotFound, Vault, VaultError, VaultLocked
from screening.vault.records import decode_value, encode_value

from .conftest import ADMIN, new_interview


def test_create_and_get(vault: Vault) -> None:
    iid = new_interview(
        vault, screener_language="fr", interpreter_used=True, location="Centre Nord"
    )
    rec = vault.get_interview(iid)
    assert rec.id == iid and len(iid) == 36
    assert (rec.form_id, rec.form_version, rec.form_hash) == ("rapid", "1.0", "sha256:abc")
    assert (rec.language, rec.screener_language, rec.interpreter_used) == ("en", "fr", True)
    assert rec.screener == ADMIN and rec.location == "Centre Nord"
    assert rec.status == "draft" and rec.outcome is None and rec.override is None
    assert rec.created_at == rec.updated_at and rec.created_at.endswith("Z")
    assert not rec.delivered


def test_unknown_interview(vault: Vault) -> None:
    with pytest.raises(RecordNotFound):
        vault.get_interview("nope")
    with pytest.raises(RecordNotFound):
        vault.save_answer("nope", "q", 1)


def test_values_round_trip_exactly(vault: Vault) -> None:
    iid = new_interview(vault)
    values: dict[str, object] = {
        "text": "Ça va — 你好 🙂",
        "int": 17,
        "big": 2**62,
        "float": 3.25,
        "bool": True,
        "null": None,
        "multi": ["a", "b"],
        "nested": {"k": [1, {"j": None}]},
        "date": date(2024, 2, 29),
        "when": datetime(2024, 2, 29, 13, 5, tzinfo=UTC),
        "decimal": Decimal("12.50"),
        "members[2]/age": 9,
    }
    for name, value in values.items():
        assert vault.save_answer(iid, name, value) == 1
    got = vault.answers(iid)
    assert got == {name: (value, None) for name, value in values.items()}
    assert type(got["decimal"][0]) is Decimal and type(got["date"][0]) is date


def test_answers_that_look_like_tags_stay_answers(vault: Vault) -> None:
    iid = new_interview(vault)
    tricky: list[object] = [
        {"$date": "2024-01-01"},
        {"$date": "not a date"},
        {"$dict": {"$decimal": "1"}},
        [{"$datetime": "x"}, {"a": {"$date": "2024-01-01"}}],
    ]
    for i, value in enumerate(tricky):
        vault.save_answer(iid, f"q{i}", value)
    assert vault.answers(iid) == {f"q{i}": (v, None) for i, v in enumerate(tricky)}


def test_unstorable_values_are_refused(vault: Vault) -> None:
    iid = new_interview(vault)
    with pytest.raises(TypeError):
        vault.save_answer(iid, "q", object())
    with pytest.raises(TypeError):
        vault.save_answer(iid, "q", float("nan"))
    with pytest.raises(TypeError):
        vault.save_answer(iid, "q", {1: "non-text key"})
    assert vault.answers(iid) == {}


def test_revisions_specials_and_clearing(vault: Vault) -> None:
    iid = new_interview(vault)
    assert vault.save_answer(iid, "age", 30) == 1
    assert vault.save_answer(iid, "age", 31) == 2
    assert vault.save_answer(iid, "age", None, "declined") == 3
    assert vault.answers(iid) == {"age": (None, "declined")}
    assert vault.save_answer(iid, "job", None, "dont_know") == 1
    vault.clear_answer(iid, "age")
    vault.clear_answer(iid, "never-answered")
    assert vault.answers(iid) == {"job": (None, "dont_know")}
    assert vault.save_answer(iid, "age", 32) == 5  # revisions keep counting after a clear
    with pytest.raises(VaultError, match="marker"):
        vault.save_answer(iid, "age", None, "maybe")
    with pytest.raises(VaultError, match="question name"):
        vault.save_answer(iid, "", 1)


def test_json_null_is_an_answer_not_a_missing_one(vault: Vault) -> None:
    iid = new_interview(vault)
    vault.save_answer(iid, "q", None)
    assert vault.answers(iid) == {"q": (None, None)}


def test_completed_interviews_are_read_only(vault: Vault) -> None:
    iid = new_interview(vault)
    vault.save_answer(iid, "age", 30)
    vault.complete_interview(iid, {"outcome": "likely", "elements": ["coercion"]})
    rec = vault.get_interview(iid)
    assert rec.status == "completed" and rec.completed_at is not None
    assert rec.outcome == {"outcome": "likely", "elements": ["coercion"]}
    for attempt in (
        lambda: vault.save_answer(iid, "age", 31),
        lambda: vault.clear_answer(iid, "age"),
        lambda: vault.complete_interview(iid),
        lambda: vault.stop_interview(iid, "left"),
    ):
        with pytest.raises(ReadOnlyInterview, match="read-only"):
            attempt()
    assert vault.answers(iid) == {"age": (30, None)}


def test_corrections_keep_the_old_value_and_need_a_reason(vault: Vault) -> None:
    iid = new_interview(vault)
    vault.save_answer(iid, "age", 51)
    vault.complete_interview(iid)
    with pytest.raises(VaultError, match="reason"):
        vault.correct_answer(iid, "age", 15, reason="  ")
    assert vault.correct_answer(iid, "age", 15, reason="digits swapped by the interpreter") == 2
    assert vault.answers(iid) == {"age": (15, None)}
    (corr,) = vault.corrections(iid)
    assert (corr.name, corr.revision, corr.previous_value, corr.reason) == (
        "age",
        2,
        51,
        "digits swapped by the interpreter",
    )
    assert corr.by == ADMIN
    actions = [(e.action, e.detail) for e in vault.audit_entries() if e.object_id == iid]
    assert ("answer_corrected", "question age, revision 2") in actions


def test_stop_needs_a_reason_and_ends_the_interview(vault: Vault) -> None:
    iid = new_interview(vault)
    with pytest.raises(VaultError, match="reason"):
        vault.stop_interview(iid, "")
    vault.stop_interview(iid, "person asked to stop")
    rec = vault.get_interview(iid)
    assert (rec.status, rec.stop_reason) == ("stopped", "person asked to stop")
    with pytest.raises(ReadOnlyInterview):
        vault.save_answer(iid, "q", 1)


def test_override_needs_a_written_reason(vault: Vault) -> None:
    iid = new_interview(vault)
    vault.set_outcome(iid, {"recommendation": "no_indicators"})
    with pytest.raises(VaultError, match="reason"):
        vault.set_override(iid, "refer", " ")
    vault.set_override(iid, "refer", "visible injuries and fear of employer")
    rec = vault.get_interview(iid)
    assert rec.override is not None
    assert (rec.override.recommendation, rec.override.by) == ("refer", ADMIN)
    assert rec.outcome == {"recommendation": "no_indicators"}


def test_mark_delivered(vault: Vault) -> None:
    iid = new_interview(vault)
    with pytest.raises(VaultError, match="finished"):
        vault.mark_delivered(iid)
    vault.complete_interview(iid)
    vault.mark_delivered(iid)
    vault.mark_delivered(iid)  # at-least-once delivery: repeating is harmless
    rec = vault.get_interview(iid)
    assert rec.delivered and rec.delivered_at is not None
    assert [e.action for e in vault.audit_entries() if e.object_id == iid].count("sync") == 1


def test_listing_filters_order_and_paging(vault: Vault) -> None:
    ids = [new_interview(vault, form_id=f"form{i % 2}", location=f"Site {i}") for i in range(6)]
    vault.complete_interview(ids[0])
    vault.stop_interview(ids[1], "left")
    listed = vault.list_interviews()
    assert [s.id for s in listed] == ids[::-1]
    assert [s.id for s in vault.list_interviews(descending=False, limit=2, offset=1)] == ids[1:3]
    assert [s.id for s in vault.list_interviews(status="completed")] == [ids[0]]
    assert vault.count_interviews(status="draft") == 4
    assert vault.count_interviews(form_id="form1") == 3
    assert [s.id for s in vault.list_interviews(search="site 3")] == [ids[3]]
    assert [s.id for s in vault.list_interviews(search=ids[4][:8])] == [ids[4]]
    assert vault.list_interviews(search="100%") == []
    assert vault.count_interviews(search="_") == 0
    today = datetime.now(UTC).date()
    assert vault.count_interviews(date_from=today, date_to=today) == 6
    assert vault.count_interviews(date_to=today - timedelta(days=1)) == 0
    assert vault.count_interviews(date_from=today + timedelta(days=1)) == 0
    with pytest.raises(VaultError):
        vault.list_interviews(order_by="answers; DROP TABLE interviews")
    with pytest.raises(VaultError):
        vault.list_interviews(status="lost")


def test_listing_uses_indexes(vault: Vault) -> None:
    conn = vault.connection()
    plan = " ".join(
        str(r[-1])
        for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM interviews ORDER BY created_at DESC LIMIT 50"
        )
    )
    assert "interviews_created" in plan


def test_everything_refuses_after_lock(vault: Vault) -> None:
    iid = new_interview(vault)
    vault.lock()
    assert vault.is_locked
    for call in (
        lambda: vault.save_answer(iid, "q", 1),
        lambda: vault.answers(iid),
        lambda: vault.list_interviews(),
        lambda: vault.audit("export"),
        vault.connection,
    ):
        with pytest.raises(VaultLocked):
            call()
    vault.lock()  # twice is fine


def test_transaction_helper_for_other_modules(vault: Vault) -> None:
    iid = new_interview(vault)
    with vault.transaction() as conn:
        conn.execute("UPDATE interviews SET location = 'x' WHERE id = ?", (iid,))
    assert vault.get_interview(iid).location == "x"
    with pytest.raises(RuntimeError), vault.transaction() as conn:
        conn.execute("UPDATE interviews SET location = 'y' WHERE id = ?", (iid,))
        raise RuntimeError
    assert vault.get_interview(iid).location == "x"


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@given(value=_json | st.dates() | st.decimals(allow_nan=False, allow_infinity=False))
def test_any_answer_value_round_trips(value: object) -> None:
    decoded = decode_value(encode_value(value))
    assert decoded == value and type(decoded) is type(value)


def test_round_trip_through_the_database(vault: Vault) -> None:
    iid = new_interview(vault)

    @settings(max_examples=60)
    @given(name=st.text(min_size=1, max_size=40), value=_json)
    def save_and_read(name: str, value: object) -> None:
        vault.save_answer(iid, name, value)
        assert vault.answers(iid)[name] == (value, None)

    save_and_read()


def test_start_time_kept_and_draft_position_saved(vault: Vault) -> None:
    started = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    iid = new_interview(vault, started_at=started)
    rec = vault.get_interview(iid)
    assert rec.created_at == "2026-03-04T05:06:07.000000Z"
    assert rec.resume_page is None and rec.instance_counts is None
    vault.save_draft_position(iid, "age[2]", {"companions": 2})
    rec = vault.get_interview(iid)
    assert (rec.resume_page, rec.instance_counts) == ("age[2]", {"companions": 2})
    with pytest.raises(VaultError, match="time zone"):
        new_interview(vault, started_at=datetime(2026, 1, 1))
    vault.complete_interview(iid)
    with pytest.raises(ReadOnlyInterview):
        vault.save_draft_position(iid, "age[1]", {})


def test_repeat_entries_are_saved_in_one_transaction(vault: Vault) -> None:
    iid = new_interview(vault)
    for name, value in (("who[1]", "Ana"), ("who[2]", "Bo"), ("who[3]", "Cy"), ("age[3]", 7)):
        vault.save_answer(iid, name, value)
    revisions = vault.answer_revisions(iid)
    audit_before = len(vault.audit_entries())
    # Entry 1 removed: 2 and 3 move up, 3 is left empty; the counts and the page go with them.
    vault.save_repeat_entries(
        iid,
        {
            "who[1]": ("Bo", None),
            "who[2]": ("Cy", None),
            "age[2]": (None, "dont_know"),
            "who[3]": None,
            "age[3]": None,
            "age[9]": None,  # never answered: nothing to clear, no row
        },
        page="+people",
        instance_counts={"people": 2},
    )
    assert vault.answers(iid) == {
        "who[1]": ("Bo", None),
        "who[2]": ("Cy", None),
        "age[2]": (None, "dont_know"),
    }
    assert vault.answer_revisions(iid)["who[3]"] == revisions["who[3]"] + 1
    rec = vault.get_interview(iid)
    assert (rec.resume_page, rec.instance_counts) == ("+people", {"people": 2})
    assert len(vault.audit_entries()) == audit_before + 5  # one per answer written

    # A bad entry anywhere in the batch: refused before anything is written.
    with pytest.raises(VaultError, match="marker"):
        vault.save_repeat_entries(
            iid,
            {"who[1]": ("Zed", None), "who[2]": (None, "maybe")},
            page=None,
            instance_counts={"people": 5},
        )
    assert vault.answers(iid)["who[1]"] == ("Bo", None)
    assert vault.get_interview(iid).instance_counts == {"people": 2}

    vault.stop_interview(iid, "consent_withdrawn")
    with pytest.raises(ReadOnlyInterview):
        vault.save_repeat_entries(iid, {}, page=None, instance_counts={"people": 3})
    assert vault.get_interview(iid).instance_counts == {"people": 2}


def test_every_interview_write_is_known_to_the_update_rules() -> None:
    # A coordinator refuses a laptop's update when its own copy was changed since the import
    # (screening/vault/recordupdate.py). It recognises such changes by their audit action, so
    # an audited write added to records.py must be added to LOCAL_CHANGE_ACTIONS too.
    import re
    from pathlib import Path

    from screening.vault import records
    from screening.vault.recordupdate import LOCAL_CHANGE_ACTIONS

    source = Path(records.__file__).read_text(encoding="utf-8")
    actions = set(re.findall(r'audit\.append\(\s*conn,\s*actor,\s*"([a-z_]+)"', source))
    assert "answer_corrected" in actions and len(actions) >= 9
    assert actions - {"create", "sync"} == set(LOCAL_CHANGE_ACTIONS)
