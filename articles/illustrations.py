"""Original illustrations for the demo essays and share cards for articles without a cover,
drawn by the project's own code with Pillow (nothing copied from anywhere).

An illustration is abstract and calm: a two-colour sky, layered hills or blocks in the
channel's colours, and a sun or a moon, laid out from a seed so each essay gets its own.
A share card (1200×630, what WeChat, Weibo and others show) is the headline on the site's
colours; it needs a CJK font (Debian's fonts-noto-cjk) and is skipped without one.
"""

import io
import random
import textwrap
from functools import lru_cache
from pathlib import Path

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

PALETTES = {  # channel slug → (sky top, sky bottom, far, near, light)
    "industry": ("#2b3a55", "#c9a97a", "#5b5f6b", "#34363d", "#f4d58d"),
    "tech": ("#13294b", "#4f7cac", "#2d4f7c", "#19324f", "#e8f1ff"),
    "city": ("#f3b27a", "#f6e3c5", "#9a6b54", "#5b3f35", "#fff6e0"),
    "culture": ("#4a2f4f", "#d99a8b", "#7d4e6d", "#3e2a3f", "#ffe7c2"),
    "life": ("#7fb7a4", "#e9f2d8", "#5f8f6e", "#35594a", "#fffbe6"),
}
DEFAULT_PALETTE = ("#31455e", "#b7c6d6", "#617387", "#2e3b4a", "#f7e7b4")
FONT_PATHS = [
    Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
]


ILLUSTRATION_SIZE = (1600, 900)


def illustration(seed: str, channel: str, size=ILLUSTRATION_SIZE) -> bytes:
    """A JPEG illustration for an essay, the same for the same seed."""
    rng = random.Random(seed)
    top, bottom, far, near, light = PALETTES.get(channel, DEFAULT_PALETTE)
    width, height = size
    picture = PILImage.new("RGB", size, top)
    draw = ImageDraw.Draw(picture)
    sky_top, sky_bottom = _rgb(top), _rgb(bottom)
    for y in range(height):
        share = y / height
        draw.line([(0, y), (width, y)], fill=_mix(sky_top, sky_bottom, share))
    radius = rng.randint(70, 130)
    cx, cy = rng.randint(radius * 2, width - radius * 2), rng.randint(radius + 40, height // 2)
    draw.ellipse([cx - radius, cy - radius, cx + radius, cy + radius], fill=light)
    for layer, colour in enumerate((far, near)):
        base = int(height * (0.58 + 0.17 * layer))
        if channel in ("industry", "city", "tech"):  # blocks: works, towers, streets
            x = -rng.randint(0, 80)
            while x < width:
                block = rng.randint(60, 180)
                top_y = base - rng.randint(40, 260 - layer * 90)
                draw.rectangle([x, top_y, x + block, height], fill=colour)
                if channel == "industry" and rng.random() < 0.3:  # a chimney
                    draw.rectangle([x + 10, top_y - 140, x + 36, top_y], fill=colour)
                x += block + rng.randint(0, 24)
        else:  # hills: fields, gardens, quiet places
            points = [(0, height)]
            for step in range(0, width + 100, 100):
                points.append((step, base - int(70 * _wave(rng, step, layer))))
            points.append((width, height))
            draw.polygon(points, fill=colour)
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=84, optimize=True, progressive=True)
    return buffer.getvalue()


def share_card(title: str, channel_name: str = "") -> bytes | None:
    """A 1200×630 PNG with the headline, or None when no CJK font is installed."""
    font_path = next((path for path in FONT_PATHS if path.exists()), None)
    if font_path is None:
        return None
    picture = PILImage.new("RGB", (1200, 630), "#fbfaf7")
    draw = ImageDraw.Draw(picture)
    draw.rectangle([0, 0, 1200, 18], fill="#b3261e")
    brand, headline, small = _fonts(str(font_path))
    draw.text((80, 70), "聚热点", font=brand, fill="#b3261e")
    if channel_name:
        draw.text((80 + brand.getlength("聚热点") + 30, 88), channel_name, font=small,
                  fill="#55555c")  # fmt: skip
    lines = _headline_lines(title)
    for number, line in enumerate(lines):
        draw.text((80, 200 + number * 100), line, font=headline, fill="#1d1d1f")
    draw.text((80, 540), "juredian · 新闻与评论", font=small, fill="#55555c")
    buffer = io.BytesIO()
    picture.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


CLOSING_PUNCTUATION = "，。、：；！？）》」』”’"
ALT_TEXT = {  # what each channel's illustration shows, for readers who cannot see it
    "industry": "示意插画：厂房与烟囱的剪影，天边挂着一轮暖黄的太阳",
    "tech": "示意插画：深蓝夜色里的一排楼宇，月亮很亮",
    "city": "示意插画：黄昏时分城市楼群的剪影",
    "culture": "示意插画：紫色暮色下层层起伏的山丘与一轮圆月",
    "life": "示意插画：绿色的山坡与田野，太阳刚升起",
}


def alt_text(channel: str) -> str:
    return ALT_TEXT.get(channel, "示意插画：远处的山与一轮太阳")


def _headline_lines(title: str, per_line: int = 14) -> list[str]:
    """At most three lines of the headline; no line starts with closing punctuation."""
    lines = textwrap.wrap(title, width=per_line)
    for number in range(1, len(lines)):
        while lines[number] and lines[number][0] in CLOSING_PUNCTUATION:
            lines[number - 1] += lines[number][0]
            lines[number] = lines[number][1:]
    lines = [line for line in lines if line]
    if len(lines) > 3:
        lines = [*lines[:2], lines[2][: per_line - 1] + "…"]
    return lines


@lru_cache(maxsize=2)
def _fonts(path: str):
    return (
        ImageFont.truetype(path, 64),
        ImageFont.truetype(path, 72),
        ImageFont.truetype(path, 34),
    )


def _wave(rng: random.Random, x: int, layer: int) -> float:
    return 1 + 0.8 * rng.random() - 0.3 * layer


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(a, b, share: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))
