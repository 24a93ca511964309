"""Document metadata: title, issuers, date, 文号, citations, jurisdiction.

Everything here is read from the document's own text, in the order a
reader would trust it: the issuing notice first (it is the official record),
then the plan's title line, then the news wrapper, then the page's
publication line, and last inferences from the body (level words such as
全市, places named, events that bound the date).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from lineage.ingest import gazetteer
from lineage.ingest.normalize import fold, fold_chars_only, normalize
from lineage.ingest.structure import CN_NUM, ISSUING, Line, Structure, is_imprint
from lineage.model import LEVEL_RANK, Citation, Jurisdiction

_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")}
# Zero in a year written in numerals: 〇, and what stands for it in typed and OCR'd copies (二○二○年:
# U+25CB, ◯, a Latin, Greek or Cyrillic capital O).
_ZEROS = "○◯OΟО"
_CN_DIGIT.update({"零": 0, "两": 2})
_CN_DIGIT.update(dict.fromkeys(_ZEROS, 0))

DATE_CN = re.compile(
    rf"(\d{{4}}|[{CN_NUM}{_ZEROS}]{{4}})\s*年\s*([\d{CN_NUM}]{{1,3}})\s*月\s*([\d{CN_NUM}]{{1,3}})\s*日"
)
DATE_ISO = re.compile(r"(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)")
# 浙政办发〔2019〕5号, also written 〔2019〕第5号
DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[［【(（]\s*(\d{4})\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号")
_BOOK = re.compile(r"《([^《》]{2,150})》")
_AFTER_TITLE_NUMBER = re.compile(r"^\s*[(（]\s*(" + DOC_NUMBER.pattern + r")\s*[)）]")
# "X关于印发Y的通知": the issuer X and the plan Y (also how the graph reads cited notice titles)
# an issuing notice, or a call for comments on a draft (关于公开征求《…（征求意见稿）》意见的公告): ``plan`` is
# the document it issues, or the draft it publishes
NOTICE_TITLE = re.compile(
    rf"^(?P<issuer>.*?)关于(?:{ISSUING}|(?P<consult>(?:公开)?征求))(?P<plan>.+?)"
    r"(?(consult)(?:修改)?意见(?:和建议)?的(?:公告|通知|函)|的通知)$"
)
_LEDE_ISSUE = re.compile(r"([^,，。:：]{2,80}?)(联合)?(印发|发布|出台|公布|下发)(了)?(《|“)")
# a news lede naming the place it reports from: 记者从翠屏区获悉 / 从翠屏区了解到
_LEDE_FROM = re.compile(r"从([^,，。:：《]{2,20}?)(获悉|了解到|获知)")
# a lede phrase naming a place that is not where the document is from: a meeting's venue, a model
_NOT_FROM = re.compile(r"召开|举行|会上|会议|继|学习|借鉴|之后|此前|参照")
_ORG_SUFFIXES = (
    "(?:办公厅|办公室|人民政府|委员会|管委会|党委|省委|市委|县委|区委|州委|政府|局|厅|委|院|部|署|中心|银行)"
)
_ORG_SUFFIX = re.compile(_ORG_SUFFIXES + "$")
# a body's name, more than its suffix (办公厅 alone names no body)
_ORG_NAME = re.compile(".{2,}" + _ORG_SUFFIXES)
# National bodies: the Party centre, the NPC and CPPCC, the State Council and its departments (组成部门,
# 直属机构, 直属事业单位 and the 国家…局 it manages), in full and short forms.  "部" never before 门: 财政部门
# and 民政部门 are any level's departments.
_NATIONAL_ISSUER = re.compile(
    r"^(国务院|中共中央|中央|全国|国家|中华人民共和国|共青团中央|发展改革委|"
    r"(外交|国防|教育|科学技术|科技|工业和信息化|工信|公安|民政|司法|财政|人力资源和社会保障|人力资源社会保障|人社|"
    r"自然资源|生态环境|住房和城乡建设|住房城乡建设|住建|交通运输|水利|农业农村|农业|商务|文化和旅游|文化旅游|文旅|"
    r"退役军人事务|退役军人|应急管理|监察)部(?!门)|"
    r"中国人民银行|人民银行|审计署|海关总署|卫生健康委|中国证券监督管理委员会|证监会|中国银行保险监督管理委员会|银保监会|"
    r"中国科学院|中国社会科学院|中国工程院|中国气象局|中国地震局|中央广播电视总台|新华通讯社)"
)
# 新华社北京2月23日电, 中新社杭州5月6日电, 本报北京讯
_DATELINE = re.compile(
    r"(新华社|中新社|中新网|人民日报|人民网|新华网|央视网|本报)[\u4e00-\u9fff]{0,8}?(\d{1,2}月\d{1,2}日)?(电|讯)"
)
_TARGET_YEAR = re.compile(r"到(\d{4})年")
_TITLE_RANGE = re.compile(r"[(（](\d{4})\s*年?\s*[—\-–~～至]+\s*(\d{4})\s*年?[)）]")
# "2021年版", "(2018年修订)", "2019年修正版": the year of an edition or revision
_TITLE_EDITION = re.compile(r"(\d{4})\s*年\s*(版|修订|修正)")

# Events that bound when a text can have been written: a document quoting
# them is no older than the event.  (Dates of the opening day.)
EVENTS: list[tuple[str, date]] = [
    ("党的十八大", date(2012, 11, 8)),
    ("十八届三中全会", date(2013, 11, 9)),
    ("十八届五中全会", date(2015, 10, 26)),
    ("党的十九大", date(2017, 10, 18)),
    ("十九大精神", date(2017, 10, 18)),
    ("习近平新时代中国特色社会主义思想", date(2017, 10, 18)),
    ("十九届四中全会", date(2019, 10, 28)),
    ("十九届五中全会", date(2020, 10, 26)),
    ("党的二十大", date(2022, 10, 16)),
    ("二十大精神", date(2022, 10, 16)),
    ("二十届三中全会", date(2024, 7, 15)),
    ("新冠肺炎疫情", date(2020, 1, 20)),
]

# Well-known texts cited by name without 《》 (a curated catalog; sources:
# the State Council's published notice for 中国制造2025).
KNOWN_DOCUMENTS: list[dict] = [
    {
        "pattern": re.compile(r"中国制造2025(?![\u4e00-\u9fff]{0,6}(实施方案|行动纲要|行动计划|规划))"),
        "title": "中国制造2025",
        "doc_number": "国发〔2015〕28号",
        "issuer": "国务院",
        "date": "2015-05-08",
        "level": "national",
    },
]
_OUTLINE = re.compile(r"行动纲要")
_KNOWN_HINT = re.compile("|".join(re.escape(k["title"]) for k in KNOWN_DOCUMENTS))

BODY_SCAN = 5000
LEVEL_WORDS = {
    "province": re.compile(r"全省|我省|本省|省委|省政府|省级|省内|省域|强省|全省域"),
    "city": re.compile(r"全市|我市|本市|市委|市政府|市级|市内|市域|强市|全市域"),
    "county": re.compile(r"全县|我县|本县|县委|县政府|县级|全区|我区|本区|区委|区政府"),
}
# A body speaks for a level when that level's words occur at least this often, and this many
# times as often as any other level's (a city plan also says 省级, 省委 now and then).
SPEAKS_MIN = 3
SPEAKS_RATIO = 2


def speaks_for(levels: tuple[int, ...]) -> str | None:
    """The level a body speaks for, when its words say so clearly (``levels``: how often it uses each
    level's words, in LEVEL_WORDS order)."""
    ranked = sorted(zip(levels, LEVEL_WORDS), reverse=True)
    if len(ranked) < 2:
        return None
    (n, level), (m, _) = ranked[0], ranked[1]
    return level if n >= SPEAKS_MIN and n >= SPEAKS_RATIO * m else None


@dataclass
class Metadata:
    title: str | None
    title_source: str | None
    issuers: list[str]
    date: str | None
    date_kind: str | None
    date_range: tuple[str, str] | None
    doc_number: str | None
    citations: list[Citation]
    jurisdiction: Jurisdiction | None
    published: dict | None
    issuers_source: str | None = None  # notice | lede
    warnings: list[str] = field(default_factory=list)


def parse_date(s: str) -> date | None:
    m = DATE_CN.search(s)
    if m:
        y, mo, d = (_cn_int(x) for x in m.groups())
    else:
        m = DATE_ISO.search(s)
        if not m:
            return None
        y, mo, d = (int(x) for x in m.groups())
    if y is None or mo is None or d is None:
        return None
    try:
        return date(y, mo, d)
    except (TypeError, ValueError):
        return None


def _cn_int(s: str) -> int | None:
    if s.isdigit():
        return int(s)
    if len(s) == 4 and all(c in _CN_DIGIT for c in s):
        return int("".join(str(_CN_DIGIT[c]) for c in s))
    # 十三 / 二十一 / 三十
    total, cur = 0, 0
    for c in s:
        if c == "十":
            total += (cur or 1) * 10
            cur = 0
        elif c in _CN_DIGIT:
            cur = _CN_DIGIT[c]
        else:
            return None
    return total + cur


def extract(text: str, to_src: Callable[[int, int], tuple[int, int]], st: Structure) -> Metadata:
    lines = [ln for ln in st.lines if ln.kind == "content"]
    by_part: dict[str, list[Line]] = {}
    for ln in lines:
        by_part.setdefault(ln.part, []).append(ln)
    notice = by_part.get("notice", [])
    wrapper = by_part.get("wrapper", [])
    body_text = "".join(
        p.norm(text) for p in st.paragraphs if p.kind == "paragraph" and p.part in ("body", "attachment")
    )

    title, title_source, notice_issuer = _title(by_part, text)
    table = {id(ln) for p in st.paragraphs if p.kind == "table" for ln in p.lines}
    signature = _signature(lines, table)
    issuers, issuers_source = _issuers(notice, notice_issuer, wrapper, title, text, signature)
    published = _published(st)
    fields = _info_table(st)
    if not issuers and fields.get("发文机关"):
        issuers = [x for x in re.split(r"[、,，\s]+", fields["发文机关"]) if _ORG_SUFFIX.search(x)]
        issuers_source = "info table"

    signed = None
    for ln in signature:
        d = _signed_date(ln.norm)
        signed = d or signed
    doc_number = None
    for ln in notice + by_part.get("title", []):
        m = DOC_NUMBER.fullmatch(ln.norm.strip("()"))
        if m:
            doc_number = fold(m.group(0))
            break
    # a 政府信息公开 page's table says what the document's own lines did not
    if signed is None and fields.get("成文日期"):
        signed = parse_date(fields["成文日期"])
    if doc_number is None and (m := DOC_NUMBER.search(fields.get("发文字号") or fields.get("文号") or "")):
        doc_number = fold(m.group(0))

    citations = _citations(text, to_src, st, title)
    warnings: list[str] = []
    date_s: str | None
    kind: str | None
    if signed:
        date_s, kind, rng = signed.isoformat(), "signed", None
    elif published and published.get("date"):
        date_s, kind, rng = published["date"], "published", None
    else:
        # its own 文号 bounds the date as a cited one does
        date_s, kind, rng = _estimate_date(body_text, title, citations, warnings)
    if doc_number:
        own = _dn_key(doc_number)
        citations = [c for c in citations if not (c.title is None and _dn_key(c.doc_number) == own)]
    jurisdiction = _jurisdiction(issuers, title, body_text, wrapper)
    return Metadata(
        title,
        title_source,
        issuers,
        date_s,
        kind,
        rng,
        doc_number,
        citations,
        jurisdiction,
        published,
        issuers_source if issuers else None,
        warnings,
    )


# -- title and issuers ------------------------------------------------------------


def _title(by_part: dict[str, list[Line]], text: str) -> tuple[str | None, str | None, str | None]:
    notice_issuer = None
    notice_plan = None
    notice = by_part.get("notice", [])
    for i, ln in enumerate(notice):
        # a notice title a wrap cut in two (…关于印发浙江省培育发展战略性新兴 / 产业行动计划的通知)
        for k in (1, 2) if "关于" in ln.norm else (1,):
            lines = notice[i : i + k]
            m = NOTICE_TITLE.match("".join(x.norm for x in lines))
            if m:
                break
        if m:
            # the issuer as written: the spaces between joint issuers are kept
            raw = NOTICE_TITLE.match("".join(fold_chars_only(text[x.a : x.b]).strip() for x in lines))
            notice_issuer = (raw or m).group("issuer").strip() or None
            notice_plan = _strip_book(m.group("plan"))
            break
    if by_part.get("title"):
        return _strip_book(text[by_part["title"][0].a : by_part["title"][0].b]), "title line", notice_issuer
    if notice_plan:
        return notice_plan, "notice", notice_issuer
    for ln in by_part.get("wrapper", []):
        m = _LEDE_ISSUE.search(ln.norm)
        if m:
            b = _BOOK.search(ln.norm, m.start())
            if b:
                return b.group(1), "lede", notice_issuer
    for ln in by_part.get("wrapper", [])[:1]:
        b = _BOOK.search(ln.norm)
        if b:
            return b.group(1), "headline", notice_issuer
    return None, None, notice_issuer


def _strip_book(s: str) -> str:
    s = s.strip()
    if s.startswith("《") and s.endswith("》"):
        return s[1:-1]
    return s


_SIGN_DATE = re.compile(rf"\S{{0,4}}(?:{DATE_CN.pattern}|{DATE_ISO.pattern})\S{{0,2}}")
# a signer and the date on one line, the spaces between them kept or lost: 浙江省人民政府　　2020年5月6日
_SIGNER_DATE = re.compile(rf"(?P<org>.{{2,40}}?{_ORG_SUFFIXES})\s*(?:{DATE_CN.pattern}|{DATE_ISO.pattern})")


_NOT_ORG = re.compile(r"[:。,;]")  # what no body's name holds


def _org_line(norm: str) -> bool:
    """A line that is only the name of a body (or bodies): a signer or a red header."""
    line = norm.removesuffix("文件")
    return bool(_ORG_SUFFIX.search(line)) and len(line) <= 40 and not _NOT_ORG.search(line)


def _signed_date(norm: str) -> date | None:
    if _SIGN_DATE.fullmatch(norm) or _SIGNER_DATE.fullmatch(norm):
        return parse_date(norm)
    return None


def _signature(lines: list[Line], table: set[int]) -> list[Line]:
    """Lines where a signature stands, in text order: the notice's, and the signers and date that go on
    right after a notice or close the document in forms the notice does not take in (二○二○年五月六日,
    2020-05-06, a signer and its date on one line).  A date elsewhere in the body signs nothing."""

    def fits(ln: Line) -> bool:
        return ln.part != "notice" and id(ln) not in table and (_org_line(ln.norm) or bool(_signed_date(ln.norm)))

    # the imprint (版记: 抄送：…, the printing office and …年…月…日印发) prints, it does not sign
    imprint = {i for i, ln in enumerate(lines) if is_imprint(ln.norm)}
    imprint |= {i - 1 for i in imprint if i and lines[i].norm.endswith("印发") and _org_line(lines[i - 1].norm)}
    notice = [i for i, ln in enumerate(lines) if ln.part == "notice"]
    out = [lines[i] for i in notice if i not in imprint]
    runs = []
    for j in notice:
        if j + 1 < len(lines) and lines[j + 1].part != "notice":  # where the notice's lines end
            run = []
            for ln in lines[j + 1 : j + 5]:
                if not fits(ln):
                    break
                run.append(ln)
            runs.append(run)
    k = len(lines)
    while k > 0 and len(lines) - k < 4 and fits(lines[k - 1]):
        k -= 1
    closing = lines[k:]
    # a page's closing date alone is no signature: a signer goes with it
    if any(_org_line(ln.norm) or _SIGNER_DATE.fullmatch(ln.norm) for ln in closing):
        runs.append(closing)
    for run in runs:
        if any(_signed_date(ln.norm) for ln in run):
            out += [ln for ln in run if ln not in out]
    return sorted(out, key=lambda ln: ln.a)


def _glued(name: str, names: list[str]) -> bool:
    """``name`` is two or more of ``names`` written one after the other."""

    def rest(s: str, depth: int) -> bool:
        if not s:
            return depth > 1
        return any(s.startswith(x) and rest(s[len(x) :], depth + 1) for x in names if x)

    return rest(name, 0)


# a 文号's parts: 浙政办发〔2017〕100号 (any brackets, widths and spaces)
DN_PARTS = re.compile(
    r"^(?P<prefix>[\u4e00-\u9fff]{1,12})[〔\[［【(（]\s*(?P<year>\d{4})\s*[〕\]］】)）]\s*(?P<no>\d{1,4})\s*号$"
)


def doc_number_key(dn: str | None) -> str | None:
    """A 文号 as one string whatever its brackets and widths: 浙政办发〔2017〕100号."""
    if not dn:
        return None
    m = DN_PARTS.match(fold(dn).replace(" ", ""))
    if not m:
        return fold(dn)
    return f"{m.group('prefix')}〔{m.group('year')}〕{int(m.group('no'))}号"


def _dn_key(dn: str | None) -> str | None:
    """A 文号 whatever its brackets and a 第 before its number: 浙政发[2020]第12号 is 浙政发〔2020〕12号."""
    return doc_number_key(dn.replace("第", "")) if dn else None


def _names(raw: str, norm: str) -> list[str]:
    """The bodies a signer line or a notice's issuer names: the line's own spaces and 、 part joint issuers
    (中共浙江省委办公厅　浙江省人民政府办公厅), when each part is a body's name (a letter-spaced 浙 江 省
    人 民 政 府 stays one)."""
    parts = [x for x in _JOINT.split(fold_chars_only(raw)) if x]
    if len(parts) > 1 and all(_ORG_NAME.fullmatch(x) for x in parts):
        return parts
    return [x for x in _JOINT_NORM.split(norm) if x]


_JOINT = re.compile(r"[、\s]+")  # between joint issuers as written
_JOINT_NORM = re.compile(r"[、 ]+")  # and as normalized


def _issuers(
    notice: list[Line],
    notice_issuer: str | None,
    wrapper: list[Line],
    title: str | None = None,
    text: str = "",
    signature: list[Line] | None = None,
) -> tuple[list[str], str]:
    """Issuing bodies, and where they were read: the notice (and the signature), else a news lede."""
    found: list[str] = []

    def add(name: str, place: str | None = None) -> None:
        name = _expand_org(name.strip(" 、,"), place)
        if name and name not in found and len(name) >= 3:
            found.append(name)

    for ln in signature if signature is not None else notice:
        raw = fold_chars_only(text[ln.a : ln.b]).strip() if text else ln.norm
        m = _SIGNER_DATE.fullmatch(ln.norm)
        if m:
            mr = _SIGNER_DATE.fullmatch(raw)
            line, raw = m.group("org"), (mr or m).group("org")
        elif _org_line(ln.norm) and not NOTICE_TITLE.match(ln.norm):
            line, raw = ln.norm.removesuffix("文件"), raw.removesuffix("文件")
        else:
            continue
        for part in _names(raw, line):
            add(part)
    if notice_issuer:
        for part in _names(notice_issuer, fold(notice_issuer)):
            # 国家发展改革委 工业和信息化部关于…, signed on two lines: the two, not one glued name
            if not _glued(_expand_org(part, None), found):
                add(part)
    if found:
        return found, "notice"
    if not found:
        for m in _lede_issues(wrapper, title):
            names = [x for x in re.split(r"[、和及与]", m.group(1)) if x]
            place = None
            for x in names:
                hit = gazetteer.find(x)
                if hit:
                    place = hit[0][2].name
                add(x, place)
            if found:  # a headline's "历下区发布《…》" names no body: the lede's next line may
                break
    return found, "lede"


def _lede_issues(wrapper: list[Line], title: str | None) -> Iterator[re.Match[str]]:
    """The lede's "X印发/发布《…》" phrases about this document: the first, as ever, then only those whose
    《…》 is its title (a lede also tells of other documents: 此前,国务院印发《中国制造2025》)."""
    first = True
    norms = [ln.norm for ln in wrapper]
    for i, norm in enumerate(norms):
        m = _LEDE_ISSUE.search(norm)
        if m is None:
            continue
        # the 《…》 may go on over the next lines of a hard-wrapped lede
        b = _BOOK.search(norm + "".join(norms[i + 1 : i + 4]), m.start())
        if first or (title and b and _bare(b.group(1)) == _bare(title)):
            yield m
        first = False


def _bare(s: str) -> str:
    return re.sub(r"[\W_]", "", fold(s))


_PARTY_COMMITTEE = re.compile(r"(.+?[省市县区])(委)")
_GOVERNMENT = re.compile(r"(.+?[省市县区])政府")


def _expand_org(name: str, place: str | None) -> str:
    """Full forms of abbreviated issuers: 山东省委 -> 中共山东省委, 省政府 -> 山东省人民政府."""
    if not _ORG_SUFFIX.search(name):
        return ""
    if name[0] in "省市县区" and place:
        name = place + name[1:]
    m = _PARTY_COMMITTEE.fullmatch(name)
    if m and not name.startswith("中共"):
        return "中共" + name
    m = _GOVERNMENT.fullmatch(name)
    if m:
        return m.group(1) + "人民政府"
    return name


_FIELD = re.compile(r"^(成文日期|发文字号|文号|发文机关)[:]?(.*)$")


def _info_table(st: Structure) -> dict[str, str]:
    """The fields of a 政府信息公开 info table the page had (removed as chrome): 成文日期, 发文字号, 发文机关;
    a label alone takes the piece after it as its value (a label cell, then a value cell)."""
    pieces = [re.sub(r"\s", "", fold(r.text)) for r in st.removed if r.kind in ("info table", "publication")]
    out: dict[str, str] = {}
    for i, piece in enumerate(pieces):
        m = _FIELD.match(piece)
        if m and m.group(1) not in out:
            value = m.group(2) or (pieces[i + 1] if i + 1 < len(pieces) and not _FIELD.match(pieces[i + 1]) else "")
            out[m.group(1)] = value
    return out


def _published(st: Structure) -> dict | None:
    for r in st.removed:
        if r.kind not in ("publication", "counter"):
            continue
        norm = fold(r.text)
        d = parse_date(norm)
        if d is None:
            continue
        src = re.search(r"来源[:]\s*([^\s:]{2,30}?)(?:$|作者|编辑|发布|时间|日期|浏览|点击)", norm)
        return {"date": d.isoformat(), "source": src.group(1) if src else None, "span": list(r.span)}
    return None


# -- citations ----------------------------------------------------------------------


def _citations(
    text: str, to_src: Callable[[int, int], tuple[int, int]], st: Structure, own_title: str | None
) -> list[Citation]:
    own = fold(own_title) if own_title else None
    cites: list[Citation] = []
    seen: set[tuple[str | None, str | None]] = set()
    covered: list[tuple[int, int]] = []

    def add(c: Citation) -> None:
        key = (c.title, c.doc_number)
        if key in seen:
            return
        seen.add(key)
        cites.append(c)

    for p in st.paragraphs:
        if p.kind != "paragraph" or p.part not in ("notice", "body", "attachment"):
            continue
        norm = p.norm(text)
        if "《" not in norm and "号" not in norm and not _KNOWN_HINT.search(norm):
            continue
        base = p.a
        utext = text[base : p.b]
        for m in _BOOK.finditer(utext):
            title = fold(m.group(1))
            if own and (title == own or (title in own and len(title) >= len(own) - 2)):
                continue
            if len(title) < 4:
                continue
            end = m.end()
            num = None
            after = _AFTER_TITLE_NUMBER.match(utext[end : end + 40])
            if after:
                num = fold(after.group(1))
                end += after.end()
            issuer, plan = None, None
            nm = NOTICE_TITLE.match(title)
            if nm:
                issuer = nm.group("issuer") or None
                plan = _strip_book(nm.group("plan"))
            add(Citation(title, num, to_src(base + m.start(), base + end), issuer, plan, "title"))
            covered.append((base + m.start(), base + end))
        for m in DOC_NUMBER.finditer(utext):
            a = base + m.start()
            if any(x <= a < y for x, y in covered):
                continue
            add(Citation(None, fold(m.group(0)), to_src(a, base + m.end()), None, None, "doc_number"))
        if not _KNOWN_HINT.search(norm):
            continue
        norm, nmap = normalize(utext, offset=base)
        for known in KNOWN_DOCUMENTS:
            m = known["pattern"].search(norm)
            if not m:
                continue
            add(
                Citation(
                    known["title"],
                    known["doc_number"],
                    to_src(*nmap.span(m.start(), m.end())),
                    known["issuer"],
                    None,
                    "known",
                )
            )
            # "落实“中国制造2025”…及浙江行动纲要": the province's own outline of it.
            for om in _OUTLINE.finditer(norm, m.end()):
                for k in (3, 2):
                    place = norm[om.start() - k : om.start()]
                    if om.start() - k >= m.end() and any(d.level == "province" for d in gazetteer.lookup(place)):
                        add(
                            Citation(
                                f"{known['title']}{place}行动纲要",
                                None,
                                to_src(*nmap.span(om.start() - k, om.end())),
                                None,
                                None,
                                "known",
                            )
                        )
                        break
    cites.sort(key=lambda c: c.span)
    return cites


# -- dates --------------------------------------------------------------------------


def _estimate_date(
    body: str, title: str | None, citations: list[Citation], warnings: list[str] | None = None
) -> tuple[str | None, str | None, tuple[str, str] | None]:
    """Bounds on when an undated text was written, and a year within them.

    Lower bound: the latest of the years in cited 文号, events the text refers
    to, and the title's period or edition; upper bound: the title's period or
    edition (a plan for 2022—2025 is issued by the end of 2023, a 2021年版 in
    2021), else the year before its nearest target year ('到2020年') — plans are
    written before their first milestone.  The estimate is a year after the
    lower bound, inside the bounds.  A cited 文号 or event later than the
    title's bound contradicts it: said in ``warnings``, and the citation wins
    (a text cannot cite what did not exist yet).
    """
    lows: list[tuple[date, str]] = []
    for c in citations:
        if c.doc_number:
            m = re.search(r"[〔\[(](\d{4})[〕\])]", c.doc_number)
            if m:
                lows.append((date(int(m.group(1)), 1, 1), f"cites {c.doc_number}"))
    for word, d in EVENTS:
        if word in body:
            lows.append((d, f"refers to {word}"))
    bound = title_bounds(title)
    if bound:
        lows.append((bound[0], "title"))
    if not lows:
        return None, None, None
    low, why = max(lows)
    targets = [int(y) for y in _TARGET_YEAR.findall(body)]
    high = date(min(targets) - 1, 12, 31) if targets else None
    if bound and (high is None or bound[1] < high):
        if bound[1] >= low:
            high = bound[1]
        elif warnings is not None:
            warnings.append(
                f"date estimate: the title says {bound[2]}, but the text {why} "
                f"({low.year}): the title's bound is not used"
            )
    if high is None:
        high = low + timedelta(days=365 * 3)
    if high < low:
        high = (
            date(max(targets), 12, 31)
            if targets and date(max(targets), 12, 31) >= low
            else low + timedelta(days=365 * 3)
        )
    guess = min(low + timedelta(days=365), high)
    return str(guess.year), "estimated", (low.isoformat(), high.isoformat())


def title_bounds(title: str | None) -> tuple[date, date, str] | None:
    """(earliest, latest, what) a title's period or edition allows for its document's date.

    ``(2022—2025年)``: issued between the start of the year before the period
    and the end of its first two years; ``2021年版``: in 2020 or 2021 (an
    edition may come out the year before its label); ``2018年修订``: in 2018.
    """
    if not title:
        return None
    t = fold(title)
    m = _TITLE_RANGE.search(t)
    if m:
        a, b = int(m.group(1)), int(m.group(2))
        if 1949 < a <= b:
            return date(a - 1, 1, 1), date(min(b, a + 1), 12, 31), f"{a}—{b}"
    m = _TITLE_EDITION.search(t)
    if m and int(m.group(1)) > 1949:
        y = int(m.group(1))
        if m.group(2) == "版":
            return date(y - 1, 1, 1), date(y, 12, 31), f"{y}年版"
        return date(y, 1, 1), date(y, 12, 31), f"{y}年{m.group(2)}"
    return None


# -- jurisdiction ---------------------------------------------------------------------


def _division_jurisdiction(div: gazetteer.Division, source: str) -> Jurisdiction:
    return Jurisdiction(div.name, div.level, div.province, div.code, source)


def _place_of_org(name: str) -> gazetteer.Division | None:
    """The division an issuing body belongs to: its name starts with it (攸县人民政府办公室), or with a
    division and then one inside it (杭州市余杭区人民政府, 上海市浦东新区人民政府: the inner one; the
    outer one says which of the divisions so named: 北京市朝阳区 is not 长春's, 绍兴滨海新区 not 天津's).

    A prefix lookup is safe here, where finding a two-character county name
    in running text is not.
    """
    name = name.removeprefix("中共")
    found = _prefix_division(name, 0, None)
    if found is None:
        hits = gazetteer.find(name)
        return _most_specific(hits) if hits else None
    div, k = found
    while (inner := _prefix_division(name, k, div)) is not None:
        div, k = inner
    return div


def _prefix_division(name: str, i: int, outer: gazetteer.Division | None) -> tuple[gazetteer.Division, int] | None:
    """The division whose name ``name`` goes on with at ``i`` (the longest), and where the name ends; with
    ``outer``, only a division inside it, by its full name (湖北省公安厅 is not 公安县's)."""
    for k in range(min(len(name), i + 12), i + 1, -1):
        divs = gazetteer.lookup(name[i:k])
        if outer is not None:
            divs = [d for d in divs if d.name == name[i:k] and gazetteer.within(d, outer)]
        if divs:
            return sorted(divs, key=lambda d: gazetteer.SPECIFIC.get(d.level, 3))[0], k
    return None


def jurisdiction_of(issuers: list[str], title: str | None) -> Jurisdiction | None:
    """The jurisdiction issuers or a title name (for values given beside the text: no body to read)."""
    return _jurisdiction(issuers, title, "")


def _lede_place(wrapper: list[Line], title: str | None) -> Jurisdiction | None:
    """The place a news lede reports the document from (记者从翠屏区获悉,《…》已正式印发实施), else the place
    that issued it (翠屏印发《…》, about this document), if it names one: the place at the head of the
    phrase (浙江省经信厅在新昌县发布: 浙江省), not a meeting's venue nor a place whose example it follows."""
    phrases = [m.group(1) for ln in wrapper for m in _LEDE_FROM.finditer(ln.norm)]
    phrases += [m.group(1) for m in _lede_issues(wrapper, title)]
    for phrase in phrases:
        if _NOT_FROM.search(phrase):
            continue
        if _NATIONAL_ISSUER.match(phrase):
            return Jurisdiction("全国", "national", None, None, "lede")
        hits = sorted(gazetteer.find(phrase), key=lambda h: (h[0], -h[1]))
        if hits:
            _, b, div = hits[0]
            for x, y, d in hits[1:]:  # 绍兴市越城区: the place the name goes on to
                if x == b:
                    b, div = y, d
            return _division_jurisdiction(div, "lede")
    return None


def _jurisdiction(
    issuers: list[str], title: str | None, body: str, wrapper: list[Line] | None = None
) -> Jurisdiction | None:
    for name in issuers:
        if _NATIONAL_ISSUER.match(name.removeprefix("中共")):
            return Jurisdiction("全国", "national", None, None, "issuers")
        div = _place_of_org(name)
        if div:
            return _division_jurisdiction(div, "issuers")
    if title:
        hits = gazetteer.find(fold(title))
        if hits:
            return _division_jurisdiction(_most_specific(hits), "title")
    counts = {lvl: len(p.findall(body)) for lvl, p in LEVEL_WORDS.items()}
    lede = _lede_place(wrapper, title) if wrapper else None
    # a body speaking for a higher level than the lede's place (全省 throughout, 记者从杭州市获悉): a city
    # reporting its province's document
    speaks = speaks_for(tuple(counts.values()))
    if lede and not (speaks and LEVEL_RANK[speaks] < LEVEL_RANK[lede.level]):
        return lede
    if not body:
        return None
    # A plan names its own place early; the opening is enough and keeps this cheap.  A news agency's
    # dateline names where its reporter files from, not the document's place.
    body = _DATELINE.sub("", body[:BODY_SCAN])
    top = max(counts, key=lambda k: (counts[k], k == "city"))
    level = top if counts[top] else None
    mentions: dict[str, list] = {}
    for _, _, div in gazetteer.find(body):
        mentions.setdefault(div.code, []).append(div)
    if not mentions:
        return None
    ranked = sorted(mentions.values(), key=lambda ds: (-len(ds), ds[0].code))
    if level:
        for ds in ranked:
            if ds[0].level == level:
                return _division_jurisdiction(ds[0], "body")
        if level == "province":
            prov = gazetteer.province_of(ranked[0][0])
            return _division_jurisdiction(prov, "body")
    return _division_jurisdiction(ranked[0][0], "body")


def _most_specific(hits: list[tuple[int, int, gazetteer.Division]]) -> gazetteer.Division:
    """The most specific division named that lies inside every wider one named (绍兴滨海新区…: 绍兴,
    not 天津's 滨海新区), else the most specific."""
    order = gazetteer.SPECIFIC
    divs = sorted((h[2] for h in hits), key=lambda d: order.get(d.level, 3))
    for d in divs:
        wider = (x for x in divs if order.get(x.level, 3) > order.get(d.level, 3))
        if all(gazetteer.within(d, x) for x in wider):
            return d
    return divs[0]
