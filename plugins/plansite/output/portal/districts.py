"""A province's districts: districts.yml, and each district's data/plans.json read, checked and kept.

A district whose plans.json is missing, broken or of a version this PlanSite does not know is not
dropped: its last good copy (kept in the portal's cache folder, with the date it was first read)
stands in, and the reason is said in Chinese. Only what the portal shows is kept in memory, so a
province of 10,000 schools is read one district at a time.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import yaml

from ..feeds.json_export import SCHEMA_VERSION

DISTRICT_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
DISTRICT_KEYS = {"id", "name", "city", "source", "repository", "ref", "site", "plans"}


class PortalError(Exception):
    """districts.yml cannot be used: the message names the file, the line and the field."""


@dataclass(frozen=True)
class District:
    id: str
    name: str
    site: str  # where the district's site is published, ending in '/'
    city: str | None = None
    source: str | None = None  # the site's folder in the province repository …
    repository: str | None = None  # … or another Git repository (owner/name)
    ref: str | None = None
    plans: str | None = None  # its plans.json: a path or URL; default <site>data/plans.json

    @property
    def plans_json(self) -> str:
        return self.plans or urljoin(self.site, "data/plans.json")


@dataclass(frozen=True)
class Province:
    name: str
    districts: tuple[District, ...]
    file: Path


def read_districts(path: Path) -> Province:
    """districts.yml -> Province; every problem at once in one PortalError."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise PortalError(f"{path}: 找不到区县清单\n    提示：在省级仓库里运行，或用 --districts 指出 districts.yml") from None
    except UnicodeDecodeError:
        raise PortalError(f"{path}: 不是 UTF-8 文字\n    提示：用 UTF-8 另存 districts.yml") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.load(text, Loader=yaml.BaseLoader)  # every scalar is text
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise PortalError(f"{path}{line}: YAML 写法有误（{getattr(e, 'problem', e)}）\n"
                          "    提示：每个区县写成 - id: qinghe 开头的一组，缩进用空格") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("districts"), list):
        raise PortalError(f"{path}:1 districts: 缺少区县列表\n    提示：写 province: 省名 和 districts: 下的一组组区县")
    lines = _item_lines(node)
    problems: list[str] = []
    seen: set[str] = set()
    districts = []
    for n, entry in enumerate(raw["districts"]):
        where = f"{path}:{lines[n] if n < len(lines) else 1} districts[{n}]"
        if not isinstance(entry, dict):
            problems.append(f"{where}: 应是一组 id、name、site …")
            continue
        unknown = sorted(set(entry) - DISTRICT_KEYS)
        if unknown:
            problems.append(f"{where}.{unknown[0]}: 未知字段\n    提示：可用的字段：{', '.join(sorted(DISTRICT_KEYS))}")
        did, name, site = (str(entry.get(k) or "").strip() for k in ("id", "name", "site"))
        if not DISTRICT_ID.fullmatch(did):
            problems.append(f"{where}.id: {did!r} 不能做区县的网址名\n    提示：小写拼音字母、数字和连字符，例如 id: qinghe")
        elif did in seen:
            problems.append(f"{where}.id: {did} 写了两次\n    提示：每个区县一个 id")
        seen.add(did)
        if not name:
            problems.append(f"{where}.name: 缺少区县名\n    提示：例如 name: 清河区")
        if urlsplit(site).scheme not in ("http", "https") or not urlsplit(site).netloc:
            problems.append(f"{where}.site: {site!r} 不是网址\n    提示：写区县网站的完整地址，例如 site: https://qinghe.example.edu.cn/")
        districts.append(District(did, name, site.rstrip("/") + "/", entry.get("city") or None, entry.get("source") or None,
                                  entry.get("repository") or None, entry.get("ref") or None, entry.get("plans") or None))
    if problems:
        raise PortalError("\n".join(problems))
    return Province(str(raw.get("province") or "").strip() or "全省", tuple(districts), path)


def _item_lines(node) -> list[int]:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "districts" and isinstance(value, yaml.SequenceNode):
                return [item.start_mark.line + 1 for item in value.value]
    return []


