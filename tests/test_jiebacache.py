"""jieba's dictionary from PlanSite's quick copy is jieba's own dictionary: the same words with the
same counts, so segmentation (and every page built with it) is unchanged; a damaged copy is
never used, and is written again."""

from __future__ import annotations

import subprocess
import sys

import pytest

from plansite.input import jiebacache

# In a fresh process (jieba loads once per process), with its temporary folder given: the
# dictionary as jieba.dt holds it after PlanSite's loading, as a digest, and where it came from.
PROBE = """
import hashlib, jieba, logging, sys
from plansite.input import jiebacache
jieba.setLogLevel(logging.ERROR)
path = jiebacache._cache_path(jieba)
quick = jiebacache._read(path) is not None
jiebacache.initialize(jieba)
digest = hashlib.sha256(repr((sorted(jieba.dt.FREQ.items()), jieba.dt.total)).encode()).hexdigest()
print(quick, digest, "/".join(jieba.lcut("青禾区实验小学开展读书节活动")))
"""


def probe(tmp_path) -> tuple[bool, str, str]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, encoding="utf-8",
                          env={"TMPDIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=300)
    assert done.returncode == 0, done.stderr
    quick, digest, words = done.stdout.split()
    return quick == "True", digest, words


@pytest.mark.site
def test_the_quick_copy_is_jiebas_own_dictionary(tmp_path):
    first = probe(tmp_path)  # jieba builds its dictionary as it always does; the quick copy is written
    assert first[0] is False
    copies = list(tmp_path.glob("plansite-jieba-*.bin"))
    assert len(copies) == 1
    second = probe(tmp_path)  # read from the quick copy
    assert second == (True, first[1], first[2])

    # a damaged copy (cut short, or not ours) is not used: jieba loads as before and it is written again
    raw = copies[0].read_bytes()
    copies[0].write_bytes(raw[: len(raw) // 2])
    assert probe(tmp_path) == (False, first[1], first[2])
    assert copies[0].read_bytes() == raw


def test_a_copy_reads_back_as_written(tmp_path):
    freq = {"读书": 120, "读书节": 3, "读": 900, "课题组": 0}
    path = tmp_path / "copy.bin"
    jiebacache._write(path, freq, 1023)
    assert jiebacache._read(path) == (freq, 1023)
    assert list(jiebacache._read(path)[0]) == list(freq)  # in the same order
    raw = path.read_bytes()
    for damaged in (raw[:-8], raw + b"\0" * 8, b"not a dictionary", raw.replace(b"\n", b"\t", 1)):
        path.write_bytes(damaged)
        assert jiebacache._read(path) is None, damaged
    path.write_bytes(raw)
    jiebacache._write(tmp_path / "bad.bin", {"两\n行": 1}, 1)  # a word no copy can hold: no copy
    assert not (tmp_path / "bad.bin").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.bin"]  # no temporary file left beside it
