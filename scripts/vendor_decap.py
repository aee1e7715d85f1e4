#!/usr/bin/env python3
"""Refresh the vendored Decap CMS (plugins/plansite/output/admin/decap/) from the npm registry.

    scripts/vendor_decap.py                 # the newest 3.16.x
    scripts/vendor_decap.py --spec 3.16.3   # an exact version
    scripts/vendor_decap.py --check         # exit 1 when the files differ from the version stamped

Run at release time, on a machine with npm (`npm pack` fetches the package; nothing is built).
Schools never need Node: the package ships the files this writes. Taken from the package's
dist/: the bundle (decap-cms.js), its chunks (<n>.decap-cms.js) and WebAssembly files, its
third-party licence notices; the source maps and the second copy of the bundle (cms.js) are
left out. LICENSE is Decap CMS's MIT licence (the npm package carries none), VERSION the
version and the tarball's SHA-512 integrity as npm reports them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "plugins/plansite/output/admin/decap"
PACKAGE = "decap-cms"
DEFAULT_SPEC = "~3.16.0"
KEEP = re.compile(r"(decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)")

# decaporg/decap-cms, LICENSE at the release tag (the npm tarball has no licence file)
MIT = """Copyright (c) 2016 Netlify <decap@p-m.si>

MIT License

Permission is hereby granted, free of charge, to any person obtaining
a copy of this software and associated documentation files (the
"Software"), to deal in the Software without restriction, including
without limitation the rights to use, copy, modify, merge, publish,
distribute, sublicense, and/or sell copies of the Software, and to
permit persons to whom the Software is furnished to do so, subject to
the following conditions:

The above copyright notice and this permission notice shall be
included in all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND,
EXPRESS OR IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF
MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE
LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION
OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION
WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


def npm(*args: str, cwd: Path) -> str:
    npm_bin = shutil.which("npm")
    if npm_bin is None:
        sys.exit("npm is needed to refresh the vendored Decap CMS (only at release time)")
    done = subprocess.run([npm_bin, *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"npm {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout


def fetch(spec: str, work: Path) -> tuple[dict, Path]:
    """npm pack PACKAGE@spec into work: (npm's record of the tarball, the unpacked dist/)."""
    record = json.loads(npm("pack", f"{PACKAGE}@{spec}", "--json", cwd=work))[0]
    tarball = work / record["filename"]
    with tarfile.open(tarball) as tar:
        tar.extractall(work / "unpacked", filter="data")
    return record, work / "unpacked" / "package" / "dist"


def vendor_files(record: dict, dist: Path) -> dict[str, bytes]:
    """What the package ships under output/admin/decap/: name -> bytes."""
    files = {p.name: p.read_bytes() for p in sorted(dist.iterdir()) if KEEP.fullmatch(p.name)}
    if "decap-cms.js" not in files:
        sys.exit(f"{PACKAGE}@{record['version']} has no dist/decap-cms.js")
    files["LICENSE"] = MIT.encode()
    files["VERSION"] = f"{PACKAGE} {record['version']}\n{record['integrity']}\n".encode()
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", default=DEFAULT_SPEC, help=f"npm version or range (default {DEFAULT_SPEC})")
    parser.add_argument("--check", action="store_true", help="compare with the stamped version only")
    args = parser.parse_args()
    spec = args.spec
    if args.check:
        stamp = (TARGET / "VERSION").read_text(encoding="utf-8").split()
        spec = stamp[1]
    with tempfile.TemporaryDirectory() as tmp:
        record, dist = fetch(spec, Path(tmp))
        files = vendor_files(record, dist)
    if args.check:
        have = {p.name: p.read_bytes() for p in TARGET.iterdir() if p.is_file()}
        differ = sorted(n for n in set(files) | set(have) if files.get(n) != have.get(n))
        print(f"{PACKAGE} {record['version']}: " + (f"{len(differ)} files differ: {', '.join(differ[:8])}"
                                                    if differ else "the vendored files are the package's"))
        return 1 if differ else 0
    if TARGET.exists():
        shutil.rmtree(TARGET)
    TARGET.mkdir(parents=True)
    for name, content in files.items():
        (TARGET / name).write_bytes(content)
    size = sum(map(len, files.values()))
    digest = hashlib.sha256(files["decap-cms.js"]).hexdigest()[:12]
    print(f"wrote {TARGET.relative_to(ROOT)}: {PACKAGE} {record['version']}, {len(files)} files, "
          f"{size / 1e6:.1f} MB (decap-cms.js sha256 {digest}…)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
