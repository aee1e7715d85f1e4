"""A Source -> the plans it holds, and the noise around them.

Pages copied from 范文 sites hold several plans (合集5篇: 篇一…篇五, 【篇2】, 实施方案一…七, 篇章1),
wrapped in site blurbs and footers; some plans lost their heading in the copy, and once in a while
a text that is no school plan at all (a hospital ward's plan) sits under a school heading. This
module finds the plan boundaries and says what is noise; parse.py reads each plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..input.chinese import HAN, HAN_CHARS, cn_int
from .read import Source, SourceLine
from .text import CN, fold, marker_of, month_head

# ------------------------------------------------------------------ noise lines

# Phrases that only web pages say (blurbs before a collection, footers after it). A line must
# hit one of these, so plan prose that merely says 以下 or 参考 is safe.
_NOISE = re.compile(
    r"添加为书签|加入收藏|收藏本(页|站)|本站|本网|下载网|文章资讯|请关注我们|关注(我们|公众号)|微信公众号|扫码|扫一扫"
    r"|更多.{0,8}(范文|文章|资讯|内容|精彩)|相关(阅读|文章|推荐)|延伸阅读|推荐阅读\s*[:：]|猜你喜欢|上一篇|下一篇"
    r"|(小编|我)(给|为)?大家(整理|收集|带来|精心)|整理了.{0,12}(范文|计划书|资料)|希望(对|能)(大家|您|你)"
    r"|仅供(大家)?参考|供大家参考|欢迎(阅读|借鉴|下载|收藏)|版权(归|所有|声明)|原文(链接|地址|出处)|转载"
    r"|免责声明|点击(下载|查看|这里)|免费下载|www\.|https?://|\.com\b|\.cn\b|本文(来源|由)|来源[:：]\s*网络")
_COLLECTION_HEADER = re.compile(r"(合集|汇总|精选|大全|通用|范文|集锦)\s*\d+\s*篇|[(\[【]\s*\d+\s*篇\s*[)\]】]|\d+篇(合集|汇总|精选)")


# A web page's own furniture around an article: breadcrumbs, buttons, metadata, page markers.
_CHROME = re.compile(
    r"^(?:当前位置|您的位置|你的位置|所在位置|您现在的位置)\s*[:：]|^首页\s*[>»›/＞]|[>»›]\s*正文\s*$"
    r"|【\s*(?:打印|关闭|返回|字体|收藏|推荐|分享|大\s*中\s*小)[^】]{0,12}】|\[\s*(?:打印|关闭)[^\]]{0,8}\]"
    r"|^[^，。；,;:：]{1,16}[>»›＞]\s*$"  # a breadcrumb's piece on its own line: '新闻中心>'
    r"|^(?:正文复制|复制正文|复制全文|全文复制|阅读全文|展开全文|下载文档|文档下载|立即下载|在线阅读)$"  # a page's buttons
    r"|^(?:打印本页|打印正文|关闭窗口|返回顶部|返回列表|收藏本页|分享到|我要打印)(?:[\s|/【】\[\]]*(?:打印本页|打印正文|关闭窗口|返回顶部|返回列表|收藏本页))*$"
    r"|(?:发布|发表|更新)(?:时间|日期)\s*[:：]|(?:点击|浏览|阅读|人气)\s*[:：]\s*\d+\s*(?:次)?\s*$"
    r"|^(?:发布|发表|更新|录入|上传)(?:时间|日期|人|者)\s*[:：]|^(?:来源|作者|编辑|责任编辑|审核|供稿|文章来源|信息来源|撰稿)\s*[:：].{0,40}$"
    r"|(?:浏览|点击|阅读|访问)(?:次数|数|量)\s*[:：]|^(?:字号|字体)\s*[:：]")
_PAGE_MARK = re.compile(r"^(?:第\s*\d+\s*页\s*[/,，、]?\s*(?:共\s*\d+\s*页)?|-\s*\d+\s*-|—\s*\d+\s*—|\d+\s+/\s+\d+|共\s*\d+\s*页)$"
                        r"|^(?:第\s*\d+\s*页)?\s*共\s*\d+\s*页\s*(?:第\s*\d+\s*页)?$")


def is_noise_line(text: str) -> bool:
    f = fold(text).strip()
    if _PAGE_MARK.match(f) or (len(f) <= 80 and _CHROME.search(f)):
        return True
    return not marker_of(text) and bool(_NOISE.search(f))


def noise_kind(text: str) -> str:
    f = fold(text).strip()
    if _PAGE_MARK.match(f):
        return "page"
    if len(f) <= 80 and _CHROME.search(f):
        return "chrome"
    return "blurb"


def is_collection_header(text: str) -> bool:
    return bool(_COLLECTION_HEADER.search(fold(text)))


def is_artifact(text: str) -> bool:
    """A stray '.', backtick or '[]' left by scraping: nothing a person wrote."""
    return not HAN.search(text) and not re.search(r"[A-Za-z0-9]{2}|\d\s*[./-]\s*\d", text)  # 9.1-9.7 is a date, not a stray


# ------------------------------------------------------------------ plan headings

_N = rf"[{CN}]{{1,3}}(?![{CN}])|\d{{1,2}}(?![\d月年日号.])"
_PLAN_WORD = r"(?:计划|方案|规划|要点|安排|总结|思路|范文)"
_COLLECTION_MARK = [
    re.compile(rf"【\s*(?:篇|第)\s*({_N})\s*篇?\s*】"),
    re.compile(rf"篇章\s*({_N})"),
    re.compile(rf"第\s*({_N})\s*篇"),
    re.compile(rf"(?<={_PLAN_WORD})\s*[(（]\s*({_N})\s*[)）]"),
    re.compile(rf"篇\s*({_N})"),
    re.compile(rf"(?<={_PLAN_WORD})\s*({_N})"),
]


@dataclass(frozen=True)
class PlanHeading:
    ordinal: int
    title: str  # the heading line up to and including the marker, as written
    rest: str  # what was run onto the heading line after the marker


def plan_heading(line: SourceLine) -> PlanHeading | None:
    """'2023年学校教科室工作计划【篇1】', '小学少科室工作计划篇一', '…实施方案七' -> PlanHeading."""
    text = line.text
    f = fold(text)
    if marker_of(text).kind in ("cn", "pcn", "ar", "par", "circ") or is_collection_header(text):
        return None
    for pattern in _COLLECTION_MARK:
        m = pattern.search(f)
        if not m or m.start() > 40:
            continue
        before = f[:m.start()]
        if re.search(r"[，。；;,!?]", before):
            continue
        bare = not before.strip() and f.strip().startswith(("【", "篇", "第"))
        if not bare and not re.search(_PLAN_WORD, before + f[m.start():m.end()]):
            continue
        ordinal = cn_int(m.group(1))
        if ordinal is None or ordinal == 0:
            continue
        rest = text[m.end():].strip()
        if rest and re.match(rf"[{HAN_CHARS}]{{2}}", fold(rest)) and not rest.endswith(("...", "…")):
            continue  # '计划一并…' inside a sentence, not a heading
        return PlanHeading(ordinal, text[:m.end()].strip(), rest.strip(" ：:"))
    return None


_TITLE = re.compile(r"(教科室|教研室|教导处|教务处|科研室|教科研|教育科研|教研|科研|教学|教育|学校|小学|中学|学校|幼儿园|德育|少科室)"
                    r".{0,16}(工作)?(计划|方案|要点|规划|安排|思路|行事历|工作历|月历|校历|日程)(范文|[(（].{0,12}[)）])?$")


def looks_like_title(text: str) -> bool:
    """A standalone plan title: short, no sentence punctuation, ends in 计划/方案/要点."""
    f = fold(text).strip()
    return (len(f) <= 60 and not re.search(r"[，。；;!?]", f) and bool(_TITLE.search(f))
            and marker_of(text).kind not in ("ar", "par", "circ", "pcn"))


# ------------------------------------------------------------------ not a school plan

_SCHOOL_WORDS = re.compile(r"教师|学生|教学|课堂|课题|教研|校本|学校|我校|本校|课程|班级|年级|备课|听课|教科|德育|家长|校园|学科|少先队")
_OTHER_WORDS = {
    "医院": re.compile(r"医院|医疗|护理|护士|病人|患者|病房|病历|临床|诊疗|查房|妇产|产科|新生儿|手术|门诊|住院|药品|院感|质控"),
    "企业": re.compile(r"公司|销售|客户|业绩|营销|市场部|产品|利润|订单|门店|员工"),
}


def foreign_domain(lines: list[SourceLine]) -> str | None:
    """'医院' when a plan body is about a hospital ward (or a company), not a school; else None."""
    text = fold("".join(line.text for line in lines))
    school = len(_SCHOOL_WORDS.findall(text))
    for name, words in _OTHER_WORDS.items():
        hits = len(words.findall(text))
        if hits >= 3 and hits > 2 * school:
            return name
    return None


# ------------------------------------------------------------------ segmentation


@dataclass
class Noise:
    kind: str  # header | blurb | footer | teaser | not_school_plan | preface
    text: str
    first: int
    last: int
    plan: int | None = None  # index of the plan it is attached to


@dataclass
class Chunk:
    """One plan's lines. title is None when the heading was lost in copying."""

    title: str | None
    title_no: int | None
    lines: list[SourceLine] = field(default_factory=list)
    ordinal: int | None = None
    foreign: str | None = None  # '医院' … when it is not a school plan


