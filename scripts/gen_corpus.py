#!/usr/bin/env python3
"""Generate a synthetic tongxin site for benchmarks.

    python3 scripts/gen_corpus.py OUT_DIR N [--seed 1]

Writes config.toml and content/ with N regular pages (the `_index.md` files of
sections are not counted): about 80% news pages spread over five news sections,
12% member profiles and 8% 文史 articles in series of 20. Output is fully
determined by N and the seed. Standard library only (Python 3.11+).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path

# --------------------------------------------------------------------------
# Site constants
# --------------------------------------------------------------------------

SITE_TITLE = "示范市政协"
BASE_URL = "https://bench.example.gov.cn"

SECTORS = ["中国共产党", "中国民主同盟", "九三学社", "工商联", "文化艺术界", "教育界"]
COMMITTEES = ["提案委员会", "经济委员会", "社会和法制委员会", "文史和学习委员会"]

# (folder, title, description, share of the news pages, extra _index keys)
NEWS_SECTIONS = [
    ("yaowen", "政协要闻", "本会重要会议和重大活动", 0.30, {}),
    ("dongtai", "工作动态", "各专委会、各界别和委员工作室动态", 0.35, {}),
    ("xieshang", "协商议政", "专题协商、对口协商和界别协商", 0.15, {}),
    ("tian", "提案工作", "提案提交、办理和督办", 0.10, {}),
    ("tongzhi", "通知公告", "本会通知和公告", 0.10, {"home": "notices"}),
]

DATE_START = dt.date(2018, 1, 1)
DATE_END = dt.date(2026, 10, 31)  # inclusive; the bench builds with --today 2026-11-20

# 40 tags; the order is the Zipf rank (first = most frequent).
TAGS = [
    "履职尽责", "协商议政", "提案工作", "民主监督", "调查研究", "乡村振兴", "基层治理", "生态环保",
    "营商环境", "教育事业", "医疗卫生", "文化传承", "科技创新", "民生实事", "统一战线", "理论学习",
    "党的建设", "委员讲堂", "社情民意", "界别活动", "对口联系", "港澳台侨", "民族宗教", "城市更新",
    "交通建设", "养老服务", "就业创业", "食品安全", "数字经济", "文旅融合", "非遗保护", "水利建设",
    "农业农村", "法治建设", "青年工作", "妇女儿童", "安全生产", "招商引资", "志愿服务", "对外交流",
]
TAG_WEIGHTS = [1.0 / (r + 1) ** 1.07 for r in range(len(TAGS))]
WENSHI_TAGS = ["文化传承", "非遗保护", "文旅融合", "理论学习", "统一战线"]

# --------------------------------------------------------------------------
# Stock words and phrases
# --------------------------------------------------------------------------

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
) + ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫"]
GIVEN_CHARS = list(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉玉梅春晓海燕鹏飞云峰丹宇"
    "浩然思远子轩雨欣梓涵一诺博文俊杰嘉怡欣怡佳琪晨阳泽宇瑞雪婷婷立新永胜德林振华建平光明学军新民"
    "秋菊冬梅凤兰淑珍桂芝玉兰宏伟卫东跃进爱国庆丰金凤世杰"
)

TIME_PHRASES = [
    "近日", "日前", "本周", "今年以来", "会上", "此次活动中", "调研期间", "座谈会上", "当天上午",
    "当天下午", "近年来", "会议期间", "与此同时", "活动现场", "视察过程中", "上半年", "年初以来",
]

SUBJECTS = [
    "市政协", "政协党组", "主席会议", "常委会", "各专门委员会", "提案委员会", "经济委员会",
    "文史和学习委员会", "社会和法制委员会", "各界别委员", "政协委员", "委员工作室", "调研组", "视察组",
    "各民主党派", "市工商联", "无党派人士", "机关党支部", "与会委员", "参加活动的委员", "专委会负责同志",
    "全体委员", "政协机关干部", "委员代表", "各参加单位", "市直有关部门", "基层群众代表", "特邀监督员",
    "界别召集人", "青年委员",
]

VERBS = [
    "深入调研", "实地察看", "认真学习", "专题协商", "集中视察", "积极建言", "持续关注", "跟踪督办",
    "广泛听取意见", "深入讨论", "协商交流", "共同推动", "认真梳理", "重点关注", "座谈交流", "组织开展",
    "扎实推进", "全面总结", "研究部署", "系统谋划", "联合调研", "专题视察", "民主评议", "对口协商",
    "开展监督",
]

TOPICS = [
    "乡村振兴战略", "基层社会治理", "营商环境优化", "生态环境保护", "老旧小区改造", "养老服务体系建设",
    "义务教育均衡发展", "公共卫生应急体系", "历史文化街区保护", "非物质文化遗产传承", "中小企业发展",
    "数字经济发展", "农村人居环境整治", "城市交通治理", "食品安全监管", "防汛抗旱工作", "就业创业服务",
    "文旅融合发展", "科技成果转化", "民营经济发展", "社区卫生服务", "垃圾分类工作", "河长制落实",
    "高标准农田建设", "职业教育改革", "托育服务供给", "智慧城市建设", "产业园区提质", "重点项目建设",
    "政务服务改革", "人才引进培养", "医疗保障制度", "住房保障工作", "学前教育普及", "公共文化服务",
    "全民健身设施", "跨境电商发展", "现代物流体系", "水资源保护", "森林防火工作",
]

ADVERBS = ["扎实", "深入", "积极", "认真", "切实", "全面", "持续", "务实", "有效", "稳步", "不断", "大力"]

GOALS = [
    "推动各项工作落地见效", "为全市高质量发展贡献政协力量", "切实把协商成果转化为工作实效",
    "更好凝聚共识、汇聚力量", "助力解决群众急难愁盼问题", "为党委政府科学决策提供参考",
    "不断提升履职能力和水平", "推动形成工作合力", "营造良好的社会氛围", "确保各项任务按时完成",
    "进一步增强委员的责任感和使命感", "让群众有更多获得感、幸福感、安全感",
]

FINDINGS = [
    "当前工作取得了阶段性成效", "仍存在资金投入不足的问题", "部门协同机制有待完善", "基层力量相对薄弱",
    "宣传引导还需加强", "政策落实存在“最后一公里”问题", "人才队伍建设亟待加强", "信息共享程度不高",
    "群众参与度有待提高", "配套设施仍不完善", "区域发展不平衡的问题依然存在", "长效管护机制尚未建立",
]

SUGGESTIONS = [
    "加大财政支持力度", "建立健全长效机制", "强化部门协作联动", "加强专业人才培养", "完善考核评价体系",
    "推进信息平台建设", "发挥社会组织作用", "优化资源配置", "加强宣传引导", "健全督查反馈机制",
    "探索多元投入模式", "落实属地管理责任", "畅通群众反映渠道", "推动标准化建设",
]

ROLES = ["市政协主席", "市政协副主席", "秘书长", "副秘书长", "专委会主任", "副市长", "有关部门负责人"]

SPEECH_VERBS = ["强调", "指出", "要求", "表示", "希望"]

PLACES = [
    "高新区", "经开区", "城东街道", "城西街道", "滨江社区", "青山镇", "河口镇", "东湖村", "西岭村",
    "南山工业园", "老城区", "新区", "市文化馆", "市图书馆", "市博物馆", "市民中心", "北关街道", "白沙镇",
]

DEPARTMENTS = [
    "市发展改革委", "市教育局", "市财政局", "市卫生健康委", "市生态环境局", "市住房城乡建设局",
    "市农业农村局", "市文化广电旅游局", "市交通运输局", "市民政局", "市人力资源社会保障局", "市市场监管局",
]

MEETINGS = [
    "常委会会议", "主席会议", "专题协商会", "提案办理协商会", "委员读书活动", "界别协商座谈会",
    "理论学习中心组学习会", "民主监督工作推进会", "文史资料征集工作会", "委员履职培训班",
]

HEADINGS = [
    "工作背景", "主要做法", "基本情况", "存在问题", "意见建议", "下一步工作", "委员发言摘要",
    "调研发现", "会议议程", "工作成效", "经验启示", "有关要求",
]
WENSHI_HEADINGS = ["历史沿革", "人物掌故", "旧貌新颜", "口述回忆", "史料考证", "遗存现状", "编者附记"]
MEMBER_HEADINGS = ["履职情况", "提案选登", "社情民意信息", "界别活动", "调研成果", "个人简历"]

CONNECTIVES = ["同时，", "此外，", "另一方面，", "具体而言，", "总体来看，", "据了解，", "与会人员认为，", ""]

NEWS_SOURCES = [
    "市政协办公室", "提案委员会", "经济委员会", "社会和法制委员会", "文史和学习委员会", "本网讯",
    "委员工作室", "示范日报", "市融媒体中心", "研究室",
]

# 文史
ERAS = ["明代", "清代", "清末", "民国", "抗战时期", "解放初期", "建国初期", "改革开放初期", "二十世纪八十年代"]
WENSHI_THINGS = [
    "老街", "古桥", "会馆", "书院", "码头", "商号", "庙会", "手工作坊", "戏班", "宗祠", "碑刻", "老茶馆",
    "私塾", "钱庄", "染坊", "渡口", "城墙", "牌坊", "药铺", "织布厂",
]
WENSHI_ACTS = [
    "几经兴废", "盛极一时", "见证了城市的变迁", "留下了许多动人的故事", "至今仍为老人们津津乐道",
    "曾是往来客商的必经之地", "在当地颇有名气", "后来逐渐衰落", "于战火中损毁", "经过修缮得以保存",
]
WENSHI_SERIES = [
    "老街旧事", "名人故居", "商埠往事", "乡贤风采", "红色记忆", "非遗寻踪", "古镇春秋", "教育史话",
    "地名掌故", "老字号", "戏曲流芳", "水运变迁",
]
WENSHI_SOURCES = ["《示范县志》", "《政协文史资料》", "口述整理", "市档案馆藏档", "《示范府志》", "民间族谱", "地方报刊旧影"]

POSITIONS = ["主席", "副主席", "秘书长", "常委"] + ["委员"] * 16
TERMS = ["第十三届", "第十四届", "第十五届"]
PARTIES = [
    "中共党员", "中共党员", "中共党员", "民革党员", "民盟盟员", "民建会员", "民进会员", "农工党党员",
    "致公党党员", "九三学社社员", "台盟盟员", "无党派人士", "群众", "群众",
]
MEMBER_JOBS = [
    "中学教师", "医院主任医师", "企业董事长", "律师事务所主任", "高校教授", "社区党委书记", "作家",
    "科研院所研究员", "农业合作社理事长", "文化馆馆员", "会计师事务所合伙人", "非遗传承人",
]

CN_NUM = "零一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1..99 in Chinese numerals."""
    if n <= 10:
        return CN_NUM[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else CN_NUM[tens]
    return head + "十" + (CN_NUM[ones] if ones else "")


def nonascii(s: str) -> int:
    return sum(1 for ch in s if ord(ch) > 127)


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


# --------------------------------------------------------------------------
# TOML helpers
# --------------------------------------------------------------------------


def q(s: str) -> str:
    out = []
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ord(ch) < 0x20 or ch == "\x7f":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def qlist(items: list[str]) -> str:
    return "[" + ", ".join(q(x) for x in items) + "]"


def front_matter(top: list[tuple[str, str]], tags: list[str] | None = None) -> str:
    """`top` holds (key, already-encoded TOML value) pairs."""
    lines = ["+++"]
    lines += [f"{k} = {v}" for k, v in top]
    if tags:
        lines += ["", "[taxonomies]", f"tags = {qlist(tags)}"]
    lines.append("+++")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Generator
# --------------------------------------------------------------------------


class Gen:
    def __init__(self, seed: int) -> None:
        self.r = random.Random(seed)
        self.titles: set[str] = set()
        self.member_names: list[str] = []

    # -- names ---------------------------------------------------------------

    def person_name(self) -> str:
        r = self.r
        surname = r.choice(SURNAMES[:-6]) if r.random() < 0.97 else r.choice(SURNAMES[-6:])
        given = r.choice(GIVEN_CHARS)
        if r.random() < 0.7:
            given += r.choice(GIVEN_CHARS)
        return surname + given

    def unique_title(self, make) -> str:
        for _ in range(30):
            t = make()
            if t not in self.titles:
                self.titles.add(t)
                return t
        base = make()
        k = 2
        while f"{base}（{k}）" in self.titles:
            k += 1
        t = f"{base}（{k}）"
        self.titles.add(t)
        return t

    def tags(self, lo: int = 1, hi: int = 4) -> list[str]:
        k = self.r.randint(lo, hi)
        chosen: list[str] = []
        while len(chosen) < k:
            t = self.r.choices(TAGS, weights=TAG_WEIGHTS)[0]
            if t not in chosen:
                chosen.append(t)
        return chosen

    # -- prose ---------------------------------------------------------------

    def sentence(self) -> str:
        r = self.r
        c = r.randrange(8)
        if c == 0:
            return f"{r.choice(TIME_PHRASES)}，{r.choice(SUBJECTS)}围绕{r.choice(TOPICS)}{r.choice(VERBS)}，{r.choice(GOALS)}。"
        if c == 1:
            return f"{r.choice(ROLES)}{r.choice(SPEECH_VERBS)}，要{r.choice(ADVERBS)}{r.choice(SUGGESTIONS)}，{r.choice(ADVERBS)}推进{r.choice(TOPICS)}，{r.choice(GOALS)}。"
        if c == 2:
            return f"{r.choice(CONNECTIVES)}委员们认为，{'，'.join(r.sample(FINDINGS, 2))}，建议{'、'.join(r.sample(SUGGESTIONS, 2))}。"
        if c == 3:
            return f"{r.choice(SUBJECTS)}先后来到{'、'.join(r.sample(PLACES, 2))}等地，{r.choice(VERBS)}{r.choice(TOPICS)}情况，听取{r.choice(DEPARTMENTS)}的工作汇报。"
        if c == 4:
            n = r.randint(3, 120)
            return f"{r.choice(CONNECTIVES)}{r.choice(SUBJECTS)}共提出意见建议{n}条，涉及{'、'.join(r.sample(TOPICS, 2))}等方面。"
        if c == 5:
            return f"{r.choice(DEPARTMENTS)}负责同志表示，将认真吸纳委员意见，{r.choice(ADVERBS)}{r.choice(SUGGESTIONS)}，{r.choice(GOALS)}。"
        if c == 6:
            return f"会议强调，要{r.choice(ADVERBS)}{r.choice(VERBS)}，把{r.choice(TOPICS)}作为履职的重要内容，{r.choice(GOALS)}！"
        return f"{r.choice(CONNECTIVES)}{r.choice(TIME_PHRASES)}，{r.choice(PLACES)}的{r.choice(TOPICS)}取得新进展，{r.choice(FINDINGS)}。"

    def wenshi_sentence(self, era: str) -> str:
        r = self.r
        c = r.randrange(5)
        if c == 0:
            return f"据{r.choice(WENSHI_SOURCES)}记载，{era}的{r.choice(PLACES)}一带有一处{r.choice(WENSHI_THINGS)}，{r.choice(WENSHI_ACTS)}。"
        if c == 1:
            return f"{'与'.join(r.sample(WENSHI_THINGS, 2))}比邻而立，{'，'.join(r.sample(WENSHI_ACTS, 2))}。"
        if c == 2:
            return f"老人{self.person_name()}回忆说，小时候常随家人去{r.choice(WENSHI_THINGS)}，那里{r.choice(WENSHI_ACTS)}。"
        if c == 3:
            return f"{era}以后，{r.choice(WENSHI_THINGS)}{r.choice(WENSHI_ACTS)}，成为研究地方{r.choice(['商业', '教育', '交通', '民俗', '戏曲', '建筑'])}史的重要实物。"
        return f"如今，{r.choice(WENSHI_THINGS)}旧址已列入文物保护名录，{r.choice(GOALS)}。"

    def paragraph(self, sent, lo: int = 2, hi: int = 5) -> str:
        return "".join(sent() for _ in range(self.r.randint(lo, hi)))

    def bullet_list(self) -> str:
        r = self.r
        items = [f"{r.choice(SUGGESTIONS)}，{r.choice(GOALS)}。" for _ in range(r.randint(3, 6))]
        if r.random() < 0.5:
            return "\n".join(f"- {x}" for x in items)
        return "\n".join(f"{i}. {x}" for i, x in enumerate(items, 1))

    def table(self, year: int) -> str:
        r = self.r
        rows = ["| 序号 | 事项 | 责任单位 | 完成时限 |", "| --- | --- | --- | --- |"]
        for i in range(1, r.randint(3, 6) + 1):
            rows.append(f"| {i} | {r.choice(SUGGESTIONS)} | {r.choice(DEPARTMENTS)} | {year}年{r.randint(1, 12)}月 |")
        return "\n".join(rows)

    def code_block(self, d: dt.date) -> str:
        r = self.r
        if r.random() < 0.5:
            return "\n".join([
                "```toml",
                "# 会议安排",
                "[meeting]",
                f"name = {q(r.choice(MEETINGS))}",
                f"date = {d.isoformat()}",
                f"place = {q(r.choice(PLACES))}",
                f"attendees = {r.randint(20, 300)}",
                f"topics = {qlist(r.sample(TOPICS, 2))}",
                "```",
            ])
        a, b, c = r.randint(50, 400), r.randint(0, 40), r.randint(0, 10)
        return "\n".join([
            "```python",
            "# 统计提案办理情况",
            f'proposals = {{"已办结": {a}, "办理中": {b}, "不予立案": {c}}}',
            "total = sum(proposals.values())",
            'rate = proposals["已办结"] / total',
            'print(f"办结率：{rate:.1%}")',
            "```",
        ])

    def body(self, kind: str, d: dt.date, era: str = "", notice: bool = False, reserve: int = 0) -> str:
        """Markdown body of roughly 400..1500 non-ASCII characters (Han and
        full-width punctuation; markup not counted). `reserve` is the size of
        text the caller adds around it."""
        r = self.r
        if kind == "wenshi":
            sent = lambda: self.wenshi_sentence(era)  # noqa: E731
        else:
            sent = self.sentence
        blocks: list[str] = []
        if notice:
            blocks.append("各位委员，各专门委员会，各界别：")
        blocks.append(self.paragraph(sent, 2, 4))
        if r.random() < 0.1:
            blocks.append("<!-- more -->")
        pool = {"wenshi": WENSHI_HEADINGS, "members": MEMBER_HEADINGS}.get(kind, HEADINGS)
        headings = r.sample(pool, 4)
        extras: list[str] = []
        if r.random() < 0.3:
            extras.append(self.bullet_list())
        if r.random() < 0.12:
            extras.append(self.table(d.year))
        if r.random() < 0.05:
            extras.append(self.code_block(d))
        # stays within bounds: the loop stops less than 40 short of the target
        # and overshoots by at most one sentence
        target = r.randint(440, 1430) - reserve - (30 if notice else 0)
        h = 0
        while True:
            if h < len(headings) and (h == 0 or r.random() < 0.4):
                blocks.append(f"## {headings[h]}")
                h += 1
            if extras:
                blocks.append(extras.pop())
            remaining = target - sum(nonascii(b) for b in blocks)
            if remaining < 40:
                if extras:
                    continue
                break
            p = self.paragraph(sent, 2, 5)
            if len(p) > remaining:
                # trim to whole sentences so the body stays near the target
                cut = p.rfind("。", 0, remaining)
                if cut <= 0:
                    cut = p.find("。")
                p = p[: cut + 1]
            blocks.append(p)
        if notice:
            blocks.append("特此通知。")
            blocks.append(f"{SITE_TITLE}办公室  \n{cn_date(d)}")
        return "\n\n".join(blocks) + "\n"


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def random_dates(r: random.Random, n: int) -> list[dt.date]:
    span = (DATE_END - DATE_START).days
    return sorted(DATE_START + dt.timedelta(days=r.randint(0, span)) for _ in range(n))


def split_counts(total: int, shares: list[float]) -> list[int]:
    counts = [int(total * s) for s in shares]
    i = 0
    while sum(counts) < total:
        counts[i % len(counts)] += 1
        i += 1
    return counts


def generate(out: Path, n: int, seed: int) -> dict[str, int]:
    g = Gen(seed)
    r = g.r
    n_members = round(n * 0.12)
    n_wenshi = round(n * 0.08)
    n_news = n - n_members - n_wenshi

    write(out / "config.toml", "\n".join([
        f"title = {q(SITE_TITLE)}",
        f"base_url = {q(BASE_URL)}",
        f"description = {q('中国人民政治协商会议示范市委员会（基准测试站点）')}",
        "",
        "[footer]",
        f"organizer = {q('政协示范市委员会办公室')}",
        f"icp = {q('示ICP备12345678号')}",
        f"police = {q('示公网安备00000000000001号')}",
        "",
        "[members]",
        f"sectors = {qlist(SECTORS)}",
        f"committees = {qlist(COMMITTEES)}",
        "",
        "[taxonomies]",
        'tags = { title = "专题", feed = true }',
        "",
    ]))

    content = out / "content"
    write(content / "_index.md", front_matter([("title", q("首页"))]) + "\n欢迎访问示范市政协网站。\n")

    # -- members (first, so news pages can refer to them) -----------------
    write(content / "members" / "_index.md", front_matter([
        ("title", q("委员风采")),
        ("kind", q("members")),
        ("description", q("本届政协委员名录")),
    ]))
    names_seen: set[str] = set()
    for i in range(1, n_members + 1):
        name = g.person_name()
        while name in names_seen:
            name = g.person_name()
        names_seen.add(name)
        g.member_names.append(name)
        sector = r.choice(SECTORS)
        top = [("title", q(name)), ("sector", q(sector))]
        if r.random() < 0.8:
            top.append(("committee", q(r.choice(COMMITTEES))))
        top.append(("position", q(r.choice(POSITIONS))))
        top.append(("term", q(r.choice(TERMS))))
        top.append(("party", q(r.choice(PARTIES))))
        job = r.choice(MEMBER_JOBS)
        bio = (
            f"{name}，{r.choice(PARTIES)}，{r.choice(PLACES)}{job}。"
            f"作为{sector}界别委员，长期关注{'和'.join(r.sample(TOPICS, 2))}，"
            f"累计提交提案{r.randint(1, 40)}件。"
        )
        body = bio + "\n\n" + g.body("members", DATE_END, reserve=nonascii(bio))
        write(content / "members" / f"m-{i:06d}.md", front_matter(top) + "\n" + body)

    # -- news ---------------------------------------------------------------
    write(content / "news" / "_index.md", front_matter([
        ("title", q("新闻中心")),
        ("kind", q("news")),
        ("description", q("政协要闻、工作动态、协商议政、提案工作和通知公告")),
    ]))
    for folder, title, desc, _, extra in NEWS_SECTIONS:
        top = [("title", q(title)), ("description", q(desc))]
        top += [(k, q(v)) for k, v in extra.items()]
        write(content / "news" / folder / "_index.md", front_matter(top))

    counts = split_counts(n_news, [s[3] for s in NEWS_SECTIONS])
    assignment = [k for k, c in enumerate(counts) for _ in range(c)]
    r.shuffle(assignment)
    dates = random_dates(r, n_news)
    n_pinned = 0
    for i, (d, sec) in enumerate(zip(dates, assignment), 1):
        folder = NEWS_SECTIONS[sec][0]

        def make_title() -> str:
            if folder == "tongzhi":
                c = r.randrange(3)
                if c == 0:
                    return f"关于召开{r.choice(MEETINGS)}的通知"
                if c == 1:
                    return f"关于征集{d.year}年度{r.choice(TOPICS)}相关提案线索的通知"
                return f"关于报送{r.choice(TOPICS)}{r.choice(['调研材料', '工作总结', '意见建议', '履职情况'])}的通知"
            if folder == "tian":
                return f"关于{r.choice(['加快', '进一步推进', '完善', '加强', '优化'])}{r.choice(TOPICS)}的{r.choice(['提案', '建议', '提案办理情况'])}"
            c = r.randrange(4)
            if c == 0:
                return f"{r.choice(SUBJECTS)}{r.choice(VERBS)}{r.choice(TOPICS)}"
            if c == 1:
                return f"{r.choice(SUBJECTS)}召开{r.choice(TOPICS)}{r.choice(['专题协商会', '座谈会', '推进会', '情况通报会'])}"
            if c == 2:
                return f"{r.choice(ROLES)}带队赴{r.choice(PLACES)}调研{r.choice(TOPICS)}"
            return f"{r.choice(SUBJECTS)}在{r.choice(PLACES)}开展{r.choice(TOPICS)}{r.choice(['视察', '调研', '民主监督', '协商活动'])}"

        title = g.unique_title(make_title)
        top = [("title", q(title))]
        x = r.random()
        if x < 0.25:
            top.append(("date", d.isoformat()))
        elif x < 0.40:
            top.append(("date", f"{d.isoformat()}T{r.randint(7, 21):02d}:{r.choice([0, 15, 30, 45]):02d}:00+08:00"))
        # else: the date comes from the file name
        if r.random() < 0.2:
            top.append(("description", q(g.sentence())))
        top.append(("author", q(g.person_name())))
        top.append(("source", q(r.choice(NEWS_SOURCES))))
        top.append(("editor", q(g.person_name())))
        if folder == "yaowen" and n_pinned < 3 and i > n_news * 0.9 and r.random() < 0.05:
            top.append(("pinned", "true"))
            n_pinned += 1
        if g.member_names and r.random() < 0.03:
            k = min(len(g.member_names), r.randint(1, 2))
            top.append(("members", qlist(r.sample(g.member_names, k))))
        body = g.body("news", d, notice=(folder == "tongzhi"))
        name = f"{d.isoformat()}-n-{i:06d}.md"
        write(content / "news" / folder / name, front_matter(top, g.tags()) + "\n" + body)

    # -- 文史 -----------------------------------------------------------------
    write(content / "wenshi" / "_index.md", front_matter([
        ("title", q("文史资料")),
        ("kind", q("wenshi")),
        ("description", q("地方文史资料选辑")),
    ]))
    wdates = random_dates(r, n_wenshi)
    n_series = (n_wenshi + 19) // 20
    for s in range(n_series):
        theme = WENSHI_SERIES[s % len(WENSHI_SERIES)]
        write(content / "wenshi" / f"s-{s + 1:03d}" / "_index.md", front_matter([
            ("title", q(f"第{s + 1}辑 {theme}")),
            ("weight", str(s + 1)),
        ]))
    for j in range(n_wenshi):
        s, w = divmod(j, 20)
        d = wdates[j]
        era = r.choice(ERAS)
        theme = WENSHI_SERIES[s % len(WENSHI_SERIES)]
        title = g.unique_title(
            lambda: f"{r.choice(PLACES)}的{r.choice(WENSHI_THINGS)}{r.choice(['旧事', '往事', '记忆', '史话', '掌故', '变迁'])}"
        )
        top = [
            ("title", q(title)),
            ("date", d.isoformat()),
            ("weight", str(w + 1)),
            ("author", q(g.person_name())),
            ("source", q(r.choice(WENSHI_SOURCES))),
            ("era", q(era)),
        ]
        tags = [r.choice(WENSHI_TAGS)] if r.random() < 0.5 else None
        head = f"（{theme}之{cn_number(w + 1)}）"
        body = head + "\n\n" + g.body("wenshi", d, era=era, reserve=nonascii(head))
        write(content / "wenshi" / f"s-{s + 1:03d}" / f"w-{j + 1:06d}.md", front_matter(top, tags) + "\n" + body)

    return {"news": n_news, "members": n_members, "wenshi": n_wenshi, "series": n_series}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description="Generate a synthetic tongxin site for benchmarks.")
    ap.add_argument("out_dir", metavar="OUT_DIR")
    ap.add_argument("n", metavar="N", type=int, help="number of regular pages (section _index.md files not counted)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    out = Path(args.out_dir)
    if out.exists():
        if not out.is_dir():
            print(f"gen_corpus: {out} exists and is not a directory", file=sys.stderr)
            return 1
        if any(out.iterdir()):
            print(f"gen_corpus: refusing to write into non-empty directory {out}", file=sys.stderr)
            return 1
    out.mkdir(parents=True, exist_ok=True)
    c = generate(out, args.n, args.seed)
    print(
        f"gen_corpus: wrote {args.n} pages to {out} "
        f"(news {c['news']}, members {c['members']}, wenshi {c['wenshi']} in {c['series']} series, seed {args.seed})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
