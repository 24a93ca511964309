"""Document model and synthesis of plausible policy documents from the real
corpus: base plans, issuing notices, revisions and hard negatives.

Distinct base documents are built by recombining corpus paragraphs,
sentences and clauses, localizing them to a new jurisdiction (swap tables in
``textops``) and shifting their years to the new issuing year; the mix keeps
two unrelated synthetic documents at only a few percent shared sentences."""

from __future__ import annotations

import dataclasses
import datetime
import random
from dataclasses import dataclass, field

from bench import textops as T
from bench.corpus import Pools


# ------------------------------------------------------------------ model ----
@dataclass
class Sent:
    text: str  # canonical text
    prov: dict | None = None  # provenance, set by bench.derive


@dataclass
class Para:
    sents: list[Sent] = field(default_factory=list)
    heading: bool = False
    table: list[list[str]] | None = None  # rows (first row = header); no sentences


@dataclass
class Doc:
    jur: T.Jur
    title: str
    date: tuple[int, int, int]
    issuers: list[str]
    docno: str | None
    paras: list[Para]
    has_notice: bool = True
    notice_style: int = 0
    addressees: str = ""
    notice_body: str = ""
    quote_title: bool = True  # 关于印发《X》的通知 vs 关于印发X的通知
    groups: frozenset = frozenset()  # corpus text groups this text came from
    forwarded: str = ""  # the notice this one forwards (关于转发《…》的通知), if it forwards another's plan
    inner: tuple[str, ...] = ()  # lines between its date and the plan's title: the forwarded notice, whole

    def sentences(self) -> list[Sent]:
        """Body sentences in reading order; sentence ids are indexes here."""
        return [s for p in self.paras if p.table is None for s in p.sents]

    def body_chars(self) -> int:
        return sum(len(s.text) for s in self.sentences())

    def date_str(self) -> str:
        y, m, d = self.date
        return f"{y}年{m}月{d}日"

    def _notice_subject(self) -> str:
        if self.forwarded:
            return f"关于转发《{self.forwarded}》的通知"
        t = f"《{self.title}》" if self.quote_title else self.title
        return f"关于印发{t}的通知"

    def notice_title(self) -> str:
        """Full title of the issuing notice (what a child document cites)."""
        return f"{''.join(self.issuers)}{self._notice_subject()}"

    def header_lines(self, notice: bool | None = None) -> list[str]:
        """Notice block (if any) followed by the plan title (last line)."""
        if notice is None:
            notice = self.has_notice
        if not notice:
            return [self.title]
        lines: list[str] = []
        if self.notice_style == 0:
            lines += self.issuers + [self._notice_subject()]
        else:
            lines.append(self.notice_title())
        if self.docno:
            lines.append(self.docno)
        lines += [self.addressees, self.notice_body]
        lines += self.issuers if self.notice_style == 0 else ["　".join(self.issuers)]
        lines += [self.date_str(), *self.inner, self.title]
        return lines

    def clone(self) -> Doc:
        """Copy with fresh paragraph/sentence objects (deepcopy was a hot spot)."""
        paras = [
            Para(
                [Sent(s.text, dict(s.prov) if s.prov else None) for s in p.sents],
                p.heading,
                [list(r) for r in p.table] if p.table is not None else None,
            )
            for p in self.paras
        ]
        return dataclasses.replace(self, paras=paras, issuers=list(self.issuers))


