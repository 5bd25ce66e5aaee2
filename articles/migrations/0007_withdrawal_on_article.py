"""Withdrawal becomes a state of the article; the takedown models leave this app.

1. The article keeps what its 451 page shows (case reference, legal basis, where to answer
   the notice), copied from the case that withdrew it; the foreign key into the case goes.
2. The seven takedown models leave this app's state only: their tables stay, with every row
   and trigger, and `takedown` 0001 takes them over (renaming the tables).
"""

from urllib.parse import urlencode

from django.db import migrations, models

CIVIL_CODE = "《中华人民共和国民法典》第一千一百九十五条至第一千一百九十七条"
NETWORK_REGULATION = "《信息网络传播权保护条例》第十四条至第十七条"


def basis_for(right_kind: str) -> str:
    return f"{CIVIL_CODE}；{NETWORK_REGULATION}" if right_kind == "copyright" else CIVIL_CODE


def copy_withdrawals(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    withdrawn = Article.objects.filter(status="withdrawn", withdrawn_case__isnull=False)
    for article in withdrawn.select_related("withdrawn_case"):
        case = article.withdrawn_case
        article.withdrawal_reference = case.reference
        article.withdrawal_basis = basis_for(case.right_kind)
        article.withdrawal_notice_url = "/takedown/counter/?" + urlencode({"ref": case.reference})
        article.save(
            update_fields=["withdrawal_reference", "withdrawal_basis", "withdrawal_notice_url"]
        )


def link_withdrawals_back(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    TakedownCase = apps.get_model("articles", "TakedownCase")
    cases = dict(TakedownCase.objects.values_list("reference", "pk"))
    for article in Article.objects.exclude(withdrawal_reference=""):
        article.withdrawn_case_id = cases.get(article.withdrawal_reference)
        article.save(update_fields=["withdrawn_case"])


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_takedown_supplement")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="withdrawal_reference",
            field=models.CharField(
                blank=True,
                db_index=True,
                editable=False,
                max_length=40,
                verbose_name="撤下案件编号",
            ),
        ),
        migrations.AddField(
            model_name="article",
            name="withdrawal_basis",
            field=models.TextField(blank=True, editable=False, verbose_name="撤下的法律依据"),
        ),
        migrations.AddField(
            model_name="article",
            name="withdrawal_notice_url",
            field=models.CharField(
                blank=True, editable=False, max_length=300, verbose_name="通知与反通知的网址"
            ),
        ),
        migrations.RunPython(copy_withdrawals, link_withdrawals_back),
        migrations.RemoveField(model_name="article", name="withdrawn_case"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="takedowncase", name="articles"),
                migrations.DeleteModel(name="TakedownEvent"),
                migrations.DeleteModel(name="TakedownAttachment"),
                migrations.DeleteModel(name="TakedownSubmission"),
                migrations.DeleteModel(name="CounterNotice"),
                migrations.DeleteModel(name="TakedownTarget"),
                migrations.DeleteModel(name="TakedownCase"),
                migrations.DeleteModel(name="TakedownCounter"),
            ],
            database_operations=[],
        ),
    ]
