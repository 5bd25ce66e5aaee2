from .address import OldAddress
from .article import (
    Article,
    ArticleQuerySet,
    Channel,
    Section,
    Tag,
    TaggedArticle,
    user_can_preview,
)
from .author import Author, Authorship
from .correction import Correction
from .image import Image
from .revision import ArticleRevision

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ArticleRevision",
    "Author",
    "Authorship",
    "Channel",
    "Correction",
    "Image",
    "OldAddress",
    "Section",
    "Tag",
    "TaggedArticle",
    "user_can_preview",
]