# ------------------------------------------------------------- metadata ----
TOPICS = [
    "制造强{u}建设行动计划",
    "先进制造业强{u}行动计划（{y0}—{y1}年）",
    "培育发展战略性新兴产业行动计划（{y0}—{y1}年）",
    "加快培育发展新兴产业行动计划",
    "数字经济发展三年行动计划（{y0}—{y1}年）",
    "关于加快推进工业互联网发展的实施意见",
    "推动制造业高质量发展实施方案",
    "关于促进中小企业“专精特新”发展的若干意见",
    "智能制造发展规划（{y0}—{y1}年）",
    "工业领域碳达峰实施方案",
    "关于加快推进传统制造业改造提升的实施意见",
    "新材料产业发展行动方案",
    "生物医药产业高质量发展行动计划",
    "“十四五”制造业高质量发展规划",
    "关于进一步优化营商环境促进民营经济发展的若干措施",
    "加快发展服务型制造行动计划",
    "产业链提升工程实施方案",
    "关于推进绿色制造体系建设的实施意见",
    "制造业数字化转型行动方案",
    "中国制造2025{short}行动纲要",
    "关于加快推进新型工业化的实施意见",
    "高端装备制造业发展行动计划",
]
GENRES = [
    ("行动计划", "本行动计划"),
    ("实施方案", "本方案"),
    ("行动方案", "本方案"),
    ("实施意见", "本意见"),
    ("若干意见", "本意见"),
    ("若干措施", "本措施"),
    ("规划", "本规划"),
    ("行动纲要", "本纲要"),
]
DEPTS = {
    "国": [
        "国家发展改革委",
        "工业和信息化部",
        "科技部",
        "财政部",
        "商务部",
        "人力资源社会保障部",
        "自然资源部",
        "生态环境部",
        "市场监管总局",
        "人民银行",
    ],
    "省": [
        "省发展改革委",
        "省经信厅",
        "省科技厅",
        "省财政厅",
        "省商务厅",
        "省人力社保厅",
        "省自然资源厅",
        "省生态环境厅",
        "省市场监管局",
        "省地方金融监管局",
    ],
    "市": [
        "市发改委",
        "市经信局",
        "市科技局",
        "市财政局",
        "市商务局",
        "市人力社保局",
        "市自然资源和规划局",
        "市生态环境局",
        "市市场监管局",
        "市金融办",
        "市招商投资促进中心",
    ],
}


def genre_of(title: str) -> str:
    for g, ref in GENRES:
        if title.rstrip("）0123456789—年（").endswith(g) or g in title:
            return ref
    return "本方案"


def make_title(rng: random.Random, jur: T.Jur, year: int, topic: str | None = None) -> str:
    topic = topic or rng.choice(TOPICS)
    if jur.level == "national" and "{short}" in topic:
        topic = "制造强{u}建设行动计划"
    t = topic.format(
        u=jur.unit if jur.level != "national" else "国", y0=year, y1=year + rng.choice([2, 3, 4]), short=jur.short
    )
    if not t.startswith("关于") and jur.level != "national" and "{short}" not in topic and rng.random() < 0.6:
        t = jur.name + t
    return t


def make_issuers(rng: random.Random, jur: T.Jur) -> tuple[list[str], str]:
    """Issuing bodies and the document-number infix (发 / 办发 / 委办发)."""
    if jur.level == "national":
        return rng.choice([(["国务院"], "国发"), (["国务院办公厅"], "国办发"), (["工业和信息化部"], "工信部规")])
    office = "办公厅" if jur.level == "province" else "办公室"
    r = rng.random()
    if r < 0.4:
        return [f"{jur.name}人民政府"], jur.docno + "发"
    if r < 0.8:
        return [f"{jur.name}人民政府{office}"], jur.docno + "办发"
    return [f"中共{jur.name}委{office}", f"{jur.name}人民政府{office}"], jur.abbr + "委办发"


def make_addressees(jur: T.Jur, joint: bool) -> str:
    if jur.level == "national":
        return "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
    if jur.level == "province":
        return (
            "各市、县（市、区）党委和人民政府，省直属各单位："
            if joint
            else "各市、县（市、区）人民政府，省政府直属各单位："
        )
    if jur.level == "city":
        return (
            "各区、县（市）党委和人民政府，市直属各单位："
            if joint
            else "各区、县（市）人民政府，市政府各部门、各直属单位："
        )
    u = jur.unit
    return f"各镇人民政府、街道办事处，{u}政府各部门、各直属单位："


