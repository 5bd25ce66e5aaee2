"""`manage.py bench` (`make bench`): the project's benchmarks, printed as tables."""

from django.core.management.base import BaseCommand

from articles.management.progress import write_table
from articles.models import Article
from juredian.benchmarks.http import gunicorn, warm, worker_rss_mb, wrk
from juredian.benchmarks.memory import search_flood
from juredian.benchmarks.trending import count_read_cost, counting_cost, flush_time


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
        self.trending(article)
        self.memory(flood)

    def pages(self, article, seconds):
        paths = {
            "ceiling (HttpResponse 'ok')": "/__ceiling__",
            "home": "/",
            "article": article.get_absolute_url(),
            "channel": article.channel.get_absolute_url() if article.channel else "/archive/",
            "trending": "/trending/",
        }
        with gunicorn(TRENDING_COUNT_READS="0") as (base, process):
            rates = {}
            for label, path in paths.items():
                warm(base + path)
                rates[label] = wrk(base + path, seconds=seconds).rate
            rss = worker_rss_mb(process)
        ceiling = rates["ceiling (HttpResponse 'ok')"]
        write_table(
            self.stdout,
            "Pages (gunicorn -w 2 -k sync, wrk -t2 -c16, warm cache)",
            ["page", "req/s", "× ceiling"],
            [[label, f"{rate:,.0f}", f"{rate / ceiling:.2f}"] for label, rate in rates.items()],
        )
        self.stdout.write(f"worker RSS after load: {rss:.0f} MiB (target ≤ 150)\n")

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
