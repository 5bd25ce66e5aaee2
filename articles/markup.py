"""Sections edited as text, not HTML: the small markup editors type, and the way back.

    两段之间空一行。一行之内换行就是换行。
    **加粗**  *强调*  [链接文字](https://example.com/)  ![图片说明](/media/images/2026/11/a.jpg)
    > 引用（每行以 “> ” 开头）

`text_to_html` makes the stored HTML (then sanitised as every body is); `html_to_text` turns
stored HTML back into this text for the edit form. HTML that uses more than the markup can say
(lists, headings…) is shown as HTML, and saved as HTML, unchanged: nothing is ever lost.
"""

import html
import re

from .sanitising import sanitise_html

INLINE = [
    (re.compile(r"!\[([^\]\n]*)\]\((/media/[^)\s]+)\)"), r'<img src="\2" alt="\1">'),
    (re.compile(r"\[([^\]\n]+)\]\(((?:https?://|mailto:|/)[^)\s]+)\)"), r'<a href="\2">\1</a>'),
    (re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"), r"<strong>\1</strong>"),
    (re.compile(r"(?<!\*)\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?!\*)"), r"<em>\1</em>"),
]
_TAG = re.compile(r"<(/?)([a-z0-9]+)([^>]*)>")
_ATTRIBUTE = re.compile(r'([a-z]+)="([^"]*)"')
MARKUP_TAGS = {"p", "br", "strong", "b", "em", "i", "a", "img", "blockquote"}


def text_to_html(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    blocks = [block.strip("\n") for block in re.split(r"\n[ \t]*\n", text) if block.strip()]
    return "".join(_block(block) for block in blocks)


def _block(block: str) -> str:
    lines = block.split("\n")
    if all(line.startswith(">") for line in lines):
        inner = "\n".join(line[1:].removeprefix(" ") for line in lines)
        return f"<blockquote><p>{_inline(inner)}</p></blockquote>"
    return f"<p>{_inline(block)}</p>"


def _inline(text: str) -> str:
    text = html.escape(text, quote=False)
    for pattern, replacement in INLINE:
        text = pattern.sub(replacement, text)
    return text.replace("\n", "<br>")


def html_to_text(stored: str) -> str | None:
    """The markup text of stored HTML, or None when the HTML says more than the markup can
    (the form then shows the HTML itself)."""
    if any(name not in MARKUP_TAGS for _, name, _ in _TAG.findall(stored)):
        return None
    blocks = re.findall(r"<blockquote><p>(.*?)</p></blockquote>|<p>(.*?)</p>", stored, re.S)
    rebuilt = "".join(
        f"<blockquote><p>{quote}</p></blockquote>" if quote else f"<p>{para}</p>"
        for quote, para in blocks
    )
    if rebuilt != stored:
        return None  # something outside paragraphs and quotes
    texts = []
    for quote, para in blocks:
        if quote:
            texts.append("\n".join("> " + line for line in _plain(quote).split("\n")))
        else:
            texts.append(_plain(para))
    text = "\n\n".join(texts)
    # Exactly what was stored, or the HTML stays: an attribute the markup cannot carry (an
    # image's width, a link's title) must not be dropped by an innocent save.
    return text if sanitise_html(text_to_html(text)) == stored else None


def _plain(fragment: str) -> str:
    def tag(match: re.Match) -> str:
        closing, name, attributes = match.groups()
        values = dict(_ATTRIBUTE.findall(attributes))
        if name == "br":
            return "\n"
        if name in ("strong", "b"):
            return "**"
        if name in ("em", "i"):
            return "*"
        if name == "img":
            return f"![{values.get('alt', '')}]({values.get('src', '')})"
        if name == "a":
            return "](" + LINKS.pop() + ")" if closing else _open_link(values.get("href", ""))
        return ""

    LINKS: list[str] = []

    def _open_link(href: str) -> str:
        LINKS.append(href)
        return "["

    return html.unescape(_TAG.sub(tag, fragment))
