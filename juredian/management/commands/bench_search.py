"""`manage.py bench_search --articles N` (part of `make bench`): search at scale.

Runs in a database of its own (`<name>_bench<N>`) so the site's data is never touched; the
synthetic corpus is generated once and kept for later runs (resumable if stopped).
"""

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.management.progress import write_table
from articles.models import Article
from juredian.benchmarks import search
from search.indexing import INDEX_FORMAT


class Command(BaseCommand):
    help = "Search and suggest p50/p95/p99 per query class on a synthetic corpus."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=1)
        parser.add_argument("--per-class", type=int, default=40)

    def handle(self, *args, articles, rounds, per_class, **options):
        # The index's format in the name: a corpus made for older vectors is not reused.
        name = search.use_bench_database(f"bench{articles // 1000}k_v{INDEX_FORMAT}")
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("generate_corpus", articles=articles, stdout=self.stdout)
        generated = time.perf_counter() - started
        total = Article.objects.public().count()
        mix = search.query_mix(per_class)
        rows, everything = [], {"relevance": [], "newest": []}
        for query_class in mix:
            relevance = search.timed(search.by_relevance, query_class.queries, rounds)
            newest = search.timed(search.newest_first, query_class.queries, rounds)
            everything["relevance"] += relevance
            everything["newest"] += newest
            rows.append(
                [query_class.name, *fmt(search.percentiles(relevance)),
                 *fmt(search.percentiles(newest))]
            )  # fmt: skip
        rows.append(
            ["ALL", *fmt(search.percentiles(everything["relevance"])),
             *fmt(search.percentiles(everything["newest"]))]
        )  # fmt: skip
        write_table(
            self.stdout,
            f"Search on {total:,} articles ({name}; {per_class} queries a class, uncached, "
            "through search.querying.run: count, page, snippets)",
            ["query class", "relevance p50", "p95", "p99", "newest p50", "p95", "p99"],
            rows,
        )
        suggest = search.timed(search.suggest, ["钢", "城", "大模", "gt", "gangtie", "csh",
                                                "dian", "年轻", "qh", "风"] * 4)  # fmt: skip
        ilike = search.timed(search.ilike, ["量子纠缠态"], 1)
        reindex_all, documents = search.full_reindex_seconds()
        write_table(
            self.stdout,
            "Suggest, the ILIKE reference, reindexing",
            ["what", "ms", "target"],
            [
                ["suggest p95 (computed, cache cold)", f"{search.percentiles(suggest)[1]:.1f}",
                 "< 10"],
                ["ILIKE '%word%' scan, a word no article has", f"{ilike[0]:,.0f}", "reference"],
                ["reindex one edited article", f"{search.reindex_one_article():.1f}", "< 50"],
                [f"reindex all {documents:,} (s, from 5,000 through the site's code)",
                 f"{reindex_all:,.0f}", ""],
                ["generate and index the corpus (this run, s)", f"{generated:,.0f}",
                 "1M < 1,200 s"],
                ["admin article list, p95 of 20 (the whole admin stack)",
                 f"{search.percentiles(search.admin_article_list())[1]:.0f}", "< 300"],
            ],
        )  # fmt: skip


def fmt(values) -> list[str]:
    return [f"{value:.1f}" for value in values]
