"""`manage.py bench_search` (part of `make bench`): search and suggest latency at scale.

Runs in its own database (`<name>_bench` on the same server) so the site's data is never
touched; the synthetic corpus is generated once and kept for later runs.
"""

import statistics
import time

import psycopg2
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, connections
from django.db.models import Q

from articles.management.progress import write_table
from articles.models import Article
from juredian.benchmarks.corpus import THINGS
from search import querying, suggestions
from search.models import SearchDocument

QUERIES = [
    *THINGS[:24], "城市 就业", "年轻人 储蓄", "钢铁 价格", "大模型 课堂", "鋼鐵", "人工智慧",
    "菜市场", "老旧小区 电梯", "候鸟 湿地", "2026年", "快递员", "高原 光伏", "码头 订单",
]  # fmt: skip
SUGGESTS = ["钢", "城", "大模", "gt", "gangtie", "csh", "dian", "年轻", "qh", "风"]
# A common word, a rarer one, and one the corpus never uses (the scan reads every row).
ILIKE_QUERIES = ["钢铁", "候鸟", "量子计算"]


class Command(BaseCommand):
    help = "Search and suggest p50/p95 on a synthetic corpus, against an ILIKE scan."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--rounds", type=int, default=3)

    def handle(self, *args, articles, rounds, **options):
        name = self.use_bench_database()
        call_command("migrate", verbosity=0)
        have = Article.objects.count()
        if have < articles:
            self.stdout.write(f"Generating {articles - have:,} articles in {name} (once) …")
            call_command("generate_corpus", articles=articles - have, stdout=self.stdout)
        if SearchDocument.objects.filter(title_vector__isnull=True).exists():
            call_command("reindex", stdout=self.stdout)  # an index from before a migration
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would after a bulk load
        total = Article.objects.public().count()

        def by_relevance(query):
            return querying.run(querying.SearchRequest(query=query))

        def newest_first(query):
            return querying.run(querying.SearchRequest(query=query, newest_first=True))

        search = self.timed(by_relevance, QUERIES, rounds)
        newest = self.timed(newest_first, QUERIES, rounds)
        suggest = self.timed(suggestions._suggest, SUGGESTS, rounds)
        cached = self.timed(suggestions.suggest, SUGGESTS, rounds)
        comparison = [
            [
                query,
                f"{self.timed(self.ilike, [query], 1)[0]:.1f}",
                f"{self.timed(newest_first, [query], 1)[0]:.1f}",
            ]
            for query in ILIKE_QUERIES
        ]
        rows = [
            ["search, by relevance (count + page + snippets)", *self.stats(search), "< 50"],
            ["search, newest first", *self.stats(newest), "< 50"],
            ["suggest, computed (cache cold)", *self.stats(suggest), "< 10"],
            ["suggest, as served (cached)", *self.stats(cached), "< 10"],
        ]
        write_table(
            self.stdout,
            f"Search on {total:,} public articles ({name}; {rounds} rounds of each query)",
            ["what", "p50 ms", "p95 ms", "max ms", "target p95 ms"],
            rows,
        )
        for row in comparison:
            row.append(f"{float(row[1]) / max(float(row[2]), 0.01):,.0f}×")
        write_table(
            self.stdout,
            "The same searches as a plain ILIKE '%q%' scan (title or body, newest 20), same run",
            ["query", "ILIKE ms", "full text ms", "full text faster by"],
            comparison,
        )

    def use_bench_database(self) -> str:
        """Point the default connection at `<name>_bench`, creating it when missing."""
        settings_dict = connections["default"].settings_dict
        name = f"{settings_dict['NAME']}_bench"
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

    @staticmethod
    def ilike(query: str):
        return list(
            Article.objects.public()
            .filter(Q(title__icontains=query) | Q(sections__body_html__icontains=query))
            .distinct()
            .order_by("-published_at")
            .values_list("pk", flat=True)[:20]
        )

    @staticmethod
    def timed(function, queries, rounds) -> list[float]:
        """Milliseconds per call, after one untimed call that loads dictionaries and caches."""
        function(queries[0])
        times = []
        for _ in range(rounds):
            for query in queries:
                started = time.perf_counter()
                function(query)
                times.append((time.perf_counter() - started) * 1000)
        return times

    @staticmethod
    def stats(times: list[float]) -> list[str]:
        ordered = sorted(times)
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        return [f"{statistics.median(ordered):.1f}", f"{p95:.1f}", f"{ordered[-1]:.1f}"]