@dataclass
class Segmentation:
    chunks: list[Chunk]
    noise: list[Noise]
    artifacts: list[SourceLine] = field(default_factory=list)  # stray symbols: noise, but no passage


# After '相关文章' / '上一篇' a page lists other articles: titles, one a line, to the end.
_RELATED = re.compile(r"^(?:相关(?:文章|阅读|推荐|链接|资讯)|推荐阅读|延伸阅读|猜你喜欢|热门文章|最新文章|上一篇|下一篇)")


def _related_title(text: str) -> bool:
    f = fold(text).strip()
    return len(f) <= 50 and not re.search(r"[，。；;!?]", f) and not marker_of(text) and not month_head(text)


def segment(source: Source) -> Segmentation:
    lines = [line for line in source.lines if not is_artifact(line.text)]
    artifacts = [line for line in source.lines if is_artifact(line.text)]
    noise: list[Noise] = []
    kept: list[SourceLine] = []
    related = False  # inside a page's list of other articles (after the article: its second half)
    crumbs: set[str] = set()  # a breadcrumb's pieces, and the category it ends in
    after_crumb = after_chrome = in_toc = False
    for k, line in enumerate(lines):
        f = fold(line.text).strip()
        if related and _related_title(line.text):
            noise.append(Noise("related", line.text, line.numbers[0], line.numbers[-1]))
            continue
        related = 2 * k >= len(lines) and bool(_RELATED.match(f))
        if _TOC_HEAD.match(f) or _toc(lines, k, in_toc):  # a table of contents is never a schedule
            noise.append(Noise("toc", line.text, line.numbers[0], line.numbers[-1]))
            in_toc = True
            continue
        in_toc = False
        crumb = (after_crumb and _short_label(f)) or (k < 12 and f in crumbs)  # '教科室' after '学校公告>', and again
        stray = after_chrome and bool(_STRAY_COUNT.fullmatch(f))  # '次' left of '点击数： 326 次'
        if is_collection_header(line.text) and not plan_heading(line):
            noise.append(Noise("header", line.text, line.no, line.no))
        elif is_noise_line(line.text) or crumb or stray:
            noise.append(Noise("chrome" if crumb or stray else noise_kind(line.text), line.text,
                               line.numbers[0], line.numbers[-1]))
            if re.search(r"[>»›＞]", f) or crumb:
                crumbs.update(p.strip() for p in re.split(r"[>»›＞:：]", f) if p.strip())
                crumbs.add(f)
            after_crumb = bool(re.search(r"[>»›＞]\s*$", f))
            after_chrome = True
            continue
        else:
            kept.append(line)
        after_crumb = after_chrome = False
    _cms_title(kept, noise)
    chunks = _split(kept, noise)
    for chunk in chunks:
        if chunk.title and chunk.title_no:
            own, prefix = own_title(chunk.title)
            if prefix:
                noise.append(Noise("page_title", prefix, chunk.title_no, chunk.title_no))
                chunk.title = own
    if not chunks:
        return Segmentation([], noise, artifacts)
    for i, chunk in enumerate(chunks):
        chunk.foreign = foreign_domain(chunk.lines) if chunk.lines else None
        if chunk.foreign:
            first, last = chunk.lines[0].no, chunk.lines[-1].no
            noise.append(Noise("not_school_plan", "\n".join(line.text for line in chunk.lines), first, last, i))
    _attach(noise, chunks)
    return Segmentation(chunks, sorted(noise, key=lambda n: n.first), artifacts)


