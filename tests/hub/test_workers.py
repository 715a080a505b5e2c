"""Several hub processes on one database behave as one hub (hub/workers.py).

Each test runs the fixture's hub (in this process) and a second `screening-hub serve` process
on the same data folder and database: a request replayed to the other process is refused (and
replayed to both at once, accepted once), a code spent on one is spent on the other (and used
on both at once, spent once), and one device's batches pushed to both at once, many at a
time, never fork its chain. `serve --workers N` runs N processes on PostgreSQL and refuses
SQLite.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from hub.cli import main
from screening.envelope import GENESIS_HASH, Envelope, envelope_hash
from screening.org import OrgKeys
from screening.sync import protocol
from screening.sync.batch import encode_batch
from tests.hub.conftest import Tls
from tests.hub.helpers import Caller, HubEnv, error_code
from tests.hub.test_cli import _free_port, _org_file

T = TypeVar("T")


class HubProcess:
    """`screening-hub serve` in a subprocess, healthy before the test goes on."""

    def __init__(self, data: Path, tls: Tls, database_url: str | None, *, workers: int = 1) -> None:
        self.port = _free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("SCREENING_HUB_DATABASE_URL", None)
        if database_url:
            env["SCREENING_HUB_DATABASE_URL"] = database_url
        command = [
            sys.executable, "-m", "hub.cli", "serve", "--data", str(data),
            "--port", str(self.port), "--tls-cert", str(tls.cert_file),
            "--tls-key", str(tls.key_file), "--workers", str(workers), "--log-level", "warning",
        ]  # fmt: skip
        self.proc = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        verify = protocol.pinned_ssl_context(tls.cert.ca_pem)
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(self.url + "/v1/health", verify=verify).json()["status"] == "ok":
                    break
            except httpx.TransportError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError(f"the hub process did not start:\n{self.output}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
        try:
            self.output = self.proc.communicate(timeout=20)[0].decode()
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.output = self.proc.communicate()[0].decode()
            raise AssertionError(f"the hub process did not stop:\n{self.output}") from None


@pytest.fixture
def second(hub_env: HubEnv, tmp_path: Path, tls: Tls, database_url: str | None) -> Iterator[str]:
    """The URL of a second hub process on the fixture hub's data folder and database."""
    process = HubProcess(tmp_path / "data", tls, database_url)
    try:
        yield process.url
    finally:
        for caller in hub_env.callers:
            if str(caller.http.base_url).startswith(process.url):
                caller.close()  # open keep-alive connections would hold up its shutdown
        process.stop()


def together(*calls: Callable[[], T]) -> list[T]:
    """Run the calls at the same time, one thread each; their results in the same order."""
    results: list[Any] = [None] * len(calls)
    start = threading.Barrier(len(calls))

    def run(i: int) -> None:
        start.wait()
        results[i] = calls[i]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _on(hub_env: HubEnv, url: str, caller: Caller) -> Caller:
    """The same key, talking to another process."""
    other = Caller(url, hub_env.ca_pem, caller.key, hub_env.clock)
    hub_env.callers.append(other)
    return other


def test_a_request_replayed_to_the_other_process_is_refused(hub_env: HubEnv, second: str) -> None:
    device = hub_env.enrol()
    there = _on(hub_env, second, device.caller)
    env = device.seal_next()
    request = device.caller.sign(
        device.caller.build(
            "POST",
            "/v1/envelopes",
            content=env.to_bytes(),
            headers={"Content-Type": protocol.ENVELOPE_MEDIA_TYPE},
        )
    )
    assert device.caller.send(request).status_code == 201
    replayed = there.http.build_request(
        "POST", "/v1/envelopes", content=request.content, headers=request.headers
    )
    response = there.send(replayed)
    assert response.status_code == 401 and error_code(response) == "replayed_request"
    # And the other way: a coordinator request first served by the second process.
    coordinator = _on(hub_env, second, hub_env.coordinator)
    signed = coordinator.sign(coordinator.build("GET", "/v1/devices"))
    assert coordinator.send(signed).status_code == 200
    again = hub_env.coordinator.http.build_request("GET", "/v1/devices", headers=signed.headers)
    assert error_code(hub_env.coordinator.send(again)) == "replayed_request"


