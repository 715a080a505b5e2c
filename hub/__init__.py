"""The sync hub server (ASGI). Stores sealed envelopes it cannot read."""
