"""Highlighting matched words in titles and snippets, in Python, escaping everything else.

PostgreSQL's ts_headline cannot see words in unsegmented Chinese; here the text is
normalised character by character (so offsets stay aligned with the original), the query's
words are found in it, and the original characters are wrapped in <mark>.
"""

import html
import unicodedata
from dataclasses import dataclass
from itertools import chain

import opencc
from django.utils.safestring import SafeString, mark_safe

SNIPPET_CHARS = 110
_t2s = opencc.OpenCC("t2s")


def aligned_normalise(value: str) -> str:
    """`search.text.normalise`, one character for one character, so offsets carry over."""
    # The quick check is several times faster than normalising, and most text passes it.
    is_folded = unicodedata.is_normalized("NFKC", value)
    folded = value if is_folded else unicodedata.normalize("NFKC", value)
    if len(folded) != len(value):  # rare: a character that expands (㎡ → m2); go one by one
        folded = "".join(_fold(ch) for ch in value)
    converted = _t2s.convert(folded)
    if len(converted) != len(folded):
        converted = folded
    lowered = converted.lower()
    return lowered if len(lowered) == len(converted) else converted


def _fold(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    return folded if len(folded) == 1 else ch


@dataclass
class Hit:
    article: object
    title_html: SafeString
    snippet_html: SafeString


class Highlighter:
    def __init__(self, words: list[str]):
        self.words = sorted({w for w in words if w}, key=len, reverse=True)

    def spans(self, value: str) -> list[tuple[int, int]]:
        """Merged (start, end) ranges of every occurrence of a query word."""
        normalised = aligned_normalise(value)
        found = []
        for word in self.words:
            start = normalised.find(word)
            while start != -1:
                found.append((start, start + len(word)))
                start = normalised.find(word, start + len(word))
        merged: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
            else:
                merged.append((start, end))
        return merged

    def mark(self, value: str, spans=None) -> SafeString:
        spans = self.spans(value) if spans is None else spans
        parts, cursor = [], 0
        for start, end in spans:
            parts.append(html.escape(value[cursor:start]))
            parts.append(f"<mark>{html.escape(value[start:end])}</mark>")
            cursor = end
        parts.append(html.escape(value[cursor:]))
        return mark_safe("".join(parts))

    def snippet(self, value: str) -> SafeString:
        """About 110 characters around the first match (or the opening), highlighted."""
        spans = self.spans(value)
        first = spans[0][0] if spans else 0
        start = max(0, first - SNIPPET_CHARS // 4)
        end = min(len(value), start + SNIPPET_CHARS)
        window = value[start:end]
        inside = [(s - start, min(e, end) - start) for s, e in spans if s >= start and s < end]
        prefix = "…" if start > 0 else ""
        suffix = "…" if end < len(value) else ""
        return mark_safe(prefix + self.mark(window, inside) + suffix)

    def hit(self, article) -> Hit:
        """The title highlighted, and a snippet from the first part of the text (lede, then
        each section) that holds a match — later sections are never read."""
        parts = chain([article.lede], (s.plain_text for s in article.sections.all()))
        chosen = ""
        for part in parts:
            plain = " ".join(part.split())
            if not chosen:
                chosen = plain
            if self.spans(plain):
                chosen = plain
                break
        return Hit(article, self.mark(article.title), self.snippet(chosen))
