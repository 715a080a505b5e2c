"""Sync between laptops, the hub and coordinators.

`screening.sync.protocol` is the part shared with the hub (request signing, enrolment codes,
error codes); the client lives beside it. This file imports nothing so that importing the
protocol never drags in the client (and through it the vault) on the hub.
"""
