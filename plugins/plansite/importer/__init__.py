"""The importer: a school's raw plan text (.txt/.md/.docx/.pdf) -> plan_data files.

    read.py      bytes -> Source (decoding, .docx paragraphs, numbering and tables, a PDF's text
                 layer, Word-HTML residue set aside)
    tables.py    Source -> Source with tables in any clothing put back into rows (one cell a line,
                 cells closed by ' |', a character a line, cut and glued cells, a caption row)
    runon.py     a line that lost its line breaks -> the lines it was (runs of months, of sections)
    segment.py   Source -> plans and noise (collections, lost headings, site blurbs, page chrome,
                 a site's title over the document's, a table of contents)
    meta.py      title, school, term, sign-off
    outline.py   headings, sections, body as Markdown
    schedule.py  month headings, week rows, phases, dated lines, items
      cells.py   what a table's column or cell is (周次, 日期, 负责人 … or a week, a date, an office)
      grid.py    a table's rows -> blocks: each row an item of its week or month
      items.py   a line or a cell -> items (numbered entries, line breaks, `；` lists)
    projects.py  课题 in 《》 with level and stage; rows of a 课题名称 table; a list under …立项课题：
    parse.py     the above, per file -> FileResult, with where every source line went (accounting)
                 and, for a plan with no schedule, the lines that look like one
    dump.py      FileResult -> YAML/Markdown, checked with the loader, written atomically
    review.py    what the import did and could not do: failed plans first, each problem's fix
    command.py   `plansite import`

Pure Python: no MkDocs imports.
"""

from importlib import import_module

# Where each name of the package lives: loaded on first use, so a command that only needs one
# small module of the importer (an id, the import command's options) skips compiling the parser's
# hundreds of patterns.
_NAMES = {"PlanImportError": ".errors", "parse_file": ".parse", "parse_source": ".parse", "parse_text": ".parse",
          "FileResult": ".result", "ParsedPlan": ".result"}
__all__ = sorted(_NAMES)


def __getattr__(name: str):
    if name not in _NAMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(_NAMES[name], __name__), name)
    globals()[name] = value
    return value
