"""Section and entry bodies are stored as sanitised HTML, cleaned once when saved.

The allow-list is what an essay needs: paragraphs, emphasis, lists, quotes, links (always
`rel="nofollow noopener"`) and images served from our own media URL. Everything else — scripts,
event handlers, styles, iframes — is removed, with its text kept where it is harmless.
"""

import re

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup", "mark", "small",
    "ul", "ol", "li", "blockquote", "q", "cite", "a", "img", "figure", "figcaption",
    "h3", "h4", "hr", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
}
_BLOCK_START = re.compile(r"^\s*<(p|ul|ol|blockquote|figure|h3|h4|pre|hr)\b", re.IGNORECASE)


def _only_our_images(tag: str, attribute: str, value: str) -> str | None:
    if tag == "img" and attribute == "src":
        return value if value.startswith(settings.MEDIA_URL) else None
    return value


_IMAGE_WITHOUT_SOURCE = re.compile(r"<img\b(?![^>]*\ssrc=)[^>]*>")


def sanitise_html(html: str) -> str:
    """Clean untrusted HTML against the allow-list above. An image from elsewhere goes
    whole (nh3 would keep an empty `<img>` without its address)."""
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
        attribute_filter=_only_our_images,
        strip_comments=True,
    )
    return _IMAGE_WITHOUT_SOURCE.sub("", cleaned).strip()


def paragraphs_to_html(text: str) -> str:
    """Editors' text → HTML: a blank line separates paragraphs, a single newline is a <br>,
    and allowed tags typed inside (<strong>, <a>, <img src="/media/…">) are kept.

    Text that starts with a block element is HTML already and is only sanitised; so is each
    paragraph that does. Everything ends up cleaned against the allow-list.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if _BLOCK_START.match(text):
        return sanitise_html(text)
    blocks = [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]
    html = "".join(
        block if _BLOCK_START.match(block) else "<p>{}</p>".format(block.replace("\n", "<br>"))
        for block in blocks
    )
    return sanitise_html(html)
