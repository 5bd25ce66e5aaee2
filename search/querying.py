"""Running a search: the published articles matching a query, ranked or newest first.

The plan is chosen per query from how common its words are (`search.frequency`):
- **bitmap** (a rare query, or a word rarer than any the statistics list): the GIN index
  finds every match at once (a bitmap scan, fenced in a MATERIALIZED CTE); they are sorted
  and, when that is cheap, counted exactly. It reads a heap block per match.
- **walk** (a common query): the newest documents are walked down the date index until a
  page's worth match, each tested against its vector; the count is the statistics'
  estimate. It reads about 20 × documents / matches vectors. The two meet near
  √(2 × 20 × documents) matches (`bitmap_pays`).
- **window** (words in a row — a phrase, a character tied to a word — whose words are all
  common): the index cannot say where words are, so each document with all the words must
  be read; when there are more than `RECHECK_ALL`, the phrase is sought among the newest
  `PHRASE_WINDOW` texts only, and the page says so.
Left to itself, PostgreSQL's planner picks the walk for a rare word (testing tens of
thousands of vectors) or a sequential scan of every vector; so each plan is pinned with
`SET LOCAL` inside the search's transaction.

**Relevance sees every match** without ranking them all: first come the articles whose title
*is* the query, or that carry it as a tag (index lookups, however old), and those whose
title, tags or lede say it (the small head vector: all of them when there are few, else the
newest `HEAD_CANDIDATES`), ranked: the exact title, the exact tag, then the head vector's
rank (title and tags A, lede B), the newest first among equals. After them, the articles
that only say it in the text, newest first, read only when a page reaches that far.
"""

import math
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.core.paginator import Page, Paginator
from django.db import connections, router, transaction
from django.db.models import Prefetch
from django.utils import timezone

from articles.models import Article, Channel, Section, Tag, TaggedArticle

from . import frequency, text
from .highlighting import Highlighter
from .indexing import title_key
from .models import SearchDocument

PAGE_SIZE = 20
QUERY_MAX_CHARS = 100
HEAD_CANDIDATES = 100
HEAD_ALL = 500  # head matches taken all when no more are expected
PHRASE_WINDOW = 2_000  # newest articles whose text a phrase of common words is sought in
RECHECK_ALL = 3_000  # documents whose vectors a phrase may read in full (~15 µs each)
MAX_RESULTS = 1000  # what paging reaches (50 pages); beyond, a filter serves readers better
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A: a title match counts most
PLANS = {
    "bitmap": "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; "
    "SET LOCAL enable_bitmapscan = on; ",
    "walk": "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; "
    "SET LOCAL enable_indexscan = on; ",
    "free": "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = on; "
    "SET LOCAL enable_indexscan = on; ",
}


@dataclass
class SearchRequest:
    query: str = ""
    channel: Channel | None = None
    date_from: date | None = None
    date_to: date | None = None
    newest_first: bool = False
    page: str | int | None = 1
    problems: list[str] = field(default_factory=list)


@dataclass
class SearchResults:
    request: SearchRequest
    page: Page | None
    count: int  # exact when `estimated` is False
    capped: bool  # more matches than paging reaches
    seconds: float
    hits: list = field(default_factory=list)
    estimated: bool = False
    simplified: str = ""  # the simplified form searched, for a traditional query
    partial: bool = False  # a phrase of common words: older articles' text not searched


def bitmap_pays(expected: float, documents: int, *, wanted: int = PAGE_SIZE) -> bool:
    """Whether reading every one of `expected` matches costs less than walking to the newest
    `wanted` of them. The bitmap reads a heap block for each match (~5 µs); the walk reads
    the vector of about wanted × documents / expected articles (~10 µs each, toasted): as
    measured on the benchmark corpus, they meet near √(2 × wanted × documents) matches
    (6,300 for a page of 20 at a million articles)."""
    return expected <= math.sqrt(2 * wanted * max(documents, 1))


def clean_query(raw: str) -> str:
    """At most 100 characters, no control characters, spaces collapsed."""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(cleaned.split())[:QUERY_MAX_CHARS]


class _Matches:
    """The ids of a search's results, in order, fetched a page at a time: what Django's
    paginator needs (a length and slices)."""

    def __init__(self, fetch, total: int):
        self.fetch, self.total = fetch, total

    def __len__(self) -> int:
        return min(self.total, MAX_RESULTS)

    def __getitem__(self, index):
        return self.fetch(index.start or 0, (index.stop or len(self)) - (index.start or 0))


