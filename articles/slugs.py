"""ASCII addresses from Chinese names: 钢铁的冬天 → gang-tie-de-dong-tian, unique in a table."""

import re


def pinyin_slug(text: str, queryset, *, exclude_pk=None, fallback: str, limit: int = 80) -> str:
    from pypinyin import lazy_pinyin  # loaded only where things are written, not read

    words = lazy_pinyin(text)  # runs of Latin letters and digits stay whole words
    base = re.sub(r"[^a-z0-9]+", "-", "-".join(words).lower()).strip("-")[:limit].strip("-")
    base = base or fallback
    taken = set(
        queryset.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
