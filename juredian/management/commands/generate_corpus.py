"""`manage.py generate_corpus --articles N`: N synthetic published articles, indexed, fast.

For benchmarks only (see juredian/benchmarks/corpus.py for what the articles are like).
Rows go in with COPY, in batches of 10,000, each one transaction; a run that is stopped
carries on where it stopped. With many articles to write, the search table's indexes are
dropped first and built once at the end (faster than keeping them up to date), then the
tables are analysed, as autovacuum would.
"""

import time
from concurrent.futures import ThreadPoolExecutor

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from articles.management.progress import show_progress
from articles.models import Article, Channel, Section, Tag, TaggedArticle
from juredian.benchmarks import corpus
from search.indexing import INDEX_FORMAT, bump_generation
from search.models import SearchDocument, TagPinyin
from search.suggestions import pinyin_of

BULK = 50_000  # from this many articles on, indexes are built at the end
FIRST_ID = 10_000_000  # corpus article n is id FIRST_ID + n: apart from any real article


class Command(BaseCommand):
    help = "生成 N 篇合成文章（原创的随机中文文本）并建好搜索索引，用于性能测试；可中断后续跑。"

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="语料的总篇数")
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument(
            "--pool", type=int, default=corpus.POOL, help="sentences to draw from (tests: fewer)"
        )

    def handle(self, *args, articles, seed, pool, **options):
        started = time.perf_counter()
        done = Article.objects.filter(slug__startswith="corpus-").count()
        done -= done % corpus.BATCH  # a batch is whole or absent; this guards old corpora
        if done >= articles:
            self.stdout.write(f"语料已有 {done:,} 篇，无需生成。")
            return
        self.stdout.write(f"生成第 {done + 1:,} 到 {articles:,} 篇 …")
        made = corpus.Corpus(seed, pool)
        channels = self.channels()
        tags = self.tags(made.tags)
        with connection.cursor() as cursor:
            cursor.execute(corpus.SETUP_SQL)
            cursor.execute("TRUNCATE corpus_piece, corpus_document")
            corpus.copy_rows(cursor, "corpus_piece", "id, vector", made.piece_rows())
        bulk = articles - done >= BULK
        if bulk:
            self.drop_search_indexes()
        # One thread makes the next batch's rows while this one writes (PostgreSQL works on
        # the other core meanwhile): the two halves of the work overlap.
        starts = list(range(done, articles, corpus.BATCH))
        with ThreadPoolExecutor(1) as maker:
            upcoming = maker.submit(self.make_batch, made, starts[0], articles, channels)
            for start in starts:
                rows = upcoming.result()
                if start + corpus.BATCH < articles:
                    upcoming = maker.submit(
                        self.make_batch, made, start + corpus.BATCH, articles, channels
                    )
                with transaction.atomic():
                    self.write_batch(rows, tags)
                show_progress(self.stderr, start + len(rows) - done, articles - done)
        written = time.perf_counter() - started
        if bulk or not self.search_indexes_exist():
            self.build_search_indexes()
        indexed = time.perf_counter() - started - written
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        bump_generation()
        self.stdout.write(
            f"已生成 {articles - done:,} 篇：写入 {written:.0f} 秒，建索引 {indexed:.0f} 秒，"
            f"共 {time.perf_counter() - started:.0f} 秒。"
        )

    def channels(self) -> list[int]:
        for slug, name in corpus.CHANNELS:
            Channel.objects.get_or_create(slug=slug, defaults={"name": name})
        slugs = [slug for slug, _ in corpus.CHANNELS]
        return list(Channel.objects.filter(slug__in=slugs).values_list("pk", flat=True))

    def tags(self, names: list[str]) -> dict[str, int]:
        existing = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        Tag.objects.bulk_create(
            [Tag(name=name, slug=name) for name in names if name not in existing],
            ignore_conflicts=True,
        )
        made = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        # bulk_create sends no post_save, so the pinyin suggestions need is written here.
        TagPinyin.objects.bulk_create(
            [TagPinyin(tag_id=pk, **dict(zip(("full", "initials"), pinyin_of(name), strict=True)))
             for name, pk in made.items() if name not in existing],
            ignore_conflicts=True,
        )  # fmt: skip
        return made

    def make_batch(self, made, first: int, articles: int, channels: list[int]) -> list:
        """The rows of articles `first` to `first + BATCH` (ids from `FIRST_ID` + n)."""
        last = min(first + corpus.BATCH, articles)
        return [corpus.make_article(made, n, FIRST_ID + n, channels) for n in range(first, last)]

    def write_batch(self, rows: list, tags: dict) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            corpus.copy_rows(
                cursor, Article._meta.db_table, corpus.ARTICLE_COLUMNS, [r.article for r in rows]
            )
            corpus.copy_rows(
                cursor, Section._meta.db_table, corpus.SECTION_COLUMNS,
                [line for r in rows for line in r.sections],
            )  # fmt: skip
            corpus.copy_rows(
                cursor, TaggedArticle._meta.db_table, "content_object_id, tag_id",
                [f"{r.article.split(chr(9), 1)[0]}\t{tags[name]}" for r in rows for name in r.tags],
            )  # fmt: skip
            corpus.copy_rows(
                cursor, "corpus_document", corpus.DOCUMENT_COLUMNS, [r.document for r in rows]
            )
            cursor.execute(
                corpus.ASSEMBLE_SQL.format(table=SearchDocument._meta.db_table, format=INDEX_FORMAT)
            )
            for table in (Article, Section, TaggedArticle):
                name = table._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT max(id) FROM {name}))"
                )

    # --- the search table's indexes -----------------------------------------------------------

    def search_index_definitions(self) -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s "
                "AND indexname LIKE 'search_document_%%'",
                [SearchDocument._meta.db_table],
            )
            return dict(cursor.fetchall())

    def search_indexes_exist(self) -> bool:
        return len(self.search_index_definitions()) == len(SearchDocument._meta.indexes)

    def drop_search_indexes(self) -> None:
        with connection.cursor() as cursor:
            for name in self.search_index_definitions():
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')

    def build_search_indexes(self) -> None:
        """The model's indexes, as its migration made them, built in one go."""
        existing = self.search_index_definitions()
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")
            cursor.execute("SET max_parallel_maintenance_workers = 2")
        with connection.schema_editor() as editor:
            for index in SearchDocument._meta.indexes:
                if index.name not in existing:
                    editor.add_index(SearchDocument, index)
