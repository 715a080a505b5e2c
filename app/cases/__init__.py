"""The case list: a table model over the vault's interview metadata, and its page."""
