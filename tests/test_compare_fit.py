"""Comparison pages at a phone (390 px), a laptop (1366 px) and a wide screen (1920 px): no table or
chart is wider than its container without a visible scroll cue, and every column of every table can
be scrolled into view next to the school's name (the sticky first column)."""

from __future__ import annotations

import pytest

from conftest import report

import json

pytestmark = pytest.mark.browser

WIDTHS = [390, 1366, 1920]

MEASURE = """() => {
  const out = [];
  const article = document.querySelector('.md-content').getBoundingClientRect();  // the content column
  for (const box of document.querySelectorAll('article table, article .plansite-figure')) {
    // what scrolls: Material's wrapper around a table, else the table or the figure itself
    const scroller = box.tagName === 'TABLE' ? (box.closest('.md-typeset__scrollwrap') || box) : box;
    const wide = scroller.scrollWidth > scroller.clientWidth + 1 || box.scrollWidth > box.clientWidth + 1;
    const cue = scroller.previousElementSibling;
    const cueShown = !!cue && cue.classList.contains('plansite-scroll-cue') && cue.offsetHeight > 0;
    const scrolls = ['auto', 'scroll'].includes(getComputedStyle(scroller).overflowX);
    let reachable = true, sticky = true;
    if (box.tagName === 'TABLE' && box.tHead) {
      const head = [...box.tHead.rows[0].cells];
      scroller.scrollLeft = scroller.scrollWidth;
      const frame = scroller.getBoundingClientRect();
      reachable = head[head.length - 1].getBoundingClientRect().right <= frame.right + 1;
      sticky = !wide || head[0].getBoundingClientRect().left >= frame.left - 1;
      scroller.scrollLeft = 0;
    }
    out.push({kind: box.tagName, wide, cueShown, scrolls, reachable, sticky,
              fits: scroller.getBoundingClientRect().right <= article.right + 1,
              name: (box.tHead ? box.tHead.innerText.slice(0, 30) : box.innerText.slice(0, 30))});
  }
  return out;
}"""


@pytest.mark.parametrize("width", WIDTHS)
def test_comparison_tables_and_charts_fit_or_say_they_scroll(browser, demo_url, demo_site, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    # every comparison page, and the other pages of tables: the months grid, schools and projects
    urls = json.loads((demo_site / "data/plans.json").read_text(encoding="utf-8"))["pages"]["compare"]
    urls += ["calendar/", "schools/", "projects/"]
    assert len(urls) >= 3
    problems, wide, total = [], 0, 0
    for url in urls:
        page.goto(demo_url + url)
        page.wait_for_load_state("load")
        page.wait_for_timeout(100)
        for box in page.evaluate(MEASURE):
            wide += box["wide"]
            total += 1
            if box["wide"] and not (box["cueShown"] and box["scrolls"]):
                problems.append(f"{url} {box['kind']} {box['name']!r}: wider than its box, no scroll cue")
            if not box["reachable"]:
                problems.append(f"{url} {box['kind']} {box['name']!r}: last column cannot be scrolled into view")
            if not box["sticky"]:
                problems.append(f"{url} {box['kind']} {box['name']!r}: first column scrolls away")
            if not box["fits"]:
                problems.append(f"{url} {box['kind']} {box['name']!r}: sticks out of the content column")
    context.close()
    report(f"comparison and table pages at {width} px: {wide} of {total} tables and charts scroll sideways, each with a cue")
    assert not problems, "\n".join(problems)
    if width == 390:
        assert wide, "at phone width some comparison table must scroll: the test would prove nothing"
