from django.shortcuts import render
from django.utils import timezone

from articles.page_cache import public_page

from .models import ArticleReadHour
from .ranking import current_entries


@public_page()
def trending_list(request):
    """The whole list, with each article's reads over the last 24 hours and 7 days."""
    entries = [dict(entry) for entry in current_entries()]
    totals = ArticleReadHour.objects.day_and_week_totals(
        [entry["article_id"] for entry in entries if entry["article_id"]], timezone.now()
    )
    for entry in entries:
        entry["reads_day"], entry["reads_week"] = totals.get(entry["article_id"], (0, 0))
    return render(request, "trending/list.html", {"entries": entries})
