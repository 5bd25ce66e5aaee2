"""`manage.py worker`: the process that runs the deployment's shared background jobs."""

import signal

from django.core.management.base import BaseCommand

from juredian import background


class Command(BaseCommand):
    help = "后台工作进程：把阅读数写入数据库、重算热传。配合 BACKGROUND_WORKER=1 使用。"

    def handle(self, *args, **options):
        runner = background.Runner(background.jobs_for(worker=True))
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: runner.stopping.set())
        names = "、".join(job.name for job in runner.jobs)
        self.stdout.write(f"后台工作进程已启动：{names}。按 Ctrl-C 停止。")
        runner.run_forever()
        runner.finish()
        self.stdout.write("后台工作进程已停止。")
