"""The importer: a school's raw plan text (.txt/.md/.docx/.pdf) -> plan_data files.

    read.py      bytes -> Source (decoding, .docx paragraphs, numbering and tables, a PDF's text
                 layer, Word-HTML residue set aside)
    tables.py    Source -> Source with flattened tables put back into rows (one cell a line)
    segment.py   Source -> plans and noise (collections, lost headings, site blurbs, page chrome)
    meta.py      title, school, term, sign-off
    outline.py   headings, sections, body as Markdown
    schedule.py  month headings, week rows, items
    projects.py  课题 in 《》 with level and stage
    parse.py     the above, per file -> FileResult, with where every source line went (accounting)
    dump.py      FileResult -> YAML/Markdown, checked with the loader, written atomically
    command.py   `plansite import`

Pure Python: no MkDocs imports.
"""

from .errors import PlanImportError
from .parse import parse_file, parse_source, parse_text
from .result import FileResult, ParsedPlan

__all__ = ["FileResult", "ParsedPlan", "PlanImportError", "parse_file", "parse_source", "parse_text"]
