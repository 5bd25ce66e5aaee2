"""A database made before takedown became its own app migrates without losing a row."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from articles.models import Article
from articles.takedown.models import (
    CounterNotice,
    TakedownAttachment,
    TakedownCase,
    TakedownEvent,
    TakedownSubmission,
    TakedownTarget,
)

BEFORE = [("articles", "0006_takedown_supplement")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def fill_old_schema(apps) -> dict:
    """Cases, their log, submissions, attachments and a counter-notice, and a withdrawn
    article pointing at its case: as the old `articles` app kept them."""
    now = timezone.now()
    User = apps.get_model("auth", "User")
    Article = apps.get_model("articles", "Article")
    Case = apps.get_model("articles", "TakedownCase")
    editor = User.objects.create(username="zhubian", is_staff=True)
    withdrawn = Article.objects.create(
        title="钢铁行业的冬天", slug="steel-winter", status="withdrawn", published_at=now,
        withdrawn_at=now,
    )  # fmt: skip
    kept = Article.objects.create(title="城市的早班车", slug="early-bus", status="published",
                                  published_at=now)  # fmt: skip
    person = {
        "notifier_type": "holder", "name": "林晓雨", "id_type": "id_card",
        "id_number": "110101199001011234", "email": "lin@example.com", "phone": "138",
        "address": "北京", "work_title": "钢铁行业的冬天", "original_location": "https://e.org",
        "measure": "delete", "description": "原创。", "signature": "林晓雨", "signed_at": now,
    }  # fmt: skip
    case = Case.objects.create(reference="TD-20261128-0001", status="withdrawn",
                               right_kind="copyright", **person)  # fmt: skip
    other = Case.objects.create(reference="TD-20261128-0002", status="received",
                                right_kind="privacy", **person)  # fmt: skip
    withdrawn.withdrawn_case = case
    withdrawn.save()
    apps.get_model("articles", "TakedownTarget").objects.create(
        case=case, article=withdrawn, url="/a/steel-winter/"
    )
    apps.get_model("articles", "TakedownTarget").objects.create(
        case=other, article=kept, url="/a/early-bus/"
    )
    for step, (before, after) in enumerate([("", "received"), ("received", "withdrawn")]):
        apps.get_model("articles", "TakedownEvent").objects.create(
            case=case, actor=editor if step else None, actor_label="zhubian",
            action=f"第{step}步", from_status=before, to_status=after,
        )  # fmt: skip
    apps.get_model("articles", "TakedownSubmission").objects.create(
        case=case, kind="notice", raw='{"fields": {}}', sha256="0" * 64
    )
    apps.get_model("articles", "TakedownAttachment").objects.create(
        case=case, kind="proof", file="takedown/2026/11/abc.pdf", original_name="证书.pdf",
        content_type="application/pdf", size=100, sha256="1" * 64,
    )  # fmt: skip
    apps.get_model("articles", "CounterNotice").objects.create(
        case=case, name="许青禾", id_type="id_card", id_number="3101", email="xu@example.com",
        phone="139", address="上海", grounds="原创。", signature="许青禾", signed_at=now,
    )  # fmt: skip
    permission = apps.get_model("auth", "Permission").objects.get(
        content_type__app_label="articles", codename="view_takedowncase"
    )
    apps.get_model("auth", "Group").objects.get(name="主编").permissions.add(permission)
    return {"permission": permission.pk}


@pytest.mark.django_db(transaction=True)
def test_cases_logs_files_and_withdrawals_survive_the_move_to_the_takedown_app():
    try:
        executor = migrate(BEFORE)
        old = fill_old_schema(executor.loader.project_state(BEFORE).apps)
    finally:
        migrate(None)

    assert TakedownCase.objects.count() == 2
    assert TakedownTarget.objects.count() == 2
    assert TakedownEvent.objects.count() == 2 and TakedownSubmission.objects.count() == 1
    assert TakedownAttachment.objects.get().file.name == "takedown/2026/11/abc.pdf"
    assert CounterNotice.objects.get().case.reference == "TD-20261128-0001"
    article = Article.objects.get(slug="steel-winter")
    assert article.status == Article.Status.WITHDRAWN
    assert article.withdrawal_reference == "TD-20261128-0001"
    assert "信息网络传播权保护条例" in article.withdrawal_basis
    assert article.withdrawal_notice_url == "/takedown/counter/?ref=TD-20261128-0001"
    assert TakedownCase.objects.get(reference="TD-20261128-0002").articles.get().slug == "early-bus"

    permission = Permission.objects.get(pk=old["permission"])
    assert permission.content_type.app_label == "takedown", "the same permission, moved"
    assert permission in Group.objects.get(name="主编").permissions.all()

    for model in (TakedownEvent, TakedownSubmission):
        for statement in ("UPDATE {} SET id = id + 1000", "DELETE FROM {}"):
            with (
                pytest.raises(DatabaseError, match="append-only"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement.format(model._meta.db_table))
