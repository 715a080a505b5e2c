"""Sync between laptops, the hub and coordinators.

`screening.sync.protocol` and `batch` are the parts shared with the hub (request signing,
enrolment codes, error codes, batch framing). The client lives beside them:
`client.sync(vault)` runs one sync; `laptop` enrols, pushes and pulls forms, `sealing` seals
finished interviews and their updates; `coordinator` makes organisation keys and enrolment
codes, publishes forms and revokes devices, `importer` verifies, opens and imports envelopes
(`import_checks`, `import_writes`);
`state` keeps all of it inside the vault; `transport` talks to the hub (retries, strict
answers). See
docs/protocol.md ("The sync client") and docs/sync.md.

This file imports nothing so that importing the protocol never drags in the client (and
through it the vault) on the hub.
"""
