"""The one parser behind "paste the whole text" and the page importer."""

import pytest

from articles.pagedump import PageDumpError, parse_page_dump, section_number, split_essay

DUMP = """聚热点 juredian

钢铁行业的冬天，比温度计更早到来

每到年底，钢铁厂的库房和报价单一起降温。

01

库房里的季节感

走进成品库，冬天的感觉比北风来得更早。

高炉一旦点火，就希望连续运转。

02

很多人把钢价看成一条直线，其实它更像一张网。

03
开春以后
库存终究要在开春时消化。

本站内容收集自互联网，仅供学习交流，如有侵权请联系删除。

搜索建议：钢铁 钢铁词条 产能 产能词条 制造业

热传

县城书店的一盏灯

傍晚的书店亮起灯，几个学生围在书架前低声讨论，窗外是慢慢散去的集市...(展开)

热传
地铁早高峰
换乘通道里，人们加快脚步。
"""


def test_a_page_dump_is_read_in_order():
    page = parse_page_dump(DUMP)
    assert page.title == "钢铁行业的冬天，比温度计更早到来"
    assert page.lede == "每到年底，钢铁厂的库房和报价单一起降温。"
    assert [s.heading for s in page.sections] == ["库房里的季节感", "", "开春以后"]
    assert page.sections[0].paragraphs == [
        "走进成品库，冬天的感觉比北风来得更早。",
        "高炉一旦点火，就希望连续运转。",
    ]
    assert page.sections[2].paragraphs == ["库存终究要在开春时消化。"], "notice line dropped"
    assert page.tags == ["钢铁", "产能", "制造业"], "X词条 repeats X: distinct terms"
    assert [(t.title, t.summary) for t in page.trending] == [
        ("县城书店的一盏灯", "傍晚的书店亮起灯，几个学生围在书架前低声讨论，窗外是慢慢散去的集市"),
        ("地铁早高峰", "换乘通道里，人们加快脚步。"),
    ]


def test_windows_line_endings_and_a_byte_order_mark_are_fine():
    page = parse_page_dump("\ufeff" + DUMP.replace("\n", "\r\n"))
    assert page.title.startswith("钢铁行业")
    assert len(page.sections) == 3


def test_full_width_digits_and_spaces_still_mark_sections():
    assert [section_number(s) for s in ["０１", " 02 ", "0 3", "\u3000０４\u3000"]] == [1, 2, 3, 4]
    assert section_number("2026") is None and section_number("第1节") is None
    essay = split_essay("导语\n０１\n甲。\n 02 \n乙。")
    assert essay.lede == "导语" and len(essay.sections) == 2


def test_a_missing_suggestions_line_means_no_tags():
    page = parse_page_dump("聚热点 juredian\n标题\n01\n正文。\n")
    assert page.tags == [] and page.trending == []


def test_half_width_colon_in_suggestions():
    page = parse_page_dump("聚热点\n标题\n01\n正文。\n搜索建议: 城市 城市词条 地铁\n")
    assert page.tags == ["城市", "地铁"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("聚热点 juredian\n\n\n", "找不到标题"),
        ("聚热点 juredian\n01\n正文", "找不到标题"),
        ("聚热点 juredian\n一个标题\n只有正文，没有编号。\n", "没有分节"),
        ("聚热点 juredian\n" + "长" * 130 + "\n01\n正文", "标题太长"),
    ],
)
def test_unusable_dumps_say_why(text, message):
    with pytest.raises(PageDumpError, match=message):
        parse_page_dump(text)


def test_pasted_text_keeps_every_line_even_ones_that_sound_like_site_notices():
    essay = split_essay("01\n本站记者走访了三家工厂。\n有人认为侵权内容应当删除，这也是正文。\n")
    assert essay.sections[0].paragraphs == [
        "本站记者走访了三家工厂。",
        "有人认为侵权内容应当删除，这也是正文。",
    ]


def test_a_dump_drops_the_old_sites_notices_but_not_text_about_them():
    dump = parse_page_dump(
        "聚热点\n标题\n01\n本站提醒：文章内容来自网络。\n有人认为侵权内容应当删除，这也是正文。\n"
        "本站内容收集自互联网，如有侵权请联系删除。\n搜索建议：钢铁\n"
    )
    assert dump.sections[0].paragraphs == ["有人认为侵权内容应当删除，这也是正文。"]
