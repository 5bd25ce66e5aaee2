"""A realistic synthetic corpus for the search benchmarks: made fast, written with COPY.

- **Words**: 40,000 Chinese words from pypinyin's phrase dictionary (a list of words, no
  text), drawn with a Zipf-like law (the rank-r word about 1/(r+20) as often as the first),
  with grammar characters between them; some 6,000 of them are tags, also Zipf-drawn.
- **Articles**: a title of 2–4 words, 2–5 tags, a lede of two sentences, 3–6 sections of
  2–4 paragraphs of 3–6 sentences (1,500–4,000 characters), and one sentence of its own:
  words from the long tail, a person's name and a code (型号 qk-48213) that only a few
  articles share; published over five years.
- **Fast**: sections come from a seeded pool, segmented once (segmentation stops at
  sentence punctuation, so an article's words are its sections' words in a row); each
  pool section's tsvector is stored once (`corpus_piece`), and PostgreSQL assembles an
  article's vector by concatenating them (`||` shifts the right side's positions past the
  left's) — the very vector `search.text.document_vector` makes of the same text.
- **Resumable**: articles come in batches of `BATCH`, each from its own seed, each one
  transaction; a new run carries on after the last batch written.
"""

import html
import io
import random
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from search import text
from search.indexing import title_key

BATCH = 10_000
VOCABULARY = 40_000
TAGS = 6_000
POOL = 60_000  # sentences; half as many sections are made of them
CODES = 100_000  # product codes: each in about ten articles of a million
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺"
)
GIVEN = "晓岚思远静怡子涵浩然雨桐嘉欣宇航梓萱一鸣若曦文博佳琪俊杰明轩诗雨志强海燕建国秀英丽华伟东"
BASE_DATE = datetime(2026, 11, 30, tzinfo=UTC)
SPREAD_SECONDS = 5 * 365 * 86400  # five years of articles, however many
FUNCTION_WORDS = (
    "的 的 的 了 了 在 和 是 也 都 就 把 被 对 从 向 为 与 而 又 还 更 很 不 "
    "这 那 一个 这些 正在 已经 可能 因为 所以 如果 但是 于是 随着"
).split()
CHANNELS = [
    ("corpus-economy", "经济"), ("corpus-tech", "科技"), ("corpus-society", "社会"),
    ("corpus-culture", "文化"), ("corpus-world", "国际"), ("corpus-life", "生活"),
]  # fmt: skip


def vocabulary(seed: int = 2026) -> list[str]:
    """40,000 words, most common first. As in real Chinese text, the common words are mostly
    of two characters; three- and four-character words (idioms) lean to the long tail."""
    from pypinyin.phrases_dict import phrases_dict

    rng = random.Random(seed)
    words = sorted(w for w in phrases_dict if re.fullmatch(r"[\u4e00-\u9fff]{2,4}", w))
    ranked = sorted(words, key=lambda w: len(w) + rng.random() * 2.5)
    return ranked[:VOCABULARY]


def zipf_weights(count: int, offset: int = 20) -> list[float]:
    return [1.0 / (rank + offset) for rank in range(count)]


@dataclass
class Piece:
    """A section of the pool, segmented once: its HTML, its length in characters, and its
    tsvector literal at weight C from position 2 (after the gap between fields)."""

    html: str
    characters: int
    vector: str


def segmented(value: str) -> list[tuple[str, ...]]:
    return [(w.text, *w.parts) for w in text.segment(text.normalise(value))]


def literal(words: list[tuple[str, ...]], weight: str, start: int = 1) -> str:
    """The tsvector literal of words laid out from position `start` (duplicates of a lexeme
    are merged by PostgreSQL, which keeps its first 256 positions)."""
    return " ".join(
        f"'{lexeme}':{min(start + offset, text.MAX_POSITION)}{weight}"
        for offset, word in enumerate(words)
        for lexeme in word
    )


def make_piece(paragraphs: list[str]) -> Piece:
    words = segmented("".join(paragraphs))
    body = "".join("<p>" + html.escape(p) + "</p>" for p in paragraphs)
    return Piece(body, sum(len(p) for p in paragraphs), literal(words, "C", 2))


