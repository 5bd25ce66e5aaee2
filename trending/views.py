from datetime import timedelta

from django.db.models import Q, Sum
from django.shortcuts import render
from django.utils import timezone

from articles.page_cache import public_page

from .models import ArticleReadHour
from .ranking import current_entries


@public_page()
def trending_list(request):
    """The whole list, with each article's reads over the last 24 hours and 7 days."""
    now = timezone.now()
    entries = [dict(entry) for entry in current_entries()]
    ids = [entry["article_id"] for entry in entries if entry["article_id"]]
    counts = {
        row["article_id"]: row
        for row in ArticleReadHour.objects.filter(
            article_id__in=ids, hour__gte=now - timedelta(days=7)
        )
        .values("article_id")
        .annotate(
            day=Sum("reads", filter=Q(hour__gte=now - timedelta(hours=24))), week=Sum("reads")
        )
    }
    for entry in entries:
        row = counts.get(entry["article_id"], {})
        entry["reads_day"], entry["reads_week"] = row.get("day") or 0, row.get("week") or 0
    return render(request, "trending/list.html", {"entries": entries})
