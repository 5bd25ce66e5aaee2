from .article import (
    Article,
    ArticleQuerySet,
    Channel,
    Section,
    Tag,
    TaggedArticle,
    user_can_preview,
)
from .correction import Correction
from .image import Image
from .revision import ArticleRevision

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ArticleRevision",
    "Channel",
    "Correction",
    "Image",
    "Section",
    "Tag",
    "TaggedArticle",
    "user_can_preview",
]