def make_notice_body(rng: random.Random, jur: T.Jur, title: str, issuers: list[str]) -> str:
    u = jur.unit
    if jur.level == "national":
        approver = "国务院"
    elif len(issuers) == 2:
        approver = f"{u}委、{u}政府"
    else:
        approver = f"{u}政府"
    if issuers[0].endswith("人民政府") or issuers[0] == "国务院":
        return rng.choice(
            [f"现将《{title}》印发给你们，请认真贯彻执行。", f"现将《{title}》印发给你们，请结合实际认真组织实施。"]
        )
    return rng.choice(
        [
            f"《{title}》已经{approver}同意，现印发给你们，请结合实际认真贯彻落实。",
            f"经{approver}同意，现将《{title}》印发给你们，请认真组织实施。",
        ]
    )


def random_date(rng: random.Random, year: int) -> tuple[int, int, int]:
    m = rng.randint(1, 12)
    return year, m, rng.randint(1, 28)


def add_days(date: tuple[int, int, int], days: int) -> tuple[int, int, int]:
    d = datetime.date(*date) + datetime.timedelta(days=days)
    return d.year, d.month, d.day


def make_docno(rng: random.Random, infix: str, year: int) -> str:
    return f"{infix}〔{year}〕{rng.randint(1, 160)}号"


def dress(doc: Doc, rng: random.Random, p_docno: float = 0.75) -> Doc:
    """Give a document issuers, notice text and (usually) a 文号."""
    issuers, infix = make_issuers(rng, doc.jur)
    doc.issuers = issuers
    doc.docno = make_docno(rng, infix, doc.date[0]) if rng.random() < p_docno else None
    doc.addressees = make_addressees(doc.jur, len(issuers) == 2)
    doc.notice_body = make_notice_body(rng, doc.jur, doc.title, issuers)
    doc.notice_style = rng.randrange(2)
    doc.quote_title = rng.random() < 0.6
    return doc


def forward(donor: Doc, rng: random.Random, jur: T.Jur) -> Doc:
    """``jur``'s notice forwarding (转发) ``donor``: the donor's plan whole, its issuing notice included,
    under a notice of ``jur``'s government, with its own issuers, 文号 and date.  The same text, another
    document: not a copy of the donor's version, nor a revision of it."""
    new = dress(dataclasses.replace(donor.clone(), jur=jur), rng)
    new.date = add_days(donor.date, rng.randint(10, 120))
    if new.docno:
        new.docno = make_docno(rng, new.docno.split("〔")[0], new.date[0])
    new.has_notice = True
    new.forwarded = donor.notice_title() if donor.has_notice else donor.title
    new.inner = tuple(donor.header_lines(True)[:-1]) if donor.has_notice else ()
    new.notice_body = rng.choice(
        [
            f"现将《{new.forwarded}》转发给你们，请结合实际，认真贯彻落实。",
            f"现将《{new.forwarded}》转发给你们，请认真组织实施，确保各项任务落到实处。",
        ]
    )
    return new