@dataclass
class DistrictData:
    """What the portal shows of one district, from its plans.json (or the last good copy)."""
    district: District
    status: str = "ok"  # ok: read now; stale: the last good copy stands in; none: nothing was ever read
    reason: str | None = None  # why not ok, in Chinese
    date: str | None = None  # when the data shown was first read (YYYY-MM-DD)
    schools: list[dict] = field(default_factory=list)  # id, name, short_name, city, district, stage, url (absolute)
    projects: list[dict] = field(default_factory=list)  # id, title, level, stage, schools, url (absolute)
    plans: int = 0
    items: int = 0
    categories: dict[str, Counter] = field(default_factory=dict)  # term key -> category -> items
    term_labels: dict[str, str] = field(default_factory=dict)
    months: Counter = field(default_factory=Counter)  # YYYY-MM -> item-months


def read_district(district: District, cache: Path, today: date | None = None, base: Path | None = None) -> DistrictData:
    """The district's plans.json, checked; a good one is kept in cache/<id>/ (with what the portal
    read of it, so an unchanged file is not parsed again); a bad one is replaced by the copy kept
    there, with the reason."""
    today = today or date.today()
    folder = cache / district.id
    kept, meta = folder / "plans.json", folder / "meta.json"
    try:
        raw = _fetch(district.plans_json, base)
        digest = hashlib.sha256(raw).hexdigest()
        known = json.loads(meta.read_text(encoding="utf-8")) if meta.is_file() else {}
        data = _kept_summary(district, folder) if known.get("sha256") == digest and kept.is_file() else None
        if data is None:
            data = summarize(district, raw)
    except _Unusable as e:
        return last_good(district, folder, e.reason)
    if known.get("sha256") == digest and kept.is_file():
        data.date = known.get("date", today.isoformat())
    else:
        data.date = today.isoformat()
        folder.mkdir(parents=True, exist_ok=True)
        _write_atomic(kept, raw)
        _write_atomic(folder / "summary.json", json.dumps(_summary_json(data), ensure_ascii=False).encode())
        _write_atomic(meta, json.dumps({"date": data.date, "source": district.plans_json, "sha256": digest},
                                       ensure_ascii=False).encode())
    return data


SUMMARY_FIELDS = ("schools", "projects", "plans", "items", "categories", "term_labels", "months")


def _summary_json(data: DistrictData) -> dict:
    return {name: getattr(data, name) for name in SUMMARY_FIELDS}


def _kept_summary(district: District, folder: Path) -> DistrictData | None:
    """What the portal read of the kept plans.json, or None when it cannot be used."""
    try:
        doc = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
        data = DistrictData(district, **{name: doc[name] for name in SUMMARY_FIELDS})
    except (OSError, ValueError, KeyError, TypeError):
        return None
    data.categories = {term: Counter(counts) for term, counts in data.categories.items()}
    data.months = Counter(data.months)
    return data


class _Unusable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _fetch(where: str, base: Path | None) -> bytes:
    scheme = urlsplit(where).scheme
    if scheme in ("http", "https"):
        try:
            with urllib.request.urlopen(where, timeout=30) as response:  # noqa: S310 (http(s) only)
                return response.read()
        except urllib.error.HTTPError as e:
            raise _Unusable(f"读取 {where} 失败：服务器回答 {e.code}") from None
        except (urllib.error.URLError, OSError) as e:
            raise _Unusable(f"读取 {where} 失败：{getattr(e, 'reason', e)}") from None
    path = Path(where)
    if not path.is_absolute() and base is not None:
        path = base / path
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise _Unusable(f"找不到 {where}（区县网站没有构建，或 plans 路径写错了）") from None
    except OSError as e:
        raise _Unusable(f"读不了 {where}：{e.strerror}") from None


