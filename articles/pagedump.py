"""Reading essays from plain text: the admin's "paste the whole text" and the page importer.

One parser for both. An essay's sections are introduced by a line holding only the
section's number (`01`, `０２`, ` 03 `); text before the first number is the lede. A page
dump of the old site (see `parse_page_dump`) wraps such an essay in the site's chrome.
"""

import re
import unicodedata
from dataclasses import dataclass, field

BRAND_WORDS = ("聚热点", "juredian")
TITLE_MAX_CHARS = 120  # Article.title's and TrendingItem.title's max_length
TAG_MAX_CHARS = 100  # taggit's Tag.name max_length
SUGGESTIONS_PREFIX = re.compile(r"^搜索建议\s*[:：]\s*")
TRENDING_MARKER = "热传"
EXPAND_MARKER = re.compile(r"\s*(?:\.{2,}|…+|。{2,})?\s*[(（]展开[)）]\s*$")
ENTRY_SUFFIX = "词条"
# A heading is a short line that does not end like a sentence.
HEADING_MAX_CHARS = 24
SENTENCE_END = tuple('。！？!?…；;：:，,”"』」）)')


class PageDumpError(ValueError):
    """A page dump that cannot become an article; the message is for the editor."""


@dataclass
class SectionText:
    heading: str
    paragraphs: list[str]

    @property
    def body(self) -> str:
        """Paragraphs as the editor would type them: separated by an empty line."""
        return "\n\n".join(self.paragraphs)


@dataclass
class EssayText:
    lede: str
    sections: list[SectionText]


@dataclass
class TrendingBlock:
    title: str
    summary: str


@dataclass
class PageDump:
    title: str
    lede: str
    sections: list[SectionText]
    tags: list[str] = field(default_factory=list)
    trending: list[TrendingBlock] = field(default_factory=list)


def normalise_line(line: str) -> str:
    """Full-width letters and digits to half-width (NFKC), surrounding spaces removed."""
    return unicodedata.normalize("NFKC", line).strip()


def section_number(line: str) -> int | None:
    """The number of a section-number line (`01`, `０２`, `0 3`), else None."""
    compact = re.sub(r"\s+", "", normalise_line(line))
    return int(compact) if re.fullmatch(r"\d{2}", compact) else None


def is_site_chrome(line: str) -> bool:
    """Lines the old site printed around every article — `本站…` notices, the removal
    notice ("如有侵权请联系删除") — never article text in a page dump."""
    text = normalise_line(line)
    return text.startswith("本站") or all(word in text for word in ("侵权", "联系", "删除"))


def split_essay(text: str) -> EssayText:
    """Split an essay at its section-number lines. Empty lines separate nothing: every
    non-empty line is a paragraph; a first line that reads like a heading becomes one.
    Every other line is kept: an essay may well say 本站 or discuss 侵权 and 删除."""
    lede: list[str] = []
    sections: list[list[str]] = []
    for raw in _lines(text):
        line = raw.strip()
        if not line:
            continue
        if section_number(line) is not None:
            sections.append([])
        elif sections:
            sections[-1].append(line)
        else:
            lede.append(line)
    return EssayText(lede="\n".join(lede), sections=[_section(lines) for lines in sections])


def parse_page_dump(text: str) -> PageDump:
    """Read one page of the old site: brand, title, essay, notice, 搜索建议, 热传 blocks."""
    if "\x00" in text:
        raise PageDumpError(
            "文件里有空字符（NUL），不是纯文本（也许是 UTF-16 编码）；请转成 UTF-8 再导入。"
        )
    lines = [line.strip() for line in _lines(text)]
    lines = [line for line in lines if line]
    if lines and any(word in lines[0].lower() for word in BRAND_WORDS):
        lines = lines[1:]
    if not lines or section_number(lines[0]) is not None or lines[0] == TRENDING_MARKER:
        raise PageDumpError("找不到标题：品牌行之后的第一行应当是文章标题。")
    title, rest = lines[0], lines[1:]
    if len(title) > TITLE_MAX_CHARS:
        raise PageDumpError(f"标题太长（{len(title)} 字），标题不能超过 {TITLE_MAX_CHARS} 字。")

    essay_lines, tags, trending = [], [], []
    index = 0
    while index < len(rest):
        line = rest[index]
        if SUGGESTIONS_PREFIX.match(line):
            tags = _suggested_tags(SUGGESTIONS_PREFIX.sub("", line))
        elif line == TRENDING_MARKER:
            block, index = _trending_block(rest, index + 1)
            if block:
                trending.append(block)
            continue
        elif not trending and not tags:
            essay_lines.append(line)
        index += 1

    essay = split_essay("\n".join(line for line in essay_lines if not is_site_chrome(line)))
    if not essay.sections:
        raise PageDumpError("没有分节：找不到只写着 01、02 这样分节编号的行。")
    for tag in tags:
        if len(tag) > TAG_MAX_CHARS:
            raise PageDumpError(f"搜索建议里的“{tag[:20]}…”太长，标签不能超过 {TAG_MAX_CHARS} 字。")
    for block in trending:
        if len(block.title) > TITLE_MAX_CHARS:
            raise PageDumpError(
                f"热传标题“{block.title[:20]}…”太长，不能超过 {TITLE_MAX_CHARS} 字。"
            )
    return PageDump(title, essay.lede, essay.sections, tags, trending)


def _lines(text: str) -> list[str]:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _section(lines: list[str]) -> SectionText:
    if len(lines) > 1 and _reads_like_heading(lines[0]):
        return SectionText(heading=lines[0], paragraphs=lines[1:])
    return SectionText(heading="", paragraphs=lines)


def _reads_like_heading(line: str) -> bool:
    return len(line) <= HEADING_MAX_CHARS and not line.endswith(SENTENCE_END)


def _suggested_tags(terms: str) -> list[str]:
    tags: list[str] = []
    for term in re.split(r"[\s·、,，]+", terms):
        term = term.strip()
        if term.endswith(ENTRY_SUFFIX) and len(term) > len(ENTRY_SUFFIX):
            term = term[: -len(ENTRY_SUFFIX)]
        if term and term not in tags:
            tags.append(term)
    return tags


def _trending_block(lines: list[str], start: int) -> tuple[TrendingBlock | None, int]:
    """A 热传 block: a title line, then summary lines up to the next block or tag line."""
    if start >= len(lines) or lines[start] == TRENDING_MARKER:
        return None, start
    title = lines[start]
    summary: list[str] = []
    index = start + 1
    while index < len(lines) and lines[index] != TRENDING_MARKER:
        if SUGGESTIONS_PREFIX.match(lines[index]) or is_site_chrome(lines[index]):
            break
        summary.append(lines[index])
        index += 1
    text = EXPAND_MARKER.sub("", "".join(summary)).strip()
    return TrendingBlock(title=title, summary=text), index
