"""chinese.py: the one numeral parser, the one Traditional -> Simplified conversion, the shared classes."""

from __future__ import annotations

import re

import pytest

from plansite.input.chinese import HAN, HAN_CHARS, RANGE_DASH, cn_int, cn_number, to_simplified
from plansite.importer.text import fold

# The two hand-made tables OpenCC replaced (dates.py and importer/text.py), kept as the reference.
OLD_DATES = ("學課題開結項屆級區縣鎮國與週", "学课题开结项届级区县镇国与周")
OLD_IMPORTER = (
    "學課題開結項屆級區縣鎮國與週計劃曆報評優務進實驗體會員導師們這個為議論組織書檢資範標準備綜設規則讀寫說聽動態"
    "觀點傳統專業經發質現變據將對應於從處長頭歲節紀錄總彙匯邊過還時間問層鄉園東階續討訓練歷選舉辦參賽獎勵鑒鑑證請單"
    "遞啟齊積極強調創費後當兒兩幾雙產醫護療婦週錶築點聖課數僅語閱覽導屬線網頁圖類課題號週",
    "学课题开结项届级区县镇国与周计划历报评优务进实验体会员导师们这个为议论组织书检资范标准备综设规则读写说听动态"
    "观点传统专业经发质现变据将对应于从处长头岁节纪录总汇汇边过还时间问层乡园东阶续讨训练历选举办参赛奖励鉴鉴证请单"
    "递启齐积极强调创费后当儿两几双产医护疗妇周表筑点圣课数仅语阅览导属线网页图类课题号周")


@pytest.mark.parametrize("table", [OLD_DATES, OLD_IMPORTER], ids=["dates", "importer"])
def test_opencc_agrees_with_the_old_tables(table):
    trad, simp = table
    assert len(trad) == len(simp)
    wrong = [(t, s, to_simplified(t)) for t, s in zip(trad, simp) if to_simplified(t) != s]
    assert not wrong


def test_conversion_keeps_the_length_and_leaves_simplified_alone():
    text = "學校教科室（二〇二六）計劃：第１週 9.1—9.7 ①課題開題 ABC"
    assert len(to_simplified(text)) == len(text)
    assert to_simplified(text) == "学校教科室（二〇二六）计划：第１周 9.1—9.7 ①课题开题 ABC"
    plain = "本学期教科室围绕课题研究开展校本培训。"
    assert to_simplified(plain) == plain
    assert len(fold("學(xué)習")) == len("學(xué)習")


@pytest.mark.parametrize("text,value", [("9", 9), ("十", 10), ("十一", 11), ("二十", 20), ("二十三", 23),
                                        ("元", 1), ("正", 1), ("两", 2), ("二〇二六", 2026)])
def test_cn_number(text, value):
    assert cn_number(text) == value


@pytest.mark.parametrize("text", ["", "月", "十x", "x十"])
def test_cn_number_raises_value_error(text):
    with pytest.raises(ValueError):
        cn_number(text)


@pytest.mark.parametrize("text,value", [("三", 3), ("十二", 12), ("7", 7), ("九十九", 99), ("元", None), ("两", None),
                                        ("一二三", None), ("十十", None), ("", None)])
def test_cn_int(text, value):
    assert cn_int(text) == value


def test_shared_classes():
    assert HAN.fullmatch("教科室㐀豈")
    assert not re.search(f"[{HAN_CHARS}]", "ABC，。")
    dash = re.compile(rf"9\.1\s*{RANGE_DASH}\s*9\.7")
    for text in ("9.1-9.7", "9.1--9.7", "9.1—9.7", "9.1～9.7", "9.1至9.7", "9.1~9.7", "9.1–9.7"):
        assert dash.fullmatch(text), text
