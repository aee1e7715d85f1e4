"""Raw input -> Source: decoded lines with their numbers, from .txt/.md (UTF-8, GB18030) or .docx.

Everything a person can hand us goes through here, so every failure becomes a PlanImportError
with the file name and a hint: a missing file, a folder, an empty or binary file, an old .doc,
a .docx that is not a zip. Nothing below this module sees bytes.
"""

from __future__ import annotations

import html
import io
import logging
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..input.chinese import HAN_CHARS
from ..input.load import KINDS
from .errors import PlanImportError

MAX_TEXT_BYTES = 5 * 1024 * 1024  # a term's plan is a few KB; a collection page some 100 KB
MAX_DOCX_BYTES = 50 * 1024 * 1024  # Word files carry pictures
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text", "")
HINT_FORMATS = "支持 .txt、.md（UTF-8 或 GBK/GB18030 编码）、.docx（Word 2007 及以后）和有文字层的 .pdf"


@dataclass(frozen=True)
class SourceLine:
    """One line of text, or one paragraph or table row of a .docx."""

    no: int  # 1-based line number (text) or block number (docx)
    text: str  # as written, surrounding whitespace and zero-width characters removed
    indented: bool = False  # the raw line began with whitespace (a plan start in some scrapes)
    cells: tuple[str, ...] = ()  # a table row: docx table cells, or a text line split on | or tabs
    heading: int = 0  # Word heading level 1..9 (Heading 1 / 标题 1), 0 for body text
    last: int = 0  # the last source line it was joined from (a flattened table row), 0: only `no`

    @property
    def numbers(self) -> range:
        return range(self.no, max(self.no, self.last) + 1)


@dataclass(frozen=True)
class Dropped:
    """A non-blank source line that carries nothing a person wrote (Word-HTML residue, a table rule)."""

    no: int
    text: str
    why: str


@dataclass(frozen=True)
class Source:
    name: str  # the file name as shown in messages
    lines: tuple[SourceLine, ...]
    unit: str = "行"  # 行 for text, 段 for .docx paragraphs
    dropped: tuple[Dropped, ...] = ()


# A site repository's own files, which a glob such as `plansite import *.txt` picks up beside the
# plans: never a plan, whatever their text.
_SITE_FILES = (
    (re.compile(r"requirements[\w.-]*\.(txt|in)", re.I), "Python 依赖清单"),
    (re.compile(r"(readme|changelog|contributing)(\.[\w.]+)?", re.I), "说明文件"),
    (re.compile(r"(licen[cs]e|copying)([.-][\w.-]+)?", re.I), "许可证"),
    (re.compile(r"mkdocs\.ya?ml", re.I), "站点配置"),
    (re.compile(r"导入报告(-\d+)?\.md"), "导入报告"),
    (re.compile(r"\.git\w*|cname", re.I), "仓库设置"),
    (re.compile(r"vendor|plansite-[\w.]+\.whl", re.I), "网站自带的 PlanSite 安装包"),
)
_SITE_FOLDERS = (".github", ".git", ".venv", "vendor")


def site_file(path: Path | str, out_dir: Path, report: Path | None = None) -> str | None:
    """Why `path` is a file of the site itself (its requirements, README, licence, mkdocs.yml,
    import report, anything under .github or the data folder's plans/, schools/, projects/)
    rather than a plan; None for a plan."""
    path = Path(path)
    for pattern, what in _SITE_FILES:
        if pattern.fullmatch(path.name):
            return what
    full = path.resolve()
    if report is not None and full == report.resolve():
        return "导入报告"
    data = out_dir.resolve()
    if full.is_relative_to(data) and full.relative_to(data).parts[:1] in [(kind,) for kind in KINDS]:
        return f"数据文件夹 {out_dir} 里的文件（导入的结果）"
    folder = next((part for part in path.parts[:-1] if part in _SITE_FOLDERS), None)
    return f"{folder} 里的文件" if folder else None


