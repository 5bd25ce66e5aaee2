"""热传's snapshot row is never held inside an editor's transaction: an import and a
withdrawal running at once both complete (two real connections)."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.models.signals import post_save

from articles.models import Article
from articles.pagedump import PageDump, SectionText, TrendingBlock
from articles.services import article_import
from tests.factories import make_article
from trending.ranking import recompute


@pytest.mark.django_db(transaction=True)
def test_a_draft_import_and_a_withdrawal_at_once_do_not_deadlock():
    named = make_article("被引用的文章")
    recompute()  # the snapshot row exists
    importing, errors = threading.Event(), []

    def pause(sender, instance, **kwargs):  # after trending's own post_save receiver
        if instance.title == "导入的草稿":
            importing.set()
            time.sleep(0.5)  # meanwhile the withdrawal locks the named article

    def import_a_draft():
        try:
            dump = PageDump(
                title="导入的草稿", lede="导语", sections=[SectionText("一", ["正文"])],
                trending=[TrendingBlock("被引用的文章", "摘要")],
            )  # fmt: skip
            article_import(dump=dump, source_name="old.txt", draft=True)
        except Exception as exc:
            errors.append(("import", repr(exc)))
        finally:
            connection.close()

    def withdraw():  # locking as articles.takedown.services.case_withdraw does
        importing.wait(10)
        try:
            with transaction.atomic():
                for article in Article.objects.select_for_update().filter(pk=named.pk):
                    article.status = Article.Status.WITHDRAWN
                    article.save(update_fields=["status", "updated_at"])
        except Exception as exc:
            errors.append(("withdraw", repr(exc)))
        finally:
            connection.close()

    post_save.connect(pause, sender=Article, dispatch_uid="test-pause")
    try:
        threads = [threading.Thread(target=import_a_draft), threading.Thread(target=withdraw)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        post_save.disconnect(dispatch_uid="test-pause", sender=Article)
    assert not errors, errors
    named.refresh_from_db()
    assert named.status == Article.Status.WITHDRAWN
    assert Article.objects.filter(title="导入的草稿").exists()
