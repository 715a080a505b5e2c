"""Organisation keys: the HPKE key envelopes are sealed to, the Ed25519 key that signs.

Typical use:

    keys = OrgKeys.generate("Example Org", "https://hub.example.org", ca_pem)
    vault.store(keys.private_bundle())            # the coordinator's vault keeps this
    Path("org.json").write_bytes(keys.public.to_json_bytes())
    org = load_org_file("org.json")               # laptops and the hub: verified on load

The file formats are documented in docs/protocol.md.
"""

from screening.org.documents import (
    DocumentError,
    form_hash,
    form_identity,
    sign_document,
    sign_form,
    verify_document,
    verify_signed_form,
)
from screening.org.keys import (
    KEM_HYBRID,
    KEM_X25519,
    default_kem,
    hybrid_supported,
    key_id,
    signing_key_id,
)
from screening.org.orgfile import OrgFileError, OrgPublic, load_org_file, parse_org_file
from screening.org.orgkeys import OrgKeys

__all__ = [
    "KEM_HYBRID",
    "KEM_X25519",
    "DocumentError",
    "OrgFileError",
    "OrgKeys",
    "OrgPublic",
    "default_kem",
    "form_hash",
    "form_identity",
    "hybrid_supported",
    "key_id",
    "load_org_file",
    "parse_org_file",
    "sign_document",
    "sign_form",
    "signing_key_id",
    "verify_document",
    "verify_signed_form",
]
