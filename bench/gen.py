#!/usr/bin/env python3
"""Write the same community hub of N pages for Hearth, Hugo and Zola.

    python3 bench/gen.py --pages N --seed 1 --out DIR [--tiers] [--data]

writes DIR/hearth, DIR/hugo and DIR/zola. The content is deterministic from
the seed: the same page list, titles, dates, tags, bodies, code blocks and
internal links in all three, only in each generator's front-matter and link
syntax. Hearth uses its built-in theme; Hugo and Zola get small hand-written
templates that show roughly what Hearth's theme shows (title, date, reading
time, summary, tags, table of contents, content, navigation, breadcrumbs,
previous/next, paginated listings with cards, tag pages, an Atom feed and a
sitemap).

Standard library only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
from pathlib import Path

# ---------------------------------------------------------------------------
# Vocabulary (written for this generator).

ZH_WORDS = """
读书会 分享 活动 社区 成员 朋友 城市 周末 晚上 线上 线下 聚会 讨论 小说 诗歌 散文 历史 哲学
科学 艺术 电影 音乐 摄影 设计 写作 翻译 编程 开源 项目 工具 网站 文档 问题 答案 经验 建议
计划 目标 时间 地点 报名 名额 费用 志愿者 主持人 嘉宾 作者 读者 书单 推荐 笔记 摘抄 故事 人物
章节 开头 结尾 语言 文字 句子 段落 思考 感受 记忆 旅行 咖啡馆 图书馆 茶馆 公园 草地 教室 会议室
工作坊 讲座 沙龙 展览 徒步 野餐 夜读 早读 马拉松 年会 新年 春天 夏天 秋天 冬天 雨天 周六 周日
每月 每周 第一次 最后 一起 慢慢 认真 轻松 热闹 安静 温暖 有趣 重要 简单 困难 长期 短期 新的
旧的 大家 我们 你们 他们 自己 彼此 欢迎 感谢 邀请 参加 组织 准备 整理 记录 回顾 总结 发布 更新
通知 公告 规则 说明 指南 手册 流程 步骤 方法 习惯 节奏 氛围 空间 角落 窗边 灯光 茶水 点心 海报
照片 视频 播客 直播 群聊 频道 邮件 日历 地图 路线 地铁 公交 自行车 上海 成都 北京 广州 杭州 柏林
伦敦 东京 新加坡 温哥华 分会 小组 主题 话题 观点 争论 共识 协作 贡献 维护 审阅 合并 发布会 版本
""".split()

ZH_CONNECT = "的 了 和 在 也 就 都 还 把 让 给 从 对 跟 为 与 并且 但是 因为 所以 如果 虽然".split()

EN_WORDS = """
community meetup reading night book club members friends city weekend online offline discussion
novel poetry essay history philosophy science art film music photo design writing translation
code open source project tool website docs question answer experience advice plan goal time place
signup seats cost volunteer host guest author reader list notes quote story character chapter
opening ending language words sentence paragraph thinking feeling memory travel cafe library
teahouse park lawn classroom workshop talk salon exhibition hike picnic marathon spring summer
autumn winter rainy saturday sunday monthly weekly first last together slowly carefully relaxed
lively quiet warm fun important simple hard long short new old everyone we you they welcome
thanks invite join organize prepare collect record recap summary publish update notice rules
guide handbook process steps method habit rhythm space corner window light tea snacks poster
video podcast stream chat channel mail calendar map route subway bus bicycle chapter group topic
view debate consensus collaboration contribution review merge release version shanghai chengdu
berlin london tokyo singapore vancouver
""".split()

EN_CONNECT = "the a of and in on with for to from about after before during at by".split()

ZH_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢")
ZH_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏辉晨宇轩睿思雨欣悦然博文嘉怡浩宁安晴朗")
EN_FIRST = """anna ben clara david emma felix grace henry iris jonas karin leo maya noah olga paul
quinn rosa sam tara ulla victor wen xavier yara zoe""".split()
EN_LAST = """weber schmidt miller novak garcia ito kim silva rossi dubois meyer fischer
wagner becker hoffmann tan lim wong chen""".split()

CITIES = [("上海", "Shanghai"), ("成都", "Chengdu"), ("北京", "Beijing"), ("广州", "Guangzhou"),
          ("杭州", "Hangzhou"), ("柏林", "Berlin"), ("伦敦", "London"), ("东京", "Tokyo"),
          ("新加坡", "Singapore"), ("温哥华", "Vancouver"), ("线上", "Online")]
VENUES = ["梧桐书房", "街角咖啡馆", "社区图书馆二楼", "老茶馆", "Café Lesezeichen", "Open Space Room 3",
          "河边草地", "创意园会议室", "Zoom 会议室", "大学城自习室"]
ROLES = [("organizer", "组织者"), ("moderator", "管理员"), ("event-lead", "活动负责人"),
         ("designer", "设计"), ("translator", "翻译")]

CODE_SNIPPETS = {
    "rust": [
        "fn {a}(items: &[{T}]) -> usize {{\n    items.iter().filter(|x| x.{b}()).count()\n}}",
        "#[derive(Debug, Clone)]\npub struct {T} {{\n    pub {a}: String,\n    pub {b}: u32,\n}}",
        "let mut {a} = Vec::with_capacity({n});\nfor i in 0..{n} {{\n    {a}.push(i * 2);\n}}\nprintln!(\"{{:?}}\", {a});",
        "match {a}.get(\"{b}\") {{\n    Some(v) => println!(\"found {{v}}\"),\n    None => eprintln!(\"missing\"),\n}}",
    ],
    "python": [
        "def {a}(items):\n    \"\"\"Count the {b} items.\"\"\"\n    return sum(1 for x in items if x.{b})",
        "import json\n\nwith open(\"{a}.json\", encoding=\"utf-8\") as f:\n    data = json.load(f)\nprint(len(data[\"{b}\"]))",
        "class {T}:\n    def __init__(self, {a}, {b}={n}):\n        self.{a} = {a}\n        self.{b} = {b}",
        "for i, row in enumerate(rows[:{n}]):\n    if row.get(\"{a}\"):\n        print(i, row[\"{b}\"])",
    ],
    "toml": [
        "[{a}]\nname = \"{T}\"\nseats = {n}\nonline = true",
        "title = \"{T}\"\ndate = 2025-03-0{d}\ntags = [\"{a}\", \"{b}\"]",
        "[[{a}]]\nid = \"{b}\"\nweight = {n}\n\n[[{a}]]\nid = \"{T}\"\nweight = {d}",
    ],
}
IDENTS = "reader members events notes chapter slots venue host queue draft shelf pages".split()
TYPES = "Meetup Member Chapter Event Recap Shelf Booklist Venue".split()

SECTIONS = [
    # key, folder, Chinese title, English title, share of N, id prefix
    ("news", "news", "新闻", "News", None, "n"),
    ("activities", "activities", "活动回顾", "Recaps", 0.25, "a"),
    ("events", "events", "活动", "Events", 0.15, "e"),
    ("members", "members", "成员", "Members", 0.15, "m"),
    ("chapters", "chapters", "分会", "Chapters", 0.01, "c"),
]

# `--tiers`: the shape of a hub with tiers (issue #19): at 10,000 pages
# 4,000 recaps, 1,500 events, 2,800 member profiles, 100 chapters, 1,000 tags.
TIERED_SHARES = {"activities": 0.40, "events": 0.15, "members": 0.28, "chapters": 0.01}
# Who may read what, in the tiered hub (Hearth only: Hugo and Zola have no
# tiers and build every page). The members section is gated as a whole
# (a gated section: its pages inherit the tier); some events, recaps and
# news are gated one by one. About 30 % of the pages are gated in all.
TIERED_PAGE_TIERS = {
    "events": [("member", 0.10), ("core", 0.02)],
    "activities": [("member", 0.03)],
    "news": [("core", 0.05)],
}

PAGE_SIZE = 10  # every listing: sections, tag pages
FEED_LIMIT = 30
BASE_URL = "https://hub.example.org"
SITE_TITLE = "炉边社区 Hearthside Hub"
SITE_DESC = "一个以中文为主的社区：读书、写作、开源和线下聚会。A mostly Chinese community hub."


def toml_str(s: str) -> str:
    """A TOML basic string (JSON escapes are valid TOML for these texts)."""
    return json.dumps(s, ensure_ascii=False)


def toml_list(items) -> str:
    return "[" + ", ".join(toml_str(x) for x in items) + "]"


# ---------------------------------------------------------------------------
# Text generation.

class Text:
    def __init__(self, rng: random.Random):
        self.r = rng

    def zh_sentence(self, lo=6, hi=14) -> str:
        r = self.r
        n = r.randint(lo, hi)
        parts = []
        for i in range(n):
            w = r.choice(ZH_WORDS)
            if r.random() < 0.08:
                w = r.choice(EN_WORDS)
                w = f" {w} "
            parts.append(w)
            if i < n - 1 and r.random() < 0.35:
                parts.append(r.choice(ZH_CONNECT))
            if 2 < i < n - 2 and r.random() < 0.12:
                parts.append("，")
        return "".join(parts).replace("  ", " ").strip() + r.choice("。。。！？")

    def en_sentence(self, lo=7, hi=16) -> str:
        r = self.r
        n = r.randint(lo, hi)
        words = []
        for i in range(n):
            words.append(r.choice(EN_WORDS) if r.random() < 0.72 else r.choice(EN_CONNECT))
            if 2 < i < n - 2 and r.random() < 0.08:
                words[-1] += ","
        s = " ".join(words)
        return s[0].upper() + s[1:] + r.choice(".....?")

    def sentence(self, zh: bool) -> str:
        return self.zh_sentence() if zh else self.en_sentence()

    def paragraph(self, zh: bool, lo=2, hi=5) -> str:
        r = self.r
        sents = [self.sentence(zh) for _ in range(r.randint(lo, hi))]
        if r.random() < 0.3:
            i = r.randrange(len(sents))
            w = r.choice(ZH_WORDS if zh else EN_WORDS)
            sents[i] += ("" if zh else " ") + (f"**{w}**" if r.random() < 0.5 else f"*{w}*") + ("。" if zh else ".")
        return ("" if zh else " ").join(sents)

    def title(self, zh: bool) -> str:
        r = self.r
        if zh:
            t = "".join(r.choice(ZH_WORDS) for _ in range(r.randint(2, 4)))
            if r.random() < 0.3:
                t += f" 第{r.randint(1, 99)}期"
            return t
        words = [r.choice(EN_WORDS) for _ in range(r.randint(3, 6))]
        return " ".join(w.capitalize() if i == 0 or r.random() < 0.4 else w for i, w in enumerate(words))

    def heading(self, zh: bool) -> str:
        r = self.r
        if zh:
            return "".join(r.choice(ZH_WORDS) for _ in range(r.randint(2, 3)))
        return " ".join(r.choice(EN_WORDS) for _ in range(r.randint(2, 4))).capitalize()

    def person(self, zh: bool) -> str:
        r = self.r
        if zh:
            return r.choice(ZH_SURNAMES) + "".join(r.choice(ZH_GIVEN) for _ in range(r.randint(1, 2)))
        return f"{r.choice(EN_FIRST).capitalize()} {r.choice(EN_LAST).capitalize()}"

    def code(self) -> tuple[str, str]:
        r = self.r
        lang = r.choice(sorted(CODE_SNIPPETS))
        parts = []
        for _ in range(r.randint(1, 3)):
            tpl = r.choice(CODE_SNIPPETS[lang])
            parts.append(tpl.format(a=r.choice(IDENTS), b=r.choice(IDENTS), T=r.choice(TYPES),
                                    n=r.randint(2, 64), d=r.randint(1, 9)))
        return lang, "\n\n".join(parts)


# ---------------------------------------------------------------------------
# The site model: one list of pages, rendered three ways.

class Page:
    __slots__ = ("section", "slug", "zh", "title", "date", "tags", "summary", "blocks",
                 "link", "fields", "tier")

    def __init__(self, section, slug, zh, title, date, tags, summary, blocks, link, fields,
                 tier=None):
        self.section = section
        self.slug = slug
        self.zh = zh
        self.title = title
        self.date = date
        self.tags = tags
        self.summary = summary
        self.blocks = blocks        # list of ("p"|"h"|"ul"|"quote"|"code"|"link", payload)
        self.link = link            # (section, slug, title) of an earlier page, or None
        self.fields = fields        # kind-specific values
        self.tier = tier            # Hearth `tier` of the page itself (None: its section's)

    @property
    def path(self) -> str:
        return f"{self.section}/{self.slug}.md"


def section_counts(n: int, tiered: bool = False) -> dict[str, int]:
    counts = {}
    rest = n
    for key, _f, _zh, _en, share, _p in SECTIONS:
        if share is None:
            continue
        if tiered:
            share = TIERED_SHARES[key]
        c = max(1, round(n * share)) if n >= 10 else 1
        counts[key] = c
        rest -= c
    counts["news"] = max(1, rest)
    return counts


def make_tags(rng: random.Random, n: int, tiered: bool = False) -> list[str]:
    size = max(30, n // (10 if tiered else 25))
    seen, tags = set(), []
    words_zh = sorted(set(ZH_WORDS))
    words_en = sorted(set(w for w in EN_WORDS if w.isalpha()))
    while len(tags) < size:
        k = len(tags)
        if k < len(words_zh) and rng.random() < 0.6:
            t = rng.choice(words_zh)
        elif k < 40:
            t = rng.choice(words_en)
        elif rng.random() < 0.6:
            t = rng.choice(words_zh) + rng.choice(words_zh)
        else:
            t = rng.choice(words_en) + "-" + rng.choice(words_en)
        if t not in seen:
            seen.add(t)
            tags.append(t)
    return tags


def build_model(n: int, seed: int, tiered: bool = False) -> tuple[list[Page], dict]:
    rng = random.Random(seed)
    # Tiers are drawn from their own generator, so the untiered hub of a
    # seed is the same as before `--tiers` existed.
    tier_rng = random.Random(seed * 7919 + 1)
    text = Text(rng)
    counts = section_counts(n, tiered)
    tags = make_tags(rng, n, tiered)
    # Zipf-like popularity: a few tags are on many pages, most on few.
    cum, acc = [], 0.0
    for i in range(len(tags)):
        acc += 1.0 / (i + 1) ** 0.9
        cum.append(acc)

    def pick_tags(lo, hi):
        k = rng.randint(lo, hi)
        out = []
        for t in rng.choices(tags, cum_weights=cum, k=k):
            if t not in out:
                out.append(t)
        return out

    start = dt.date(2019, 1, 1)
    span = (dt.date(2025, 12, 31) - start).days
    ids = {key: [f"{prefix}{i:06d}" for i in range(counts[key])]
           for key, _f, _zh, _en, _s, prefix in SECTIONS}
    pages: list[Page] = []
    order = ["chapters", "members", "events", "activities", "news"]
    for key in order:
        for i, slug in enumerate(ids[key]):
            zh = rng.random() < 0.6
            date = start + dt.timedelta(days=rng.randrange(span))
            fields: dict = {}
            if key == "members":
                title = text.person(zh)
                fields = {
                    "roles": sorted({rng.choice(ROLES)[0] for _ in range(rng.randint(1, 2))}),
                    "chapter": rng.choice(ids["chapters"]),
                    "website": f"https://people.example.org/{slug}",
                }
                ptags = pick_tags(0, 2)
            elif key == "chapters":
                city = CITIES[i % len(CITIES)]
                title = f"{city[0]}分会 · {city[1]} Chapter" + (f" {i // len(CITIES) + 1}" if i >= len(CITIES) else "")
                fields = {
                    "city": f"{city[0]} {city[1]}",
                    "meets": f"每月第{rng.randint(1, 4)}个周{rng.choice('六日')} {rng.randint(10, 20)}:00，{rng.choice(VENUES)}",
                    "organizers": rng.sample(ids["members"], k=min(2, len(ids["members"]))),
                }
                ptags = []
            else:
                title = text.title(zh)
                ptags = pick_tags(1, 4)
                if key == "events":
                    fields = {
                        "start": f"{date.isoformat()}T{rng.randint(9, 20):02d}:{rng.choice(['00', '30'])}:00",
                        "duration": f"{rng.randint(1, 4)}h",
                        "chapter": rng.choice(ids["chapters"]),
                        "hosts": rng.sample(ids["members"], k=min(rng.randint(1, 2), len(ids["members"]))),
                        "venue": rng.choice(VENUES),
                        "address": f"{rng.choice(CITIES)[0]}{rng.choice(ZH_WORDS)}路 {rng.randint(1, 300)} 号",
                    }
                elif key == "activities":
                    fields = {
                        "event": rng.choice(ids["events"]),
                        "chapter": rng.choice(ids["chapters"]),
                        "hosts": rng.sample(ids["members"], k=min(rng.randint(1, 2), len(ids["members"]))),
                    }
            summary = text.paragraph(zh, 1, 2)
            blocks = []
            nblocks = rng.randint(2, 6)
            for b in range(nblocks):
                if b > 0 and rng.random() < 0.45:
                    blocks.append(("h", text.heading(zh)))
                blocks.append(("p", text.paragraph(zh)))
                if rng.random() < 0.12:
                    blocks.append(("ul", [text.sentence(zh) for _ in range(rng.randint(2, 5))]))
                if rng.random() < 0.06:
                    blocks.append(("quote", text.sentence(zh)))
            if rng.random() < 0.10:
                blocks.insert(rng.randint(1, len(blocks)), ("code", text.code()))
            link = None
            if pages and rng.random() < 0.2:
                other = pages[rng.randrange(len(pages))]
                link = (other.section, other.slug, other.title)
            tier = None
            if tiered and key == "members":
                tier = "member"  # the section's tier (written in members/_index.md)
            elif tiered:
                roll = tier_rng.random()
                for t, share in TIERED_PAGE_TIERS.get(key, []):
                    if roll < share:
                        tier = t
                        break
                    roll -= share
            pages.append(Page(key, slug, zh, title, date, ptags, summary, blocks, link, fields, tier))
    meta = {"counts": counts, "tags": len(tags), "ids": ids, "tiered": tiered}
    return pages, meta


def body(p: Page, gen: str) -> str:
    """Markdown body; only the summary marker and internal links differ."""
    more = "<!--more-->" if gen == "hugo" else "<!-- more -->"
    out = [p.summary, "", more, ""]
    for kind, payload in p.blocks:
        if kind == "p":
            out += [payload, ""]
        elif kind == "h":
            out += [f"## {payload}", ""]
        elif kind == "ul":
            out += [f"- {x}" for x in payload] + [""]
        elif kind == "quote":
            out += [f"> {payload}", ""]
        elif kind == "code":
            lang, code = payload
            out += [f"```{lang}", code, "```", ""]
    if p.tier:
        # A word only this gated page holds, for the leak checks
        # (bench/leaks.py, tests/tiers.rs): it must never reach a file
        # served below the page's tier.
        out += [f"CANARY-{p.tier.upper()}-{p.slug}", ""]
    if p.link:
        sec, slug, title = p.link
        target = f"{{{{< ref \"/{sec}/{slug}.md\" >}}}}" if gen == "hugo" else f"@/{sec}/{slug}.md"
        label = "相关阅读" if p.zh else "See also"
        out += [f"{label}：[{title}]({target})" if p.zh else f"{label}: [{title}]({target})", ""]
    return "\n".join(out)


# ---------------------------------------------------------------------------
# Hearth

# The tiered hub's ladder and host: published at the edge (every page
# written, gated by the host), so Hearth builds as many pages as Hugo and
# Zola. Cloudflare Pages, whose free plan takes at most 20,000 files per
# deployment, is the host the build's limit check warns for. The Access
# values are placeholders: nothing is deployed.
HEARTH_TIERS = """
[[tiers]]
id = "member"
name = "会员"
join_url = "/news/"

