"""Pinyin slugs: readings, phrase fixes, stability through plan_data/slugs.yml, collisions."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES
from plansite.input.load import load_plan_data
from plansite.input.slugs import heading_slug, pinyin_keys, slugify, unique

# A stability table: these slugs are published; a pypinyin or jieba upgrade that changes one of
# them must be noticed here (published URLs are also fixed in slugs.yml, so sites keep theirs).
STABLE = [
    ("焦溪小学", "jiaoxi-xiaoxue"),
    ("清河实小", "qinghe-shixiao"),
    ("白沙镇中心学校", "baishazhen-zhongxin-xuexiao"),
    ("校本教研活动", "xiaoben-jiaoyan-huodong"),       # 校 is xiao here, not jiao
    ("单县实验小学", "shanxian-shiyan-xiaoxue"),        # 单县 is Shan
    ("教科室工作计划", "jiaokeshi-gongzuo-jihua"),
    ("重庆市巴蜀小学", "chongqingshi-bashu-xiaoxue"),
    ("长春市第一实验小学", "changchunshi-diyi-shiyan-xiaoxue"),
    ("绿色学校", "lvse-xuexiao"),                      # ü as v, URL-safe
    ("2026年秋季行事历", "2026-nian-qiuji-xingshili"),
    ("ABC双语学校", "abc-shuangyuxuexiao"),
]


@pytest.mark.parametrize("text,slug", STABLE)
def test_slug_table(text, slug):
    assert slugify(text) == slug


def test_long_titles_are_cut_at_a_word_and_never_end_on_a_particle():
    slug = slugify("小学整本书阅读“导读—共读—展读”课型的实践研究")
    assert slug == "xiaoxue-zhengbenshu-yuedu-daodu-gongdu-zhandu" and len(slug) <= 48
    assert not slugify("农村留守儿童心理韧性培育的校本实践研究").endswith("-de")


def test_heading_anchors_and_pinyin_keys():
    assert heading_slug("一、加强校本研修") == "yi-jiaqiang-xiaoben-yanxiu"
    assert heading_slug("！！！") == "h"
    assert pinyin_keys("读书节") == ("dushujie", "dsj")
    assert pinyin_keys("校本") == ("xiaoben", "xb")


def test_unique():
    assert unique("a", set()) == "a"
    assert unique("a", {"a", "a-2"}) == "a-3"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    target = tmp_path / "plan_data"
    shutil.copytree(FIXTURES / "mini" / "plan_data", target)
    (target / "slugs.yml").unlink()
    return target


def slugs_of(data_dir, mode="pinyin"):
    result = load_plan_data(data_dir, mode)
    assert result.data is not None, [str(p) for p in result.errors]
    d = result.data
    return ({k: v.slug for k, v in d.schools.items()}, {k: v.slug for k, v in d.plans.items()},
            {k: v.slug for k, v in d.projects.items()}, result.new_slugs)


def test_generated_from_chinese_names(data_dir):
    schools, plans, projects, new = slugs_of(data_dir)
    assert schools == {"dongpo": "dongpo-xiaoxue", "xiyuan": "xiyuan-chuzhong"}  # from short names
    assert plans == {"dongpo-2026-autumn": "dongpo-xiaoxue-2026-autumn", "xiyuan-2027-spring": "xiyuan-chuzhong-2027-spring"}
    assert projects["dp-xiezuo"].startswith("xiaoxue-zhongnianji-xizuo")
    assert new["schools"] == schools  # none of them is stored yet


def test_id_mode(data_dir):
    schools, plans, _, new = slugs_of(data_dir, "id")
    assert schools == {"dongpo": "dongpo", "xiyuan": "xiyuan"} and not any(new.values())


def test_collision_gets_a_suffix_and_the_first_keeps_its_slug(data_dir):
    (data_dir / "schools/dongpo-b.yml").write_text("name: 另一所东坡小学\nshort_name: 东坡小学\n", encoding="utf-8")
    schools, *_ = slugs_of(data_dir)
    assert schools["dongpo"] == "dongpo-xiaoxue" and schools["dongpo-b"] == "dongpo-xiaoxue-2"


def test_stored_slugs_win_and_a_newcomer_cannot_take_them(data_dir):
    run = lambda *a: subprocess.run([sys.executable, "-m", "plansite.adapters.cli", "slugs", str(data_dir), *a],
                                    capture_output=True, text=True, encoding="utf-8", timeout=120)
    listed = run()
    assert listed.returncode == 0 and "schools/dongpo -> dongpo-xiaoxue" in listed.stdout
    assert not (data_dir / "slugs.yml").exists()  # listing writes nothing
    assert run("--write").returncode == 0
    registry = (data_dir / "slugs.yml").read_text(encoding="utf-8")
    assert "  dongpo: dongpo-xiaoxue" in registry
    # the school is renamed and a new school arrives whose name reads the same: URLs do not move
    school = data_dir / "schools/dongpo.yml"
    school.write_text(school.read_text(encoding="utf-8").replace("short_name: 东坡小学", "short_name: 东坡实验小学"),
                      encoding="utf-8")
    (data_dir / "schools/aaa.yml").write_text("name: 测试区东坡小学\nshort_name: 东坡小学\n", encoding="utf-8")
    schools, plans, _, new = slugs_of(data_dir)
    assert schools["dongpo"] == "dongpo-xiaoxue" and plans["dongpo-2026-autumn"] == "dongpo-xiaoxue-2026-autumn"
    assert schools["aaa"] == "dongpo-xiaoxue-2" and new["schools"] == {"aaa": "dongpo-xiaoxue-2"}
    # a removed school keeps its slug reserved
    (data_dir / "schools/xiyuan.yml").unlink()
    for path in (data_dir / "plans/xiyuan-2027-spring.yml", data_dir / "projects/xy-shuxue.yml"):
        path.unlink()
    plan = data_dir / "plans/dongpo-2026-autumn.yml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("  - xy-shuxue\n", ""), encoding="utf-8")
    (data_dir / "schools/bbb.yml").write_text("name: 西苑初中\nshort_name: 西苑初中\n", encoding="utf-8")
    schools, *_ = slugs_of(data_dir)
    assert schools["bbb"] == "xiyuan-chuzhong-2"
    assert run("--write").returncode == 0
    again = (data_dir / "slugs.yml").read_text(encoding="utf-8")
    assert "  dongpo: dongpo-xiaoxue" in again and "  xiyuan: xiyuan-chuzhong" in again  # never removed


def test_explicit_slug_wins(data_dir):
    school = data_dir / "schools/dongpo.yml"
    school.write_text(school.read_text(encoding="utf-8") + "slug: dongpo\n", encoding="utf-8")
    schools, *_ = slugs_of(data_dir)
    assert schools["dongpo"] == "dongpo"


def test_bad_registry(data_dir):
    (data_dir / "slugs.yml").write_text("schools:\n  dongpo: Dong Po\n  xiyuan: Dong Po\nteachers: {}\n",
                                        encoding="utf-8")
    messages = [str(p) for p in load_plan_data(data_dir).errors]
    assert any("slugs.yml:2 schools.dongpo: 网址名 'Dong Po' 不合规范" in m for m in messages), messages
    assert any("未知的分组 'teachers'" in m for m in messages)


def test_characters_pypinyin_cannot_read_never_reach_a_url():
    assert slugify("\ufada") == "x" and slugify("\ufada小学") == "xiaoxue"  # found by hypothesis
    assert pinyin_keys("\ufada学") == ("xue", "x")


def test_check_mentions_unstored_slugs(data_dir):
    result = subprocess.run([sys.executable, "-m", "plansite.adapters.cli", "check", str(data_dir)], capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0 and "个网址名尚未登记" in result.stdout and "--write" in result.stdout