class Corpus:
    """The vocabulary, the tags and pools of segmented ledes and paragraphs, made once."""

    def __init__(self, seed: int = 2026, sentences: int = POOL):
        self.words = vocabulary(seed)
        self.tags = self.words[50 : 50 + TAGS]
        text.add_words(self.tags)  # as load_tag_words does before the site indexes
        rng = random.Random(seed)
        self.weights = _cumulative(zipf_weights(len(self.words)))
        self.tag_weights = _cumulative(zipf_weights(len(self.tags), offset=5))
        pool = [self.sentence(rng) for _ in range(sentences)]
        ledes = ["".join(rng.sample(pool, 2)) for _ in range(sentences // 6)]
        self.ledes = [(lede, segmented(lede)) for lede in ledes]
        self.tag_words = {tag: segmented(tag) for tag in self.tags}
        self.sections = [
            make_piece(
                ["".join(rng.sample(pool, rng.randint(3, 6))) for _ in range(rng.randint(2, 4))]
            )
            for _ in range(sentences // 2)
        ]

    def sentence(self, rng: random.Random, words: list[str] | None = None) -> str:
        units = []
        for n in range(rng.randint(5, 12)):
            if words is not None:
                units.append(rng.choice(words))
            elif rng.random() < 0.72:
                units.append(rng.choices(self.words, cum_weights=self.weights)[0])
            else:
                units.append(rng.choice(FUNCTION_WORDS))
            if n and n % 5 == 0 and rng.random() < 0.5:
                units.append("，")
        return "".join(units) + "。"

    def piece_rows(self) -> list[str]:
        """`corpus_piece` as COPY lines: id (its index in the pool + 1) and vector."""
        return [f"{n}\t{p.vector}" for n, p in enumerate(self.sections, start=1)]

    def own_sentence(self, rng: random.Random) -> str:
        """Words few articles share: from the long tail, a name, a code."""
        words = rng.sample(self.words[-8000:], 4)
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
        code = "".join(rng.sample("abcdefghjkmnpqrstuvwxyz", 2)) + f"-{rng.randrange(CODES)}"
        return f"{words[0]}{words[1]}的{name}说，型号{code}的{words[2]}{words[3]}。"


def _cumulative(weights: list[float]) -> list[float]:
    total, running = 0.0, []
    for weight in weights:
        total += weight
        running.append(total)
    return running


@dataclass
class Made:
    """One article's rows, as COPY text lines."""

    article: str
    sections: list[str]
    tags: list[str]  # tag names
    document: str  # a `corpus_document` row: PostgreSQL completes the vector


def copy_text(value) -> str:
    if value is None:
        return r"\N"
    return str(value).replace("\\", "\\\\").replace("\t", " ").replace("\n", " ")


def make_article(corpus: Corpus, n: int, article_id: int, channel_ids: list[int]) -> Made:
    rng = random.Random(n * 7919 + 17)
    title = "".join(rng.choices(corpus.words, cum_weights=corpus.weights, k=rng.randint(2, 4)))
    title = title[:60]
    wanted, tags = rng.randint(2, 5), []
    while len(tags) < wanted:
        tag = rng.choices(corpus.tags, cum_weights=corpus.tag_weights)[0]
        if tag not in tags:
            tags.append(tag)
    lede, lede_words = rng.choice(corpus.ledes)
    sections = rng.sample(range(len(corpus.sections)), rng.randint(3, 6))
    tail = corpus.own_sentence(rng)  # ends the last section
    published = BASE_DATE - timedelta(seconds=n * SPREAD_SECONDS / 1_000_000 + rng.random() * 60)
    channel_id = channel_ids[n % len(channel_ids)]

    # The head as document_vector lays it out: title, tags, lede, a gap after each.
    title_words, tag_words, lede_words = (
        segmented(title),
        segmented(" ".join(tags)),
        segmented(lede),
    )
    head = " ".join(
        part
        for part in (
            literal(title_words, "A", 1),
            literal(tag_words, "A", len(title_words) + 2),
            literal(lede_words, "B", len(title_words) + len(tag_words) + 3),
        )
        if part
    )
    pieces = [n + 1 for n in sections]
    fields = [
        article_id, title, f"corpus-{n}", lede, channel_id, "合成语料", "合成语料", "",
        None, "published", published.isoformat(), published.isoformat(), published.isoformat(),
        None, "", "", "", "", "",
    ]  # fmt: skip
    section_lines = []
    for position, number in enumerate(sections, start=1):
        body, characters = corpus.sections[number].html, corpus.sections[number].characters
        if position == len(sections):
            body += "<p>" + html.escape(tail) + "</p>"
            characters += len(tail)
        section_lines.append(f"{article_id}\t{position}\t\t{copy_text(body)}\t{characters}")
    document = [
        article_id, head, literal(segmented(tail), "C", 1), "{" + ",".join(map(str, pieces)) + "}",
        literal(title_words, "A", 1), published.isoformat(), channel_id, title_key(title),
    ]  # fmt: skip
    return Made(
        "\t".join(copy_text(v) for v in fields),
        section_lines,
        tags,
        "\t".join(copy_text(v) for v in document),
    )


# Made once per database by the generator; the vector of each article is assembled from them.
SETUP_SQL = """
CREATE OR REPLACE AGGREGATE corpus_tsvector_agg(tsvector)
    (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '');
CREATE TABLE IF NOT EXISTS corpus_piece (id integer PRIMARY KEY, vector tsvector);
CREATE UNLOGGED TABLE IF NOT EXISTS corpus_document (
    article_id bigint, head tsvector, tail tsvector, pieces integer[], title_vector tsvector,
    published_at timestamptz, channel_id bigint, title_key text);
"""
# A batch's search rows: head, then each section (shifted past what comes before), then the
# article's own sentence, which ends its last section.
ASSEMBLE_SQL = """
INSERT INTO {table} (article_id, vector, head_vector, title_vector, published_at, channel_id,
                     title_key, format, indexed_at)
SELECT d.article_id,
       d.head || (SELECT corpus_tsvector_agg(p.vector ORDER BY x.n)
                  FROM unnest(d.pieces) WITH ORDINALITY AS x(id, n)
                  JOIN corpus_piece p ON p.id = x.id) || d.tail,
       d.head, d.title_vector, d.published_at, d.channel_id, d.title_key, {format}, now()
FROM corpus_document d;
TRUNCATE corpus_document;
"""
DOCUMENT_COLUMNS = (
    "article_id, head, tail, pieces, title_vector, published_at, channel_id, title_key"
)


# The columns each COPY writes, in the order `make_article` gives them.
ARTICLE_COLUMNS = (
    "id, title, slug, lede, channel_id, byline, source_name, source_url, cover_id, status, "
    "published_at, created_at, updated_at, withdrawn_at, withdrawal_reference, "
    "withdrawal_basis, withdrawal_notice_url, imported_from, import_hash"
)
SECTION_COLUMNS = "article_id, position, heading, body_html, char_count"


def copy_rows(cursor, table: str, columns: str, lines: list[str]) -> None:
    buffer = io.StringIO("\n".join(lines) + "\n")
    cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
