#!/usr/bin/env python3
"""Build benchmarks: the demo and synthetic districts of 50, 200 and 800 schools.

    scripts/bench.py                       # all sizes, writes bench/RESULTS.md
    scripts/bench.py --schools 200 --json  # one size, one JSON line on stdout
    scripts/bench.py --province            # a province: its section of bench/RESULTS.md
    scripts/bench.py --province --small    # the same at a tenth of the sizes, one JSON line

A province: 2,000 schools in 10 districts built with `plansite portal --build-districts -j 2` and
with -j 1 (one after another); and a portal over 10,000 schools in 50 districts, from plans.json
files the export code makes from generated data (no district is built): build time, peak memory,
largest page, search payload (Material's index and the school finder's data, gzip).

For each site: full `mkdocs build --strict` runs with the plugin (wall time, peak memory of the build
process) and of a plain Material build of the same generated Markdown without the plugin
(`plansite render`, then `mkdocs build`), alternating, --repeat times each; the medians give the
ratio. Also the plugin's own work (load + generate everything in one process, timed separately).
Figures come from one run on one machine: compare ratios, not absolute seconds, across machines.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONUTF8="1")

PLUGIN_WORK = """
import json, sys, time
t0 = time.perf_counter()
from plansite.input.load import load_plan_data
from plansite.output.build import build_pages
from plansite.output.site import Site
result = load_plan_data(sys.argv[1])
t1 = time.perf_counter()
outputs = build_pages(Site(result.data, site_name="bench", site_url="https://district.example.org/"))
t2 = time.perf_counter()
print(json.dumps({"load_s": t1 - t0, "generate_s": t2 - t1, "outputs": len(outputs)}))
"""


def run(cmd: list[str], cwd: Path) -> tuple[float, float, str]:
    """Wall seconds, peak RSS (MB) of the child, and its output; fails loudly."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out[-3000:]}")
    return wall, usage.ru_maxrss / 1024, out


PLAN_URL = """
import sys
from plansite.input.load import load_plan_data
from plansite.output.site import Site
data = load_plan_data(sys.argv[1]).data
pid = sorted(data.plans)[0]
print(pid, Site(data).url(Site(data).plan_path(pid)))
"""


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        return next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmRSS:"))