def test_a_code_spent_on_one_process_is_spent_on_the_other(hub_env: HubEnv, second: str) -> None:
    code = hub_env.new_code()
    first = _on(hub_env, second, hub_env.caller())
    assert hub_env.enrol_request(first, code).status_code == 201
    late = hub_env.enrol_request(hub_env.caller(), code)
    assert late.status_code == 403 and error_code(late) == "enrol_code_used"

    # Four devices at once, two on each process: exactly one gets the code (it is spent by a
    # conditional UPDATE, not under a lock shared by every writer).
    for _ in range(4):
        code = hub_env.new_code()
        callers = [hub_env.caller(), hub_env.caller()]
        callers += [_on(hub_env, second, hub_env.caller()) for _ in range(2)]
        answers = together(
            *(lambda c=c: hub_env.enrol_request(c, code) for c in callers)  # noqa: B023
        )
        statuses = sorted(r.status_code for r in answers)
        assert statuses == [201, 403, 403, 403], [r.text for r in answers]
        assert {error_code(r) for r in answers if r.status_code == 403} == {"enrol_code_used"}
    devices = hub_env.coordinator.call("GET", "/v1/devices").json()["devices"]
    assert len(devices) == 5 and len({d["code_hash"] for d in devices}) == 5


def test_a_request_replayed_to_both_processes_at_once_is_accepted_once(
    hub_env: HubEnv, second: str
) -> None:
    device = hub_env.enrol()
    senders = [device.caller, _on(hub_env, second, device.caller)] * 2
    for _ in range(6):
        env = device.seal_next()
        signed = device.caller.sign(
            device.caller.build(
                "POST",
                "/v1/envelopes",
                content=env.to_bytes(),
                headers={"Content-Type": protocol.ENVELOPE_MEDIA_TYPE},
            )
        )
        copies = [
            s.http.build_request("POST", "/v1/envelopes", content=signed.content,
                                 headers=signed.headers)
            for s in senders
        ]  # fmt: skip
        answers = together(
            *(lambda s=s, c=c: s.send(c) for s, c in zip(senders, copies, strict=True))
        )
        statuses = sorted(r.status_code for r in answers)
        assert statuses == [201, 401, 401, 401], [r.text for r in answers]
        assert {error_code(r) for r in answers if r.status_code == 401} == {"replayed_request"}
        device.accept(env)
    assert [e.seq for e in hub_env.stored()] == list(range(1, 7))


def _push_all(caller: Caller, batches: list[list[Envelope]]) -> list[int]:
    statuses = []
    for batch in batches:
        body = encode_batch([e.to_bytes() for e in batch])
        response = caller.call(
            "POST",
            protocol.PATH_ENVELOPE_BATCH,
            content=body,
            headers={"Content-Type": protocol.ENVELOPE_BATCH_MEDIA_TYPE},
        )
        statuses.append(response.status_code)
    return statuses


def test_concurrent_pushes_of_one_device_never_fork_its_chain(hub_env: HubEnv, second: str) -> None:
    device = hub_env.enrol()
    there = _on(hub_env, second, device.caller)
    chain = device.seal_chain(60)
    batches = [chain[i : i + 8] for i in range(0, len(chain), 8)]
    here, there_statuses = together(
        lambda: _push_all(device.caller, batches), lambda: _push_all(there, batches)
    )
    assert all(s in (200, 201) for s in here + there_statuses), (here, there_statuses)

    # Two different envelopes for the same place in the chain, one to each process at once.
    for _ in range(5):
        rivals = [device.seal_next({"answers": [["q1", side]]}) for side in ("a", "b")]
        answers = together(
            lambda: _push_one(device.caller, rivals[0]),  # noqa: B023 - joined in this iteration
            lambda: _push_one(there, rivals[1]),  # noqa: B023
        )
        statuses = [r.status_code for r in answers]
        assert sorted(statuses) == [201, 409], [r.text for r in answers]
        winner = rivals[statuses.index(201)]
        device.accept(winner)
        assert device.head() == (winner.header.seq, envelope_hash(winner))

    stored = hub_env.stored()
    assert [e.seq for e in stored] == list(range(1, 66))
    previous = GENESIS_HASH
    for row in stored:
        env = Envelope.from_bytes(row.body)
        assert env.header.prev_hash == previous and row.hash == envelope_hash(row.body)
        previous = row.hash
    assert device.head() == (65, previous)