def read_source(path: Path | str, name: str | None = None) -> Source:
    """Read a plan file (named `name` in messages and the review: its file name by default).
    Raises PlanImportError (never anything else) for unusable input."""
    path = Path(path)
    name = name or path.name or str(path)
    if not path.exists():
        raise PlanImportError(f"找不到文件 {path}", "检查文件名和路径；文件名里有空格时请加引号")
    if path.is_dir():
        raise PlanImportError(f"{path} 是文件夹，不是文件", "给出计划文件本身，例如 plans/2026秋.docx")
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_DOCX_BYTES else None
    except OSError as err:
        raise PlanImportError(f"无法读取 {name}：{err.strerror or err}", "检查文件权限，或把文件复制到本机后再导入") from err
    if data is None:
        raise PlanImportError(f"{name} 太大（超过 {MAX_DOCX_BYTES // 1024 // 1024} MB），不像是一份工作计划", HINT_FORMATS)
    return source_from_bytes(data, name)


def source_from_bytes(data: bytes, name: str) -> Source:
    """Bytes of a file called `name` -> Source; the suffix and the content decide the format."""
    suffix = Path(name).suffix.lower()
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanImportError(f"{name} 是旧版 Word（.doc）或 Excel 文件，无法直接读取",
                              "用 Word 或 WPS 打开后“另存为” .docx，或把正文复制到 .txt 文件里再导入")
    if data.startswith(b"%PDF") or (suffix == ".pdf" and b"%PDF" in data[:1024]):
        return read_pdf(data, name)
    if suffix == ".pdf":
        raise PlanImportError(f"{name} 不是有效的 PDF 文件", "用 PDF 阅读器打开确认，或把正文复制到 .txt 文件再导入")
    if suffix == ".docx" or data.startswith(b"PK\x03\x04"):
        if len(data) > MAX_DOCX_BYTES:
            raise PlanImportError(f"{name} 太大，不像是一份工作计划", HINT_FORMATS)
        return read_docx(data, name)
    if suffix == ".doc":
        raise PlanImportError(f"{name} 不是可以读取的 Word 文件", "用 Word 或 WPS“另存为” .docx 后再导入")
    if len(data) > MAX_TEXT_BYTES:
        raise PlanImportError(f"{name} 太大（超过 {MAX_TEXT_BYTES // 1024 // 1024} MB），不像是一份工作计划", HINT_FORMATS)
    return source_from_text(decode_text(data, name), name)


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else GB18030 (GBK, GB2312): old Windows files."""
    if not data.strip():
        raise PlanImportError(f"{name} 是空文件", "把计划正文粘贴进文件并保存后再导入")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise PlanImportError(f"{name} 看起来不是文本文件（含有二进制内容）", HINT_FORMATS)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise PlanImportError(f"{name} 无法识别文字编码，或不是文本文件",
                          "用记事本或 WPS 打开，另存为“UTF-8”编码的 .txt 后再导入；" + HINT_FORMATS)


_ODD = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffd]")


def _looks_like_text(text: str) -> bool:
    """Control characters or a replacement-character soup mean binary that happened to decode."""
    if not text.strip():
        return False
    return len(_ODD.findall(text)) <= max(2, len(text) // 100)


_ZERO_WIDTH = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_MD_RULE = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def source_from_text(text: str, name: str, unit: str = "行", drop: dict[int, str] | None = None) -> Source:
    """Text -> Source. Blank lines are dropped (their numbers are kept by the others); lines that
    are only a Markdown table rule or Word-HTML residue, and the lines in `drop` (line -> why: a
    PDF's running header), are kept aside as `dropped`."""
    lines, dropped = [], []
    for no, raw in enumerate(text.splitlines(), start=1):
        raw = raw.translate(_ZERO_WIDTH)
        stripped = raw.strip()
        if not stripped:
            continue
        if drop and no in drop:
            dropped.append(Dropped(no, stripped, drop[no]))
            continue
        if _MD_RULE.match(stripped):
            dropped.append(Dropped(no, stripped, "表格分隔线"))
            continue
        clean = clean_residue(stripped).replace("｜", "|")  # a full-width bar separates cells as '|' does
        if not clean:
            dropped.append(Dropped(no, stripped, "网页排版残留"))
            continue
        lines.append(SourceLine(no, clean, indented=raw[:1].isspace(), cells=_cells_of(clean)))
    if not lines:
        raise PlanImportError(f"{name} 里没有文字", "把计划正文粘贴进文件并保存后再导入")
    return Source(name, tuple(lines), unit, tuple(dropped))


# Word saved as a web page, pasted as text: <P class=MsoNormal>, <?xml:namespace …>, &nbsp;
_TAG = re.compile(r"<\?xml[^>]*>|<!--.*?-->|</?[A-Za-z][A-Za-z0-9:]*(?:\s[^<>]*)?/?>|<!\[[^\]]*\]>")
_ENTITY = re.compile(r"&(?:[a-zA-Z]{2,8}|#\d{1,6}|#x[0-9a-fA-F]{1,5});|&(?:nbsp|ensp|emsp|amp|lt|gt|quot)(?![a-zA-Z;])")
_CELL_END = re.compile(r"</t[dh]\s*>", re.I)  # an HTML table row pasted as text keeps its cells apart
# A converter's pinyin after a character: 學(xué)習(xí) — not the author's text.
_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_SYLLABLE = rf"[a-zü{_TONE}]{{1,7}}[1-5]?"
_PINYIN = re.compile(rf"(?<=[{HAN_CHARS}])[(（](?=[^)）]{{0,50}}[{_TONE}1-5])\s*{_SYLLABLE}(?:\s+{_SYLLABLE}){{0,5}}\s*[)）]")


def clean_residue(line: str) -> str:
    """A line without HTML tags, entities and pinyin annotations, stripped ('' when nothing is left)."""
    if "<" in line:
        line = _TAG.sub("", _CELL_END.sub(" | ", line)).strip().rstrip("|")
    if "&" in line:
        line = html.unescape(_ENTITY.sub(lambda m: html.unescape(m.group(0) if m.group(0).endswith(";") else m.group(0) + ";"), line))
        line = line.replace("\xa0", " ")
    if "(" in line or "（" in line:
        line = _PINYIN.sub("", line)
    return line.strip()


def _cells_of(line: str) -> tuple[str, ...]:
    """A pasted table row: cells separated by | (Markdown) or tabs (copied from Word or Excel)."""
    for sep in ("|", "\t"):
        if sep in line:
            # '| a | b |' is Markdown; '| b | c' (a leading bar alone) is a row whose first cell is empty
            body = line[1:-1] if line.startswith("|") and line.endswith("|") else line.rstrip("|")
            cells = tuple(c.strip() for c in body.split(sep))
            filled = sum(1 for c in cells if c)
            if filled >= 2 or (filled == 1 and len(cells) >= 3):  # ' | | 组长会': a row under merged cells
                return cells
    return ()


# ------------------------------------------------------------------------ .docx


def read_docx(data: bytes, name: str) -> Source:
    """Paragraphs (with Word's automatic numbering written out) and table rows, in document order."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise PlanImportError(f"{name} 不是有效的 .docx 文件（不是 zip 格式，可能已损坏或只是改了扩展名）",
                              "用 Word 或 WPS 打开后重新“另存为” .docx；或把正文复制到 .txt 文件再导入")
    _check_docx_size(data, name)
    try:
        import docx  # python-docx; imported here so text imports do not pay for lxml
    except ImportError as err:  # pragma: no cover - it is a dependency
        raise PlanImportError("读取 .docx 需要 python-docx", "pip install 'python-docx>=1.1,<2'") from err
    try:
        document = docx.Document(io.BytesIO(data))
        lines = _docx_lines(document)
    except PlanImportError:
        raise
    except Exception as err:  # a third-party parser on untrusted input: any failure means "broken file"
        raise PlanImportError(f"{name} 无法作为 Word 文档读取（{type(err).__name__}）",
                              "用 Word 或 WPS 打开后重新“另存为” .docx；或把正文复制到 .txt 文件再导入") from err
    if not lines:
        raise PlanImportError(f"{name} 里没有文字", "Word 文档是空的，或正文都在图片、文本框里")
    return Source(name, tuple(lines), unit="段")


MAX_DOCX_XML_BYTES = 20 * 1024 * 1024  # the text parts unpacked; a long plan's document.xml is < 2 MB
MAX_DOCX_PARAGRAPHS = 20_000  # a plan has a few hundred paragraphs and table rows
_PARAGRAPH = re.compile(rb"<w:p[\s>/]")


def _check_docx_size(data: bytes, name: str) -> None:
    """A .docx is a zip: a few hundred KB can unpack to gigabytes of XML (a zip bomb). Read the sizes
    in the zip's directory and count paragraphs while streaming, before python-docx parses it."""
    hint = "这不像是一份工作计划；若确实是，把正文复制到 .txt 文件再导入"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            parts = [i for i in z.infolist() if not i.filename.startswith("word/media/")]
            unpacked = sum(i.file_size for i in parts)
            if unpacked > MAX_DOCX_XML_BYTES:
                raise PlanImportError(f"{name} 解压后的文字部分太大（{unpacked // 1024 // 1024} MB，上限 "
                                      f"{MAX_DOCX_XML_BYTES // 1024 // 1024} MB）", hint)
            if "word/document.xml" not in z.namelist():
                return  # python-docx says what is wrong
            paragraphs, tail, read = 0, b"", 0
            with z.open("word/document.xml") as body:
                while chunk := body.read(1 << 20):
                    read += len(chunk)
                    if read > MAX_DOCX_XML_BYTES:  # the directory may lie about sizes
                        raise PlanImportError(f"{name} 解压后的正文超过 {MAX_DOCX_XML_BYTES // 1024 // 1024} MB", hint)
                    paragraphs += len(_PARAGRAPH.findall(tail + chunk))
                    tail = chunk[-5:]
                    paragraphs -= len(_PARAGRAPH.findall(tail))  # counted again with the next chunk
                    if paragraphs > MAX_DOCX_PARAGRAPHS:
                        raise PlanImportError(f"{name} 的段落超过 {MAX_DOCX_PARAGRAPHS} 个", hint)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as e:
        raise PlanImportError(f"{name} 无法作为 Word 文档读取（{type(e).__name__}）",
                              "用 Word 或 WPS 打开后重新“另存为” .docx；或把正文复制到 .txt 文件再导入") from None


def _docx_lines(document) -> list[SourceLine]:
    from docx.oxml.ns import qn
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    numbering = _Numbering(document)
    out: list[SourceLine] = []
    no = 0
    for element in _body_blocks(document.element.body, qn):
        if element.tag == qn("w:p"):
            no += 1
            paragraph = Paragraph(element, document)
            text = paragraph.text.translate(_ZERO_WIDTH).strip()
            if not text:
                continue
            prefix = numbering.prefix(paragraph)
            out.append(SourceLine(no, prefix + text, heading=_heading_level(paragraph)))
        else:
            table = Table(element, document)
            for row in table.rows:
                no += 1
                cells = []
                for tc in row._tr.tc_lst:  # each cell once, however many grid columns it spans
                    # a cell merged with the one above: its text belongs to the first row only
                    text = "" if tc.vMerge == "continue" else _Cell(tc, table).text
                    cells.append(_vertical(text.translate(_ZERO_WIDTH).strip()))
                if any(cells):
                    out.append(SourceLine(no, " | ".join(c.replace("\n", " ") for c in cells if c), cells=tuple(cells)))
    return out


def _vertical(cell: str) -> str:
    """'九\n月\n份' (a narrow cell written one character a line) -> '九月份'."""
    parts = [p.strip() for p in cell.split("\n")]
    return "".join(parts) if len(parts) >= 2 and all(len(p) == 1 for p in parts) else cell


def _body_blocks(parent, qn):
    """w:p and w:tbl children in order, looking inside content controls (w:sdt)."""
    for child in parent.iterchildren():
        if child.tag in (qn("w:p"), qn("w:tbl")):
            yield child
        elif child.tag in (qn("w:sdt"), qn("w:sdtContent")):
            yield from _body_blocks(child, qn)


def _heading_level(paragraph) -> int:
    style = paragraph.style
    while style is not None:
        m = re.match(r"(?:heading|标题)\s*(\d)$", (style.name or "").strip(), re.I)
        if m:
            return int(m.group(1))
        style = style.base_style
    return 0


_CN_DIGITS = "〇一二三四五六七八九"


def _chinese(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, units = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[units] if units else "")
    return str(n)


def _format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt == "decimalFullWidth":
        return str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
    if fmt in ("lowerLetter", "upperLetter") and 1 <= n <= 26:
        return chr((0x61 if fmt == "lowerLetter" else 0x41) + n - 1)
    if fmt in ("lowerRoman", "upperRoman"):
        return str(n)
    return str(n)


class _Numbering:
    """Word's automatic list numbers are not in the text; write them out as the reader sees them."""

    def __init__(self, document) -> None:
        from docx.oxml.ns import qn

        self.qn = qn
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (abstractId, ilvl) -> fmt, text, start
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for abstract in root.findall(qn("w:abstractNum")):
            aid = abstract.get(qn("w:abstractNumId"))
            for lvl in abstract.findall(qn("w:lvl")):
                ilvl = int(lvl.get(qn("w:ilvl")) or 0)
                fmt = self._val(lvl, "w:numFmt") or "decimal"
                text = self._val(lvl, "w:lvlText")
                start = self._val(lvl, "w:start")
                self.levels[(aid, ilvl)] = (fmt, text if text is not None else f"%{ilvl + 1}.",
                                            int(start) if start and start.isdigit() else 1)
        for num in root.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is not None:
                self.abstract_of[num.get(qn("w:numId"))] = ref.get(qn("w:val"))

    def _val(self, element, tag: str) -> str | None:
        child = element.find(self.qn(tag))
        return None if child is None else child.get(self.qn("w:val"))

    def _num_pr(self, paragraph):
        ppr = paragraph._p.pPr
        if ppr is not None and ppr.numPr is not None:
            return ppr.numPr
        style = paragraph.style
        while style is not None:  # "List Number" and friends carry the numbering in the style
            sppr = style.element.pPr
            if sppr is not None and sppr.numPr is not None:
                return sppr.numPr
            style = style.base_style
        return None

    def prefix(self, paragraph) -> str:
        num_pr = self._num_pr(paragraph)
        if num_pr is None or num_pr.numId is None:
            return ""
        num_id = str(num_pr.numId.val)
        ilvl = int(num_pr.ilvl.val) if num_pr.ilvl is not None else 0
        aid = self.abstract_of.get(num_id)
        if aid is None or num_id == "0":
            return ""
        fmt, text, _ = self.levels.get((aid, ilvl), ("decimal", f"%{ilvl + 1}.", 1))
        if fmt in ("bullet", "none"):
            return ""
        counters = self.counters.setdefault(aid, {})
        counters[ilvl] = counters.get(ilvl, self.levels.get((aid, ilvl), ("", "", 1))[2] - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            del counters[deeper]

        def level_number(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            lvl_fmt = self.levels.get((aid, k), ("decimal", "", 1))[0]
            return _format_number(counters.get(k, self.levels.get((aid, k), ("", "", 1))[2]), lvl_fmt)

        return re.sub(r"%(\d)", level_number, text)


# ------------------------------------------------------------------------ .pdf


def read_pdf(data: bytes, name: str) -> Source:
    """A PDF's text layer, page by page; a scan (pictures only) gets a message that says so."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError as err:  # pragma: no cover - it is a dependency
        raise PlanImportError("读取 PDF 需要 pypdf", "pip install 'pypdf>=5.1,<8'") from err
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its repair notes are not the user's business
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise PlanImportError(f"{name} 是加密的 PDF，无法读取文字", "用 PDF 阅读器去掉密码后另存，或把正文复制到 .txt 文件再导入")
        pages = [page.extract_text() or "" for page in reader.pages]
    except PlanImportError:
        raise
    except (PyPdfError, Exception) as err:  # a third-party parser on untrusted input: any failure means "broken file"
        raise PlanImportError(f"{name} 无法作为 PDF 读取（{type(err).__name__}）",
                              "用 PDF 阅读器打开确认文件完好，或把正文复制到 .txt 文件再导入") from err
    if not "".join(pages).strip():
        raise PlanImportError(f"{name} 是扫描版 PDF（只有图片，没有文字层），无法读取文字",
                              "用 WPS 或其他软件的“PDF 转文字（OCR）”识别后另存为 .docx 或 .txt，再导入")
    page_lines = [unwrap_lines(_HAN_SPACE.sub("", page)).splitlines() for page in pages]
    running = _running_lines(page_lines)
    lines: list[str] = []
    drop: dict[int, str] = {}
    for k, page in enumerate(page_lines):
        filled = [i for i, line in enumerate(page) if line.strip()]
        edges = set(filled[:2] + filled[-2:])
        for i, line in enumerate(page):
            lines.append(line)
            if i in edges and _page_key(line) in running and not (k == 0 and filled and i == filled[0]):
                drop[len(lines)] = "页眉页脚"
    return source_from_text("\n".join(lines), name, drop=drop)


def _page_key(line: str) -> str:
    return re.sub(r"\d+", "#", line.strip())


def _running_lines(pages: list[list[str]]) -> set[str]:
    """Lines printed at the top or bottom of two or more pages: a running header or footer
    (page numbers may differ: 第1页 / 第2页)."""
    if len(pages) < 2:
        return set()
    seen: dict[str, int] = {}
    for page in pages:
        filled = [line for line in page if line.strip()]
        for key in {_page_key(line) for line in filled[:2] + filled[-2:]}:
            seen[key] = seen.get(key, 0) + 1
    return {key for key, n in seen.items() if n >= 2}


# Some PDF fonts come out one character at a time: '九 月 份' -> '九月份'.
_HAN_SPACE = re.compile(rf"(?<=[{HAN_CHARS}，。、；：]) (?=[{HAN_CHARS}，。、；：])")
_SENTENCE_END = re.compile(r"[。；;！!？?：:）)」”】]$")
_LINE_START = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|[(（][一二三四五六七八九十\d]+[)）]|\d{1,2}\s*[、.．]|[\u2460-\u2473]"
                         r"|第\s*[一二三四五六七八九十\d]+\s*[周週篇部章]|[一二三四五六七八九十\d]{1,2}\s*月|[•●◆■□*-])")


def unwrap_lines(page: str) -> str:
    """A PDF page's text wraps at the margin: a full-width line that stops mid-sentence goes on in
    the next line, unless that one opens a numbered entry, a heading or a month."""
    lines = [line.strip() for line in page.splitlines()]
    full = max((len(line) for line in lines), default=0)
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if (prev and line and full >= 20 and len(prev) >= 0.85 * full and not _SENTENCE_END.search(prev)
                and not _LINE_START.match(line)):
            out[-1] = prev + line
        else:
            out.append(line)
    return "\n".join(out)