def serve_reload(project: Path, edits: int = 10) -> tuple[float, float, float]:
    """Seconds from saving an edit to one plan until `mkdocs serve --dirty` (whole site) serves the
    edited plan page, the median of `edits` edits to different items; and the serve process's
    resident memory (MB) after the first build and after the last edit."""
    out, _ = subprocess.run([PY, "-c", PLAN_URL, str(project / "plan_data")], capture_output=True, text=True,
                            env=ENV, check=True).stdout.split()[-2:], None
    plan_id, url_path = out
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = project / "serve.log"
    with open(log, "w", encoding="utf-8") as sink:
        proc = subprocess.Popen([PY, "-m", "mkdocs", "serve", "--dirty", "--livereload", "-a", f"127.0.0.1:{port}"],
                                cwd=project, env=ENV, stdout=sink, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/{url_path}"

    def wait(predicate, timeout: float) -> None:
        end = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > end or proc.poll() is not None:
                raise SystemExit(f"serve: timed out\n{log.read_text(encoding='utf-8')[-3000:]}")
            time.sleep(0.05)

    def page() -> str:
        try:
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.read().decode("utf-8")
        except OSError:
            return ""

    try:
        wait(lambda: "Serving on" in log.read_text(encoding="utf-8"), 900)
        rss_first = _rss_mb(proc.pid)
        plan = project / "plan_data" / "plans" / f"{plan_id}.yml"
        times = []
        for n in range(edits):
            text = plan.read_text(encoding="utf-8")
            # an editor's typical edit: a few words added to an item (its category stays)
            items = re.findall(r"^      - (?:text: )?(.+)$", text, re.M)
            item = items[n % len(items)]
            marker = f"虚构修改{n}号"
            quote = item[0] if item[0] in "'\"" else ""
            edited = quote + marker + item[len(quote):]
            reloads = log.read_text(encoding="utf-8").count("Reloading browsers")  # one per finished build
            start = time.perf_counter()
            plan.write_text(text.replace(item, edited, 1), encoding="utf-8")
            wait(lambda: marker in page(), 300)
            times.append(time.perf_counter() - start)
            wait(lambda: log.read_text(encoding="utf-8").count("Reloading browsers") > reloads, 300)
        rss_last = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return statistics.median(times), rss_first, rss_last


def site_metrics(site: Path) -> dict:
    pages = [p for p in site.rglob("*.html") if p.name != "404.html"]
    sizes = {p: p.stat().st_size for p in pages}
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    largest = max(sizes, key=sizes.get)
    index = (site / "search" / "search_index.json").read_bytes()
    return {
        "pages": len(pages),
        "site_mb": total / 1e6,
        "avg_page_kb": sum(sizes.values()) / len(pages) / 1e3,
        "largest_page_kb": sizes[largest] / 1e3,
        "largest_page": str(largest.relative_to(site)),
        "search_index_mb": len(index) / 1e6,
        "search_index_gz_mb": len(gzip.compress(index, 6)) / 1e6,
    }


def prepare(schools: int | None, work: Path) -> Path:
    """A project folder: the demo (copied) or a synthetic district with its slugs stored."""
    project = work / ("demo" if schools is None else f"district-{schools}")
    if schools is None:
        shutil.copytree(ROOT, project, ignore=shutil.ignore_patterns(".venv", ".git", "site", "test-artifacts",
                                                                      ".cache", "__pycache__"))
        return project
    subprocess.run([PY, str(ROOT / "scripts" / "gen_corpus.py"), "--schools", str(schools), "--seed", "1",
                    "--out", str(project)], check=True, env=ENV)
    subprocess.run([PY, "-m", "plansite.adapters.cli", "slugs", str(project / "plan_data"), "--write"], check=True, env=ENV,
                   stdout=subprocess.DEVNULL)
    return project


def builds(project: Path, plain: Path, repeat: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """Build the site with the plugin and the plain site alternately, `repeat` times each, each
    into a new folder (so no build deletes the last one's output on the clock): wall seconds and
    peak memory of every run. The last plugin build stays in project/site."""
    times, rss, plain_times, plain_rss = [], [], [], []
    for n in range(repeat):
        for folder, t, m in ((project, times, rss), (plain, plain_times, plain_rss)):
            target = folder / f"site-{n}"
            wall, peak, _ = run([PY, "-m", "mkdocs", "build", "--strict", "-d", str(target)], folder)
            t.append(wall)
            m.append(peak)
            if n + 1 < repeat:
                shutil.rmtree(target)
            else:
                target.rename(folder / "site")
    return times, rss, plain_times, plain_rss


def bench_one(schools: int | None, work: Path, repeat: int = 3) -> dict:
    project = prepare(schools, work)
    plain = project.parent / f"{project.name}-plain"
    run([PY, "-m", "plansite.adapters.cli", "render", "--config", str(project / "mkdocs.yml"), "--out", str(plain)], project)
    times, rss_runs, plain_times, plain_rss_runs = builds(project, plain, repeat)
    build_s, plain_build_s = statistics.median(times), statistics.median(plain_times)
    rss, plain_rss = max(rss_runs), max(plain_rss_runs)
    _, _, out = run([PY, "-c", PLUGIN_WORK, str(project / "plan_data")], project)
    work_times = json.loads(out.strip().splitlines()[-1])
    metrics = site_metrics(project / "site")
    reload_s, serve_rss_first, serve_rss_last = serve_reload(project)
    result = {
        "schools": schools if schools is not None else "demo",
        "pages": metrics["pages"],
        "build_s": round(build_s, 2),
        "plain_build_s": round(plain_build_s, 2),
        "plugin_s": round(work_times["load_s"] + work_times["generate_s"], 2),
        "site_mb": round(metrics["site_mb"], 1),
        "avg_page_kb": round(metrics["avg_page_kb"], 1),
        "search_index_gz_mb": round(metrics["search_index_gz_mb"], 2),
        "peak_rss_mb": round(rss),
        "serve_reload_s": round(reload_s, 2),
        "serve_rss_first_mb": round(serve_rss_first),  # the serve process after its first build
        "serve_rss_after_edits_mb": round(serve_rss_last),  # and after ten edits
        "largest_page_kb": round(metrics["largest_page_kb"], 1),
        # beyond the fixed keys
        "load_s": round(work_times["load_s"], 2),
        "generate_s": round(work_times["generate_s"], 2),
        "plain_peak_rss_mb": round(plain_rss),
        "largest_page": metrics["largest_page"],
        "search_index_mb": round(metrics["search_index_mb"], 2),
        "pinyin_vocabulary_kb": round((project / "site/assets/plansite/pinyin.json").stat().st_size / 1e3, 1),
        "calendar_all_mb": round((project / "site/calendar/all.ics").stat().st_size / 1e6, 2),
        "build_ratio": round(build_s / plain_build_s, 3),  # of the medians
        "build_runs_s": [round(t, 2) for t in times],  # in order, alternating with the plain builds
        "plain_build_runs_s": [round(t, 2) for t in plain_times],
    }
    shutil.rmtree(plain, ignore_errors=True)
    shutil.rmtree(project, ignore_errors=True)
    return result


TARGETS = """| target (200 schools) | measured | met |
| --- | --- | --- |
| full build ≤ 30 s | {build_s} s | {t_build} |
| plugin overhead (build − plain build) ≤ 10 % of the plain build | {extra:.2f} s = {overhead:.0%} of {plain_build_s} s | {t_over} |
| site ≤ 150 MB | {site_mb} MB | {t_site} |
| average page ≤ 60 KB | {avg_page_kb} KB | {t_avg} |
| search payload ≤ 2 MB gzip | {search_index_gz_mb} MB | {t_search} |
| peak memory ≤ 1.5 GB | {peak_rss_mb} MB | {t_rss} |
| full build ≤ 1.10 × the plain build | {ratio:.2f} × | {t_ratio} |
| an edited plan shows in `serve --dirty` ≤ 3 s (≤ 5 s at 800 schools) | {serve_reload_s} s | {t_serve} |
| `serve` memory after ten edits ≤ 1.15 × after the first build | {serve_rss_after_edits_mb} MB after, {serve_rss_first_mb} MB first | {t_serve_rss} |
| no page over 300 KB | {largest_page_kb} KB ({largest_page}) | {t_largest} |
"""


def report(rows: list[dict], command: str, repeat: int) -> str:
    head = ("| site | pages | build s | plain build s | ratio | plugin work s, one process (load + generate) | peak MB | site MB | "
            "avg page KB | largest page KB | search index MB (gzip) | pinyin KB | all.ics MB | serve reload s | "
            "serve MB (first build → after 10 edits) |\n"
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n")
    lines = [f"| {r['schools']} | {r['pages']} | {r['build_s']} | {r['plain_build_s']} | "
             f"{r['build_s'] / r['plain_build_s']:.2f} | {r['plugin_s']} ({r['load_s']} + {r['generate_s']}) | "
             f"{r['peak_rss_mb']} | {r['site_mb']} | {r['avg_page_kb']} | {r['largest_page_kb']} | "
             f"{r['search_index_mb']} ({r['search_index_gz_mb']}) | {r['pinyin_vocabulary_kb']} | {r['calendar_all_mb']} | "
             f"{r['serve_reload_s']} | {r['serve_rss_first_mb']} → {r['serve_rss_after_edits_mb']} |"
             for r in rows]
    out = ["# Build benchmarks", "",
           f"Command: `{command}`", "",
           f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}. "
           f"One run; build times are medians of {repeat} builds of each kind, plugin and plain alternating, "
           "every build in a fresh process.", "", head + "\n".join(lines), ""]
    by = {r["schools"]: r for r in rows}
    if 200 in by:
        r = by[200]
        ok = lambda b: "yes" if b else "no"  # noqa: E731
        ratio = r["build_s"] / r["plain_build_s"]
        extra = r["build_s"] - r["plain_build_s"]  # the plugin's own work is mostly in a second process
        out.append(TARGETS.format(**r, extra=extra, overhead=extra / r["plain_build_s"], ratio=ratio,
                                  t_ratio=ok(ratio <= 1.10), t_serve=ok(r["serve_reload_s"] <= 3),
                                  t_serve_rss=ok(r["serve_rss_after_edits_mb"] <= 1.15 * r["serve_rss_first_mb"]),
                                  t_largest=ok(r["largest_page_kb"] <= 300),
                                  t_build=ok(r["build_s"] <= 30), t_over=ok(extra <= 0.1 * r["plain_build_s"]),
                                  t_site=ok(r["site_mb"] <= 150), t_avg=ok(r["avg_page_kb"] <= 60),
                                  t_search=ok(r["search_index_gz_mb"] <= 2), t_rss=ok(r["peak_rss_mb"] <= 1536)))
    if 800 in by:
        r = by[800]
        out.append(f"At 800 schools an edited plan shows in `serve --dirty` after {r['serve_reload_s']} s "
                   f"(target ≤ 5 s: {'met' if r['serve_reload_s'] <= 5 else 'not met'}); serve memory "
                   f"{r['serve_rss_first_mb']} MB after the first build, {r['serve_rss_after_edits_mb']} MB after ten edits.\n")
    if 50 in by and 800 in by:
        a, b = by[50], by[800]
        out.append(f"Growth from 50 to 800 schools (16×): build ×{b['build_s'] / a['build_s']:.1f}, "
                   f"largest page ×{b['largest_page_kb'] / a['largest_page_kb']:.1f}, "
                   f"serve reload ×{b['serve_reload_s'] / a['serve_reload_s']:.1f}, "
                   f"pages ×{b['pages'] / a['pages']:.1f}, site ×{b['site_mb'] / a['site_mb']:.1f}, "
                   f"plugin ×{b['plugin_s'] / a['plugin_s']:.1f}, peak memory ×{b['peak_rss_mb'] / a['peak_rss_mb']:.1f}.")
    return "\n".join(out) + "\n"


PROVINCE = {"full": {"sides": (10, 200), "portal": (50, 200)}, "small": {"sides": (4, 10), "portal": (10, 20)}}


def _province_repo(work: Path, name: str, districts: list[dict]) -> Path:
    repo = work / name
    repo.mkdir()
    rows = "".join(f"  - {{id: {d['id']}, name: {d['name']}, city: 江东市, site: 'https://{d['id']}.example.org/', "
                   + ", ".join(f"{k}: {v}" for k, v in d.items() if k in ("source", "plans")) + "}\n" for d in districts)
    (repo / "districts.yml").write_text(f"province: 合成省\ndistricts:\n{rows}", encoding="utf-8")
    return repo


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"


def bench_province(work: Path, size: str, sides_too: bool = True) -> dict:
    (n_sides, per_sides), (n_portal, per_portal) = PROVINCE[size]["sides"], PROVINCE[size]["portal"]
    if not sides_too:
        return {"portal": bench_portal(work, n_portal, per_portal),
                "machine": _machine()}
    # 1. districts built side by side (-j 2) and one after another (-j 1), the same commands
    sides = _province_repo(work, "sides", [{"id": f"d{i:02d}", "name": f"第{i + 1}区", "source": f"districts/d{i:02d}"}
                                           for i in range(n_sides)])
    for i in range(n_sides):
        out = sides / "districts" / f"d{i:02d}"
        subprocess.run([PY, str(ROOT / "scripts" / "gen_corpus.py"), "--schools", str(per_sides), "--seed", str(i + 1),
                        "--prefix", f"d{i:02d}-", "--out", str(out)], check=True, env=ENV)
    phase = {}
    for jobs in (1, 2):
        shutil.rmtree(sides / ".plansite-portal", ignore_errors=True)
        wall, _, out = run([PY, "-m", "plansite.adapters.cli", "portal", "--build-districts", "-j", str(jobs)], sides)
        phase[jobs] = {"wall_s": wall, "districts_s": float(re.search(r"区县构建：\d+ 个区县，([\d.]+) 秒", out).group(1))}
    return {
        "sides": {"districts": n_sides, "schools": n_sides * per_sides, "one_after_another": phase[1], "j2": phase[2],
                  "ratio": phase[2]["districts_s"] / phase[1]["districts_s"]},
        "portal": bench_portal(work, n_portal, per_portal),
        "machine": _machine(),
    }


def bench_portal(work: Path, n_portal: int, per_portal: int) -> dict:
    """A portal over n_portal districts of per_portal schools, from generated plans.json."""
    big = _province_repo(work, "portal", [{"id": f"p{i:02d}", "name": f"第{i + 1}区", "plans": f"data/p{i:02d}/data/plans.json"}
                                          for i in range(n_portal)])
    from concurrent.futures import ThreadPoolExecutor

    def make(i: int) -> None:  # the districts' data, made side by side: not part of what is measured
        subprocess.run([PY, str(ROOT / "scripts" / "gen_corpus.py"), "--schools", str(per_portal), "--seed", str(i + 1),
                        "--prefix", f"p{i:02d}-", "--out", str(big / "data" / f"p{i:02d}"), "--plans-json"],
                       check=True, env=ENV, stdout=subprocess.DEVNULL)

    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        list(pool.map(make, range(n_portal)))
    wall, rss, _ = run([PY, "-m", "plansite.adapters.cli", "portal", "--out", "site"], big)
    metrics = site_metrics(big / "site")
    finder = (big / "site" / "assets" / "portal" / "schools.json").read_bytes()
    sample = json.loads(finder)["schools"][len(json.loads(finder)["schools"]) // 2]
    query_ms, found = finder_query_ms(big / "site", [sample[0], sample[1], sample[3].split()[0], sample[2].split()[0]])
    return {"districts": n_portal, "schools": n_portal * per_portal, "build_s": wall, "peak_mb": rss,
            "pages": metrics["pages"], "largest_page_kb": metrics["largest_page_kb"],
            "largest_page": metrics["largest_page"], "search_index_gz_mb": metrics["search_index_gz_mb"],
            "finder_gz_mb": len(gzip.compress(finder, 6)) / 1e6,
            "search_payload_gz_mb": metrics["search_index_gz_mb"] + len(gzip.compress(finder, 6)) / 1e6,
            "finder_query_ms": query_ms, "finder_found": found}


FINDER_QUERY = """(q) => {
  const input = document.querySelector('#portal-q'), start = performance.now();
  input.value = q;
  input.dispatchEvent(new Event('input'));  // the finder answers synchronously
  const ms = performance.now() - start;
  return [ms, document.querySelectorAll('#portal-results a').length];
}"""


def finder_query_ms(site: Path, queries: list[str]) -> tuple[float, int]:
    """The slowest of `queries` answered by the portal's school finder in Chromium (served on
    127.0.0.1), in ms, and how many schools the first found."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=os.environ.get("PLANSITE_CHROMIUM", "/usr/bin/chromium"),
                                         args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/schools/")
            page.wait_for_selector(".portal-finder[data-loaded='1']", state="attached")
            page.evaluate(FINDER_QUERY, "warm")
            answers = [page.evaluate(FINDER_QUERY, q) for q in queries]
            browser.close()
    finally:
        server.shutdown()
    return max(ms for ms, _ in answers), answers[0][1]


def province_report(r: dict) -> str:
    s, p = r["sides"], r["portal"]
    return "\n".join([
        "## A province (`scripts/bench.py --province`)", "",
        f"Machine: {r['machine']}.", "",
        f"- {s['schools']} schools in {s['districts']} districts, `plansite portal --build-districts`: the districts "
        f"one after another (-j 1) {s['one_after_another']['districts_s']:.1f} s, side by side (-j 2) "
        f"{s['j2']['districts_s']:.1f} s: {s['ratio']:.2f} × (target ≤ 0.65); with the portal "
        f"{s['one_after_another']['wall_s']:.1f} s and {s['j2']['wall_s']:.1f} s.",
        f"- A portal over {p['schools']} schools in {p['districts']} districts (generated plans.json): built in "
        f"{p['build_s']:.1f} s (≤ 60), peak memory {p['peak_mb']:.0f} MB (≤ 1024), {p['pages']} pages, the largest "
        f"{p['largest_page_kb']:.0f} KB ({p['largest_page']}; ≤ 300), search payload {p['search_payload_gz_mb']:.2f} MB gzip "
        f"(index {p['search_index_gz_mb']:.2f} + school finder {p['finder_gz_mb']:.2f}; ≤ 2); a school's name, short name, "
        f"initials or pinyin answered by the finder in Chromium within {p['finder_query_ms']:.1f} ms (≤ 100).", ""])


def main() -> None:
    parser = argparse.ArgumentParser(description="PlanSite build benchmarks")
    parser.add_argument("--schools", type=int, help="one synthetic size only")
    parser.add_argument("--json", action="store_true", help="print one JSON line instead of writing RESULTS.md")
    parser.add_argument("--sizes", default="50,200,800", help="synthetic sizes for the full run")
    parser.add_argument("--repeat", type=int, default=3,
                        help="builds of each kind, alternating plugin and plain; the medians are reported")
    parser.add_argument("--province", action="store_true", help="the province benchmark (districts side by side, the portal)")
    parser.add_argument("--small", action="store_true", help="with --province: small sizes, one JSON line, RESULTS.md untouched")
    parser.add_argument("--portal-only", action="store_true",
                        help="with --province: the portal part only (no district builds), one JSON line, RESULTS.md untouched")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="plansite-bench-") as tmp:
        work = Path(tmp)
        if args.province:
            result = bench_province(work, "small" if args.small else "full", sides_too=not args.portal_only)
            print(json.dumps(result, ensure_ascii=False))
            if not args.small and not args.portal_only:
                results = ROOT / "bench" / "RESULTS.md"
                text = results.read_text(encoding="utf-8") if results.exists() else ""
                before, _, rest = text.partition("## A province")
                after = rest.partition("\n## ")[2]
                results.write_text(before.rstrip("\n") + "\n\n" + province_report(result)
                                   + ("\n## " + after if after else ""), encoding="utf-8")
            return
        if args.schools is not None:
            result = bench_one(args.schools, work, args.repeat)
            print(json.dumps(result if args.json else result, ensure_ascii=False))
            return
        rows = [bench_one(None, work, args.repeat)]
        for n in (int(x) for x in args.sizes.split(",")):
            rows.append(bench_one(n, work, args.repeat))
            print(json.dumps(rows[-1], ensure_ascii=False), file=sys.stderr)
    results = ROOT / "bench" / "RESULTS.md"
    results.parent.mkdir(exist_ok=True)
    command = ("scripts/bench.py" + ("" if args.sizes == "50,200,800" else f" --sizes {args.sizes}")
               + ("" if args.repeat == 3 else f" --repeat {args.repeat}"))
    body = report(rows, command, args.repeat)
    notes = results.with_name("NOTES.md")
    if notes.exists():
        body += "\n" + notes.read_text(encoding="utf-8")
    results.write_text(body, encoding="utf-8")
    print(body)


if __name__ == "__main__":
    main()
