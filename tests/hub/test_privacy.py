"""The hub cannot read interviews: no interview content in its database, files or log."""

from __future__ import annotations

from pathlib import Path

from hub.store.tx import TABLES
from screening.sync import protocol
from tests.hub.helpers import HubEnv, error_code

MARKER = "MARKER-Zq7-victim-answer"


def _all_database_values(hub_env: HubEnv) -> list[object]:
    values: list[object] = []
    with hub_env.hub.store.read() as tx:
        for table in TABLES:
            for row in tx._x(f"SELECT * FROM {table}").fetchall():
                values.extend(row)
    return values


def _contains_marker(value: object) -> bool:
    needle = MARKER.encode()
    if isinstance(value, bytes | bytearray | memoryview):
        return needle in bytes(value)
    return MARKER in str(value)


def test_no_interview_content_reaches_the_hub_database_files_or_log(
    hub_env: HubEnv, tmp_path: Path
) -> None:
    device = hub_env.enrol()
    record = {
        "interview": {"id": "int-1", "form": "rapid-screening"},
        "answers": [["name", MARKER], ["story", f"My name is {MARKER}."]],
        "audit": [{"action": "answer_changed", "question": "name"}],
    }
    for _ in range(3):
        device.push_next(record)
    # Refused requests that carry the marker in the clear must not leave it behind either.
    leaked_json = f'{{"code_hash": "{MARKER}", "expires_at": 1}}'.encode()
    response = hub_env.coordinator.call("POST", "/v1/enrol-codes", content=leaked_json)
    assert error_code(response) == "bad_request"
    assert MARKER not in response.text
    response = device.push(b"SDENV\x02" + MARKER.encode() * 10)
    assert error_code(response) == "malformed_envelope"
    assert MARKER not in response.text
    response = hub_env.coordinator.call("POST", "/v1/forms", content=MARKER.encode())
    assert MARKER not in response.text
    # The coordinator pulls and acknowledges: the normal path end to end.
    pulled = hub_env.coordinator.call("GET", "/v1/envelopes").json()["envelopes"]
    ids = [item["envelope_id"] for item in pulled]
    hub_env.coordinator.call("POST", "/v1/envelopes/ack", json={"envelope_ids": ids})

    values = _all_database_values(hub_env)
    assert values, "the database query returned nothing; the check would be empty"
    assert not [v for v in values if _contains_marker(v)]
    for path in (tmp_path / "data").rglob("*"):
        if path.is_file():  # the SQLite file and its WAL, org.json
            assert MARKER.encode() not in path.read_bytes(), path
    log = hub_env.log_text()
    assert "envelope stored" in log  # the capture works and saw the hub's own lines
    assert MARKER not in log


def test_the_hub_log_holds_no_codes_or_keys(hub_env: HubEnv) -> None:
    code = hub_env.new_code()
    device = hub_env.enrol(code)
    device.push_next()
    log = hub_env.log_text()
    assert code not in log and code.replace("-", "") not in log
    assert device.caller.key_id not in log
    assert protocol.enrol_code_proof(code) not in log
