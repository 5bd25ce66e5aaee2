"""Search results, suggestions (JSON) and tag entry (词条) pages."""

from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from articles import edge
from articles.models import Article, Channel, Tag
from articles.page_cache import public_page

from . import querying, suggestions, tags
from .forms import SearchForm

ENTRY_PAGE_SIZE = 20


@require_safe
@public_page("q", "channel", "from", "to", "sort", "page")
def results(request):
    search = SearchForm(request.GET).search_request()
    context = {"search": search, "query": search.query, "channels": Channel.objects.all()}
    # Tags shown here (popular, close) follow the `search` key, which a tag's change purges.
    edge.share(request, "search", seconds=edge.SEARCH_SECONDS)
    if not search.query:
        context["popular_tags"] = tags.popular()
    else:
        found = context["results"] = querying.run(search)
        articles = (hit.article for hit in found.hits)
        edge.share(request, *edge.article_keys(articles), seconds=edge.SEARCH_SECONDS)
        if not found.count:
            context["close_tags"] = tags.close_to(search.query)
    return render(request, "search/results.html", context)


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
    related = tags.related_to(tag)
    edge.share(
        request,
        f"entry-{tag.pk}",
        *(f"tag-{shown.pk}" for shown in [tag, *related]),
        *edge.article_keys(page.object_list),
        seconds=edge.LIST_SECONDS,
    )
    return render(
        request,
        "search/tag_entry.html",
        {"tag": tag, "page_obj": page, "article_count": paginator.count, "related": related},
    )
