from tests.app.interview.support import rapid, vault, vault_dir  # noqa: F401
