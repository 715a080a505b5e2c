"""What one request carries into an operation: the request, who signed it, the hub.

Both the hub's rules (service.py) and its operations (ops.py, devicekeys.py) use these; they
live below both so that the operations do not import the service that dispatches to them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric import ed25519

from hub.store import DeviceRow
from screening.org.orgfile import OrgPublic

ORG = "org"
DEVICE = "device"
ENROLLING = "enrolling"
# A device key that a rotation replaced: refused everywhere except the rotation endpoint,
# where it may repeat its own rotation (a lost answer) or meet another one (an alert).
RETIRED = "retired"


@dataclass(frozen=True, slots=True)
class HubRequest:
    method: str
    target: str  # path and query exactly as on the request line: what was signed
    headers: Mapping[str, str]
    body: bytes
    path_params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Principal:
    role: str
    key_id: str
    public_key: ed25519.Ed25519PublicKey
    device: DeviceRow | None = None


class HubState(Protocol):
    """What operations read of `hub.service.Hub`."""

    org: OrgPublic

    def forget_key(self, key_id: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Context:
    hub: HubState
    principal: Principal
    request: HubRequest
    now: int
    prepared: Any
