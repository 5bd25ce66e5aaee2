"""`manage.py generate_corpus --articles N`: N synthetic public articles, indexed, in bulk.

For benchmarks only (100,000 take a few minutes): rows are written with bulk inserts, the
sections' HTML is made safe by construction (escaped text in <p>), and the search index is
written directly from pre-segmented sentences.
"""

import time
from datetime import timedelta
from html import escape

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from articles.management.progress import show_progress
from articles.models import Article, Channel, Section, Tag, TaggedArticle
from juredian.benchmarks.corpus import CorpusWriter, tag_vocabulary
from search.indexing import bump_generation, load_tag_words, write_rows

BATCH = 1000


class Command(BaseCommand):
    help = "生成 N 篇合成文章（原创的随机中文文本），用于性能测试。"

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, articles, seed, **options):
        started = time.perf_counter()
        tags = self.tags()  # first: tag names join the segmenter's dictionary
        load_tag_words()
        writer = CorpusWriter(seed=seed)
        channels = list(Channel.objects.all()) or [
            Channel.objects.create(name=f"综合{n}", slug=f"corpus-{n}", order=n) for n in range(6)
        ]
        names = list(tags)
        weights = [1 / (rank + 1) ** 1.05 for rank in range(len(names))]
        now = timezone.now()
        offset = Article.objects.count()
        for start in range(0, articles, BATCH):
            size = min(BATCH, articles - start)
            with transaction.atomic():
                self.write_batch(writer, channels, tags, names, weights, now, offset + start, size)
            show_progress(self.stderr, start + size, articles)
        bump_generation()
        seconds = time.perf_counter() - started
        self.stdout.write(f"已生成 {articles} 篇文章，用时 {seconds:.0f} 秒。")

    def tags(self) -> dict[str, Tag]:
        existing = {t.name: t for t in Tag.objects.all()}
        for name in tag_vocabulary():
            if name not in existing:
                existing[name] = Tag.objects.create(name=name, slug=name)
        return existing

    def write_batch(self, writer, channels, tags, names, weights, now, first, size):
        rng = writer.rng
        drafts, bodies = [], []
        for n in range(first, first + size):
            lede, lede_tokens = writer.paragraph()
            sections = []
            for _ in range(rng.randint(3, 6)):
                paragraphs = [writer.paragraph() for _ in range(rng.randint(3, 5))]
                sections.append(paragraphs)
            article = Article(
                title=writer.title(),
                slug=f"corpus-{n}",
                lede=lede,
                channel=rng.choice(channels),
                byline="合成语料",
                source_name="合成语料",
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=17 * n + rng.randint(0, 16)),
            )
            drafts.append(article)
            bodies.append((sections, lede_tokens, writer.tags(names, weights)))
        Article.objects.bulk_create(drafts)
        section_rows, tag_rows, index_rows = [], [], []
        for article, (sections, lede_tokens, tag_names) in zip(drafts, bodies, strict=True):
            for position, paragraphs in enumerate(sections, start=1):
                html = "".join(f"<p>{escape(p)}</p>" for p, _ in paragraphs)
                section_rows.append(
                    Section(
                        article=article,
                        position=position,
                        body_html=html,
                        char_count=sum(len(p) for p, _ in paragraphs),
                    )
                )
            tag_rows += [TaggedArticle(content_object=article, tag=tags[t]) for t in tag_names]
            index_rows.append(
                (
                    article.pk,
                    " ".join(t for t in writer.title_tokens(article.title)),
                    " ".join(tag_names) + " " + lede_tokens,
                    " ".join(tokens for paragraphs in sections for _, tokens in paragraphs),
                )
            )
        Section.objects.bulk_create(section_rows, batch_size=BATCH)
        TaggedArticle.objects.bulk_create(tag_rows, batch_size=BATCH)
        write_rows(index_rows)