# ------------------------------------------------------------ synthesis ----
class Synth:
    """Builds sentences/paragraphs/documents for one jurisdiction and year
    from the corpus pools."""

    def __init__(self, pools: Pools, jur: T.Jur, year: int, rng: random.Random):
        self.pools, self.jur, self.year, self.rng = pools, jur, year, rng
        self.groups: set[str] = set()

    def localize(self, text: str, src_jur: T.Jur, src_year: int) -> str:
        return T.shift_years(T.swap_jur(text, src_jur, self.jur), self.year - src_year)

    def _mutate(self, text: str) -> str:
        r = self.rng.random()
        if r < 0.15:
            text = T.replace_words(text, self.rng, k=self.rng.randint(1, 2))
        elif r < 0.25:
            text = T.perturb_numbers(text, self.rng, p=0.7)
        return text

    def recombined(self, k: int | None = None) -> str:
        """A new sentence of 2-4 corpus clauses from different places."""
        rng = self.rng
        k = k or rng.choice([2, 2, 3, 3, 4])
        parts = []
        for _ in range(k):
            c, j, y, g = rng.choice(self.pools.clauses)
            self.groups.add(g)
            parts.append(self.localize(c, j, y))
        return "，".join(parts) + "。"

    def corpus_sentence(self) -> str:
        t, j, y, g = self.rng.choice(self.pools.sentences)
        self.groups.add(g)
        return self._mutate(self.localize(t, j, y))

    def paragraph(self, max_chars: int = 600) -> list[str]:
        rng = self.rng
        body, j, y, g = rng.choice(self.pools.paragraphs)
        self.groups.add(g)
        n = len(body)
        k = max(1, round(n * rng.uniform(0.6, 1.0)))
        s0 = rng.randint(0, n - k)
        out = [self._mutate(self.localize(t, j, y)) for t in body[s0 : s0 + k]]
        if rng.random() < 0.5:
            for _ in range(rng.randint(1, 2)):
                out.insert(rng.randint(0, len(out)), self.recombined())
        if rng.random() < 0.25:
            out.insert(rng.randint(0, len(out)), self.corpus_sentence())
        while len(out) > 1 and sum(map(len, out)) > max_chars:
            out.pop()
        return out

    def subtitle(self) -> str:
        return T.swap_jur(self.rng.choice(self.pools.subtitles), T.jur("浙江省"), self.jur)

    def intro(self, title: str) -> str:
        rng = self.rng
        if rng.random() < 0.5 and self.pools.intros:
            t, j, y, _g = rng.choice(self.pools.intros)
            t = self.localize(t, j, y)
            cs = T.clause_spans(t)
            if len(cs) >= 2:
                t = t[: cs[-1][0]]
            else:
                t = t[:-1] + "，"
            return t + f"制定{genre_of(title)}。"
        parts = [self.localize(*rng.choice(self.pools.clauses)[:3]) for _ in range(rng.randint(1, 2))]
        we = "我国" if self.jur.level == "national" else "我" + self.jur.unit
        return "为" + "，".join(parts) + f"，结合{we}实际，制定{genre_of(title)}。"

    def table(self) -> list[list[str]]:
        rng, y = self.rng, self.year
        names = rng.sample(self.pools.indicators, min(len(self.pools.indicators), rng.randint(4, 9)))
        rows = [["指标名称", f"{y - 1}年", f"{y + 2}年目标", f"{y + 4}年目标"]]
        for nme in names:
            base = rng.uniform(1, 70)
            vals = [base, base * rng.uniform(1.05, 1.25), base * rng.uniform(1.3, 1.45)]
            if "%" in nme:  # shares stay below 100
                vals = [min(v, 99.5) for v in vals]
            fmt = "{:.0f}" if nme.endswith(("（个）", "（家）", "（件）")) else "{:.1f}"
            rows.append([T.swap_jur(nme, T.jur("绍兴市"), self.jur)] + [fmt.format(v) for v in vals])
        return rows

    def duty_line(self) -> str:
        u = {"province": "省", "national": "国"}.get(self.jur.level, "市")
        depts = DEPTS[u]
        names = self.rng.sample(depts, self.rng.randint(1, 4))
        if self.jur.level == "county":
            names = [n.replace("市", self.jur.unit, 1) for n in names]
        return f"（责任单位：{'、'.join(names)}）"


