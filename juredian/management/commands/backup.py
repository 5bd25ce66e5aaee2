"""`manage.py backup DIR`: the database, media, private attachments and the secret key."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from juredian import backup


class Command(BaseCommand):
    help = (
        "备份数据库（pg_dump 自定义格式）、上传的图片、侵权投诉附件和密钥到一个新目录，附校验清单。"
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path, help="一个新的或空的目录")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup.backup(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        files = len(manifest["files"]) - 2
        self.stdout.write(
            f"已备份到 {directory}：数据库、{files} 个文件和密钥（见 manifest.json）。"
        )
