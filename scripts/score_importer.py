#!/usr/bin/env python3
"""The importer's figures on shared/realdev and shared/seeds, file by file.

    scripts/score_importer.py              # both sets: per-file table and the set's figures
    scripts/score_importer.py -v           # and every miss (headings, counts, projects, titles)
    scripts/score_importer.py realdev 14   # one set, some files

The scoring is shared/realdev/README.md's (tests/importer_score.py, also run by the test suite).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from importer_score import cases, score_set, table  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("set", nargs="?", help="realdev or seeds (default: both)")
    ap.add_argument("files", nargs="*", help="file names (01, 14, 004 …)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"), help="the shared folder (default ../shared)")
    args = ap.parse_args()
    sets = cases(Path(args.shared))
    if not sets:
        print(f"no realdev/ or seeds/ with truth under {args.shared}", file=sys.stderr)
        return 1
    for name, items in sets.items():
        if args.set and name != args.set:
            continue
        chosen = [c for c in items if not args.files or c[0] in args.files]
        score = score_set(name, chosen)
        print(f"== {name}")
        print(table(score))
        if args.verbose:
            for f in score.files:
                for miss in f.misses:
                    print(f"  {f.name}: {miss}")
        print(score.line())
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
