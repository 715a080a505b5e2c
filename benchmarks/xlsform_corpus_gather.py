"""Gather the public XLSForm corpus for benchmarks/xlsform_corpus.py from local git clones.

Every `.xlsx` / `.xls` at the given commit of each repository is copied under OUT, at
`OUT/<owner>+<name>/<path>`, with the `.csv` files of its folder (pulldata() and
select_one_from_file read them from beside the workbook). A workbook whose bytes equal one
already taken, or one anywhere in this repository (pyxform's forms vendored in tests/data),
is skipped, so the corpus holds only forms written by others and each once. OUT/manifest.tsv
lists repo, commit, path, sha256 and licence of each workbook taken; docs/xlsform-corpus.tsv
is the manifest of the measured corpus (docs/forms.md, "Measured on public forms").

    python3 benchmarks/xlsform_corpus_gather.py OUT GIT_DIR=owner/name[@commit] ...

GIT_DIR is a clone (`git clone https://github.com/owner/name`) or a bare mirror.
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
from pathlib import Path, PurePosixPath

REPOSITORY = Path(__file__).resolve().parent.parent
WORKBOOK_SUFFIXES = (".xlsx", ".xls")

# Licences as stated by each repository's LICENSE file at the commit measured.
LICENCES = {
    "XLSForm/pyxform": "BSD-2-Clause",
    "onaio/onadata": "BSD-2-Clause",
    "kobotoolbox/kobocat": "BSD-2-Clause",
    "kobotoolbox/kpi": "AGPL-3.0",
    "hotosm/osm-fieldwork": "AGPL-3.0",
    "hotosm/fmtm": "AGPL-3.0",
    "getodk/xlsform-offline": "Apache-2.0",
}


def git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], check=True, capture_output=True
    ).stdout


def own_hashes() -> set[str]:
    """The workbooks this repository holds: the corpus must not measure our own fixtures."""
    found = set()
    for path in REPOSITORY.rglob("*"):
        if path.suffix.lower() in WORKBOOK_SUFFIXES and ".git" not in path.parts:
            found.add(hashlib.sha256(path.read_bytes()).hexdigest())
    return found


def resolve_git_dir(path: Path) -> Path:
    return path / ".git" if (path / ".git").exists() else path


def gather(out: Path, sources: list[tuple[Path, str, str]]) -> list[list[str]]:
    seen = own_hashes()
    manifest: list[list[str]] = []
    for git_dir, repo, commit in sources:
        listing = git(git_dir, "ls-tree", "-r", "--name-only", commit).decode().splitlines()
        csvs = [p for p in listing if p.lower().endswith(".csv")]
        for path in sorted(listing):
            if not path.lower().endswith(WORKBOOK_SUFFIXES):
                continue
            data = git(git_dir, "show", f"{commit}:{path}")
            digest = hashlib.sha256(data).hexdigest()
            if digest in seen:
                continue
            seen.add(digest)
            target = out / repo.replace("/", "+") / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            folder = str(PurePosixPath(path).parent)
            for csv in csvs:
                if str(PurePosixPath(csv).parent) == folder:
                    beside = out / repo.replace("/", "+") / csv
                    if not beside.exists():
                        beside.write_bytes(git(git_dir, "show", f"{commit}:{csv}"))
            manifest.append([repo, commit, path, digest, LICENCES.get(repo, "unknown")])
    return manifest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("sources", nargs="+", help="GIT_DIR=owner/name[@commit]")
    args = parser.parse_args()
    sources = []
    for source in args.sources:
        where, _, repo = source.partition("=")
        repo, _, commit = repo.partition("@")
        git_dir = resolve_git_dir(Path(where))
        commit = git(git_dir, "rev-parse", commit or "HEAD").decode().strip()
        sources.append((git_dir, repo, commit))
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = gather(args.out, sources)
    lines = ["repo\tcommit\tpath\tsha256\tlicence", *("\t".join(row) for row in manifest)]
    (args.out / "manifest.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(manifest)} workbooks in {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
