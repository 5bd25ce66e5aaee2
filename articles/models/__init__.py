from .article import (
    Article,
    ArticleQuerySet,
    Channel,
    Section,
    Tag,
    TaggedArticle,
    user_can_preview,
)
from .image import Image
from .revision import ArticleRevision
from .takedown import (
    CounterNotice,
    TakedownAttachment,
    TakedownCase,
    TakedownCounter,
    TakedownEvent,
    TakedownSubmission,
    TakedownTarget,
)

__all__ = [
    "Article",
    "ArticleQuerySet",
    "ArticleRevision",
    "Channel",
    "CounterNotice",
    "Image",
    "Section",
    "Tag",
    "TaggedArticle",
    "TakedownAttachment",
    "TakedownCase",
    "TakedownCounter",
    "TakedownEvent",
    "TakedownSubmission",
    "TakedownTarget",
    "user_can_preview",
]
