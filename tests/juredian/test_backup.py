"""`manage.py backup` and `restore`: the same rows, files and triggers in an empty site."""

import subprocess
import sys

import psycopg2
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from juredian.backup import sha256_of
from tests.factories import make_article
from tests.servers import ROOT, current_database_url, environment
from tests.takedown.helpers import notice_fields, pdf, png

RESTORED = "juredian_restore_test"


@pytest.fixture
def site_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def empty_database():
    """A new, empty database beside the test database; its URL."""
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {RESTORED}")
        cursor.execute(f"CREATE DATABASE {RESTORED}")
    yield current_database_url().replace(connection.settings_dict["NAME"], RESTORED, 1)
    connection.close()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {RESTORED} WITH (FORCE)")


def row_counts(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables "
        "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
    )
    counts = {}
    for (table,) in cursor.fetchall():
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def restore(directory, database_url, tmp_path, *extra):
    env = environment(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(tmp_path / "restored-media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "restored-private"),
    )
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(directory), *extra],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_the_same_rows_files_and_triggers(
    client, site_files, empty_database, tmp_path
):
    article = make_article("备份里的文章", tags=["钢铁"])
    default_storage.save("images/2026/11/cover.png", ContentFile(png().read()))
    url = "http://testserver" + article.get_absolute_url()
    client.post(reverse("takedown:request"), {**notice_fields(url), "proof": [pdf(), png()]})
    with connection.cursor() as cursor:
        before = row_counts(cursor)
    assert before["takedown_takedownattachment"] == 2

    call_command("backup", str(tmp_path / "backup"))
    assert (tmp_path / "backup").stat().st_mode & 0o777 == 0o700
    result = restore(tmp_path / "backup", empty_database, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "已从" in result.stdout

    restored = psycopg2.connect(
        dbname=RESTORED, **{k: v for k, v in connection.get_connection_params().items()
                            if k in ("host", "port", "user", "password")}
    )  # fmt: skip
    with restored, restored.cursor() as cursor:
        assert row_counts(cursor) == before
        cursor.execute("SELECT title FROM articles_article")
        assert cursor.fetchall() == [("备份里的文章",)]
    with pytest.raises(psycopg2.Error, match="append-only"), restored, restored.cursor() as cursor:
        cursor.execute("UPDATE takedown_takedownevent SET note = 'changed'")
    restored.close()
    for label, folder in (("media", "restored-media"), ("private", "restored-private")):
        originals = sorted((tmp_path / label).rglob("*.*"))
        copies = sorted((tmp_path / folder).rglob("*.*"))
        assert [p.relative_to(tmp_path / label) for p in originals] == [
            p.relative_to(tmp_path / folder) for p in copies
        ]
        assert [sha256_of(p) for p in originals] == [sha256_of(p) for p in copies]
    assert len(list((tmp_path / "restored-private").rglob("*.*"))) == 2


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_backup_and_a_database_in_use(site_files, tmp_path):
    make_article("一篇")
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="不是空的"):
        call_command("restore", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", str(tmp_path / "backup"))
    dump = tmp_path / "backup" / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10])
    with pytest.raises(CommandError, match=r"database\.dump 缺失或已损坏"):
        call_command("restore", str(tmp_path / "backup"), "--check")
