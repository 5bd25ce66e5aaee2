"""Segmentation and normalisation: the same for the index and for queries."""

from search.text import index_tokens, normalise, query_words, tsquery


def test_traditional_becomes_simplified_and_full_width_half_width():
    assert normalise("鋼鐵") == "钢铁"
    assert normalise("ＡＩ與ＧＰＴ") == "ai与gpt"
    assert normalise("２０２６年") == "2026年"


def test_search_mode_emits_the_parts_of_long_words():
    tokens = index_tokens("钢铁行业的冬天")
    assert {"钢铁", "行业", "钢铁行业"} <= set(tokens)


def test_mixed_chinese_english_and_numbers():
    tokens = index_tokens("大模型与GPT-4o，2026年的AI办公室")
    assert {"gpt-4o", "2026", "ai", "办公室"} <= set(tokens)
    assert "，" not in tokens, "punctuation is never a term"


def test_queries_are_normalised_like_texts():
    assert query_words("鋼鐵") == ["钢铁"]
    assert "ai" in query_words("ＡＩ")


def test_traditional_phrases_are_also_tried_in_their_simplified_wording():
    query = tsquery("人工智慧")
    assert "人工智慧" in query and "人工智能" in query


def test_tsquery_syntax_and_sql_in_queries_are_just_words():
    assert tsquery("!!! &&& ||| ()") == ""
    assert tsquery("'; DROP TABLE articles; --") == "'drop' & 'table' & 'articles'"
    assert ":" not in tsquery("a:b*").replace("':*", "")


def test_one_character_is_a_prefix_only_when_alone():
    assert tsquery("钢") == "'钢':*"
    assert ":*" not in tsquery("钢 铁路")