def synth_plan(
    pools: Pools,
    rng: random.Random,
    jur: T.Jur,
    year: int,
    target_chars: int,
    title: str | None = None,
    notice: bool = True,
) -> Doc:
    """A complete synthetic plan of about ``target_chars`` body characters."""
    sy = Synth(pools, jur, year, rng)
    title = title or make_title(rng, jur, year)
    paras: list[Para] = [Para([Sent(sy.intro(title))])]
    heading_subs = rng.random() < 0.35  # （一）指导思想 on its own line (as in 004)
    duty = rng.random() < 0.25  # 责任单位 lines (as in 004)
    table_done = rng.random() < 0.7  # 30% of plans get an indicator table
    sections = [s for s in pools.sections if s not in ("总体要求", "保障措施")]
    n_sec = 0
    total = len(paras[0].sents[0].text)

    def add_section(name: str, n_sub: int) -> None:
        nonlocal n_sec, total, table_done
        start, total_before = len(paras), total
        n_sec += 1
        paras.append(Para([Sent(f"{T.cn_number(n_sec)}、{T.swap_jur(name, T.jur('浙江省'), jur)}")], heading=True))
        for k in range(1, n_sub + 1):
            sub = sy.subtitle()
            body = sy.paragraph()
            marker = f"（{T.cn_number(k)}）"
            if heading_subs:
                paras.append(Para([Sent(marker + sub)], heading=True))
                paras.append(Para([Sent(t) for t in body]))
            else:
                paras.append(Para([Sent(marker + sub + "。")] + [Sent(t) for t in body]))
            if rng.random() < 0.3:
                paras.append(Para([Sent(t) for t in sy.paragraph(300)]))
            if duty and not paras[-1].sents[-1].text.startswith("（责任"):
                paras[-1].sents.append(Sent(sy.duty_line()))
            if not table_done and n_sec == 1:
                table_done = True
                paras.append(Para([Sent(f"{jur.name}{year + 4}年主要指标")], heading=True))
                paras.append(Para(table=sy.table()))
            total = sum(len(s.text) for p in paras[start:] for s in p.sents) + total_before

    add_section("总体要求", rng.randint(2, 3))
    while total < target_chars * 0.85:
        add_section(rng.choice(sections), rng.randint(2, 5))
    add_section("保障措施", rng.randint(2, 4))
    if rng.random() < 0.2:
        paras.append(Para([Sent(f"附件：{year + 4}年{jur.short}主要发展指标")], heading=True))
    doc = Doc(jur, title, random_date(rng, year), [], None, paras, has_notice=notice, groups=frozenset(sy.groups))
    return dress(doc, rng)


def _para_sents(doc: Doc) -> list[tuple[int, int]]:
    """(para index, sentence index) of every non-heading body sentence."""
    return [
        (pi, si) for pi, p in enumerate(doc.paras) if not p.heading and p.table is None for si in range(len(p.sents))
    ]


def revise(doc: Doc, pools: Pools, rng: random.Random, rate: float) -> tuple[Doc, float]:
    """A later version: ``rate`` of body sentences changed (numbers/years,
    word replacements, deletions, insertions).  Returns (doc, realized rate)."""
    new = doc.clone()
    sy = Synth(pools, new.jur, new.date[0], rng)
    slots = _para_sents(new)
    k = max(1, round(rate * len(slots)))
    chosen = sorted(rng.sample(slots, min(k, len(slots))), reverse=True)
    changed = 0
    for pi, si in chosen:
        sents = new.paras[pi].sents
        text = sents[si].text
        r = rng.random()
        if r < 0.35 and any(c.isdigit() for c in text):
            nt = T.perturb_numbers(text, rng)
        elif r < 0.7:
            nt = T.replace_words(text, rng, k=2)
            if nt == text:
                nt = T.insert_modifier(text, rng)
        elif r < 0.85 and len(sents) > 1:
            del sents[si]
            changed += 1
            continue
        else:
            sents.insert(si + 1, Sent(sy.recombined()))
            changed += 1
            continue
        if nt != text:
            sents[si] = Sent(nt)
            changed += 1
    new.date = add_days(doc.date, rng.randint(30, 240))
    new.paras = [p for p in new.paras if p.sents or p.table]
    return new, changed / max(1, len(slots))


