"""Month headings, terms and dated items, as schools write them."""

from datetime import date

import pytest

from plansite.input.dates import DateError, YearMonth, parse_date_text, parse_month_label, parse_term

LABELS = [
    ("九月份", [9]), ("九月", [9]), ("9月", [9]), ("9月份", [9]), ("９月份", [9]),
    ("十月份：", [10]), ("十二月", [12]), ("元月份", [1]), ("元月", [1]), ("一月份", [1]), ("1月", [1]),
    ("十一月份——十二月份", [11, 12]), ("十一月——十二月", [11, 12]), ("十一月 十二月", [11, 12]),
    ("二月 三月", [2, 3]), ("二月、三月", [2, 3]), ("四月、五月", [4, 5]), ("六—七月份", [6, 7]),
    ("六—七月份：", [6, 7]), ("6-7月", [6, 7]), ("十一月至一月", [11, 12, 1]), ("12月～1月", [12, 1]),
    ("三月份:", [3]), ("二月份。", [2]),
]


@pytest.mark.parametrize("label,months", LABELS)
def test_month_labels(label, months):
    assert parse_month_label(label) == months


@pytest.mark.parametrize("label", ["", "月份", "第一周", "十三月", "主要工作内容", "九月份开学"])
def test_month_labels_rejected(label):
    with pytest.raises(DateError) as e:
        parse_month_label(label)
    assert "九月份" in e.value.hint  # the hint teaches the format with examples


TERMS = [
    ("2026秋", "2026-09", "2027-01", "2026年秋季学期"),
    ("2026年秋季学期", "2026-09", "2027-01", "2026年秋季学期"),
    ("2026-autumn", "2026-09", "2027-01", "2026年秋季学期"),
    ("2027春", "2027-02", "2027-07", "2027年春季学期"),
    ("2027-spring", "2027-02", "2027-07", "2027年春季学期"),
    ("2026-2027学年第一学期", "2026-09", "2027-01", "2026年秋季学期"),
    ("2026—2027学年度第二学期", "2027-02", "2027-07", "2027年春季学期"),
    ("2026-2027學年第一學期", "2026-09", "2027-01", "2026年秋季学期"),
    ("2026学年", "2026-09", "2027-07", "2026—2027学年"),
    ("2026-2027学年", "2026-09", "2027-07", "2026—2027学年"),
    ("2026年", "2026-01", "2026-12", "2026年度"),
    ("2026-09..2027-01", "2026-09", "2027-01", "2026-09～2027-01"),
]


@pytest.mark.parametrize("text,start,end,label", TERMS)
def test_terms(text, start, end, label):
    term = parse_term(text)
    assert (str(term.start), str(term.end), term.label) == (start, end, label)


@pytest.mark.parametrize("text", ["秋季", "2026-2028学年", "2027-01..2026-09", "2026-01..2027-06", "下学期"])
def test_terms_rejected(text):
    with pytest.raises(DateError):
        parse_term(text)


def test_month_resolves_to_the_year_inside_the_term():
    autumn = parse_term("2026秋")
    assert autumn.resolve_month(9) == YearMonth(2026, 9)
    assert autumn.resolve_month(1) == YearMonth(2027, 1)
    with pytest.raises(DateError, match="4月不在2026年秋季学期"):
        autumn.resolve_month(4)


AUTUMN = parse_term("2026秋")
SPRING = parse_term("2027春")
DATES = [
    ("10月25日", AUTUMN, None, date(2026, 10, 25), date(2026, 10, 25), None),
    ("１０月２５日", AUTUMN, None, date(2026, 10, 25), date(2026, 10, 25), None),
    ("2026-10-25", AUTUMN, None, date(2026, 10, 25), date(2026, 10, 25), None),
    ("2026年10月25日", AUTUMN, None, date(2026, 10, 25), date(2026, 10, 25), None),
    ("1.5", AUTUMN, None, date(2027, 1, 5), date(2027, 1, 5), None),
    ("4.11～4.17", SPRING, None, date(2027, 4, 11), date(2027, 4, 17), None),
    ("4.11~4.17", SPRING, None, date(2027, 4, 11), date(2027, 4, 17), None),
    ("4.11-17", SPRING, None, date(2027, 4, 11), date(2027, 4, 17), None),
    ("12.28-1.3", AUTUMN, None, date(2026, 12, 28), date(2027, 1, 3), None),
    ("10月中旬", AUTUMN, None, date(2026, 10, 11), date(2026, 10, 20), "中旬"),
    ("2月下旬", SPRING, None, date(2027, 2, 21), date(2027, 2, 28), "下旬"),
    ("上旬", AUTUMN, [YearMonth(2026, 11)], date(2026, 11, 1), date(2026, 11, 10), "上旬"),
    ("月底", AUTUMN, [YearMonth(2026, 11)], date(2026, 11, 21), date(2026, 11, 30), "下旬"),
    ("25日", AUTUMN, [YearMonth(2026, 11)], date(2026, 11, 25), date(2026, 11, 25), None),
]


@pytest.mark.parametrize("text,term,months,start,end,xun", DATES)
def test_dates(text, term, months, start, end, xun):
    span = parse_date_text(text, term, months)
    assert (span.start, span.end, span.xun, span.text) == (start, end, xun, text)


@pytest.mark.parametrize("text,term,months,message", [
    ("2月30日", SPRING, None, "2027年没有2月30日"),
    ("2月29日", SPRING, None, "2027年没有2月29日"),
    ("9月31日", AUTUMN, None, "2026年没有9月31日"),
    ("4月1日", AUTUMN, None, "4月不在2026年秋季学期"),
    ("4.17～4.11", SPRING, None, "结束早于开始"),
    ("中旬", AUTUMN, [YearMonth(2026, 11), YearMonth(2026, 12)], "覆盖多个月"),
    ("下周三", AUTUMN, None, "无法识别的日期"),
    ("2025-10-25", AUTUMN, None, "不在2026年秋季学期"),
])
def test_dates_rejected(text, term, months, message):
    with pytest.raises(DateError, match=message) as e:
        parse_date_text(text, term, months)
    assert e.value.hint
