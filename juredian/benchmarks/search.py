"""Search at scale: a database of its own, a query mix drawn from the corpus's own words,
latencies measured through the code the search page runs."""

import random
import statistics
import time
from dataclasses import dataclass

import opencc
import psycopg2
from django.db import connection, connections

from articles.models import Article, Tag
from search import querying, suggestions
from search.models import SearchDocument

from . import corpus

_s2t = opencc.OpenCC("s2t")


def use_bench_database(suffix: str) -> str:
    """Point the default connection at `<name>_<suffix>` (created when missing), so that the
    site's own data is never touched; return its name."""
    settings_dict = connections["default"].settings_dict
    name = f"{settings_dict['NAME']}_{suffix}"
    connection.close()
    if settings_dict["ENGINE"] != "juredian.embedded_postgres":  # the embedded one creates it
        params = connection.get_connection_params()
        params["dbname"] = "postgres"
        admin = psycopg2.connect(**params)
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
        admin.close()
    settings_dict["NAME"] = name
    return name


@dataclass
class QueryClass:
    name: str
    queries: list[str]


def query_mix(per_class: int = 40, seed: int = 7) -> list[QueryClass]:
    """What readers type, across the whole range of word frequencies: the words and tags
    the corpus's pages show, common to rare, two words, traditional characters, quoted
    phrases, and words the corpus never uses."""
    rng = random.Random(seed)
    words = corpus.vocabulary()
    tags = list(
        Tag.objects.filter(name__in=words[50 : 50 + corpus.TAGS]).values_list("name", flat=True)
    )
    titles = list(
        Article.objects.filter(slug__startswith="corpus-")
        .order_by("?")
        .values_list("title", flat=True)[:per_class]
    )

    def sample(population, k=per_class):
        return rng.sample(population, min(k, len(population)))

    absent = ["量子纠缠态", "锟斤拷", "赛博朋克味", "星际快递员", "元宇宙菜场", "火星种土豆"]
    return [
        QueryClass("very common word (top 20)", sample(words[:20])),
        QueryClass("common word (rank 100–1,000)", sample(words[100:1000])),
        QueryClass("middling word (rank 3,000–10,000)", sample(words[3000:10000])),
        QueryClass("rare word (rank 32,000–40,000)", sample(words[-8000:])),
        QueryClass("a tag shown on pages", sample(tags[:2000])),
        QueryClass(
            "two words",
            [f"{rng.choice(words[:3000])} {rng.choice(words[:20000])}" for _ in range(per_class)],
        ),
        QueryClass("traditional characters", [_s2t.convert(w) for w in sample(words[:5000])]),
        QueryClass("quoted phrase", [f'"{t[: rng.randint(3, 6)]}"' for t in titles]),
        QueryClass("a title, as typed", titles),
        QueryClass("a word the corpus never uses", absent),
    ]


def timed(function, queries, rounds: int = 1) -> list[float]:
    """Milliseconds per call, over `rounds` rounds after an untimed one: searches on a warm
    database (its pages in memory, as on a site that is being read), never from the page
    cache."""
    for query in queries:
        function(query)
    times = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            function(query)
            times.append((time.perf_counter() - started) * 1000)
    return times


def percentiles(times: list[float]) -> tuple[float, float, float]:
    ordered = sorted(times)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return statistics.median(ordered), at(0.95), at(0.99)


def by_relevance(query: str):
    return querying.run(querying.SearchRequest(query=query))


def newest_first(query: str):
    return querying.run(querying.SearchRequest(query=query, newest_first=True))


def suggest(query: str):
    return suggestions._suggest(query)


def ilike(query: str) -> list[int]:
    """The reference: a plain scan of every title and section for the text."""
    from django.db.models import Q

    return list(
        Article.objects.public()
        .filter(Q(title__icontains=query) | Q(sections__body_html__icontains=query))
        .distinct()
        .order_by("-published_at")
        .values_list("pk", flat=True)[:20]
    )


def reindex_one_article() -> float:
    """Milliseconds to reindex one edited article of the corpus (what a save costs)."""
    from search.indexing import reindex

    article_id = SearchDocument.objects.order_by("?").values_list("article_id", flat=True)[0]
    reindex([article_id])  # the dictionary loaded
    started = time.perf_counter()
    reindex([article_id])
    return (time.perf_counter() - started) * 1000


def full_reindex_seconds(sample: int = 5_000) -> tuple[float, int]:
    """(seconds a full `manage.py reindex` takes, estimated from `sample` articles reindexed
    through the site's own code, in its batches of 500; how many articles that is for)."""
    from search.indexing import reindex

    ids = list(SearchDocument.objects.order_by("?").values_list("article_id", flat=True)[:sample])
    started = time.perf_counter()
    for start in range(0, len(ids), 500):
        reindex(ids[start : start + 500])
    seconds = time.perf_counter() - started
    total = SearchDocument.objects.count()
    return seconds * total / max(len(ids), 1), total


def admin_article_list(requests: int = 20) -> list[float]:
    """The article list in the admin, as a 主编 opens it (first page, newest first), in ms:
    through Django's test client, so the whole admin stack is in the figure."""
    from django.contrib.auth.models import User
    from django.test import Client
    from django.urls import reverse

    user, _ = User.objects.get_or_create(
        username="bench-chief", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = reverse("admin:articles_article_changelist")
    client.get(url)  # warm
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return times
