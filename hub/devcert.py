"""`screening-hub dev-cert`: a local CA and a server certificate, for pilots and tests.

Production hubs should use a certificate from the organisation's own CA or a public one.
The CA's private key is never written: nothing else can be signed with it once this returns.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

DEFAULT_HOSTS = ("127.0.0.1", "localhost", "::1")
CA_FILE = "ca.pem"
CERT_FILE = "server.pem"
KEY_FILE = "server-key.pem"


@dataclass(frozen=True, slots=True)
class DevCert:
    ca_pem: str
    cert_pem: str
    key_pem: str


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Screening Desk (development)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common),
        ]
    )


def make_dev_cert(hosts: tuple[str, ...] = DEFAULT_HOSTS, *, days: int = 825) -> DevCert:
    now = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    until = now + dt.timedelta(days=days)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Screening Desk hub development CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )  # fmt: skip
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(hosts[0]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(until)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    return DevCert(
        ca_pem=ca.public_bytes(pem).decode("ascii"),
        cert_pem=cert.public_bytes(pem).decode("ascii"),
        key_pem=key.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ).decode("ascii"),
    )


def write_dev_cert(out: str | Path, hosts: tuple[str, ...] = DEFAULT_HOSTS) -> DevCert:
    """Write ca.pem, server.pem and server-key.pem (0600) into `out`; refuses to overwrite."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / CA_FILE, folder / CERT_FILE, folder / KEY_FILE]
    if any(t.exists() for t in targets):
        raise FileExistsError(f"{folder} already holds a certificate; choose an empty folder")
    made = make_dev_cert(hosts)
    targets[0].write_text(made.ca_pem)
    targets[1].write_text(made.cert_pem)
    fd = os.open(targets[2], os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(made.key_pem)
    return made
