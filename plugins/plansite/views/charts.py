"""Charts drawn at build time as inline SVG: no script, no CDN, printable.

Each chart has a <title> and <desc>, is marked role="img", and the page puts the same
numbers in a table next to it, so the chart is never the only way to read them. A heat map
whose cells are links is hidden from screen readers instead (links may not sit inside an
image), and its figure caption points to the table. Colour is never the only signal either:
every cell and bar carries its number as text.
"""

from __future__ import annotations

from html import escape


def _text_width(text: str, size: int) -> int:
    """Rough width: CJK characters are square, others about half."""
    return sum(size if ord(c) > 0x2E80 else size * 0.6 for c in text).__int__()


def _shade(value: int, top: int) -> str:
    """White to teal, never so dark that black numbers become unreadable."""
    if value <= 0 or top <= 0:
        return "#ffffff"
    t = value / top
    r, g, b = (int(255 + (c - 255) * (0.15 + 0.55 * t)) for c in (0, 150, 136))
    return f"#{r:02x}{g:02x}{b:02x}"


def heatmap(title: str, rows: list[str], cols: list[str], values: list[list[int]],
            links: list[list[str | None]] | None = None) -> str:
    """A rows × cols grid of counts; a cell with a link is clickable."""
    size, cell_h = 12, 24
    cell_w = max([44] + [_text_width(c, size) + 10 for c in cols])
    left = max([_text_width(r, size) for r in rows] + [40]) + 12
    top = 28
    width = left + cell_w * len(cols) + 4
    height = top + cell_h * len(rows) + 4
    peak = max((v for row in values for v in row), default=0)
    # With links the chart is a mouse shortcut to what the table under it offers everyone: hidden
    # from screen readers (a role="img" may not hold links: axe nested-interactive), links unfocusable.
    role = 'aria-hidden="true"' if links else 'role="img"'
    xlink = ' xmlns:xlink="http://www.w3.org/1999/xlink"' if links else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg"{xlink} class="plansite-chart" {role} '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="{size}">',
           f"<title>{escape(title)}</title>",
           f"<desc>{escape(title)}：行为{escape('、'.join(rows))}；列为{escape('、'.join(cols))}；数字见下表。</desc>"]
    for j, col in enumerate(cols):
        x = left + j * cell_w + cell_w / 2
        out.append(f'<text x="{x:.0f}" y="{top - 10}" text-anchor="middle" fill="#333">{escape(col)}</text>')
    for i, row in enumerate(rows):
        y = top + i * cell_h
        out.append(f'<text x="{left - 8}" y="{y + cell_h / 2 + 4:.0f}" text-anchor="end" fill="#333">{escape(row)}</text>')
        for j, v in enumerate(values[i]):
            x = left + j * cell_w
            cell = (f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" fill="{_shade(v, peak)}" '
                    f'stroke="#cfd8dc"/><text x="{x + cell_w / 2 - 1:.0f}" y="{y + cell_h / 2 + 4:.0f}" '
                    f'text-anchor="middle" fill="#000">{v if v else "·"}</text>')
            link = links[i][j] if links else None
            if link and v:
                # xlink:href, not href: Material's instant navigation assigns every [href] element's
                # href to itself, which throws on an SVG link (its href is read-only)
                cell = f'<a xlink:href="{escape(link)}" tabindex="-1">{cell}</a>'
            out.append(cell)
    out.append("</svg>")
    return "".join(out)


def bars(title: str, labels: list[str], values: list[int]) -> str:
    """Horizontal bars with the number at the end of each bar."""
    size, bar_h, gap = 12, 18, 6
    left = max([_text_width(lab, size) for lab in labels] + [40]) + 12
    span = 320
    width = left + span + 48
    height = (bar_h + gap) * len(labels) + gap
    peak = max(values, default=0) or 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="plansite-chart" role="img" '
           f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="{size}">',
           f"<title>{escape(title)}</title>",
           "<desc>" + escape(f"{title}：" + "；".join(f"{lab} {v}" for lab, v in zip(labels, values))) + "</desc>"]
    for i, (label, v) in enumerate(zip(labels, values)):
        y = gap + i * (bar_h + gap)
        w = span * v / peak
        out.append(f'<text x="{left - 8}" y="{y + bar_h - 5}" text-anchor="end" fill="#333">{escape(label)}</text>'
                   f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#26a69a"/>'
                   f'<text x="{left + w + 6:.1f}" y="{y + bar_h - 5}" fill="#000">{v}</text>')
    out.append("</svg>")
    return "".join(out)
