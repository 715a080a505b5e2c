"""A throwaway PostgreSQL server for tests and benchmarks (never for production data).

It lives in a temporary folder, listens only on a Unix socket inside that folder (no port to
collide with), trusts local connections, and is deleted on `stop()`. PostgreSQL refuses to run
as root, so under root (CI containers) it runs as the `postgres` user through `runuser`.
"""

from __future__ import annotations

import atexit
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

PORT = 5432
_SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql*/bin")


class PostgresUnavailable(RuntimeError):
    pass


def find_bin_dir() -> Path:
    """Where initdb and pg_ctl live: PATH first, then Debian's /usr/lib/postgresql/N/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    candidates: list[Path] = []
    for pattern in _SEARCH:
        candidates += [Path(p) for p in glob.glob(pattern) if (Path(p) / "initdb").exists()]
    if not candidates:
        raise PostgresUnavailable(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or in "
            "/usr/lib/postgresql/*/bin. Install them (Debian: apt-get install postgresql) or set "
            "SCREENING_TEST_POSTGRES_URL to an existing server."
        )
    return sorted(candidates, key=lambda p: _version_key(p))[-1]


def _version_key(path: Path) -> tuple[int, ...]:
    digits = [part for part in path.parts if part.isdigit()]
    return tuple(int(d) for d in digits) or (0,)


class ThrowawayPostgres:
    def __init__(self, *, durable: bool = False) -> None:
        # durable=False turns off fsync: fine for data that is deleted minutes later, and it
        # keeps the tests fast. Benchmarks pass durable=True to measure the real thing.
        self.durable = durable
        self.bin_dir = find_bin_dir()
        self.root: Path | None = None
        self._prefix: list[str] = []

    def _run(self, *args: str) -> None:
        cmd = [*self._prefix, *args]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
        if result.returncode != 0:
            log = ""
            if self.root is not None and (self.root / "server.log").exists():
                log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise PostgresUnavailable(
                f"{Path(args[0]).name} failed ({result.returncode}): "
                f"{(result.stderr or result.stdout).strip()[-2000:]}\n{log}"
            )

    def start(self) -> ThrowawayPostgres:
        # Short path: a Unix socket path must fit in about 100 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="sdpg-", dir="/tmp"))
        try:
            self._start(self.root)
        except BaseException:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None
            raise
        # Safety net for a caller that dies before its own stop() (an exception, a closed pipe).
        atexit.register(self.stop)
        return self

    def _start(self, root: Path) -> None:
        if os.geteuid() == 0:
            try:
                user = pwd.getpwnam("postgres")
            except KeyError:
                raise PostgresUnavailable(
                    "Running as root, PostgreSQL needs the 'postgres' system user (created by "
                    "Debian's postgresql package)."
                ) from None
            runuser = shutil.which("runuser")
            if not runuser:
                raise PostgresUnavailable("Running as root needs 'runuser' to start PostgreSQL.")
            os.chown(root, user.pw_uid, user.pw_gid)
            self._prefix = [runuser, "-u", "postgres", "--"]
        data = root / "data"
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        options = f"-c listen_addresses='' -k {root} -p {PORT}"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(data), "-l", str(root / "server.log"),
            "-w", "-t", "60", "-o", options, "start",
        )  # fmt: skip

    def url(self, dbname: str = "postgres", *, schema: str | None = None) -> str:
        assert self.root is not None
        url = f"postgresql://postgres@/{dbname}?host={quote(str(self.root))}&port={PORT}"
        if schema:
            url += "&options=" + quote(f"-csearch_path={schema}")
        return url

    def stop(self) -> None:
        if self.root is None:
            return
        atexit.unregister(self.stop)
        try:
            self._run(
                str(self.bin_dir / "pg_ctl"),
                "-D",
                str(self.root / "data"),
                "-m",
                "immediate",
                "-w",
                "stop",
            )
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
            self.root = None

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
