"""Sync between laptops, the hub and coordinators.

`screening.sync.protocol` is the part shared with the hub (request signing, enrolment codes,
error codes). The client lives beside it: `client.sync(vault)` runs one sync; `laptop`
enrols, seals and pushes; `coordinator` makes organisation keys and enrolment codes,
publishes forms, revokes devices, and verifies, opens and imports envelopes; `state` keeps
all of it inside the vault; `transport` talks to the hub (retries, strict answers). See
docs/protocol.md ("The sync client") and docs/sync.md.

This file imports nothing so that importing the protocol never drags in the client (and
through it the vault) on the hub.
"""