def borrow(
    donor: Doc, pools: Pools, rng: random.Random, jur: T.Jur, year: int, share_of_donor: float
) -> tuple[Doc, float]:
    """Hard negative: a different document (another jurisdiction's plan) that
    copies ``share_of_donor`` of the donor's body paragraphs, localized.
    Returns (doc, share of the new document's body chars that was copied)."""
    own = synth_plan(pools, rng, jur, year, int(donor.body_chars() * rng.uniform(0.7, 1.2)))
    cands = [i for i, p in enumerate(donor.paras) if not p.heading and p.table is None]
    k = max(1, round(share_of_donor * len(cands)))
    picked = sorted(rng.sample(cands, min(k, len(cands))))
    slots = [i for i, p in enumerate(own.paras) if not p.heading and p.table is None] or [len(own.paras)]
    inserts = sorted(rng.choice(slots) for _ in picked)
    copied = 0
    for offset, (slot, di) in enumerate(zip(inserts, picked)):
        p = Para([Sent(T.swap_jur(s.text, donor.jur, jur)) for s in donor.paras[di].sents])
        copied += sum(len(s.text) for s in p.sents)
        own.paras.insert(slot + offset + 1, p)
    own.groups = own.groups | donor.groups
    return own, copied / max(1, own.body_chars())


def _title_key(title: str) -> str:
    """A title without years and punctuation: what tells two titles apart."""
    return "".join(c for c in T.bare(title) if not c.isdigit()).replace("年", "")


def remix(base: Doc, higher: Doc, pools: Pools, rng: random.Random, replaced: float) -> tuple[Doc, float]:
    """A different document of ``base``'s jurisdiction and issuers, under another title:
    it keeps ``base``'s paragraphs but replaces ``replaced`` of them with paragraphs of
    ``higher`` (the provincial plan above it), localized.  Returns (doc, share of the
    new body's characters kept from ``base``).

    What a revision is not: 70% of a city plan and 30% provincial paragraphs under a
    new title is a new document that reuses both."""
    new = base.clone()
    key = _title_key(base.title).removeprefix(base.jur.name)
    for _ in range(20):
        title = make_title(rng, base.jur, base.date[0])
        if _title_key(title).removeprefix(base.jur.name) != key:
            break
    new.title = title
    slots = [i for i, p in enumerate(new.paras) if not p.heading and p.table is None]
    donors = [p for p in higher.paras if not p.heading and p.table is None and p.sents]
    k = min(len(donors), max(1, round(replaced * len(slots))))
    replaced_at = sorted(rng.sample(slots, k))
    for n, pi in enumerate(replaced_at):
        new.paras[pi] = Para([Sent(T.swap_jur(s.text, higher.jur, base.jur)) for s in donors[n].sents])
    new.date = add_days(base.date, rng.randint(60, 500))
    if base.docno:
        new.docno = make_docno(rng, base.docno.split("〔")[0], new.date[0])
    new.notice_body = make_notice_body(rng, base.jur, new.title, new.issuers)
    gone = set(replaced_at)
    kept = sum(len(s.text) for i, p in enumerate(new.paras) if i not in gone and p.table is None for s in p.sents)
    return new, kept / max(1, new.body_chars())


def adapt(donor: Doc, pools: Pools, rng: random.Random, jur: T.Jur, year: int, keep: float) -> Doc:
    """A lower jurisdiction's adaptation of ``donor`` (江苏省 -> 南京市, 全省 -> 全市): ``keep`` of
    its paragraphs localized, the rest dropped, a few paragraphs of its own; the title
    localized (often the same words).  A different document, not a revision."""
    sy = Synth(pools, jur, year, rng)
    paras: list[Para] = []
    for p in donor.paras:
        if p.table is not None:
            paras.append(Para(table=[[T.swap_jur(c, donor.jur, jur) for c in r] for r in p.table]))
            continue
        if not p.heading and rng.random() > keep:
            continue
        paras.append(Para([Sent(T.swap_jur(s.text, donor.jur, jur)) for s in p.sents], p.heading))
        if not p.heading and rng.random() < 0.06:
            paras.append(Para([Sent(t) for t in sy.paragraph(300)]))
    title = T.swap_jur(donor.title, donor.jur, jur)
    if jur.name not in title and not title.startswith("关于") and rng.random() < 0.7:
        title = jur.name + title
    doc = Doc(
        jur,
        title,
        add_days(donor.date, rng.randint(20, 300)),
        [],
        None,
        paras,
        has_notice=rng.random() < 0.8,
        groups=donor.groups,
    )
    return dress(doc, rng)
