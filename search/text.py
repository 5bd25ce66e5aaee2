"""Chinese text for search: normalise, segment into words, and turn texts into tsvectors and
queries into tsqueries — the same way for both.

Normalising folds full-width forms to half-width (NFKC: ＡＩ → AI, ２０２６ → 2026),
traditional characters to simplified (OpenCC `t2s`: 鋼鐵 → 钢铁) and Latin letters to lower
case. Segmenting uses rjieba (jieba's dictionary in Rust, ~20× jieba's speed at half its
memory) in precise mode, with the site's tag words added to its dictionary.

**Words, not characters.** A document's vector is built here, position by position: each
precise-mode word at its own position, and the parts of a long word (钢铁行业 → 钢铁, 行业)
at the same position, so a search for 钢铁 finds 钢铁行业. A query's single characters are
tied to their neighbour as a phrase (大模型, unknown to the dictionary, is 大 followed by
模型), so 大 anywhere and 模型 anywhere else is not a match; characters the dictionary
leaves alone one after another (a name, 戽斗) are also indexed joined, so such a word is one
lexeme. A known word is also tried as the dictionary without the site's words would have
cut it, so a document indexed before the word became a tag still answers. Quoted text
("钢铁行业的冬天") is one phrase.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import opencc
import rjieba

_t2s = opencc.OpenCC("t2s")
_tw2sp = opencc.OpenCC("tw2sp")
_base = rjieba.Jieba()  # jieba's own dictionary only: how a word was cut before it was a tag
_dictionary_lock = threading.Lock()
_known_words: set[str] = set()

# A token is worth indexing if it holds a letter, a digit or a CJK character.
_MEANINGFUL = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Characters with a meaning in tsquery or tsvector syntax; never part of a lexeme we build.
_SYNTAX = re.compile(r"[&|!():*<>'\"\\\s]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|『([^』]*)』')
MAX_LEXEME = 60  # characters; longer tokens (pasted URLs, hashes) are cut
MAX_POSITION = 16383  # PostgreSQL's largest tsvector position
MAX_POSITIONS = 256  # positions kept per lexeme, as PostgreSQL keeps
MAX_JOINED = 4  # lone characters joined into one lexeme at most (see `_join`)
# Characters that are grammar, not meaning: dropped from queries (a query of only these
# still searches them).
FUNCTION_CHARACTERS = set("的了是在和与及或也都就而之把被着过对从向为将于以其")


def normalise(text: str) -> str:
    """Full-width → half-width, traditional → simplified, lower case. (Most text is NFKC
    already, and the check is a thousand times cheaper than normalising.)"""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return _t2s.convert(text).lower()


def add_words(words) -> None:
    """Teach the segmenter words that matter to the site (tag names), once each."""
    with _dictionary_lock:
        for word in words:
            word = normalise(word).strip()
            if len(word) > 1 and word not in _known_words:
                rjieba.add_word(word, None, None)  # default frequency, no part of speech
                _known_words.add(word)
        _query_words.cache_clear()


def clean_token(token: str) -> str:
    token = _SYNTAX.sub("", token)[:MAX_LEXEME]
    return token if _MEANINGFUL.search(token) else ""


@dataclass(frozen=True)
class Word:
    text: str
    parts: tuple[str, ...] = ()  # the word's own words of two characters or more


def segment(normalised: str) -> list[Word]:
    """The precise-mode words of a normalised text, each with its parts (search mode), and
    characters the dictionary left alone joined (see `_join`)."""
    words: list[Word] = []
    run: list[int] = []  # where in `words` the current run of lone characters is
    for token in rjieba.cut(normalised):
        word = clean_token(token)
        if not word:  # punctuation or a space: no word runs across it
            _join(words, run)
            run = []
            continue
        parts = ()
        if len(word) > 2:
            parts = tuple(
                part
                for part in dict.fromkeys(clean_token(p) for p in rjieba.cut_for_search(word))
                if len(part) > 1 and part != word
            )
        words.append(Word(word, parts))
        if _lone(word):
            run.append(len(words) - 1)
        else:
            _join(words, run)
            run = []
    _join(words, run)
    return words


def _lone(word: str) -> bool:
    return len(word) == 1 and bool(_CJK.match(word)) and word not in FUNCTION_CHARACTERS


def _join(words: list[Word], run: list[int]) -> None:
    """Characters the dictionary left on their own, one after another, are mostly a word it
    does not know (a name, 戽斗, 锟斤拷). Each, joined with up to `MAX_JOINED` - 1 that
    follow it, becomes a part at its position, so that the word typed is one lexeme and
    is found without reading any document's vector."""
    for index, at in enumerate(run):
        joined, extra = words[at].text, []
        for following in run[index + 1 : index + MAX_JOINED]:
            joined += words[following].text
            extra.append(joined)
        if extra:
            words[at] = Word(words[at].text, (*words[at].parts, *extra))


def index_tokens(text: str) -> list[str]:
    """The lexemes a text gives the index (a word, then its parts), in order."""
    return [lexeme for word in segment(normalise(text)) for lexeme in (word.text, *word.parts)]