_TOC_LINE = re.compile(r"^.{2,40}?(?:[.…·．\-—_ ]{3,}|\t+|\s{2,})\d{1,3}\s*$")
_TOC_HEAD = re.compile(r"^目\s*录[:：]?$|^(?:本文)?(?:简要)?目录如下[:：]?$")


def _toc(lines: list[SourceLine], k: int, in_toc: bool) -> bool:
    """A table of contents: '九月份……3' (leaders and a page number), or short numbered lines under 目录."""
    f = fold(lines[k].text).strip()
    if _TOC_LINE.match(f) and not re.search(r"[，。；;]", f):
        return True
    return in_toc and len(f) <= 40 and bool(re.search(r"\d{1,3}$", f)) and not re.search(r"[，。；;]", f)


_STRAY_COUNT = re.compile(r"\d*\s*(?:人?次)")


def own_title(title: str) -> tuple[str, str]:
    """'科研室工作计划三计划科研室工作计划' -> ('科研室工作计划', '科研室工作计划三计划'): a document site's page
    title glued in front of the document's heading, which it begins with. (title, '') otherwise."""
    f = fold(title)
    for n in range(len(f) // 2, 3, -1):
        tail = f[-n:]
        if f.startswith(tail) and len(f) > n:
            return title[-n:].strip(), title[:-n].strip()
    return title, ""


def _short_label(f: str) -> bool:
    return 1 <= len(f) <= 10 and not re.search(r"[，。；,;:：!?！？|]", f)


def _cms_title(kept: list[SourceLine], noise: list[Noise]) -> None:
    """A site's article title, then (a line or two below) the document's own heading saying the same
    (青禾市…调整方案 / …调整方案; …行事历 / 青禾一中…行事历; or the title twice): the document's heading is
    the title, the site's line is noise."""
    for i in range(min(3, len(kept))):
        a = _bare(kept[i].text)
        if len(a) < 6 or len(a) > 60 or kept[i].cells or re.search(r"[，。；;]", a):
            continue
        for j in range(i + 1, min(i + 4, len(kept))):
            b = _bare(kept[j].text)
            if len(b) >= 6 and not kept[j].cells and (a in b or b in a) and min(len(a), len(b)) >= 0.6 * max(len(a), len(b)):
                line = kept.pop(i)
                noise.append(Noise("cms_title", line.text, line.numbers[0], line.numbers[-1]))
                return
        return


def _bare(text: str) -> str:
    return re.sub(r"[\s|]", "", fold(text))


def _split(lines: list[SourceLine], noise: list[Noise]) -> list[Chunk]:
    heads: list[tuple[int, PlanHeading]] = []
    for i, line in enumerate(lines):
        head = plan_heading(line)
        if head:
            heads.append((i, head))
    if len(heads) < 2:
        return _split_by_titles(lines)
    chunks: list[Chunk] = []
    if heads[0][0] > 0:  # text before the first heading: a collection's preface
        pre = lines[:heads[0][0]]
        noise.append(Noise("preface", "\n".join(line.text for line in pre), pre[0].no, pre[-1].no))
    for k, (i, head) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        body = list(lines[i + 1:end])
        line = lines[i]
        if head.rest:
            if head.rest.endswith(("...", "…")):  # a search-result teaser run onto the heading
                noise.append(Noise("teaser", head.rest, line.no, line.no))
            else:
                body.insert(0, SourceLine(line.no, head.rest, cells=()))
        chunks.append(Chunk(head.title, line.no, body, head.ordinal))
    return _recover_lost_headings(chunks, lines)


def _split_by_titles(lines: list[SourceLine]) -> list[Chunk]:
    """No collection markers: one plan, or several each under its own full title."""
    if not lines:
        return []
    starts = [0]
    for i in range(3, len(lines)):
        if looks_like_title(lines[i].text) and _opens_plan(lines, i):
            starts.append(i)
    chunks = []
    for k, s in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(lines)
        part = lines[s:end]
        if looks_like_title(part[0].text) or (k == 0 and _first_line_is_title(part)):
            chunks.append(Chunk(part[0].text, part[0].no, list(part[1:])))
        else:
            chunks.append(Chunk(None, None, list(part)))
    return chunks


def _first_line_is_title(part: list[SourceLine]) -> bool:
    first = part[0]
    f = fold(first.text)
    return (len(part) > 1 and len(f) <= 50 and not re.search(r"[，。；;]", f) and not marker_of(first.text) and not first.cells
            and bool(re.search(r"计划|方案|要点|规划|安排|思路|行事历|工作历|月历|校历|行事表|日程|总结", f)))


def _opens_plan(lines: list[SourceLine], i: int) -> bool:
    """A second full title counts only when a new outline (一、…) starts right after it."""
    for line in lines[i + 1:i + 5]:
        mk = marker_of(line.text)
        if mk.kind == "cn":
            return mk.number == 1
    return False


# ------------------------------------------------------------------ lost headings

_OPENER = re.compile(r"(本学期|本学年|本年度|新学期|新的一年|今年|20\d\d|20xx|\d{2}xx|为了|为进一步|为全面|根据|依据|按照|坚持|围绕|结合"
                     r"|在.{1,30}(基础上|指导下|引领下|领导下|背景下)|以.{1,40}为(指导|统领|引领|核心|中心|重点))")


def _recover_lost_headings(chunks: list[Chunk], lines: list[SourceLine]) -> list[Chunk]:
    """篇一 … 篇四 with no 篇二 and 篇三: find where the two headless plans begin inside 篇一."""
    indent_is_rare = sum(line.indented for line in lines) <= max(3, len(lines) // 10)
    out: list[Chunk] = []
    for k, chunk in enumerate(chunks):
        out.append(chunk)
        nxt = chunks[k + 1].ordinal if k + 1 < len(chunks) else None
        if chunk.ordinal is None or nxt is None or nxt - chunk.ordinal <= 1 or nxt - chunk.ordinal > 6:
            continue
        missing = nxt - chunk.ordinal - 1
        body = chunk.lines
        scores = [(_start_score(body, i, indent_is_rare), i) for i in range(3, len(body) - 2)]
        picked: list[int] = []
        for score, i in sorted(scores, key=lambda s: (-s[0], s[1])):
            if score < 4 or len(picked) == missing:
                break
            if all(abs(i - j) >= 5 for j in picked):
                picked.append(i)
        picked.sort()
        if not picked:
            continue
        chunk.lines = body[:picked[0]]
        for n, start in enumerate(picked):
            end = picked[n + 1] if n + 1 < len(picked) else len(body)
            out.append(Chunk(None, None, body[start:end], None))
    return out


def _start_score(body: list[SourceLine], i: int, indent_is_rare: bool) -> int:
    line, prev = body[i], body[i - 1]
    f = fold(line.text)
    score = 0
    if indent_is_rare and line.indented:
        score += 3
    if not marker_of(line.text) and len(f) >= 30 and _OPENER.match(f):
        score += 2
    pm = marker_of(prev.text)
    if pm.kind in ("ar", "par", "circ") and len(prev.text) <= 24 and not re.search(r"[。；;]$", prev.text):
        score -= 2  # a short numbered heading's own paragraph follows it
    elif pm.kind in ("ar", "par", "circ"):
        score += 1
    if any(marker_of(b.text).kind == "ar" and marker_of(b.text).number == 1 for b in body[i + 1:i + 4]):
        score += 1
    return score


def _attach(noise: list[Noise], chunks: list[Chunk]) -> None:
    """Noise before the first plan goes to the first plan, after the last to the last, else to the one it sits in."""
    starts = [(c.title_no or (c.lines[0].no if c.lines else 0)) for c in chunks]
    for n in noise:
        if n.plan is not None:
            continue
        n.plan = 0
        for i, s in enumerate(starts):
            if s and s <= n.first:
                n.plan = i
