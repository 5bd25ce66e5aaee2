"""Running a search: the published articles matching a query, ranked or newest first.

Two plans, chosen per query from how common its words are (`search.frequency`):
- **a rare query** (at most `RARE` documents): the GIN index finds every match at once
  (a bitmap scan, fenced in a MATERIALIZED CTE), and they are sorted and counted exactly;
- **a common query**: the newest documents are walked down the date index until a page's
  worth match, each tested against its vector; the count is the statistics' estimate.
Left to itself, PostgreSQL's planner picks the walk for a rare word (testing tens of
thousands of vectors) or a sequential scan of every vector; so each plan is pinned with
`SET LOCAL` inside its own transaction.

**Relevance sees every match** without ranking them all: the candidates are the articles
whose title *is* the query (an index lookup), every article whose title, tags or lede say it
(the small head vector: all of them when there are few, else the newest `HEAD_CANDIDATES`),
and the newest `BODY_CANDIDATES` that say it in the text. They are ranked on the head vector
(title A, tags and lede B), so an article of years ago titled or tagged with the query comes
before newer ones that only mention it; ties go to the newest.
"""

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime

from django.core.paginator import Page, Paginator
from django.db import connections, router, transaction
from django.db.models import Prefetch
from django.utils import timezone

from articles.models import Article, Channel, Section

from . import frequency, text
from .highlighting import Highlighter
from .indexing import title_key
from .models import SearchDocument

PAGE_SIZE = 20
QUERY_MAX_CHARS = 100
RARE = 20_000  # documents: below this a bitmap scan of every match is cheap
HEAD_CANDIDATES = 1000
BODY_CANDIDATES = 500
MAX_RESULTS = 1000  # what paging reaches (50 pages); beyond, a filter serves readers better
WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A: a title match counts most
PLANS = {
    "bitmap": "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off; ",
    "walk": "SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; ",
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
    search = Search(query, request)
    with transaction.atomic(using=search.alias):  # the plans' SET LOCAL end with it
        total, exact = search.newest_total()
        if request.newest_first:
            matches = _Matches(search.newest, total)
        else:
            ranked = search.ranked()
            matches = _Matches(lambda offset, limit: ranked[offset : offset + limit], len(ranked))
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
        estimated=not exact, simplified=query.simplified,
    )  # fmt: skip


class Search:
    """One query with its filters, and the plans to run it."""

    def __init__(self, query: text.Query, request: SearchRequest):
        self.query, self.request = query, request
        self.alias = router.db_for_read(SearchDocument)
        self.table = SearchDocument._meta.db_table
        self.expected = frequency.current().matches(query.terms)
        self._total: tuple[int, bool] | None = None

    # --- the pieces of SQL every plan shares ---------------------------------------------

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
        """Run `sql` with the planner held to `plan`: "bitmap" (every match from the GIN
        index) or "walk" (down the date index). `SET LOCAL` lasts to the end of the
        transaction `run` holds; it goes with the statement, in one round trip."""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(PLANS[plan] + sql, params)
            return cursor.fetchall()

    def _all_matches(self, column: str) -> str:
        where, _ = self.filters()
        return (
            f"WITH m AS MATERIALIZED (SELECT article_id, published_at FROM {self.table} "
            f"WHERE {column} @@ %s::tsquery AND {where}) "
        )

    # --- newest first ----------------------------------------------------------------------

    def newest(self, offset: int, limit: int) -> list[int]:
        where, params = self.filters()
        if self.expected <= RARE:
            sql = (
                self._all_matches("vector")
                + "SELECT article_id FROM m ORDER BY published_at DESC, article_id DESC "
                "LIMIT %s OFFSET %s"
            )
            rows = self._rows(sql, [self.query.tsquery, *params, limit, offset], plan="bitmap")
        else:
            sql = (
                f"SELECT article_id FROM {self.table} WHERE vector @@ %s::tsquery AND {where} "
                "ORDER BY published_at DESC, article_id DESC LIMIT %s OFFSET %s"
            )
            rows = self._rows(sql, [self.query.tsquery, *params, limit, offset], plan="walk")
        return [row[0] for row in rows]

    def newest_total(self) -> tuple[int, bool]:
        """(how many match, exactly?) — counted for a rare query, estimated for a common one."""
        if self._total is None:
            if self.expected <= RARE:
                _, params = self.filters()
                sql = self._all_matches("vector") + "SELECT count(*) FROM m"
                (count,) = self._rows(sql, [self.query.tsquery, *params], plan="bitmap")[0]
                self._total = (count, True)
            else:
                self._total = (round(self.expected), False)
        return self._total

    # --- by relevance ----------------------------------------------------------------------

    def ranked(self) -> list[int]:
        """The candidates (see the module's docstring), best first: at most a few thousand
        rows, ranked on their small head vectors."""
        where, params = self.filters()
        tsquery = self.query.tsquery
        head_expected = frequency.current("head_vector").matches(self.query.terms)
        if head_expected <= RARE:
            head = (
                f"SELECT article_id FROM {self.table} WHERE head_vector @@ %s::tsquery AND {where}"
            )
        else:
            head = (
                f"(SELECT article_id FROM {self.table} WHERE head_vector @@ %s::tsquery "
                f"AND {where} ORDER BY published_at DESC LIMIT {HEAD_CANDIDATES})"
            )
        candidates = set(self.newest(0, BODY_CANDIDATES))
        plan = "bitmap" if head_expected <= RARE else "walk"
        candidates.update(row[0] for row in self._rows(head, [tsquery, *params], plan=plan))
        titled = self._rows(
            f"SELECT article_id FROM {self.table} WHERE title_key = %s AND {where}",
            [title_key(self.request.query), *params],
            plan="walk",
        )
        candidates.update(row[0] for row in titled)
        if not candidates:
            return []
        sql = (
            f"SELECT article_id FROM {self.table} WHERE article_id = ANY(%s) "
            "ORDER BY (title_key = %s) DESC, "
            f"round(ts_rank('{WEIGHTS}', coalesce(head_vector, ''), %s::tsquery)::numeric, 3) "
            "DESC, published_at DESC, article_id DESC"
        )
        params = [list(candidates), title_key(self.request.query), tsquery]
        return [row[0] for row in self._rows(sql, params, plan="walk")]


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, dtime.min))
