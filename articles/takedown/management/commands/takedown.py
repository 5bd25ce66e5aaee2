"""`manage.py takedown list|withdraw REF|reject REF --reason …|restore REF` — the admin's
takedown steps for scripted use; the log records "命令行" as the actor."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.takedown import services
from articles.takedown.models import TakedownCase


class Command(BaseCommand):
    help = "处理侵权投诉：list 列出，withdraw 撤下，reject 驳回，restore 恢复。"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="step", required=True)
        listing = sub.add_parser("list", help="列出案件")
        listing.add_argument("--status", choices=TakedownCase.Status.values)
        for name in ("withdraw", "restore"):
            sub.add_parser(name).add_argument("reference")
        reject = sub.add_parser("reject")
        reject.add_argument("reference")
        reject.add_argument("--reason", required=True, help="驳回理由，会发给投诉人")

    def handle(self, *args, step, **options):
        if step == "list":
            return self.list(options.get("status"))
        case = TakedownCase.objects.filter(reference=options["reference"].upper()).first()
        if case is None:
            raise CommandError(f"找不到案件 {options['reference']}")
        service = {
            "withdraw": services.case_withdraw,
            "restore": services.case_restore,
            "reject": services.case_reject,
        }[step]
        extra = {"reason": options["reason"]} if step == "reject" else {"note": "命令行操作"}
        try:
            case = service(case=case, by=None, **extra)
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        self.stdout.write(f"{case.reference}：{case.get_status_display()}")

    def list(self, status):
        cases = TakedownCase.objects.prefetch_related("targets").order_by("-submitted_at")
        if status:
            cases = cases.filter(status=status)
        for case in cases:
            when = timezone.localtime(case.submitted_at)
            flag = " [需人工留意]" if case.flagged else ""
            urls = "，".join(t.url for t in case.targets.all())
            status_label = f"{case.get_status_display()}{flag}"
            self.stdout.write(f"{case.reference}\t{status_label}\t{when:%Y-%m-%d %H:%M}\t{urls}")