[[tiers]]
id = "core"
name = "核心组"

[deploy]
host = "cloudflare"
access_team = "https://hearthside.cloudflareaccess.com"
access_aud = "0000000000000000000000000000000000000000000000000000000000000000"
"""

def write_hearth(root: Path, pages: list[Page], meta: dict) -> None:
    content = root / "content"
    roles = "\n".join(
        f"[[roles]]\nid = {toml_str(i)}\nname = {toml_str(n)}\n" for i, n in ROLES)
    (root / "hearth.toml").write_text(f"""title = {toml_str(SITE_TITLE)}
description = {toml_str(SITE_DESC)}
base_url = "{BASE_URL}"
language = "zh-CN"
timezone = "Asia/Shanghai"

{roles}
[build]
tag_paginate_by = {PAGE_SIZE}
{HEARTH_TIERS if meta.get("tiered") else ""}""", encoding="utf-8")
    (content).mkdir(parents=True)
    (content / "_index.md").write_text(
        f"+++\ntitle = {toml_str(SITE_TITLE)}\n+++\n\n欢迎来到炉边社区。Welcome to the hub.\n", encoding="utf-8")
    for key, folder, zh, en, _s, _p in SECTIONS:
        d = content / folder
        d.mkdir()
        gate = "tier = \"member\"\n" if meta.get("tiered") and key == "members" else ""
        (d / "_index.md").write_text(
            f"+++\ntitle = {toml_str(f'{zh} · {en}')}\nsort_by = \"date\"\npaginate_by = {PAGE_SIZE}\n{gate}+++\n\n"
            f"{zh}栏目的全部内容。All {en.lower()} of the hub.\n", encoding="utf-8")
    for p in pages:
        fm = [f"title = {toml_str(p.title)}", f"date = {p.date.isoformat()}"]
        if p.tags:
            fm.append(f"tags = {toml_list(p.tags)}")
        if p.tier and p.section != "members":
            fm.append(f"tier = {toml_str(p.tier)}")
        f = p.fields
        tail = []
        if p.section == "events":
            fm += [f"start = {f['start']}", f"duration = {toml_str(f['duration'])}",
                   f"chapter = {toml_str(f['chapter'])}", f"hosts = {toml_list(f['hosts'])}"]
            tail = ["", "[location]", f"name = {toml_str(f['venue'])}", f"address = {toml_str(f['address'])}"]
        elif p.section == "activities":
            fm += [f"event = {toml_str('@/events/' + f['event'] + '.md')}",
                   f"chapter = {toml_str(f['chapter'])}", f"hosts = {toml_list(f['hosts'])}"]
        elif p.section == "members":
            fm += [f"roles = {toml_list(f['roles'])}", f"chapter = {toml_str(f['chapter'])}",
                   f"joined = {p.date.isoformat()}"]
            tail = ["", "[links]", f"website = {toml_str(f['website'])}"]
        elif p.section == "chapters":
            fm += [f"city = {toml_str(f['city'])}", f"meets = {toml_str(f['meets'])}",
                   f"organizers = {toml_list(f['organizers'])}"]
        text = "+++\n" + "\n".join(fm + tail) + "\n+++\n\n" + body(p, "hearth")
        (content / p.path).write_text(text, encoding="utf-8")


def to_data(root: Path) -> int:
    """Turns the Hearth site's pages into data files, the same site as
    records: members into one CSV (as a spreadsheet exports it), every
    other section into one JSON list, each with a `[[data]]` block. The
    Markdown files go; the sections' `_index.md` stay. Returns the number
    of records."""
    import csv
    import io
    import json
    import tomllib

    def plain(v):
        if hasattr(v, "isoformat"):
            return v.isoformat()
        if isinstance(v, list):
            return [plain(x) for x in v]
        if isinstance(v, dict):
            return {k: plain(x) for k, x in v.items()}
        return v

    content = root / "content"
    data = root / "data"
    data.mkdir()
    blocks, total = [], 0
    for _key, folder, *_rest in SECTIONS:
        records = []
        for f in sorted((content / folder).glob("*.md")):
            if f.name == "_index.md":
                continue
            _, fm, text = f.read_text(encoding="utf-8").split("+++\n", 2)
            rec = {"slug": f.stem, **plain(tomllib.loads(fm)), "body": text.lstrip("\n")}
            records.append(rec)
            f.unlink()
        total += len(records)
        if folder == "members":
            out = io.StringIO()
            cols = ["slug", "title", "date", "tags", "tier", "roles", "chapter", "joined", "website", "body"]
            w = csv.writer(out, lineterminator="\r\n")
            w.writerow(cols)
            for r in records:
                r = {**r, "website": r.get("links", {}).get("website", "")}
                w.writerow(["; ".join(r[c]) if isinstance(r.get(c), list) else r.get(c, "") for c in cols])
            (data / "members.csv").write_text("\ufeff" + out.getvalue(), encoding="utf-8")
            blocks.append(f'[[data]]\nfile = "data/members.csv"\nsection = "members"\nbody = "body"\n'
                          f'[data.fields]\nwebsite = "links.website"\n')
        else:
            (data / f"{folder}.json").write_text(json.dumps(records, ensure_ascii=False, indent=1),
                                                 encoding="utf-8")
            blocks.append(f'[[data]]\nfile = "data/{folder}.json"\nsection = "{folder}"\nbody = "body"\n')
    with open(root / "hearth.toml", "a", encoding="utf-8") as cfg:
        cfg.write("\n" + "\n".join(blocks))
    return total


# ---------------------------------------------------------------------------
# Hugo (Go templates). Works with Hugo 0.111 (Debian 12) and current Hugo.

HUGO_BASEOF = """<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ block "title" . }}{{ .Site.Title }}{{ end }}</title>
<meta name="description" content="{{ block "description" . }}{{ .Site.Params.description }}{{ end }}">
<meta name="generator" content="Hugo">
<link rel="canonical" href="{{ .Permalink }}">
<link rel="stylesheet" href="{{ "style.css" | relURL }}">
<link rel="stylesheet" href="{{ "syntax.css" | relURL }}">
<link rel="alternate" type="application/atom+xml" title="{{ .Site.Title }}" href="{{ "atom.xml" | absURL }}">
</head>
<body>
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header"><div class="wrap">
<a class="brand" href="{{ "/" | relURL }}">{{ .Site.Title }}</a>
<nav class="site-nav" aria-label="导航"><ul>{{ range .Site.Menus.main }}<li><a href="{{ .URL | relURL }}">{{ .Name }}</a></li>{{ end }}</ul></nav>
</div></header>
<main id="main" class="wrap">
{{ block "main" . }}{{ end }}
</main>
<footer class="site-footer"><div class="wrap">
<p>{{ .Site.Title }}</p><p>{{ .Site.Params.description }}</p>
<nav aria-label="页脚导航"><ul>{{ range .Site.Menus.main }}<li><a href="{{ .URL | relURL }}">{{ .Name }}</a></li>{{ end }}</ul></nav>
<p><a href="{{ "tags/" | relURL }}">全部标签</a> · 由 Hugo 生成</p>
</div></footer>
</body>
</html>
"""

HUGO_SINGLE = """{{ define "title" }}{{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "description" }}{{ with .Description }}{{ . }}{{ else }}{{ .Summary | plainify | truncate 160 }}{{ end }}{{ end }}
{{ define "main" }}
<nav class="breadcrumbs" aria-label="当前位置"><a href="{{ "/" | relURL }}">首页</a>{{ with .Parent }} › <a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>
<article class="page page-{{ .Section }}">
<header class="page-header">
<h1>{{ .Title }}</h1>
<p class="page-meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time> · 约 {{ .ReadingTime }} 分钟读完{{ with .Params.start }} · 开始 {{ . }}{{ end }}{{ with .Params.duration }} · {{ . }}{{ end }}{{ with .Params.location }} · {{ .name }}，{{ .address }}{{ end }}{{ with .Params.city }} · {{ . }}{{ end }}{{ with .Params.meets }} · {{ . }}{{ end }}</p>
{{ with .GetTerms "tags" }}<p class="tags">{{ range . }}<a class="tag" href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
</header>
{{ if .TableOfContents }}<details class="toc" open><summary>本页目录</summary>{{ .TableOfContents }}</details>{{ end }}
<div class="prose">
{{ .Content }}
</div>
<nav class="page-nav">{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">← {{ .Title }}</a>{{ end }} {{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }} →</a>{{ end }}</nav>
</article>
{{ end }}
"""

HUGO_CARD = """<li class="card">
<h2 class="card-title"><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>
<p class="card-meta"><time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2006年1月2日" }}</time></p>
{{ with .Description }}<p class="card-summary">{{ . }}</p>{{ else }}<div class="card-summary">{{ .Summary }}</div>{{ end }}
{{ with .GetTerms "tags" }}<p class="tags">{{ range . }}<a class="tag" href="{{ .RelPermalink }}">#{{ .LinkTitle }}</a> {{ end }}</p>{{ end }}
</li>
"""

HUGO_PAGER = """{{ if gt .TotalPages 1 }}<nav class="paginator" aria-label="分页">
{{ if .HasPrev }}<a rel="prev" href="{{ .Prev.URL }}">上一页</a>{{ end }}
<span>第 {{ .PageNumber }} 页，共 {{ .TotalPages }} 页</span>
{{ if .HasNext }}<a rel="next" href="{{ .Next.URL }}">下一页</a>{{ end }}
</nav>{{ end }}
"""

HUGO_LIST = """{{ define "title" }}{{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "main" }}
<nav class="breadcrumbs" aria-label="当前位置"><a href="{{ "/" | relURL }}">首页</a></nav>
<section class="section">
<header class="page-header"><h1>{{ .Title }}</h1></header>
{{ with .Content }}<div class="prose">{{ . }}</div>{{ end }}
{{ $pag := .Paginate .Pages.ByDate.Reverse }}
<ul class="cards">
{{ range $pag.Pages }}{{ partial "card.html" . }}{{ end }}
</ul>
{{ partial "pager.html" $pag }}
</section>
{{ end }}
"""

HUGO_TERM = """{{ define "title" }}#{{ .Title }} · {{ .Site.Title }}{{ end }}
{{ define "main" }}
<nav class="breadcrumbs" aria-label="当前位置"><a href="{{ "/" | relURL }}">首页</a> › <a href="{{ "tags/" | relURL }}">标签</a></nav>
<section class="section">
<header class="page-header"><h1>#{{ .Title }}</h1></header>
{{ $pag := .Paginate .Pages.ByDate.Reverse }}
<ul class="cards">
{{ range $pag.Pages }}{{ partial "card.html" . }}{{ end }}
</ul>
{{ partial "pager.html" $pag }}
</section>
{{ end }}
"""

HUGO_TAXONOMY = """{{ define "title" }}标签 · {{ .Site.Title }}{{ end }}
{{ define "main" }}
<section class="section">
<header class="page-header"><h1>全部标签</h1></header>
<ul class="tag-cloud">{{ range .Data.Terms.ByCount }}<li><a class="tag" href="{{ .Page.RelPermalink }}">#{{ .Page.Title }}</a> <small>{{ .Count }}</small></li>{{ end }}</ul>
</section>
{{ end }}
"""

HUGO_HOME = """{{ define "main" }}
<section class="hero"><h1>{{ .Site.Title }}</h1>
<div class="prose">{{ .Content }}</div></section>
<h2>栏目</h2>
<ul class="subsections">{{ range .Site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> <small>{{ len .Pages }}</small></li>{{ end }}</ul>
<h2>最近更新</h2>
<ul class="cards">{{ range first 6 .Site.RegularPages.ByDate.Reverse }}{{ partial "card.html" . }}{{ end }}</ul>
{{ end }}
"""

HUGO_404 = """{{ define "title" }}页面不存在 · {{ .Site.Title }}{{ end }}
{{ define "main" }}<h1>页面不存在</h1><p>你要找的页面不存在，可能已经移动或删除。</p><p><a href="{{ "/" | relURL }}">返回首页</a></p>{{ end }}
"""

HUGO_ATOM = """{{ printf "<?xml version=\\"1.0\\" encoding=\\"utf-8\\"?>" | safeHTML }}
{{- $pages := where .Site.RegularPages "Section" "in" (slice "news" "activities") -}}
{{- $pages = first FEED_LIMIT $pages.ByDate.Reverse }}
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{{ .Site.LanguageCode }}">
  <title>{{ .Site.Title }}</title>
  <link rel="self" type="application/atom+xml" href="{{ "atom.xml" | absURL }}"/>
  <link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
  <id>{{ .Permalink }}</id>
  <updated>{{ with index $pages 0 }}{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}{{ end }}</updated>
  {{- range $pages }}
  <entry>
    <title>{{ .Title }}</title>
    <link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
    <id>{{ .Permalink }}</id>
    <published>{{ .Date.Format "2006-01-02T15:04:05Z07:00" }}</published>
    <updated>{{ .Lastmod.Format "2006-01-02T15:04:05Z07:00" }}</updated>
    <summary>{{ .Summary | plainify }}</summary>
    <content type="html">{{ .Content | html }}</content>
  </entry>
  {{- end }}
</feed>
""".replace("FEED_LIMIT", str(FEED_LIMIT))

CSS = """body{font:16px/1.7 system-ui,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0;color:#222}
.wrap{max-width:46rem;margin:0 auto;padding:0 1rem}.site-nav ul,.tags{list-style:none;padding:0}
.site-nav li{display:inline;margin-right:1rem}.cards{list-style:none;padding:0}.card{margin:1.5rem 0}
.tag{margin-right:.5rem}pre{overflow:auto;padding:1rem;background:#f6f8fa}
"""

SYNTAX_CSS = """.chroma .k,.z-keyword{color:#d73a49}.chroma .s,.z-string{color:#032f62}
.chroma .c,.z-comment{color:#6a737d}.chroma .nf,.z-entity{color:#6f42c1}
"""


def write_hugo(root: Path, pages: list[Page], meta: dict) -> None:
    menu = "\n".join(
        f"[[menu.main]]\nname = {toml_str(f'{zh} · {en}')}\nurl = \"/{folder}/\"\nweight = {i}\n"
        for i, (key, folder, zh, en, _s, _p) in enumerate(SECTIONS))
    (root / "hugo.toml").write_text(f"""baseURL = "{BASE_URL}/"
languageCode = "zh-CN"
defaultContentLanguage = "zh"
title = {toml_str(SITE_TITLE)}
hasCJKLanguage = true
buildFuture = true
enableRobotsTXT = true
disableKinds = ["RSS"]
# Hugo's page size defaults to {PAGE_SIZE} ("paginate" before 0.128,
# "pagination.pagerSize" after): left at the default so one config fits both.

[params]
description = {toml_str(SITE_DESC)}

[taxonomies]
tag = "tags"

[mediaTypes."application/atom+xml"]
suffixes = ["xml"]

[outputFormats.Atom]
mediaType = "application/atom+xml"
baseName = "atom"
isPlainText = false
rel = "alternate"

[outputs]
home = ["HTML", "Atom"]
section = ["HTML"]
taxonomy = ["HTML"]
term = ["HTML"]

[markup.highlight]
noClasses = false

[markup.goldmark.extensions]
typographer = true

[markup.tableOfContents]
startLevel = 2
endLevel = 3

{menu}""", encoding="utf-8")
    lay = root / "layouts"
    (lay / "_default").mkdir(parents=True)
    (lay / "partials").mkdir()
    (lay / "tags").mkdir()
    files = {
        "_default/baseof.html": HUGO_BASEOF,
        "_default/single.html": HUGO_SINGLE,
        "_default/list.html": HUGO_LIST,
        # Under tags/: the lookup that both Hugo 0.111 and current Hugo agree on.
        "tags/term.html": HUGO_TERM,
        "tags/taxonomy.html": HUGO_TAXONOMY,
        "index.html": HUGO_HOME,
        "index.atom.xml": HUGO_ATOM,
        "404.html": HUGO_404,
        "partials/card.html": HUGO_CARD,
        "partials/pager.html": HUGO_PAGER,
    }
    for name, text in files.items():
        (lay / name).write_text(text, encoding="utf-8")
    (root / "static").mkdir()
    (root / "static" / "style.css").write_text(CSS, encoding="utf-8")
    (root / "static" / "syntax.css").write_text(SYNTAX_CSS, encoding="utf-8")
    content = root / "content"
    content.mkdir()
    (content / "_index.md").write_text(
        f"+++\ntitle = {toml_str(SITE_TITLE)}\n+++\n\n欢迎来到炉边社区。Welcome to the hub.\n", encoding="utf-8")
    for key, folder, zh, en, _s, _p in SECTIONS:
        d = content / folder
        d.mkdir()
        (d / "_index.md").write_text(
            f"+++\ntitle = {toml_str(f'{zh} · {en}')}\n+++\n\n{zh}栏目的全部内容。All {en.lower()} of the hub.\n",
            encoding="utf-8")
    for p in pages:
        fm = [f"title = {toml_str(p.title)}", f"date = {p.date.isoformat()}"]
        if p.tags:
            fm.append(f"tags = {toml_list(p.tags)}")
        f = p.fields
        tail = []
        if p.section == "events":
            fm += [f"start = {toml_str(f['start'])}", f"duration = {toml_str(f['duration'])}",
                   f"chapter = {toml_str(f['chapter'])}", f"hosts = {toml_list(f['hosts'])}"]
            tail = ["", "[location]", f"name = {toml_str(f['venue'])}", f"address = {toml_str(f['address'])}"]
        elif p.section == "activities":
            fm += [f"event = {toml_str(f['event'])}", f"chapter = {toml_str(f['chapter'])}",
                   f"hosts = {toml_list(f['hosts'])}"]
        elif p.section == "members":
            fm += [f"roles = {toml_list(f['roles'])}", f"chapter = {toml_str(f['chapter'])}"]
            tail = ["", "[links]", f"website = {toml_str(f['website'])}"]
        elif p.section == "chapters":
            fm += [f"city = {toml_str(f['city'])}", f"meets = {toml_str(f['meets'])}",
                   f"organizers = {toml_list(f['organizers'])}"]
        text = "+++\n" + "\n".join(fm + tail) + "\n+++\n\n" + body(p, "hugo")
        (content / p.path).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------
# Zola (Tera 1 templates).

ZOLA_BASE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{{ config.title }}{% endblock title %}</title>
<meta name="description" content="{% block description %}{{ config.description }}{% endblock description %}">
<meta name="generator" content="Zola">
<link rel="canonical" href="{{ current_url | default(value=config.base_url) | safe }}">
<link rel="stylesheet" href="{{ get_url(path='style.css') }}">
<link rel="stylesheet" href="{{ get_url(path='giallo-light.css') }}">
<link rel="alternate" type="application/atom+xml" title="{{ config.title }}" href="{{ get_url(path='atom.xml', trailing_slash=false) }}">
</head>
<body>
<a class="skip-link" href="#main">跳到正文</a>
<header class="site-header"><div class="wrap">
<a class="brand" href="{{ config.base_url | safe }}/">{{ config.title }}</a>
<nav class="site-nav" aria-label="导航"><ul>{% for item in config.extra.nav %}<li><a href="{{ config.base_url | safe }}{{ item.url }}">{{ item.name }}</a></li>{% endfor %}</ul></nav>
</div></header>
<main id="main" class="wrap">
{% block content %}{% endblock content %}
</main>
<footer class="site-footer"><div class="wrap">
<p>{{ config.title }}</p><p>{{ config.description }}</p>
<nav aria-label="页脚导航"><ul>{% for item in config.extra.nav %}<li><a href="{{ config.base_url | safe }}{{ item.url }}">{{ item.name }}</a></li>{% endfor %}</ul></nav>
<p><a href="{{ config.base_url | safe }}/tags/">全部标签</a> · 由 Zola 生成</p>
</div></footer>
</body>
</html>
"""

ZOLA_MACROS = """{% macro card(p) %}<li class="card">
<h2 class="card-title"><a href="{{ p.permalink | safe }}">{{ p.title }}</a></h2>
<p class="card-meta"><time datetime="{{ p.date }}">{{ p.date | date(format="%Y年%-m月%-d日") }}</time></p>
{% if p.description %}<p class="card-summary">{{ p.description }}</p>{% elif p.summary %}<div class="card-summary">{{ p.summary | safe }}</div>{% endif %}
{% if p.taxonomies.tags %}<p class="tags">{% for t in p.taxonomies.tags %}<a class="tag" href="{{ get_taxonomy_url(kind='tags', name=t) }}">#{{ t }}</a> {% endfor %}</p>{% endif %}
</li>
{% endmacro card %}
{% macro pager(paginator) %}{% if paginator.number_pagers > 1 %}<nav class="paginator" aria-label="分页">
{% if paginator.previous %}<a rel="prev" href="{{ paginator.previous | safe }}">上一页</a>{% endif %}
<span>第 {{ paginator.current_index }} 页，共 {{ paginator.number_pagers }} 页</span>
{% if paginator.next %}<a rel="next" href="{{ paginator.next | safe }}">下一页</a>{% endif %}
</nav>{% endif %}
{% endmacro pager %}
"""

ZOLA_PAGE = """{% extends "base.html" %}
{% block title %}{{ page.title }} · {{ config.title }}{% endblock title %}
{% block description %}{% if page.description %}{{ page.description }}{% else %}{{ page.summary | default(value="") | striptags | truncate(length=160) }}{% endif %}{% endblock description %}
{% block content %}
<nav class="breadcrumbs" aria-label="当前位置"><a href="{{ config.base_url | safe }}/">首页</a>{% for a in page.ancestors | slice(start=1) %}{% set s = get_section(path=a, metadata_only=true) %} › <a href="{{ s.permalink | safe }}">{{ s.title }}</a>{% endfor %}</nav>
<article class="page">
<header class="page-header">
<h1>{{ page.title }}</h1>
<p class="page-meta"><time datetime="{{ page.date }}">{{ page.date | date(format="%Y年%-m月%-d日") }}</time> · 约 {{ page.reading_time }} 分钟读完{% if page.extra.start %} · 开始 {{ page.extra.start }}{% endif %}{% if page.extra.duration %} · {{ page.extra.duration }}{% endif %}{% if page.extra.location %} · {{ page.extra.location.name }}，{{ page.extra.location.address }}{% endif %}{% if page.extra.city %} · {{ page.extra.city }}{% endif %}{% if page.extra.meets %} · {{ page.extra.meets }}{% endif %}</p>
{% if page.taxonomies.tags %}<p class="tags">{% for t in page.taxonomies.tags %}<a class="tag" href="{{ get_taxonomy_url(kind='tags', name=t) }}">#{{ t }}</a> {% endfor %}</p>{% endif %}
</header>
{% if page.toc %}<details class="toc" open><summary>本页目录</summary><ul>{% for h in page.toc %}<li><a href="{{ h.permalink | safe }}">{{ h.title }}</a>{% if h.children %}<ul>{% for c in h.children %}<li><a href="{{ c.permalink | safe }}">{{ c.title }}</a></li>{% endfor %}</ul>{% endif %}</li>{% endfor %}</ul></details>{% endif %}
<div class="prose">
{{ page.content | safe }}
</div>
<nav class="page-nav">{% if page.lower %}<a rel="prev" href="{{ page.lower.permalink | safe }}">← {{ page.lower.title }}</a>{% endif %} {% if page.higher %}<a rel="next" href="{{ page.higher.permalink | safe }}">{{ page.higher.title }} →</a>{% endif %}</nav>
</article>
{% endblock content %}
"""

ZOLA_SECTION = """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}{{ section.title }} · {{ config.title }}{% endblock title %}
{% block content %}
<nav class="breadcrumbs" aria-label="当前位置"><a href="{{ config.base_url | safe }}/">首页</a></nav>
<section class="section">
<header class="page-header"><h1>{{ section.title }}</h1></header>
{% if section.content %}<div class="prose">{{ section.content | safe }}</div>{% endif %}
<ul class="cards">
{% for p in paginator.pages %}{{ m::card(p=p) }}{% endfor %}
</ul>
{{ m::pager(paginator=paginator) }}
</section>
{% endblock content %}
"""

ZOLA_INDEX = """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block content %}
<section class="hero"><h1>{{ config.title }}</h1>
<div class="prose">{{ section.content | safe }}</div></section>
<h2>栏目</h2>
<ul class="subsections">{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink | safe }}">{{ sub.title }}</a></li>{% endfor %}</ul>
<h2>最近更新</h2>
{% set news = get_section(path="news/_index.md") %}
<ul class="cards">{% for p in news.pages | slice(end=6) %}{{ m::card(p=p) }}{% endfor %}</ul>
{% endblock content %}
"""

ZOLA_TAX_LIST = """{% extends "base.html" %}
{% block title %}标签 · {{ config.title }}{% endblock title %}
{% block content %}
<section class="section">
<header class="page-header"><h1>全部标签</h1></header>
<ul class="tag-cloud">{% for t in terms %}<li><a class="tag" href="{{ t.permalink | safe }}">#{{ t.name }}</a> <small>{{ t.page_count }}</small></li>{% endfor %}</ul>
</section>
{% endblock content %}
"""

ZOLA_TAX_SINGLE = """{% extends "base.html" %}
{% import "macros.html" as m %}
{% block title %}#{{ term.name }} · {{ config.title }}{% endblock title %}
{% block content %}
<nav class="breadcrumbs" aria-label="当前位置"><a href="{{ config.base_url | safe }}/">首页</a> › <a href="{{ config.base_url | safe }}/tags/">标签</a></nav>
<section class="section">
<header class="page-header"><h1>#{{ term.name }}</h1></header>
<ul class="cards">
{% for p in paginator.pages %}{{ m::card(p=p) }}{% endfor %}
</ul>
{{ m::pager(paginator=paginator) }}
</section>
{% endblock content %}
"""

ZOLA_404 = """{% extends "base.html" %}
{% block title %}页面不存在 · {{ config.title }}{% endblock title %}
{% block content %}<h1>页面不存在</h1><p>你要找的页面不存在，可能已经移动或删除。</p><p><a href="{{ config.base_url | safe }}/">返回首页</a></p>{% endblock content %}
"""


def write_zola(root: Path, pages: list[Page], meta: dict) -> None:
    nav = ",\n  ".join(
        f"{{ name = {toml_str(f'{zh} · {en}')}, url = \"/{folder}/\" }}"
        for key, folder, zh, en, _s, _p in SECTIONS)
    (root / "zola.toml").write_text(f"""base_url = "{BASE_URL}"
title = {toml_str(SITE_TITLE)}
description = {toml_str(SITE_DESC)}
default_language = "zh"
generate_feeds = true
feed_filenames = ["atom.xml"]
feed_limit = {FEED_LIMIT}
taxonomies = [{{ name = "tags", paginate_by = {PAGE_SIZE} }}]

[markdown]
smart_punctuation = true
insert_anchor_links = "right"

[markdown.highlighting]
style = "class"
light_theme = "github-light"
dark_theme = "github-dark"

[slugify]
taxonomies = "safe"

[extra]
nav = [
  {nav},
]
""", encoding="utf-8")
    tpl = root / "templates"
    tpl.mkdir(parents=True)
    files = {
        "base.html": ZOLA_BASE,
        "macros.html": ZOLA_MACROS,
        "page.html": ZOLA_PAGE,
        "section.html": ZOLA_SECTION,
        "index.html": ZOLA_INDEX,
        "taxonomy_list.html": ZOLA_TAX_LIST,
        "taxonomy_single.html": ZOLA_TAX_SINGLE,
        "404.html": ZOLA_404,
    }
    for name, text in files.items():
        (tpl / name).write_text(text, encoding="utf-8")
    (root / "static").mkdir()
    (root / "static" / "style.css").write_text(CSS, encoding="utf-8")
    content = root / "content"
    content.mkdir()
    (content / "_index.md").write_text(
        f"+++\ntitle = {toml_str(SITE_TITLE)}\n+++\n\n欢迎来到炉边社区。Welcome to the hub.\n", encoding="utf-8")
    for key, folder, zh, en, _s, _p in SECTIONS:
        d = content / folder
        d.mkdir()
        (d / "_index.md").write_text(
            f"+++\ntitle = {toml_str(f'{zh} · {en}')}\nsort_by = \"date\"\npaginate_by = {PAGE_SIZE}\n+++\n\n"
            f"{zh}栏目的全部内容。All {en.lower()} of the hub.\n", encoding="utf-8")
    for p in pages:
        fm = [f"title = {toml_str(p.title)}", f"date = {p.date.isoformat()}"]
        f = p.fields
        extra = []
        if p.section == "events":
            extra = [f"start = {toml_str(f['start'])}", f"duration = {toml_str(f['duration'])}",
                     f"chapter = {toml_str(f['chapter'])}", f"hosts = {toml_list(f['hosts'])}",
                     f"location = {{ name = {toml_str(f['venue'])}, address = {toml_str(f['address'])} }}"]
        elif p.section == "activities":
            extra = [f"event = {toml_str('@/events/' + f['event'] + '.md')}",
                     f"chapter = {toml_str(f['chapter'])}", f"hosts = {toml_list(f['hosts'])}"]
        elif p.section == "members":
            extra = [f"roles = {toml_list(f['roles'])}", f"chapter = {toml_str(f['chapter'])}",
                     f"links = {{ website = {toml_str(f['website'])} }}"]
        elif p.section == "chapters":
            extra = [f"city = {toml_str(f['city'])}", f"meets = {toml_str(f['meets'])}",
                     f"organizers = {toml_list(f['organizers'])}"]
        tail = []
        if p.tags:
            tail += ["", "[taxonomies]", f"tags = {toml_list(p.tags)}"]
        if extra:
            tail += ["", "[extra]"] + extra
        text = "+++\n" + "\n".join(fm + tail) + "\n+++\n\n" + body(p, "zola")
        (content / p.path).write_text(text, encoding="utf-8")


# ---------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, required=True, help="number of content pages (N)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="writes OUT/hearth, OUT/hugo, OUT/zola")
    ap.add_argument("--only", choices=["hearth", "hugo", "zola"], action="append",
                    help="write only this generator's site (repeatable)")
    ap.add_argument("--force", action="store_true", help="replace existing OUT/<generator> folders")
    ap.add_argument("--tiers", action="store_true",
                    help="the tiered hub: public, member and core tiers (about 30%% of the pages "
                         "gated; Hearth builds at the edge), 40%% recaps, 28%% members, N/10 tags")
    ap.add_argument("--data", action="store_true",
                    help="Hearth's pages as data files instead ([[data]]: members in a CSV, the "
                         "other sections in JSON), to compare records with Markdown pages")
    args = ap.parse_args(argv)
    if args.pages < 1:
        ap.error("--pages must be at least 1")
    gens = args.only or ["hearth", "hugo", "zola"]
    for g in gens:
        d = args.out / g
        if d.exists():
            if not args.force:
                print(f"gen.py: {d} exists (use --force to replace it)", file=sys.stderr)
                return 2
            shutil.rmtree(d)
    pages, meta = build_model(args.pages, args.seed, args.tiers)
    writers = {"hearth": write_hearth, "hugo": write_hugo, "zola": write_zola}
    for g in gens:
        d = args.out / g
        d.mkdir(parents=True)
        writers[g](d, pages, meta)
        if g == "hearth" and args.data:
            print(f"gen.py: {to_data(d)} pages of {d} written as data records")
    counts = ", ".join(f"{k} {v}" for k, v in meta["counts"].items())
    code = sum(1 for p in pages if any(k == "code" for k, _ in p.blocks))
    zh = sum(1 for p in pages if p.zh)
    gated = sum(1 for p in pages if p.tier)
    tiers = f"; {gated} gated ({100 * gated / len(pages):.0f}%)" if meta["tiered"] else ""
    print(f"gen.py: {len(pages)} pages ({counts}); {meta['tags']} tags{tiers}; "
          f"{zh} Chinese, {code} with code; seed {args.seed} -> {', '.join(str(args.out / g) for g in gens)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
