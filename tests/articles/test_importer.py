"""`manage.py import_pages`: idempotent, all-or-nothing per file, honest summaries."""

import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from articles.signals import pages_imported
from tests.articles.test_pagedump import DUMP

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_pages", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "steel.txt").write_text(DUMP, encoding="utf-8")
    (tmp_path / "windows.txt").write_bytes(
        "聚热点 juredian\r\n地铁早高峰\r\n\r\n０１\r\n换乘通道里，人们加快脚步。\r\n"
        "０２\r\n列车进站。\r\n搜索建议：城市 城市词条 地铁 地铁词条\r\n".encode()
    )
    (tmp_path / "gbk.txt").write_bytes("聚热点\n县城书店\n01\n正文。\n".encode("gbk"))
    (tmp_path / "notitle.txt").write_text("聚热点 juredian\n\n", encoding="utf-8")
    (tmp_path / "nosections.txt").write_text("聚热点\n标题\n只有正文。\n", encoding="utf-8")
    (tmp_path / "readme.md").write_text("not a page", encoding="utf-8")
    (tmp_path / "nul.txt").write_bytes("聚热点\n标\x00题\n01\n正文。\n".encode())
    (tmp_path / "longtag.txt").write_text(
        "聚热点\n长标签\n01\n正文。\n搜索建议：" + "很长" * 60 + "\n", encoding="utf-8"
    )
    return tmp_path


def test_a_folder_imports_its_good_files_and_reports_the_bad_ones(folder):
    out, err = run(folder)
    assert "新建 2 / 更新 0 / 跳过 0 / 失败 5" in out
    assert "gbk.txt" in err and "UTF-8" in err
    assert "nul.txt" in err and "空字符" in err
    assert "longtag.txt" in err and "标签不能超过 100 字" in err
    assert "notitle.txt" in err and "找不到标题" in err
    assert "nosections.txt" in err and "没有分节" in err
    steel = Article.objects.get(title="钢铁行业的冬天，比温度计更早到来")
    assert steel.is_public, "imported pages were live on the old site"
    assert steel.imported_from == "steel.txt"
    assert len(steel.numbered_sections()) == 3
    assert sorted(t.name for t in steel.tags.all()) == ["产能", "制造业", "钢铁"]
    metro = Article.objects.get(title="地铁早高峰")
    assert [s.body_html for s in metro.numbered_sections()] == [
        "<p>换乘通道里，人们加快脚步。</p>",
        "<p>列车进站。</p>",
    ]


def test_importing_again_never_duplicates(folder):
    run(folder)
    out, _ = run(folder)
    assert "新建 0 / 更新 0 / 跳过 2 / 失败 5" in out
    assert Article.objects.count() == 2

    (folder / "steel.txt").write_text(DUMP.replace("高炉一旦点火", "高炉一旦开炉"), "utf-8")
    out, _ = run(folder / "steel.txt")
    assert "新建 0 / 更新 1" in out
    assert Article.objects.count() == 2
    steel = Article.objects.get(imported_from="steel.txt")
    assert "高炉一旦开炉" in steel.sections.all()[0].body_html


def test_dry_run_prints_what_it_would_do_and_writes_nothing(folder):
    out, _ = run(folder / "steel.txt", "--dry-run")
    assert "新建 《钢铁行业的冬天，比温度计更早到来》：3 节" in out
    assert "标签 钢铁、产能、制造业" in out and "热传 2 条" in out
    assert "试运行" in out
    assert not Article.objects.exists()


def test_draft_flag_imports_as_drafts(folder):
    run(folder / "steel.txt", "--draft")
    assert Article.objects.get().status == Article.Status.DRAFT


def test_trending_blocks_are_handed_on_with_links_to_known_articles(folder):
    run(folder / "windows.txt")  # creates 地铁早高峰, which steel.txt's 热传 names
    received = []

    def keep(sender, trending_blocks, **kwargs):
        received.extend(trending_blocks)

    pages_imported.connect(keep)
    try:
        run(folder / "steel.txt")
    finally:
        pages_imported.disconnect(keep)
    assert [b["title"] for b in received] == ["县城书店的一盏灯", "地铁早高峰"]
    assert received[0]["article"] is None
    assert received[1]["article"] == Article.objects.get(title="地铁早高峰")


def test_a_failing_file_leaves_nothing_half_written(folder):
    """A listener of the import failing in the database after the article and its sections
    were written: the whole file rolls back while the rest of the folder imports."""
    from django.db import connection

    def failing_listener(sender, trending_blocks, **kwargs):
        with connection.cursor() as cursor:  # a real error from PostgreSQL
            cursor.execute("SELECT 1 / 0")

    pages_imported.connect(failing_listener, dispatch_uid="test-failing")
    try:
        out, err = run(folder / "steel.txt", folder / "windows.txt")
    finally:
        pages_imported.disconnect(dispatch_uid="test-failing")
    assert "新建 1 / 更新 0 / 跳过 0 / 失败 1" in out
    assert "steel.txt" in err and "写入数据库失败" in err and "\n）" not in err
    assert not Article.objects.filter(imported_from="steel.txt").exists()
    assert Article.objects.filter(imported_from="windows.txt").exists()


def test_a_missing_path_is_an_error():
    with pytest.raises(CommandError, match="找不到"):
        run("/no/such/folder")


def test_a_large_folder_shows_a_progress_bar(tmp_path):
    for n in range(20):
        (tmp_path / f"p{n:02d}.txt").write_text(f"聚热点\n第{n}篇\n01\n正文{n}。\n", "utf-8")
    out, err = run(tmp_path)
    assert "20/20" in err and "[####" in err
    assert "新建 20" in out
