"""The 主编's dashboard on the admin's front page: what needs deciding, and soon."""

from datetime import timedelta

from django import template
from django.utils import timezone

from articles.models import Article
from articles.takedown.models import TakedownCase
from trending.ranking import sidebar_entries

register = template.Library()
SOON = timedelta(hours=48)
SHOWN = 8


@register.inclusion_tag("admin/_dashboard.html", takes_context=True)
def desk_dashboard(context):
    user = context["request"].user
    now = timezone.now()
    dashboard = {"now": now}
    if user.has_perm("takedown.view_takedowncase"):
        cases = list(
            TakedownCase.objects.filter(status__in=TakedownCase.OPEN).order_by("submitted_at")[
                :SHOWN
            ]
        )
        dashboard["cases"] = cases
    if user.has_perm("articles.view_article"):
        upcoming = Article.objects.filter(status=Article.Status.PUBLISHED)
        dashboard["publishing"] = list(
            upcoming.filter(published_at__gt=now, published_at__lte=now + SOON)
            .order_by("published_at")
            .only("title", "published_at")[:SHOWN]
        )
        dashboard["unpublishing"] = list(
            upcoming.filter(unpublish_at__gt=now, unpublish_at__lte=now + SOON)
            .order_by("unpublish_at")
            .only("title", "unpublish_at")[:SHOWN]
        )
        dashboard["trending"] = sidebar_entries()[:5]
        dashboard["in_review"] = list(
            Article.objects.filter(status=Article.Status.IN_REVIEW)
            .order_by("updated_at")
            .only("title", "updated_at")[:SHOWN]
        )
    return dashboard
