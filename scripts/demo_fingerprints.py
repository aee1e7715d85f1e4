#!/usr/bin/env python3
"""Write the demo's fingerprints (plugins/plansite/data/demo_fingerprints.yml) from this repository.

    scripts/demo_fingerprints.py          # rewrite the file after the demo or the docs changed
    scripts/demo_fingerprints.py --check  # exit 1 when the file is not what the demo gives

`plansite check --publish` reads the file to refuse the demo's schools and texts in any site's
plan_data; tests/test_publish.py fails while the file is stale.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from plansite.adapters.fingerprints import FINGERPRINTS, build_fingerprints, fingerprints_text

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when stale")
    args = parser.parse_args()
    target = ROOT / "plugins/plansite" / FINGERPRINTS
    text = fingerprints_text(build_fingerprints(ROOT))
    if args.check:
        same = target.is_file() and target.read_text(encoding="utf-8") == text
        print(f"{target.relative_to(ROOT)}: {'up to date' if same else 'stale: run scripts/demo_fingerprints.py'}")
        return 0 if same else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
