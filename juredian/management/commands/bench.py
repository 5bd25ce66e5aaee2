"""`manage.py bench` (`make bench`): the project's benchmarks, printed as tables."""

from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils.http import urlencode

from articles.management.progress import write_table
from articles.models import Article
from juredian.benchmarks.cluster import cluster_figures
from juredian.benchmarks.edge import beacon, on_redis, through_edge
from juredian.benchmarks.memory import search_flood
from juredian.benchmarks.trending import (
    count_read_cost,
    counting_cost,
    flush_time,
    reads_restored,
)


class Command(BaseCommand):
    help = "Run the benchmarks and print their tables (needs wrk and demo content)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=8, help="wrk duration per page")
        parser.add_argument("--flood", type=int, default=100_000, help="distinct search URLs")

    def handle(self, *args, seconds, flood, **options):
        article = Article.objects.public().latest().first()
        if article is None:
            self.stderr.write("No public article: run `manage.py seed_demo` first.")
            return
        self.pages(article, seconds)
        self.cluster(article, seconds)
        self.trending(article)
        self.memory(flood)

    def pages(self, article, seconds):
        tag = article.tags.first()
        query = urlencode({"q": tag.name if tag else "城市"})
        paths = {
            "home": "/",
            "article": article.get_absolute_url(),
            "channel": article.channel.get_absolute_url() if article.channel else "/archive/",
            "trending": "/trending/",
            "tag entry": reverse("search:entry", args=[tag.slug]) if tag else "/archive/",
            "search": f"{reverse('search:results')}?{query}",
        }
        direct, edge, rss = through_edge(paths, seconds)
        rows = []
        for label in paths:
            rows.append(
                [label, f"{direct[label].ceiling:,.0f}", f"{direct[label].rate:,.0f}",
                 f"{direct[label].ratio:.2f}", f"{edge[label].rate:,.0f}",
                 f"{edge[label].ratio:.1f}"]
            )  # fmt: skip
        write_table(
            self.stdout,
            "Pages (gunicorn -w 2 -k sync, wrk -t2 -c16, warm caches; the same gunicorn alone "
            "and behind Varnish; each the median of 3 rounds against the ceiling measured "
            "just before)",
            ["page", "ceiling req/s", "req/s", "× ceiling (goal article ≥ 0.8)",
             "through Varnish", "× ceiling (goal ≥ 5)"],
            rows,
        )  # fmt: skip
        self.stdout.write(f"worker RSS after load: {rss:.0f} MiB (target ≤ 150)\n")
        with reads_restored(article=article):
            counted = beacon(article.pk, seconds)
        redis = on_redis(article.get_absolute_url(), seconds)
        write_table(
            self.stdout,
            "The read beacon (counting on, every request a new reader) and the article on Redis",
            ["what", "ceiling req/s", "req/s", "× ceiling", "goal"],
            [
                ["/trending/read/<id>/", f"{counted.ceiling:,.0f}", f"{counted.rate:,.0f}",
                 f"{counted.ratio:.2f}", "≥ 0.8"],
                ["article, caches on Redis", f"{redis.ceiling:,.0f}", f"{redis.rate:,.0f}",
                 f"{redis.ratio:.2f}", "≥ 0.6"],
            ],
        )  # fmt: skip

    def cluster(self, article, seconds):
        figures = cluster_figures(article.get_absolute_url(), article.pk, seconds)
        write_table(
            self.stdout,
            "The cluster (make cluster: Varnish, 2 app nodes, replica, Redis, SeaweedFS, worker; "
            "all on this machine), wrk -t2 -c16 through the edge",
            ["what", "req/s", "p99", "failed"],
            [
                ["article page", f"{figures.article_rate:,.0f}", "", ""],
                ["read beacon (every one reaches a node)", f"{figures.beacon_rate:,.0f}", "", ""],
                ["read beacon while app0 is killed and restarted", f"{figures.kill_rate:,.0f}",
                 f"{figures.kill_p99_ms:.1f} ms", str(figures.kill_errors)],
            ],
        )  # fmt: skip

    def trending(self, article):
        cost = counting_cost(article)
        drop = (cost.rate_off - cost.rate_on) / cost.rate_off * 100
        on_request, in_push = count_read_cost()
        write_table(
            self.stdout,
            "Read counting (every request a new reader; 3 alternated rounds, means)",
            ["article page", "req/s", "worker CPU per request", "cost"],
            [
                ["counting off", f"{cost.rate_off:,.0f}", f"{cost.cpu_off:.0f} µs", ""],
                [
                    "counting on",
                    f"{cost.rate_on:,.0f}",
                    f"{cost.cpu_on:.0f} µs",
                    f"CPU {cost.cpu_share:+.1f}% (target < 5%), req/s {-drop:+.1f}%",
                ],
                ["one counted read: on the request", "", f"{on_request:.1f} µs", ""],
                ["… and in the flusher's push", "", f"{in_push:.1f} µs", ""],
            ],
        )
        buffered, flushed = flush_time()
        write_table(
            self.stdout,
            "Buffer and flush 100,000 reads (configured cache → PostgreSQL)",
            ["step", "seconds"],
            [["buffer (in-process)", f"{buffered:.2f}"], ["flush", f"{flushed:.2f}"]],
        )

    def memory(self, addresses):
        flood = search_flood(addresses)
        write_table(
            self.stdout,
            f"A flood of {flood.addresses:,} distinct search URLs (local-memory cache)",
            ["worker RSS before", "after", "seconds", "target"],
            [[f"{flood.rss_before:.0f} MiB", f"{flood.rss_after:.0f} MiB",
              f"{flood.seconds:.0f}", "after ≤ 150 MiB"]],
        )  # fmt: skip
