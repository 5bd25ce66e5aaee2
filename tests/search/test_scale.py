"""Search on a generated corpus: the generator writes what the site would index, no query of
the benchmark's mix is planned with a sequential scan, and relevance sees every match."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from juredian.benchmarks import corpus
from juredian.benchmarks.search import query_mix
from search import frequency, querying
from search.indexing import document_row, reindex
from tests.factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def small_corpus():
    call_command("generate_corpus", articles=1200, pool=2000, stdout=None)
    frequency.forget()
    yield
    frequency.forget()


def test_the_generator_writes_the_vectors_the_site_would_index(small_corpus):
    sample = Article.objects.filter(slug__startswith="corpus-").order_by("?")[:25]
    for article in sample.prefetch_related("sections", "tagged_items__tag"):
        row = document_row(
            article, article.sections.all(), [i.tag.name for i in article.tagged_items.all()]
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT vector = %s::tsvector, head_vector = %s::tsvector, title_key = %s "
                "FROM search_searchdocument WHERE article_id = %s",
                [row[1], row[2], row[6], article.pk],
            )
            assert cursor.fetchone() == (True, True, True), article.slug


def test_no_query_of_the_mix_is_planned_with_a_sequential_scan(small_corpus):
    """The cliff the planner fell off at 100,000 articles must not come back: every
    statement a search runs, with the settings it runs under, is explained."""
    statements = []
    for query_class in query_mix(per_class=3):
        for query in query_class.queries:
            for newest in (False, True):
                with CaptureQueriesContext(connection) as captured:
                    querying.run(querying.SearchRequest(query=query, newest_first=newest))
                statements += [q["sql"] for q in captured if "SET LOCAL" in q["sql"]]
    assert len(statements) > 50
    for statement in statements:
        *settings, select = statement.split("; ")
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in settings:
                cursor.execute(setting)
            cursor.execute("EXPLAIN " + select)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "Seq Scan on search_searchdocument" not in plan, (select, plan)


def test_an_old_article_titled_or_tagged_with_the_query_comes_first(small_corpus):
    """The most common words of the corpus are in nearly every article, all newer."""
    common, other = corpus.vocabulary()[:2]
    years_ago = Article.objects.order_by("published_at").first().published_at - timedelta(days=900)
    titled = make_article(common, slug="old-titled", published_at=years_ago)
    tagged = make_article("一篇旧文章", slug="old-tagged", published_at=years_ago, tags=[other])
    reindex([titled.pk, tagged.pk])
    frequency.forget()
    newer = Article.objects.filter(sections__body_html__contains=common).distinct().count()
    assert newer > 500, "the word is everywhere"
    for query, expected in ((common, titled), (other, tagged)):
        results = querying.run(querying.SearchRequest(query=query))
        assert results.hits[0].article == expected, query
        newest = querying.run(querying.SearchRequest(query=query, newest_first=True))
        assert expected not in [hit.article for hit in newest.hits], "it is old"
