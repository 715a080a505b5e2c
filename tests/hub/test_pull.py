"""Coordinator pull and acknowledge; form publication and device form pull."""

from __future__ import annotations

import base64
import json

from screening.envelope import open_envelope
from screening.org import OrgKeys, sign_form, verify_signed_form
from screening.org.documents import sign_document
from tests.hub.helpers import HubEnv, error_code

FORM = {"id": "rapid-screening", "version": "1.2", "title": {"en": "Rapid screening"}}


def test_coordinator_pulls_after_a_cursor_opens_and_acknowledges(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    for i in range(7):
        device.push_next({"answers": [["q1", i]], "note": "é"})
    coordinator = hub_env.coordinator
    seen, cursor, pages = [], 0, 0
    while True:
        page = coordinator.call("GET", "/v1/envelopes", params={"after": cursor, "limit": 3})
        body = page.json()
        pages += 1
        for item in body["envelopes"]:
            record = open_envelope(
                base64.b64decode(item["data"]), hub_env.org, device.key.public_key()
            )
            seen.append((item["seq"], record["answers"][0][1], item["acknowledged"]))
        cursor = body["next_cursor"]
        if not body["more"]:
            break
    assert pages == 3
    assert seen == [(i + 1, i, False) for i in range(7)]
    ids = [e.envelope_id for e in device.sent[:4]]
    unknown_id = "00000000-0000-4000-8000-000000000000"
    ack = coordinator.call("POST", "/v1/envelopes/ack", json={"envelope_ids": [*ids, unknown_id]})
    assert ack.json() == {"acknowledged": 4, "unknown": [unknown_id]}
    again = coordinator.call("POST", "/v1/envelopes/ack", json={"envelope_ids": ids})
    assert again.json() == {"acknowledged": 4, "unknown": []}
    flags = [
        e["acknowledged"] for e in coordinator.call("GET", "/v1/envelopes").json()["envelopes"]
    ]
    assert flags == [True] * 4 + [False] * 3
    end = coordinator.call("GET", "/v1/envelopes", params={"after": cursor}).json()
    assert end == {"envelopes": [], "next_cursor": cursor, "more": False}


def test_devices_cannot_pull_or_acknowledge_envelopes(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    device.push_next()
    for method, path, kwargs in (
        ("GET", "/v1/envelopes", {}),
        ("POST", "/v1/envelopes/ack", {"json": {"envelope_ids": [device.sent[0].envelope_id]}}),
        ("GET", "/v1/devices", {}),
    ):
        response = device.caller.call(method, path, **kwargs)
        assert (response.status_code, error_code(response)) == (403, "forbidden")


def test_bad_pull_parameters_are_refused(hub_env: HubEnv) -> None:
    for params in ({"after": "-1"}, {"limit": "0"}, {"limit": "501"}, {"after": "x"}):
        response = hub_env.coordinator.call("GET", "/v1/envelopes", params=params)
        assert (response.status_code, error_code(response)) == (400, "bad_request")


def test_published_form_reaches_devices_and_verifies(hub_env: HubEnv) -> None:
    signed = sign_form(hub_env.org, FORM)
    published = hub_env.coordinator.call("POST", "/v1/forms", json=signed)
    assert published.status_code == 201
    assert published.json()["form_id"] == "rapid-screening"
    device = hub_env.enrol()
    pulled = device.caller.call("GET", "/v1/forms", params={"after": 0}).json()
    assert [f["version"] for f in pulled["forms"]] == ["1.2"]
    assert verify_signed_form(pulled["forms"][0]["document"], hub_env.org.public) == FORM
    again = hub_env.coordinator.call("POST", "/v1/forms", json=sign_form(hub_env.org, FORM))
    assert again.status_code == 200 and again.json() == published.json()
    changed = {**FORM, "title": {"en": "Changed"}}
    conflict = hub_env.coordinator.call("POST", "/v1/forms", json=sign_form(hub_env.org, changed))
    assert (conflict.status_code, error_code(conflict)) == (409, "form_conflict")


def test_form_signed_by_another_key_is_refused(hub_env: HubEnv, other_org: OrgKeys) -> None:
    forged = sign_form(other_org, FORM)
    response = hub_env.coordinator.call("POST", "/v1/forms", json=forged)
    assert (response.status_code, error_code(response)) == (422, "bad_document_signature")
    # The right key id over a changed form: the signature no longer covers it.
    tampered = sign_form(hub_env.org, FORM)
    tampered["payload"] = {**FORM, "version": "9.9"}
    response = hub_env.coordinator.call("POST", "/v1/forms", json=tampered)
    assert (response.status_code, error_code(response)) == (422, "bad_document_signature")
    # A signed document of another kind is not a form.
    other_kind = sign_document(hub_env.org, "notice", FORM)
    response = hub_env.coordinator.call("POST", "/v1/forms", json=other_kind)
    assert (response.status_code, error_code(response)) == (400, "malformed_document")
    assert hub_env.counts()["forms"] == 0


def test_only_the_organisation_publishes_forms(hub_env: HubEnv) -> None:
    device = hub_env.enrol()
    response = device.caller.call("POST", "/v1/forms", json=sign_form(hub_env.org, FORM))
    assert (response.status_code, error_code(response)) == (403, "forbidden")
    response = hub_env.coordinator.call("POST", "/v1/forms", content=b"{not json")
    assert (response.status_code, error_code(response)) == (400, "malformed_document")
    assert hub_env.counts()["forms"] == 0


def test_form_pull_pages(hub_env: HubEnv) -> None:
    for n in range(3):
        form = {**FORM, "version": f"1.{n}"}
        assert (
            hub_env.coordinator.call(
                "POST", "/v1/forms", json=sign_form(hub_env.org, form)
            ).status_code
            == 201
        )
    first = hub_env.coordinator.call("GET", "/v1/forms", params={"limit": 2}).json()
    assert [f["version"] for f in first["forms"]] == ["1.0", "1.1"] and first["more"]
    rest = hub_env.coordinator.call("GET", "/v1/forms", params={"after": first["next_cursor"]})
    assert [f["version"] for f in rest.json()["forms"]] == ["1.2"]
    assert json.dumps(rest.json()).count("signature") == 1