def summarize(district: District, raw: bytes) -> DistrictData:
    """plans.json's bytes -> what the portal shows; _Unusable with a Chinese reason if it cannot be used."""
    where = district.plans_json
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _Unusable(f"{where} 不是 UTF-8 文字") from None
    except json.JSONDecodeError as e:
        raise _Unusable(f"{where} 不是完整的 JSON（第 {e.lineno} 行第 {e.colno} 列：文件可能只传了一半）") from None
    if not isinstance(doc, dict) or doc.get("generator") != "plansite" or not isinstance(doc.get("version"), int):
        raise _Unusable(f"{where} 不是 PlanSite 导出的 plans.json（缺少 version 或 generator）")
    if doc["version"] > SCHEMA_VERSION:
        raise _Unusable(f"{where} 是第 {doc['version']} 版格式，本门户只认识到第 {SCHEMA_VERSION} 版："
                        "升级省级仓库 requirements.txt 里的 PlanSite 后再构建")
    if doc["version"] < 1:
        raise _Unusable(f"{where} 的格式版本 {doc['version']} 不存在")
    try:
        return _summary(district, doc)
    except (KeyError, TypeError, AttributeError, ValueError) as e:
        raise _Unusable(f"{where} 缺少或写错了字段 {e}（文件不完整）") from None


def _url(site: str, rel: object) -> str | None:
    """A district page's absolute URL; only a relative URL of the export is followed."""
    if not isinstance(rel, str):
        return None
    parts = urlsplit(rel)
    if parts.scheme or parts.netloc or rel.startswith("/"):
        return None
    return urljoin(site, rel)


def _text(value: object) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _summary(district: District, doc: dict) -> DistrictData:
    out = DistrictData(district)
    for s in doc["schools"]:
        out.schools.append({"id": str(s["id"]), "name": _text(s["name"]) or str(s["id"]), "short_name": _text(s.get("short_name")),
                            "city": _text(s.get("city")) or district.city, "district": _text(s.get("district")) or district.name,
                            "stage": _text(s.get("stage")), "url": _url(district.site, s.get("url"))})
        out.months.update({str(k): int(v) for k, v in (s.get("stats") or {}).get("months", {}).items()})
    for p in doc["projects"]:
        out.projects.append({"id": str(p["id"]), "title": _text(p["title"]) or str(p["id"]), "level": _text(p.get("level")),
                             "stage": _text(p.get("stage")), "schools": [str(x) for x in p.get("schools") or []],
                             "url": _url(district.site, p.get("url"))})
    for plan in doc["plans"]:
        out.plans += 1
        term = str(plan["term"])
        out.term_labels.setdefault(term, _text(plan.get("term_label")) or term)
        counts = out.categories.setdefault(term, Counter())
        for block in plan.get("schedule") or []:
            for item in block["items"]:
                out.items += 1
                counts[_text(item.get("category")) or "未归类"] += 1
    return out


def last_good(district: District, folder: Path, reason: str) -> DistrictData:
    """The copy kept in folder (cache/<id>/) standing in for the district, with the reason; or the
    district without data when none was ever kept."""
    kept, meta = folder / "plans.json", folder / "meta.json"
    if kept.is_file() and meta.is_file():
        try:
            known = json.loads(meta.read_text(encoding="utf-8"))
            data = (_kept_summary(district, folder) if "sha256" in known else None) \
                or summarize(district, kept.read_bytes())
            data.date = known["date"]
            data.status, data.reason = "stale", reason
            return data
        except (_Unusable, ValueError, KeyError):
            pass
    return DistrictData(district, status="none", reason=reason)


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def conflicts(districts: list[DistrictData]) -> list[str]:
    """Two districts claiming the same school id or the same school URL, in Chinese."""
    by_id: dict[str, list[str]] = {}
    by_url: dict[str, list[str]] = {}
    for d in districts:
        for s in d.schools:
            by_id.setdefault(s["id"], []).append(d.district.name)
            if s["url"]:
                by_url.setdefault(s["url"], []).append(d.district.name)
    out = [f"学校编号 {sid} 同时出现在 {'、'.join(dict.fromkeys(names))}" for sid, names in sorted(by_id.items())
           if len(set(names)) > 1]
    out += [f"学校网址 {url} 同时属于 {'、'.join(dict.fromkeys(names))}" for url, names in sorted(by_url.items())
            if len(set(names)) > 1]
    return out