def _batch_answers(caller: Caller, batches: list[list[Envelope]]) -> list[dict[str, Any]]:
    answers = []
    for batch in batches:
        response = caller.call(
            "POST",
            protocol.PATH_ENVELOPE_BATCH,
            content=encode_batch([e.to_bytes() for e in batch]),
            headers={"Content-Type": protocol.ENVELOPE_BATCH_MEDIA_TYPE},
        )
        assert response.status_code == 200, response.text
        answers.append(response.json())
    return answers


def test_many_concurrent_pushes_of_one_device_leave_one_linear_chain(
    hub_env: HubEnv, second: str
) -> None:
    """Eight senders, four per process, push one device's chain in batches cut differently,
    so that each batch meets envelopes stored a moment ago by another sender; then rivals for
    the same place in the chain. Each device's head is guarded by its row lock only."""
    device = hub_env.enrol()
    urls = [hub_env.url, second] * 4
    senders = [_on(hub_env, url, device.caller) for url in urls]
    chain = device.seal_chain(120)
    cuts = [3, 5, 7, 8, 11, 13, 16, 20]
    plans = [[chain[i : i + n] for i in range(0, len(chain), n)] for n in cuts]
    results = together(
        *(lambda s=s, p=p: _batch_answers(s, p) for s, p in zip(senders, plans, strict=True))
    )
    stored_by = {}
    for answers in results:
        for answer in answers:
            assert answer["refused"] is None, answer
            for ack in answer["acks"]:
                # Everyone is told the same cursor for the same envelope.
                assert stored_by.setdefault(ack["envelope_id"], ack["cursor"]) == ack["cursor"]
    new = sum(a["status"] == 201 for answers in results for r in answers for a in r["acks"])
    assert new == 120 and len(stored_by) == 120

    for _ in range(5):
        rivals = [device.seal_next({"answers": [["q1", f"rival {i}"]]}) for i in range(4)]
        answers = together(
            *(lambda s=s, r=r: _push_one(s, r) for s, r in zip(senders[:4], rivals, strict=True))
        )
        statuses = [r.status_code for r in answers]
        assert sorted(statuses) == [201, 409, 409, 409], [r.text for r in answers]
        assert {error_code(r) for r in answers if r.status_code == 409} == {"sequence_fork"}
        device.accept(rivals[statuses.index(201)])

    stored = hub_env.stored()
    assert [e.seq for e in stored] == list(range(1, 126))
    previous = GENESIS_HASH
    for row in stored:
        env = Envelope.from_bytes(row.body)
        assert env.header.prev_hash == previous and row.hash == envelope_hash(row.body)
        previous = row.hash
    assert device.head() == (125, previous) == (device.seq, device.last_hash)


def _push_one(caller: Caller, env: Envelope) -> httpx.Response:
    return caller.call(
        "POST",
        "/v1/envelopes",
        content=env.to_bytes(),
        headers={"Content-Type": protocol.ENVELOPE_MEDIA_TYPE},
    )


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def test_serve_workers_on_postgresql_and_not_on_sqlite(
    tmp_path: Path,
    tls: Tls,
    org_keys: OrgKeys,
    database_url: str | None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    org_path = str(_org_file(tmp_path, org_keys))
    given = ["--database-url", database_url] if database_url else []
    assert main(["init", "--data", str(data), "--org", org_path, *given]) == 0
    if database_url is None:
        capsys.readouterr()
        assert main(["serve", "--data", str(data), "--workers", "2"]) == 2
        assert "need PostgreSQL" in capsys.readouterr().err
        return
    hub = HubProcess(data, tls, database_url, workers=3)
    try:
        workers = _children(hub.proc.pid)
        # uvicorn's supervisor may also run a resource tracker beside the three workers.
        assert len(workers) >= 3, workers
        verify = protocol.pinned_ssl_context(tls.cert.ca_pem)
        headers = protocol.sign_request("GET", "/v1/devices", b"", org_keys.signing_private_key)
        statuses = []
        for _ in range(12):  # a new connection each time: any worker may take it
            response = httpx.get(hub.url + "/v1/devices", headers=headers, verify=verify)
            statuses.append(response.status_code)
        assert statuses[0] == 200 and set(statuses[1:]) == {401}, statuses
    finally:
        hub.stop()
    assert "Traceback" not in hub.output
