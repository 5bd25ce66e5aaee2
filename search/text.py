"""Chinese text for search: normalise, then segment — the same way for texts and queries.

Normalising folds full-width forms to half-width (NFKC: ＡＩ → AI, ２０２６ → 2026),
traditional characters to simplified (OpenCC `t2s`: 鋼鐵 → 钢铁) and Latin letters to lower
case. Segmenting uses rjieba (jieba's dictionary in Rust: ~20× jieba's speed at half its
memory, as measured for the README's search section) in search mode, which emits the
parts of long words as well (大模型 → 大 / 模型 / 大模型), so a query for 模型 finds it.
"""

import re
import threading
import unicodedata
from functools import lru_cache

import opencc
import rjieba

_t2s = opencc.OpenCC("t2s")
_tw2sp = opencc.OpenCC("tw2sp")
_dictionary_lock = threading.Lock()
_known_words: set[str] = set()

# A token is worth indexing if it holds a letter, a digit or a CJK character.
_MEANINGFUL = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Characters with a meaning in tsquery syntax; never part of a lexeme we build.
_TSQUERY_SYNTAX = re.compile(r"[&|!():*<>'\"\\\s]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def normalise(text: str) -> str:
    """Full-width → half-width, traditional → simplified, lower case."""
    return _t2s.convert(unicodedata.normalize("NFKC", text)).lower()


def normalise_query_variants(text: str) -> list[str]:
    """The query as written (normalised), and its Taiwan-phrase reading when different:
    `t2s` is character by character (人工智慧 stays), `tw2sp` maps phrases (→ 人工智能) but
    would rewrite documents lossily, so only queries get both."""
    plain = normalise(text)
    phrased = _tw2sp.convert(unicodedata.normalize("NFKC", text)).lower()
    return [plain] if phrased == plain else [plain, phrased]


def add_words(words) -> None:
    """Teach the segmenter words that matter to the site (tag names), once each."""
    with _dictionary_lock:
        for word in words:
            word = normalise(word).strip()
            if len(word) > 1 and word not in _known_words:
                rjieba.add_word(word, None, None)  # default frequency, no part of speech
                _known_words.add(word)
        _segments.cache_clear()


def index_tokens(text: str) -> list[str]:
    """Search-mode tokens of a text, for the index (duplicates kept: they weigh in ranking)."""
    return [t for t in rjieba.cut_for_search(normalise(text)) if clean_token(t)]


def clean_token(token: str) -> str:
    token = _TSQUERY_SYNTAX.sub("", token)
    return token if _MEANINGFUL.search(token) else ""


@lru_cache(maxsize=4096)
def _segments(normalised: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each precise-mode word of a normalised query with its search-mode parts."""
    words = []
    for word in rjieba.cut(normalised):
        word = clean_token(word)
        if not word:
            continue
        parts = tuple(p for p in (clean_token(x) for x in rjieba.cut_for_search(word)) if p)
        words.append((word, tuple(p for p in parts if p != word)))
    return tuple(words)


def query_words(text: str) -> list[str]:
    """The words of a query as a reader means them (for highlighting and suggestions)."""
    words: list[str] = []
    for variant in normalise_query_variants(text):
        for word, _ in _segments(variant):
            if word not in words:
                words.append(word)
    return words


def tsquery(text: str) -> str:
    """A PostgreSQL tsquery (for to_tsquery('simple', …)) matching every word of the query.

    Each word matches itself or all of its parts, so an index built before a word entered
    the dictionary still answers. A query of one CJK character matches as a prefix (钢 →
    钢铁), as a reader typing one character expects.
    Both readings of a traditional query are tried. Returns "" for a query with no words.
    """
    readings = []
    for variant in normalise_query_variants(text):
        segments = _segments(variant)
        terms = [_word_query(word, parts, alone=len(segments) == 1) for word, parts in segments]
        if terms:
            readings.append(" & ".join(terms))
    if not readings:
        return ""
    return readings[0] if len(readings) == 1 else " | ".join(f"({r})" for r in readings)


def _word_query(word: str, parts: tuple[str, ...], *, alone: bool) -> str:
    if alone and len(word) == 1 and _CJK.match(word):
        return f"'{word}':*"
    if not parts:
        return f"'{word}'"
    together = " & ".join(f"'{p}'" for p in parts)
    return f"('{word}' | ({together}))"


def title_prefix_tsquery(text: str) -> str:
    """For autocomplete: every word in a title, the last one typed as a prefix."""
    words = [word for word, _ in _segments(normalise(text))]
    if not words:
        return ""
    return " & ".join([f"'{w}'" for w in words[:-1]] + [f"'{words[-1]}':*"])
