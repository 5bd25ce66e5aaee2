"""Search results, suggestions (JSON) and tag entry (词条) pages."""

from datetime import date

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles.models import Article, Channel, Tag
from articles.page_cache import public_page

from . import querying, suggestions, tags

ENTRY_PAGE_SIZE = 20


@require_safe
@public_page("q", "channel", "from", "to", "sort", "page")
def results(request):
    search = parse_search_request(request.GET)
    context = {"search": search, "query": search.query, "channels": Channel.objects.all()}
    if not search.query:
        context["popular_tags"] = tags.popular()
    else:
        found = querying.run(search)
        context["results"] = found
        if not found.count:
            context["close_tags"] = tags.close_to(search.query)
    return render(request, "search/results.html", context)


def parse_search_request(params) -> querying.SearchRequest:
    """Whatever the query string holds, a usable request; what was ignored is said."""
    search = querying.SearchRequest(
        query=querying.clean_query(params.get("q", "")),
        newest_first=params.get("sort") == "newest",
        page=params.get("page") or 1,
    )
    slug = params.get("channel", "")
    if slug:
        search.channel = Channel.objects.filter(slug=slug).first()
        if search.channel is None:
            search.problems.append("没有这个栏目，已在全部栏目中搜索。")
    for name, label in (("from", "开始日期"), ("to", "结束日期")):
        value = params.get(name, "").strip()
        if value:
            try:
                setattr(search, f"date_{name}", date.fromisoformat(value))
            except ValueError:
                search.problems.append(f"{label}“{value[:20]}”格式不对，应为 2026-01-31，已忽略。")
    if search.date_from and search.date_to and search.date_from > search.date_to:
        search.date_from, search.date_to = search.date_to, search.date_from
        search.problems.append("开始日期晚于结束日期，已对调。")
    if params.get("q", "").strip() and not search.query:
        search.problems.append("搜索词里没有可以搜索的文字。")
    return search


@require_safe
def suggest(request):
    # Cached on the server (retired by any change); not in browsers or proxies, so that a
    # withdrawn article never lingers in someone's suggestions.
    return JsonResponse(suggestions.suggest(request.GET.get("q", "")))


@require_safe
@public_page("page")
def tag_entry(request, slug):
    """A 词条: the tag's description, related tags and its public articles."""
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("没有这个词条")
    articles = Article.objects.public().with_card_data().filter(tagged_items__tag=tag).latest()
    paginator = Paginator(articles, ENTRY_PAGE_SIZE)
    if paginator.count == 0:
        raise Http404("这个词条下还没有公开的文章")
    page = paginator.get_page(request.GET.get("page"))
    related = (
        Tag.objects.filter(
            tagged_articles__content_object__in=Article.objects.public().filter(
                tagged_items__tag=tag
            )
        )
        .exclude(pk=tag.pk)
        .annotate(shared=Count("tagged_articles"))
        .order_by("-shared", "name")[:12]
    )
    return render(
        request,
        "search/tag_entry.html",
        {"tag": tag, "page_obj": page, "article_count": paginator.count, "related": related},
    )