def run(request: SearchRequest) -> SearchResults:
    started = time.perf_counter()
    query = text.parse(request.query)
    if not query.tsquery:
        return SearchResults(request, None, 0, False, time.perf_counter() - started)
    with transaction.atomic(using=router.db_for_read(SearchDocument)):  # SET LOCAL ends here
        search = Search(query, request)
        total, exact = search.total()
        if not request.newest_first:  # what the head candidates hold is known exactly
            total = max(total, len(search.ranked_head()))
        matches = _Matches(search.newest if request.newest_first else search.ranked, total)
        page = Paginator(matches, PAGE_SIZE).get_page(request.page)
        ids = list(page.object_list)
    articles = (
        Article.objects.public()
        .filter(pk__in=ids)
        .with_card_data()
        .prefetch_related(
            Prefetch("sections", queryset=Section.objects.only("article_id", "body_html"))
        )
        .in_bulk()
    )
    highlighter = Highlighter(query.words)
    hits = [highlighter.hit(articles[pk]) for pk in ids if pk in articles]
    return SearchResults(
        request, page, total, total > MAX_RESULTS, time.perf_counter() - started, hits,
        estimated=not exact, simplified=query.simplified, partial=search.partial,
    )  # fmt: skip


class Search:
    """One query with its filters, and the plan to run it (see the module's docstring)."""

    def __init__(self, query: text.Query, request: SearchRequest):
        self.query, self.request = query, request
        self.alias = router.db_for_read(SearchDocument)
        self.table = SearchDocument._meta.db_table
        statistics = frequency.current()
        self.expected = statistics.matches(query.terms)
        if query.needs_recheck:
            # Words in a row, or a prefix: no statistic says how many match; what bounds the
            # cost is how many documents have all the words anywhere (each is read).
            self.expected = statistics.matches(query.terms, adjacency=False)
            self.plan = "bitmap" if self.expected <= RECHECK_ALL else "window"
        elif any(statistics.unlisted(term) for term in query.terms):
            # A word rarer than any the statistics list: at most a few thousand matches,
            # and a walk could read every vector before it found one.
            self.plan = "bitmap"
        else:
            rare = bitmap_pays(self.expected, statistics.documents)
            self.plan = "bitmap" if rare else "walk"
        # Below this many matches, reading them all (to count them) costs less than a page.
        self.count_all = math.sqrt(2 * PAGE_SIZE * statistics.documents)
        self._listed: tuple[list[int], int] | None = None
        self._head: list[int] | None = None

    @property
    def partial(self) -> bool:
        """The text of older articles was not searched (a phrase of common words)."""
        return self.plan == "window"

    # --- SQL -------------------------------------------------------------------------------

    def filters(self) -> tuple[str, list]:
        sql = ["published_at <= %s"]
        params: list = [timezone.now()]
        if self.request.channel:
            sql.append("channel_id = %s")
            params.append(self.request.channel.pk)
        if self.request.date_from:
            sql.append("published_at >= %s")
            params.append(_day_start(self.request.date_from))
        if self.request.date_to and self.request.date_to < date.max:
            sql.append("published_at < %s")
            params.append(_day_start(self.request.date_to + timedelta(days=1)))
        return " AND ".join(sql), params

    def _rows(self, sql: str, params: list, *, plan: str) -> list[tuple]:
        """Run `sql` with the planner held to `plan` (see `PLANS`). `SET LOCAL` lasts to
        the end of the transaction `run` holds; it goes with the statement, in one round
        trip."""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(PLANS[plan] + sql, params)
            return cursor.fetchall()

    # --- newest first ------------------------------------------------------------------------

    def listed(self) -> tuple[list[int], int]:
        """(the newest `MAX_RESULTS` matches, how many match in all), read at once: every
        match from the GIN index ("bitmap"), or the matches among the newest
        `PHRASE_WINDOW` articles ("window")."""
        if self._listed is None:
            where, params = self.filters()
            if self.plan == "bitmap":
                source = (
                    f"SELECT article_id, published_at FROM {self.table} "
                    f"WHERE vector @@ %s::tsquery AND {where}"
                )
                params = [self.query.tsquery, *params]
            else:
                source = (
                    f"SELECT article_id, published_at FROM (SELECT article_id, published_at, "
                    f"vector FROM {self.table} WHERE {where} ORDER BY published_at DESC, "
                    f"article_id DESC LIMIT {PHRASE_WINDOW}) w WHERE vector @@ %s::tsquery"
                )
                params = [*params, self.query.tsquery]
            rows = self._rows(
                f"WITH m AS MATERIALIZED ({source}) SELECT article_id, count(*) OVER () FROM m "
                f"ORDER BY published_at DESC, article_id DESC LIMIT {MAX_RESULTS}",
                params,
                plan="bitmap" if self.plan == "bitmap" else "walk",
            )
            self._listed = ([row[0] for row in rows], rows[0][1] if rows else 0)
        return self._listed

    def newest(self, offset: int, limit: int) -> list[int]:
        if self.plan != "walk":
            return self.listed()[0][offset : offset + limit]
        where, params = self.filters()
        rows = self._rows(
            f"SELECT article_id FROM {self.table} WHERE vector @@ %s::tsquery AND {where} "
            "ORDER BY published_at DESC, article_id DESC LIMIT %s OFFSET %s",
            [self.query.tsquery, *params, limit, offset],
            plan="walk",
        )
        return [row[0] for row in rows]

    def total(self) -> tuple[int, bool]:
        """(how many match, exactly?): counted when every match is read cheaply anyway (a
        rare query, or a phrase), else the statistics' estimate."""
        if self.plan == "walk" or (self.plan == "bitmap" and self.expected > self.count_all):
            return round(self.expected), False
        return self.listed()[1], True

    # --- by relevance ----------------------------------------------------------------------

    def ranked(self, offset: int, limit: int) -> list[int]:
        """Results `offset` to `offset + limit` by relevance: the ranked head candidates
        (see the module's docstring), then what only the text says, newest first — read
        only when a page reaches past the head candidates."""
        head = self.ranked_head()
        found = head[offset : offset + limit]
        if len(found) < limit:
            shown = set(head)
            wanted = offset + limit - len(head)
            body = [i for i in self.newest(0, wanted + len(head)) if i not in shown]
            start = max(0, offset - len(head))
            found += body[start : start + limit - len(found)]
        return found

    def ranked_head(self) -> list[int]:
        """The articles titled or tagged with the query, or saying it up front, best first:
        the exact title, then the exact tag, then the head vector's rank, then the newest."""
        if self._head is not None:
            return self._head
        key = title_key(self.request.query)
        where, params = self.filters()
        titled = self._rows(
            f"SELECT article_id FROM {self.table} WHERE title_key = %s AND {where}",
            [key, *params],
            plan="walk",
        )
        tagged = [row[0] for row in self._tagged(key, where, params)]
        candidates = {row[0] for row in titled} | set(tagged)
        candidates.update(self._head_matches(where, params))
        self._head = []
        if candidates:
            rows = self._rows(
                f"SELECT article_id FROM {self.table} WHERE article_id = ANY(%s) "
                "ORDER BY (title_key = %s) DESC, (article_id = ANY(%s)) DESC, "
                f"round(ts_rank('{WEIGHTS}', coalesce(head_vector, ''), %s::tsquery)::numeric, "
                "3) DESC, published_at DESC, article_id DESC",
                [list(candidates), key, tagged, self.query.tsquery],
                plan="walk",
            )
            self._head = [row[0] for row in rows]
        return self._head

    def _head_matches(self, where: str, params: list) -> list[int]:
        """Articles whose title, tags or lede say it: all of them when there are few, else
        the newest `HEAD_CANDIDATES` — from the index when there are not many more, else
        down the date index (head vectors are small and stored inline: cheap to test)."""
        head = frequency.current("head_vector")
        expected = head.matches(self.query.terms)
        if self.query.needs_recheck:  # each document with all the words is read
            expected = head.matches(self.query.terms, adjacency=False)
        sql = f"SELECT article_id FROM {self.table} WHERE head_vector @@ %s::tsquery AND {where}"
        if expected > HEAD_ALL:
            sql += f" ORDER BY published_at DESC, article_id DESC LIMIT {HEAD_CANDIDATES}"
        # Testing an inline head vector costs a tenth of reading a heap block.
        bitmap = expected <= math.sqrt(0.1 * HEAD_CANDIDATES * head.documents)
        rows = self._rows(sql, [self.query.tsquery, *params], plan="bitmap" if bitmap else "walk")
        return [row[0] for row in rows]

    def _tagged(self, name: str, where: str, params: list) -> list[tuple]:
        """The newest articles carrying a tag named exactly as the query: the tag's last
        rows (article ids grow with time) from its own index, then the filters."""
        tags = Tag.objects.using(self.alias).filter(name__iexact=name)
        tag = tags.values_list("pk", flat=True).first()
        if tag is None:
            return []
        tagged = TaggedArticle._meta.db_table
        return self._rows(
            f"SELECT d.article_id FROM (SELECT content_object_id FROM {tagged} WHERE tag_id = %s "
            f"ORDER BY content_object_id DESC LIMIT {HEAD_CANDIDATES}) t "
            f"JOIN {self.table} d ON d.article_id = t.content_object_id WHERE {where}",
            [tag, *params],
            plan="walk",
        )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime.min))
