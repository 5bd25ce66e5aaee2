"""`manage.py import_pages PATH…`: move the old site's plain-text page dumps in."""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction

from articles.management.progress import show_progress
from articles.pagedump import PageDumpError, parse_page_dump
from articles.services import article_import

PROGRESS_FROM = 20  # files; smaller runs just list what happened


class DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


class Command(BaseCommand):
    help = "导入旧站的纯文本页面（UTF-8，每页一个 .txt 文件；文件夹则导入其中所有 .txt）。"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="文件或文件夹")
        parser.add_argument("--draft", action="store_true", help="导入为草稿，而不是直接发布")
        parser.add_argument("--dry-run", action="store_true", help="只显示将要做什么，不写入")
        parser.add_argument(
            "--old-url",
            default="",
            help="旧站上每页的网址路径，{name} 换成文件名（不含 .txt），例如 /news/{name}.html；"
            "导入后旧网址会 301 跳转到新文章。",
        )

    def handle(self, *args, paths, draft, dry_run, old_url, **options):
        self.old_url = old_url
        files = self.collect(paths)
        counts = {"created": 0, "updated": 0, "skipped": 0, "failed": 0}
        large = len(files) >= PROGRESS_FROM
        for number, path in enumerate(files, start=1):
            outcome, message = self.import_one(path, draft=draft, dry_run=dry_run)
            counts[outcome] += 1
            if outcome == "failed":
                self.stderr.write(self.style.ERROR(f"失败 {path}: {message}"))
            elif not large or dry_run:
                self.stdout.write(f"{message}")
            if large:
                show_progress(self.stderr, number, len(files))
        prefix = "（试运行，未写入）" if dry_run else ""
        self.stdout.write(
            f"{prefix}新建 {counts['created']} / 更新 {counts['updated']} / "
            f"跳过 {counts['skipped']} / 失败 {counts['failed']}"
        )
        if counts["failed"] and not (counts["created"] or counts["updated"] or counts["skipped"]):
            raise CommandError("没有一个文件导入成功。")

    def collect(self, paths: list[str]) -> list[Path]:
        files: list[Path] = []
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files.extend(sorted(path.glob("*.txt")))
            elif path.is_file():
                files.append(path)
            else:
                raise CommandError(f"找不到 {raw}")
        return files

    def import_one(self, path: Path, *, draft: bool, dry_run: bool) -> tuple[str, str]:
        """One file, all or nothing: a failure leaves the database as it was for this file."""
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            return "failed", "不是 UTF-8 编码的文本，请先转换编码。"
        except OSError as exc:
            return "failed", f"无法读取（{exc.strerror}）"
        try:
            dump = parse_page_dump(text)
        except PageDumpError as exc:
            return "failed", str(exc)
        verbs = {"created": "新建", "updated": "更新", "skipped": "跳过（无变化）"}
        try:
            with transaction.atomic():
                old_path = self.old_url.format(name=path.stem) if self.old_url else ""
                outcome, _ = article_import(
                    dump=dump, source_name=path.name, draft=draft, old_path=old_path
                )
                if dry_run:
                    raise DryRun
        except DryRun:
            pass
        except (DatabaseError, ValidationError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return "failed", f"写入数据库失败，此文件未导入（{reason}）"
        detail = (
            f"{verbs[outcome]} 《{dump.title}》：{len(dump.sections)} 节，"
            f"标签 {('、'.join(dump.tags) or '无')}，热传 {len(dump.trending)} 条"
        )
        return outcome, f"{path.name}: {detail}"
