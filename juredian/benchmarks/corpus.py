"""Synthetic articles for benchmarks: original generated Chinese text of realistic size.

Text is assembled from a pool of sentences made from word lists written for this project,
so a million articles cost little to generate; because every sentence ends in a full stop,
each sentence is segmented once and an article's tokens are the concatenation of its
sentences' tokens — exactly what `search.text.index_tokens` would give for the whole text.
"""

import random

from search import text

PLACES = (
    "城市 县城 乡村 老街 工业园 港口 社区 校园 夜市 车站 "
    "商圈 山区 河谷 新区 古镇 码头 菜市场 地铁站 开发区 高原"
).split()
ACTORS = (
    "年轻人 老人 工人 农民 教师 学生 医生 司机 店主 工程师 "
    "设计师 程序员 记者 研究者 志愿者 家长 游客 厨师 快递员 外卖骑手"
).split()
THINGS = (
    "钢铁 煤炭 电池 芯片 大模型 人工智能 新能源 充电桩 光伏 风电 粮食 蔬菜 茶叶 书店 博物馆 "
    "图书馆 地铁 公交 高铁 物流 外卖 直播 短视频 储蓄 房租 工资 社保 医保 养老金 学费 教材 "
    "课堂 实验室 工厂 车间 仓库 订单 产能 价格 库存 出口 消费 就业 创业 数据 算法 机器人 "
    "无人机 卫星 气候 降雨 干旱 河流 森林 湿地 候鸟 垃圾分类 老旧小区 电梯 停车位 菜价"
).split()
QUALITIES = "缓慢 迅速 悄悄 明显 持续 意外 稳定 反复 普遍 罕见 暂时 逐步 大幅 小幅 整体".split()
VERBS = (
    "改变了 推动了 影响着 重塑了 拖累了 支撑着 连接着 考验着 刷新了 带动了 挤压了 点亮了 "
    "牵动着 改写了 分流了 吸引了 放大了 缓解了 加剧了 照亮了"
).split()
FRAMES = [
    "在{place}，{thing}{verb}{actor}的日常。",
    "{actor}说，{thing}{quality}地{verb}这里的节奏。",
    "过去一年，{place}的{thing}{quality}上涨，{actor}感受最深。",
    "很多{actor}发现，{thing}与{thing2}之间的关系比想象中更紧密。",
    "如果把{thing}放在{place}的尺度上看，变化其实{quality}而真实。",
    "{place}的{actor}一边谈论{thing}，一边计算着{thing2}的成本。",
    "有人认为{thing}只是潮流，但{place}的经验说明它{verb}整个行业。",
    "2026年，{thing}在{place}{quality}普及，{actor}开始重新安排时间。",
    "关于{thing}的讨论里，{actor}的声音常常被忽略。",
    "{thing}的价格{quality}波动，{place}的{actor}不得不调整计划。",
]
TITLE_FRAMES = [
    "{place}里的{thing}：{actor}的新选择",
    "当{thing}遇上{place}，谁在改变",
    "{thing}{verb}{place}，{actor}怎么看",
    "从{place}看{thing}的冬天与春天",
    "{actor}与{thing}：一座{place}的十年",
]


class CorpusWriter:
    """Makes articles' text and index tokens from a fixed, seeded pool of sentences."""

    def __init__(self, seed: int = 2026, pool: int = 6000):
        self.rng = random.Random(seed)
        self.sentences = [self._sentence(self.rng.choice(FRAMES)) for _ in range(pool)]
        self.tokens = [" ".join(text.index_tokens(s)) for s in self.sentences]

    def _fill(self, frame: str) -> str:
        rng = self.rng
        return frame.format(
            place=rng.choice(PLACES),
            actor=rng.choice(ACTORS),
            thing=rng.choice(THINGS),
            thing2=rng.choice(THINGS),
            verb=rng.choice(VERBS),
            quality=rng.choice(QUALITIES),
        )

    _sentence = _fill

    def title(self) -> str:
        return self._fill(self.rng.choice(TITLE_FRAMES))

    def title_tokens(self, title: str) -> list[str]:
        return text.index_tokens(title)

    def paragraph(self) -> tuple[str, str]:
        """(text, tokens) of a paragraph of 3–6 sentences (about 80–200 characters)."""
        picks = [self.rng.randrange(len(self.sentences)) for _ in range(self.rng.randint(3, 6))]
        return "".join(self.sentences[i] for i in picks), " ".join(self.tokens[i] for i in picks)

    def tags(self, names: list[str], weights: list[float]) -> list[str]:
        """2–5 distinct tags, drawn with a Zipf-like distribution (a few are everywhere)."""
        chosen: list[str] = []
        wanted = self.rng.randint(2, 5)
        while len(chosen) < wanted:
            name = self.rng.choices(names, weights)[0]
            if name not in chosen:
                chosen.append(name)
        return chosen


def tag_vocabulary(count: int = 2000) -> list[str]:
    """Distinct tag names: the single words first, then two-word compounds."""
    words = list(dict.fromkeys(THINGS + PLACES + ACTORS))
    names = list(words)
    rng = random.Random(7)
    while len(names) < count:
        name = rng.choice(words) + rng.choice(THINGS)
        if name not in names and len(name) <= 8:
            names.append(name)
    return names[:count]
