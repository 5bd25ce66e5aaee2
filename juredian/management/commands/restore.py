"""`manage.py restore DIR`: a backup, checked against its manifest, into an empty site."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from juredian import backup


class Command(BaseCommand):
    help = "从备份目录恢复：先核对校验和，再恢复到空的数据库和空的存储中。"

    def add_arguments(self, parser):
        parser.add_argument("directory", type=Path)
        parser.add_argument("--check", action="store_true", help="只核对备份是否完整")

    def handle(self, *args, directory, check, **options):
        try:
            if check:
                manifest = backup.verify(directory)
                self.stdout.write(f"备份完整：{len(manifest['files'])} 个文件，校验和相符。")
                return
            manifest = backup.restore(directory)
            note = backup.restore_secret_key(directory)
        except backup.BackupError as error:
            raise CommandError(str(error)) from None
        made, files = manifest["made_at"], len(manifest["files"])
        self.stdout.write(f"已从 {directory} 恢复（{made} 的备份，{files} 个文件）。{note}")
