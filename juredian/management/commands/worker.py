"""`manage.py worker`: the task worker — the deployment's shared background jobs on their
timers (juredian/background.py) and the tasks web processes enqueue (django-tasks' database
backend: edge purges, emails, reindexing, image renditions)."""

import signal
import socket
import threading

from django.core.management.base import BaseCommand
from django_tasks_db.management.commands.db_worker import Worker

from juredian import background

TASK_POLL_SECONDS = 0.1  # a purge enqueued by a save reaches the edge well within a second


class Command(BaseCommand):
    help = (
        "后台工作进程：执行网站排队的任务（边缘缓存清除、邮件、重建索引、图片尺寸），"
        "并定时写入阅读数、重算热传。配合 BACKGROUND_WORKER=1 使用。"
    )

    def handle(self, *args, **options):
        runner = background.Runner(background.jobs_for(worker=True))
        tasks = None
        if background.tasks_in_database():
            tasks = Worker(
                queue_names=["*"], interval=TASK_POLL_SECONDS, batch=False,
                backend_name="default", startup_delay=False, max_tasks=None,
                worker_id=f"{socket.gethostname()}-{threading.get_native_id()}",
                excluded_queue_names=[],
            )  # fmt: skip

        def stop(*_):
            runner.stopping.set()
            if tasks is not None:
                tasks.running = False

        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, stop)
        names = "、".join(job.name for job in runner.jobs)
        self.stdout.write(
            f"后台工作进程已启动：{names}" + ("、队列中的任务" if tasks else "") + "。"
        )
        if tasks is None:
            runner.run_forever()
        else:
            runner.start()
            tasks.run()
            runner.stopping.set()
            runner.thread.join(timeout=5)
        runner.finish()
        self.stdout.write("后台工作进程已停止。")