def document_vector(fields) -> str:
    """A tsvector literal for [(text, weight)]: each word at its own position, its parts at
    the same one; a gap between fields so that no phrase runs from one into the next."""
    positions: dict[str, list[str]] = {}
    position = 0
    for text, weight in fields:
        for word in segment(normalise(text)):
            position = min(position + 1, MAX_POSITION)
            for lexeme in (word.text, *word.parts):
                found = positions.setdefault(lexeme, [])
                if len(found) < MAX_POSITIONS:
                    found.append(f"{position}{weight}")
        position += 1
    return " ".join(f"'{lexeme}':{','.join(at)}" for lexeme, at in positions.items())


# --- queries -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One of the parts of a query that must all match, as the frequency estimate sees it:
    any of `lexemes` (a word); all of them in a row, either typed together (a word the
    dictionary cuts into characters, 戽斗 → 戽 斗: they come together) or quoted (a phrase:
    its words may well come apart); or a prefix."""

    lexemes: tuple[str, ...]
    kind: str = "word"  # "word", "joined", "phrase" or "prefix"


@dataclass
class Query:
    """What a reader's search means to the index."""

    tsquery: str  # '' when nothing in it can be searched
    words: list[str]  # for highlighting
    simplified: str = ""  # the simplified form searched, when it differs from what was typed
    terms: list[Term] = field(default_factory=list)  # all must match

    @property
    def needs_recheck(self) -> bool:
        """Words in a row and prefixes make PostgreSQL read each candidate's vector."""
        return any(term.kind != "word" for term in self.terms)

    @property
    def quoted(self) -> bool:
        return any(term.kind == "phrase" for term in self.terms)


def parse(text: str) -> Query:
    """The tsquery for a reader's search: every term must match. Both readings of a
    traditional query are tried (`t2s` character by character, `tw2sp` by phrase)."""
    plain = normalise(text)
    phrased = _tw2sp.convert(unicodedata.normalize("NFKC", text)).lower()
    readings, words, terms = [], [], []
    for variant in dict.fromkeys([plain, phrased]):
        tsquery, variant_words, variant_terms = _reading(variant)
        if tsquery:
            readings.append(tsquery)
            words += [w for w in variant_words if w not in words]
            terms = terms or variant_terms
    if not readings:
        return Query("", [])
    tsquery = readings[0] if len(readings) == 1 else " | ".join(f"({r})" for r in readings)
    typed = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    simplified = " ".join(plain.split())
    return Query(tsquery, words, simplified if simplified != typed else "", terms)


def _reading(normalised: str) -> tuple[str, list[str], list[Term]]:
    """(tsquery, words, terms) of one normalised reading."""
    terms: list[str] = []
    words: list[str] = []
    frequencies: list[Term] = []
    rest = _QUOTED.sub(" ", normalised)
    for groups in _QUOTED.findall(normalised):
        phrase = [w.text for w in segment("".join(groups))]
        if phrase:
            terms.append(" <-> ".join(f"'{w}'" for w in phrase))
            words.append("".join(phrase))
            frequencies.append(Term(tuple(phrase), "phrase" if len(phrase) > 1 else "word"))
    runs = [_query_words(run) for run in rest.split()]
    alone = sum(len(run) for run in runs) == 1
    for run in runs:
        for unit in _units(run, alone=alone):
            term, lexemes = _term(unit, alone=alone)
            terms.append(term)
            words.append("".join(unit))
            frequencies.append(lexemes)
    return " & ".join(terms), words, frequencies


@lru_cache(maxsize=4096)
def _query_words(run: str) -> tuple[str, ...]:
    return tuple(word.text for word in segment(run))


def _units(words: tuple[str, ...], *, alone: bool) -> list[list[str]]:
    """The words of one run of typed text, grouped: a single character is tied to the word
    after it (or before, at the end) as a phrase; grammar characters are dropped."""
    if alone:
        return [list(words)] if words else []
    kept = [w for w in words if w not in FUNCTION_CHARACTERS] or list(words)
    units: list[list[str]] = []
    pending: list[str] = []
    for word in kept:
        if len(word) == 1 and _CJK.match(word):
            pending.append(word)
            continue
        units.append([*pending, word])
        pending = []
    if pending:
        if units:
            units[-1] += pending
        else:
            units.append(pending)
    return units


def _term(unit: list[str], *, alone: bool) -> tuple[str, Term]:
    """One AND-ed term: a word (or its older cut), a phrase, or one character's prefix."""
    if alone and len(unit) == 1 and len(unit[0]) == 1 and _CJK.match(unit[0]):
        return f"'{unit[0]}':*", Term((unit[0],), "prefix")
    if 1 < len(unit) <= MAX_JOINED and all(_lone(w) for w in unit):
        joined = "".join(unit)  # indexed whole (see `_join`)
        return f"'{joined}'", Term((joined,))
    if len(unit) > 1:
        return "(" + " <-> ".join(f"'{w}'" for w in unit) + ")", Term(tuple(unit), "joined")
    word = unit[0]
    older = [clean_token(p) for p in _base.cut(word)]
    older = [p for p in older if p]
    if len(older) > 1:
        return f"('{word}' | " + " <-> ".join(f"'{p}'" for p in older) + ")", Term((word,))
    return f"'{word}'", Term((word,))


def title_prefix_tsquery(text: str) -> str:
    """For autocomplete: every word in a title, the last one typed as a prefix."""
    words = [word.text for word in segment(normalise(text))]
    if not words:
        return ""
    return " & ".join([f"'{w}'" for w in words[:-1]] + [f"'{words[-1]}':*"])
