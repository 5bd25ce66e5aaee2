"""Reader-facing article pages: the essay itself, channels and the archive."""

from datetime import date, datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import http_date
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from . import edge, illustrations
from .models import Article, Author, Channel, Correction, OldAddress, user_can_preview
from .page_cache import keep_page, public_page

ARCHIVE_PAGE_SIZE = 20


@require_safe
def share_card(request, slug):
    """The picture a share shows for an article without a cover: its headline on the site's
    colours (articles.illustrations), made once per version and kept by the edge."""
    article = Article.objects.public().select_related("channel").filter(slug=slug).first()
    if article is None:
        raise Http404("没有这篇文章")
    picture = illustrations.share_card(
        article.title, article.channel.name if article.channel else ""
    )
    if picture is None:  # no CJK font on this server: the site's own card
        return redirect(static("img/share.png"))
    response = HttpResponse(picture, content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    edge.share(request, f"article-{article.pk}", seconds=edge.ARTICLE_SECONDS)
    return response


def article_detail(request, slug):
    """An essay. Editors also see drafts and scheduled articles, under a banner.

    A reader's page may come from the cache before this view runs (see page_cache, which
    then signals the read); here the read is signalled for a page made afresh."""
    preview_allowed = user_can_preview(request.user)
    articles = Article.objects.all() if preview_allowed else Article.objects.public()
    article = articles.for_page().filter(slug=slug).first()
    if article is None or article.status == Article.Status.WITHDRAWN:
        return unavailable_for_legal_reasons(request, slug)
    is_preview = not article.is_public
    older, newer = article.neighbours_in_channel()
    sections = article.numbered_sections()
    tags = article.tag_list()
    related = article.related()
    response = render(
        request,
        "articles/article_detail.html",
        {
            "article": article,
            "sections": sections,
            "tags": tags,
            "older": older,
            "newer": newer,
            "related": related,
            "is_preview": is_preview,
        },
    )
    if is_preview:
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex"
        return response
    response["Last-Modified"] = http_date(article.updated_at.timestamp())
    images = {article.cover_id, *article.section_image_ids}
    edge.share(
        request,
        *edge.article_keys([article, older, newer, *related]),
        *(f"tag-{tag.pk}" for tag in tags),
        *(f"image-{image}" for image in images if image),
        *(f"author-{person.pk}" for person in article.byline_authors()),
        seconds=edge.ARTICLE_SECONDS,
    )
    if not preview_allowed:
        keep_page(request, response)
    return response


def unavailable_for_legal_reasons(request, slug):
    """A withdrawn article answers 451 (RFC 7725) citing its case; anything else is a 404.
    Rendered from the article alone: it keeps what its notice page must say."""
    article = Article.objects.withdrawn().only(*UNAVAILABLE_FIELDS).filter(slug=slug).first()
    if article is None:
        return gone_as_planned(request, slug)
    response = render(request, "articles/unavailable.html", {"article": article}, status=451)
    # RFC 7725: who blocks it — our takedown policy, linked by its URL name like any page.
    policy = request.build_absolute_uri(reverse("takedown:policy"))
    response["Link"] = f'<{policy}>; rel="blocked-by"'
    # Caches must ask again each time, so that a restored article shows up at once.
    response["Cache-Control"] = "no-cache, must-revalidate"
    return response


def moved_to(path: str):
    """A 301 to where the article at an earlier `path` is now, or None."""
    if "\x00" in path or len(path) > OldAddress._meta.get_field("path").max_length:
        return None  # never an address of ours
    address = OldAddress.objects.select_related("article").filter(path=path).first()
    if address is None:
        return None
    return HttpResponsePermanentRedirect(address.article.get_absolute_url())


def gone_as_planned(request, slug):
    """An article whose planned end time has come answers 410 Gone (not 451: nobody asked
    for it to be taken down); anything else is a 404."""
    article = Article.objects.expired().only("title", "unpublish_at").filter(slug=slug).first()
    if article is None:
        moved = moved_to(request.path)
        if moved is not None:
            return moved
        raise Http404("没有这篇文章")
    response = render(request, "articles/expired.html", {"article": article}, status=410)
    response["Cache-Control"] = "no-cache, must-revalidate"  # a re-published one shows at once
    return response


UNAVAILABLE_FIELDS = [
    "title", "withdrawn_at", "withdrawal_reference", "withdrawal_basis", "withdrawal_notice_url",
]  # fmt: skip


class ArticleListView(ListView):
    """A paginated list of public articles, newest first; bad page numbers are 404."""

    paginate_by = ARCHIVE_PAGE_SIZE
    context_object_name = "articles"
    list_key = "archive"  # the surrogate key of the list (see articles.edge)

    def get_queryset(self):
        return Article.objects.public().with_card_data().latest()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        edge.share(
            self.request,
            self.list_key,
            *edge.article_keys(context["object_list"]),
            seconds=edge.LIST_SECONDS,
        )
        return context


@method_decorator(public_page("page"), name="dispatch")
class ArchiveView(ArticleListView):
    """All articles, newest first, grouped by month; with year and month, that month's."""

    template_name = "articles/archive.html"

    def get_queryset(self):
        articles = super().get_queryset()
        year, month = self.kwargs.get("year"), self.kwargs.get("month")
        if year is None:
            return articles
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise Http404("没有这个月份")
        self.month = date(year, month, 1)
        start = timezone.make_aware(datetime(year, month, 1))
        stop = timezone.make_aware(datetime(year + month // 12, month % 12 + 1, 1))
        return articles.filter(published_at__gte=start, published_at__lt=stop)

    def get_context_data(self, **kwargs):
        months = Article.objects.public().months_with_articles()
        return super().get_context_data(months=months, month=getattr(self, "month", None), **kwargs)


@method_decorator(public_page("page"), name="dispatch")
class ChannelView(ArticleListView):
    template_name = "articles/channel.html"

    def get_queryset(self):
        self.channel = get_object_or_404(Channel, slug=self.kwargs["slug"])
        self.list_key = f"channel-{self.channel.pk}"
        return super().get_queryset().filter(channel=self.channel)

    def get_context_data(self, **kwargs):
        return super().get_context_data(channel=self.channel, **kwargs)


@public_page("page")
def corrections(request):
    """Every correction and clarification, newest first, each linking to its article."""
    page = Paginator(Correction.objects.public(), ARCHIVE_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    shown = [correction.article for correction in page.object_list]
    edge.share(request, "corrections", *edge.article_keys(shown), seconds=edge.LIST_SECONDS)
    context = {"page_obj": page, "contact": settings.SITE_CONTACT_EMAIL}
    return render(request, "articles/corrections.html", context)


@public_page("page")
def author(request, slug):
    """An author's page: who they are and what they wrote here, newest first."""
    person = get_object_or_404(Author.objects.select_related("photo"), slug=slug)
    articles = Article.objects.public().with_card_data().filter(authorships__author=person)
    paginator = Paginator(articles.latest(), ARCHIVE_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    edge.share(
        request, f"author-{person.pk}", *edge.article_keys(page.object_list),
        seconds=edge.LIST_SECONDS,
    )  # fmt: skip
    context = {"author": person, "page_obj": page, "article_count": paginator.count}
    return render(request, "articles/author.html", context)
