"""Search results and tag entry (词条) pages."""

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render

from articles.models import Article, Tag

QUERY_MAX_LENGTH = 100
PAGE_SIZE = 20


def results(request):
    query = request.GET.get("q", "").strip()[:QUERY_MAX_LENGTH]
    articles = Article.objects.none()
    if query:
        articles = (
            Article.objects.public()
            .with_card_data()
            .filter(Q(title__icontains=query) | Q(lede__icontains=query) | Q(tags__name=query))
            .distinct()
            .latest()
        )
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "search/results.html", {"query": query, "page_obj": page})


def tag_entry(request, slug):
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        raise Http404("没有这个词条")
    articles = Article.objects.public().with_card_data().filter(tags=tag).latest()
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    if not page.object_list:
        raise Http404("这个词条下还没有公开的文章")
    return render(request, "search/tag_entry.html", {"tag": tag, "page_obj": page})
