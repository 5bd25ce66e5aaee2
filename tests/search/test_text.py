"""Segmentation and normalisation: the same for the index and for queries; words, not
characters."""

from search.text import add_words, document_vector, index_tokens, normalise, parse


def tsquery(text: str) -> str:
    return parse(text).tsquery


def test_traditional_becomes_simplified_and_full_width_half_width():
    assert normalise("鋼鐵") == "钢铁"
    assert normalise("ＡＩ與ＧＰＴ") == "ai与gpt"
    assert normalise("２０２６年") == "2026年"


def test_long_words_give_their_parts_too():
    tokens = index_tokens("钢铁行业的冬天")
    assert {"钢铁", "行业", "钢铁行业"} <= set(tokens)


def test_parts_share_their_words_position_and_fields_do_not_run_together():
    vector = document_vector([("钢铁行业", "A"), ("的冬天", "C")])
    assert "'钢铁行业':1A" in vector and "'钢铁':1A" in vector and "'行业':1A" in vector
    assert "'冬天':4C" in vector, "a gap between fields: no phrase spans them"


def test_mixed_chinese_english_and_numbers():
    tokens = index_tokens("大模型与GPT-4o，2026年的AI办公室")
    assert {"gpt-4o", "2026", "ai", "办公室"} <= set(tokens)
    assert "，" not in tokens, "punctuation is never a term"


def test_queries_are_normalised_like_texts():
    assert parse("鋼鐵").words == ["钢铁"]
    assert parse("鋼鐵").simplified == "钢铁", "the page says it searched 钢铁"
    assert parse("钢铁").simplified == ""
    assert "ai" in parse("ＡＩ").words


def test_traditional_phrases_are_also_tried_in_their_simplified_wording():
    query = tsquery("人工智慧")
    assert "人工智慧" in query and "人工智能" in query


def test_a_single_character_is_tied_to_its_neighbour_not_searched_alone():
    """暖模型 (not a dictionary word) is 暖 followed by 模型, not 暖 anywhere and 模型 anywhere
    (大模型 alike, until it becomes a tag: other tests make it one)."""
    assert tsquery("暖模型") == "('暖' <-> '模型')"
    assert tsquery("城市就业") == "'城市' & '就业'", "two words typed together: both, anywhere"


def test_a_word_that_became_a_tag_still_finds_documents_cut_before():
    add_words(["量子纠缠态"])
    query = tsquery("量子纠缠态")
    assert query.startswith("('量子纠缠态' | ")
    assert "<->" in query, "or the pieces the old dictionary cut it into, in a row"


def test_quoted_text_is_one_phrase_and_grammar_characters_are_dropped():
    assert tsquery('"钢铁行业的冬天"') == "'钢铁行业' <-> '的' <-> '冬天'"
    assert tsquery("城市的就业") == "'城市' & '就业'"


def test_tsquery_syntax_and_sql_in_queries_are_just_words():
    assert tsquery("!!! &&& ||| ()") == ""
    assert tsquery("'; DROP TABLE articles; --") == "'drop' & 'table' & 'articles'"
    assert ":" not in tsquery("a:b*").replace("':*", "")


def test_one_character_is_a_prefix_only_when_alone():
    assert tsquery("钢") == "'钢':*"
    assert ":*" not in tsquery("钢 铁路")
