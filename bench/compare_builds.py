"""Are two builds the same? Every dump byte for byte, COUNTS.json, VERSION and every row of the entity index.

    .venv/bin/python -m bench.compare_builds VAR_A VAR_B     # two var/ folders (each with a current build)

How the byte identity of the new build route with the old one was shown (issue 10): a git worktree of the
old commit builds the same data root into one var/, this checkout into another, then this compares them:

    git worktree add --detach /tmp/old 5148e89
    (cd /tmp/old && BRI_KG_ROOT=$ROOT BRI_KG_VAR_DIR=/tmp/a/var BRI_KG_DIST_DIR=/tmp/a/dist \\
        $PWD/.venv/bin/python -m bri_kg build)           # ROOT: the project, or bench/out/build-100000/root
    BRI_KG_ROOT=$ROOT BRI_KG_VAR_DIR=/tmp/b/var BRI_KG_DIST_DIR=/tmp/b/dist .venv/bin/python -m bri_kg build --full
    .venv/bin/python -m bench.compare_builds /tmp/a/var /tmp/b/var
"""

from __future__ import annotations

import argparse
import filecmp
import sqlite3
import sys
from pathlib import Path


def compare(a: Path, b: Path) -> list[str]:
    """The differences between the current builds of two var/ folders (empty: identical)."""
    ca, cb = (a / "current").resolve(), (b / "current").resolve()
    differences = []
    names = sorted({p.name for p in (ca / "dist").iterdir()} | {p.name for p in (cb / "dist").iterdir()})
    for name in names:
        if not (ca / "dist" / name).is_file() or not filecmp.cmp(ca / "dist" / name, cb / "dist" / name, shallow=False):
            differences.append(f"dist/{name}")
    for name in ("COUNTS.json", "VERSION"):
        if (ca / name).read_text() != (cb / name).read_text():
            differences.append(name)
    da, db = sqlite3.connect(ca / "index.sqlite"), sqlite3.connect(cb / "index.sqlite")
    for (table,) in da.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
        query = f"SELECT * FROM {table} ORDER BY 1, 2"  # noqa: S608 - table names from the file itself
        if da.execute(query).fetchall() != db.execute(query).fetchall():
            differences.append(f"index.sqlite table {table}")
    return differences


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("a", type=Path)
    parser.add_argument("b", type=Path)
    args = parser.parse_args()
    differences = compare(args.a, args.b)
    print("identical: every dump, COUNTS.json, VERSION, every index row" if not differences
          else "different: " + ", ".join(differences))
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
