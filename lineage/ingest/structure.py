"""Document structure: lines -> parts -> paragraphs -> sentences -> clauses.

Works on the document's text (the file itself for .txt, the extracted text
for HTML) and produces units whose spans point into the decoded original.
The order of decisions matters and mirrors how a reader sees a scraped page:
first what is page furniture (chrome), then where the news wrapper and the
issuing notice end, then the plan's own paragraphs, outline and sentences.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import accumulate, islice, pairwise

from lineage.ingest import chrome
from lineage.ingest.normalize import expands, fold, fold_chars_only, fold_spaces, fold_table
from lineage.ingest.offsets import OffsetMap
from lineage.ingest.quick import searcher
from lineage.model import OutlineEntry, Removed, Unit

_LINE_BREAK = re.compile(r"\r\n|[\n\r\u2028\u2029\x0b\x0c\x85]")
_BREAK_CHARS = "\r\n\u2028\u2029\x0b\x0c\x85"
_SPLITLINES_EXTRA = re.compile("[\x1c\x1d\x1e]")
# What a line's indentation may hold: whitespace (as re's \s has it) and BOMs.
_LEAD_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\u3000\ufeff"
_TRAIL_CHARS = " \t\u3000\u00a0\ufeff\u200b"
# What fold_spaces drops (normalize's whitespace class): a line without any inside is its own
# normalized text, stripped.
_WS_CHARS = "".join(chr(c) for c in range(0x3001) if chr(c).isspace()) + "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_HAS_WS = re.compile("[" + re.escape(_WS_CHARS) + "]").search

CN_NUM = "一二三四五六七八九十百零〇两"
# Outline marker styles in conventional order of depth.
MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"^第[{CN_NUM}\d]+(编|部分)")),
    ("chapter", re.compile(rf"^第[{CN_NUM}\d]+章")),
    ("section", re.compile(rf"^第[{CN_NUM}\d]+节")),
    ("article", re.compile(rf"^第[{CN_NUM}\d]+条")),
    ("cn", re.compile(rf"^[{CN_NUM}]+[、.](?!\d)")),
    ("cn_paren", re.compile(rf"^\([{CN_NUM}]+\)")),
    ("arabic", re.compile(r"^\d{1,2}[.、](?!\d)")),
    ("arabic_paren", re.compile(r"^\(\d{1,2}\)")),
    ("circled", re.compile(r"^[\u2460-\u2473\u2776-\u2793]")),
]
STYLE_RANK = {name: i for i, (name, _) in enumerate(MARKERS)}
# All styles in one pattern (one match per paragraph instead of nine).
_ANY_MARKER = re.compile("|".join(f"(?P<{name}>{pat.pattern[1:]})" for name, pat in MARKERS))

TERMINAL = set("。!?;")
_HAS_TERMINAL = re.compile("[" + "".join(sorted(TERMINAL)) + "]")  # a sentence's end: furniture never holds one
_TITLE_STOP = re.compile("[。;!?:,]")  # what a title line never holds
_BRACKETS = re.compile(r"[(《【〔\[)》】〕\]]")
_MARKER_TITLE_END = re.compile(r"[。:;!?]")  # where a heading's title after its marker ends

# (not 通知如下: 现将有关事项通知如下 opens a notice's own text; a news lede may end its 全文如下 with 。)
_WRAPPER_END = re.compile(
    r"(文件|计划|方案|意见|全文|原文|正文|内容|具体内容|文件全文)(如下|见下)[:]?$|全文如下[:。]?$"
    r"|^(以下为|以下是|下面是)(文件)?全文[:。]?$|全文来了[!↓]*$"
)
_ends_wrapper = searcher(_WRAPPER_END)  # (what the search says, sooner: see lineage.ingest.quick)
_NEWS_LEDE = re.compile(r"^(日前|近日|近期|据悉|本报讯|新华社|记者|\S{0,12}讯[)]?|\S{0,12}[(（]记者)")
# what a notice does to the document it carries (关于印发《…》的通知); metadata's NOTICE_TITLE reads them too
ISSUING = "印发|转发|下发|颁发|公布"
_NOTICE_TITLE = re.compile(
    rf"关于({ISSUING})?.{{2,120}}的(通知|决定|意见|批复|函)$|关于(公开)?征求.{{2,120}}意见(和建议)?的(公告|通知|函)$"
)
_NOTICE_LINE = re.compile(
    r"现(将|予)?印发给你们|(印发|转发)给你们|现予印发|现将.{0,60}(印发|转发|公布)|征求意见(截止|时间|期限)|"
    r"请(认真)?(结合实际[,]?)?(认真)?(贯彻|遵照|抓好|组织)|请遵照执行|已经.{0,20}同意|"
    r"^[(]此件(公开发布|不公开|主动公开)[)]$|^[(]此件.{0,10}[)]$"
)
_notice_line = searcher(_NOTICE_LINE)
_ADDRESSEE = re.compile(r"^各.{1,80}[:]$|^.{0,60}(各单位|直属各单位|各部门)[:]$")
# a year's zero may be typed ○ (U+25CB), ◯ or a capital O: 二○二○年
_YEAR_DIGITS = CN_NUM + "○◯OΟО"
_DATE = rf"(\d{{4}}|[{_YEAR_DIGITS}]{{4}})年[\d{CN_NUM}]{{1,3}}月[\d{CN_NUM}]{{1,3}}日"
_DATE_LINE = re.compile(rf"^{_DATE}$")
_ISO_DATE = r"\d{4}[-./]\d{1,2}[-./]\d{1,2}"
_ISO_DATE_LINE = re.compile(rf"^{_ISO_DATE}$")  # a signature's date only beside a signer
_DOCNUM_LINE = re.compile(r"^[(]?[\u4e00-\u9fff]{1,12}[〔\[(【]\d{4}[〕\])】]第?\d{1,4}号[)]?$")
_OFFICE = re.compile("办公厅|办公室|委员会|党组")  # what turns a body's name into one of its offices
# a document that is itself a notice, decision or reply: its title does not issue another document
_ISSUES = re.compile(rf"关于({ISSUING}|(公开)?征求)")
_DATED_LINE = re.compile(rf"^[(]?{_DATE}[)]?$")
# Issuing bodies, alone on a line (also the red-header form "XX人民政府文件").
_ORG = r"(中共)?[\u4e00-\u9fff、 ]{2,60}(办公厅|办公室|人民政府|委员会|党委|省委|市委|县委|区委|政府|局|厅|委|院|部|署|会|中心|银行)"
_ORG_LINE = re.compile(rf"^{_ORG}(文件)?$")
_DASHES = "-—–"
HEADER_MAX = 72  # a running header (an issuer's name, 文件, a 文号, a page number) is no longer than this
_PAGE_NUMBER = re.compile(r"^[-—–]\s*\d{1,3}\s*[-—–]\s*|\s*[-—–]\s*\d{1,3}\s*[-—–]$")
# the imprint (版记) closing an official document: 抄送：…, and 浙江省人民政府办公厅 2020年3月16日印发
_IMPRINT = re.compile(rf"^(抄送|主送|抄报):.{{2,200}}$|^(?:{_ORG})?\s*{_DATE}印发$")
_IMPRINT_LABELS = ("抄送:", "主送:", "抄报:")
_SIGNER_DATE_LINE = re.compile(rf"^{_ORG}\s*({_DATE}|{_ISO_DATE})$")  # 浙江省人民政府　2020年5月6日
_TITLE_LINE = re.compile(
    r"(计划|方案|意见|办法|规划|纲要|规定|细则|条例|决定|通知|要点|措施|政策|指南|意见稿|征求意见稿|目录|清单|标准|通告|公告)"
    r"([(][^()]{1,20}[)]){0,2}$"
)
_ATTACHMENT = re.compile(r"^附件\d*[:.、]?")
_YEAR = re.compile(r"(19|20)\d\d年")
_NUMERIC_CELL = re.compile(r"^[\d.%‰≥≤<>~～\-—+()（）年月日以上下左右约个家件项元亿万千人次/]+$")
_CELL_STOP = re.compile("[。;!?,]")
_HEADING_STOP = re.compile(
    "[。;!?,:]"
)  # a line with these is a sentence, not an untitled heading  # sentence punctuation: a line of text, not a table cell
_CAPTION = re.compile(r"(表|指标|指标体系|一览表|情况|清单|目录)([(][^()]{1,20}[)])?$")


@dataclass(slots=True)
class Line:
    a: int  # start in text (first non-space char)
    b: int  # end in text (after last non-space char)
    raw_len: int  # length including indentation, for wrap detection
    indent: bool
    norm: str
    kind: str = "content"  # content | blank | chrome | trailer (inside a trailer cut off its paragraph)
    chrome: str | None = None
    part: str = "body"
    wrapped: bool = False  # chrome continued from the line before by a hard wrap: one removed piece


@dataclass(slots=True)
class Paragraph:
    lines: list[Line]
    part: str
    kind: str = "paragraph"  # paragraph | table
    _norm: str | None = field(default=None, repr=False, compare=False)  # norm(), once made

    @property
    def a(self) -> int:
        return self.lines[0].a

    @property
    def b(self) -> int:
        return self.lines[-1].b

    def norm(self, text: str) -> str:
        """Normalized text, as its block unit has it (``text``: the document text it was cut from;
        made once: metadata, blocks and dedup all read it)."""
        if self._norm is None:
            # Line breaks inside a paragraph fold to nothing, so its normalized
            # text is its lines' normalized texts end to end.
            self._norm = (
                table_norm(text[self.a : self.b]) if self.kind == "table" else "".join(ln.norm for ln in self.lines)
            )
        return self._norm


@dataclass
class Structure:
    blocks: list[Unit]  # headings, paragraphs, tables (sentences and clauses: see expand)
    outline: list[OutlineEntry]
    removed: list[Removed]
    parts: list[dict]
    lines: list[Line] = field(repr=False, default_factory=list)
    wrap_width: int | None = None
    furniture: set[int] = field(repr=False, default_factory=set)  # lines that may be learned as site furniture
    paragraphs: list[Paragraph] = field(repr=False, default_factory=list)  # what the blocks are made of


def split_lines(text: str) -> list[Line]:
    # Fold the characters of the whole text in one pass; when no character
    # expands (the usual case), each line's folded text is a slice of it.
    folded = fold_chars_only(text)
    pre = folded if len(folded) == len(text) else None
    # Folding keeps every line break where it was (no character folds into one or from one), so the
    # folded text's lines are the text's: both split by str.splitlines, where line_bounds splits too
    # when no \x1c-\x1e is there.
    chunks = text.splitlines(True) if pre is not None and _SPLITLINES_EXTRA.search(text) is None else []
    folded_chunks = folded.splitlines(True) if chunks else []
    if not chunks or len(folded_chunks) != len(chunks):
        return [_make_line(text, a, b, pre) for a, b in line_bounds(text)]
    # What _make_line does, inlined: this loop runs once per line of every document.
    lines: list[Line] = []
    append = lines.append
    pos = 0
    for chunk, fchunk in zip(chunks, folded_chunks):
        raw = chunk.rstrip(_BREAK_CHARS)
        a = pos
        pos += len(chunk)
        f = fchunk[: len(raw)]
        norm = f.strip(_WS_CHARS)
        if not norm:
            append(Line(a, a, 0, False, "", kind="blank"))
            continue
        if _HAS_WS(norm) is not None:
            norm = fold_spaces(f)
        lead = len(raw) - len(raw.lstrip(_LEAD_CHARS))
        kept = len(raw.rstrip(_TRAIL_CHARS))
        append(Line(a + lead, a + kept, kept, lead > 0, norm))
    if text[-1] in _BREAK_CHARS:  # a final break ends an empty line
        append(Line(pos, pos, 0, False, "", kind="blank"))
    return lines


def line_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` without its line break; a final break ends an empty line."""
    if _SPLITLINES_EXTRA.search(text) is not None:
        return line_bounds_regex(text)
    # str.splitlines breaks where _LINE_BREAK does, and also at \x1c-\x1e: without those it
    # is the same split, several times faster than a regex scan.
    out = []
    pos = 0
    for chunk in text.splitlines(True):
        out.append((pos, pos + len(chunk.rstrip(_BREAK_CHARS))))
        pos += len(chunk)
    if not text or text[-1] in _BREAK_CHARS:
        out.append((pos, pos))
    return out


def line_bounds_regex(text: str) -> list[tuple[int, int]]:
    """What :func:`line_bounds` returns, by the defining pattern (_LINE_BREAK)."""
    out = []
    pos = 0
    for m in _LINE_BREAK.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _make_line(text: str, a: int, b: int, folded: str | None = None) -> Line:
    raw = text[a:b]
    norm = fold_spaces(folded[a:b]) if folded is not None else fold(raw)
    if not norm:
        return Line(a, a, 0, False, "", kind="blank")
    rest = raw.lstrip(_LEAD_CHARS)
    stripped = raw.rstrip(_TRAIL_CHARS)
    return Line(a + len(raw) - len(rest), a + len(stripped), len(stripped), len(rest) < len(raw), norm)


def marker_of(norm: str) -> tuple[str, str] | None:
    """(style, marker text) of an outline marker opening ``norm``."""
    m = _ANY_MARKER.match(norm)
    if m is None or m.lastgroup is None:
        return None
    return m.lastgroup, m.group(0)


def analyze(
    text: str,
    tmap: OffsetMap | None = None,
    html_chrome: list[tuple[int, int, str]] | None = None,
    recurring: set[str] | frozenset[str] = frozenset(),
    blocks: bool = True,
) -> Structure:
    """Split a document's text into parts and units.

    ``tmap`` maps ``text`` to the decoded original (HTML extraction); None
    means ``text`` is the original.  ``html_chrome`` are text ranges of
    navigation/footer containers; ``recurring`` are keys (chrome.line_key) of
    lines known to recur across the corpus.  Without ``blocks`` the analysis
    stops at paragraphs (what metadata and dedup read): no units, outline or
    part spans.
    """
    lines = split_lines(text)
    removed: list[Removed] = []

    def to_src(a: int, b: int) -> tuple[int, int]:
        return tmap.span(a, b) if tmap is not None else (a, b)

    # Full lines of a hard-wrapped text are text, however often they recur.
    prelim = _wrap_width([ln for ln in lines if ln.kind == "content"])
    eligible = furniture_lines(lines, prelim)
    _mark_chrome(lines, html_chrome or [], recurring, eligible)
    chrome.mark_context(lines)
    # Chrome rules apply to each line, then to the lines a hard wrap cut apart, joined again.
    groups = _wrap_groups(lines, prelim)
    trailer = _strip_trailer(lines, text, groups)
    _mark_wrapped_chrome(lines, groups)
    _mark_page_heading(lines)
    content = [ln for ln in lines if ln.kind == "content"]
    _assign_parts(content, prelim)
    _mark_running_names(lines)
    last_a = 0  # start of the last removed line: a wrapped rest extends it
    for ln in lines:
        if ln.kind == "chrome":
            if ln.wrapped and removed:  # the rest of a wrapped line: one piece, its span across the break
                removed[-1] = Removed(removed[-1].kind, text[last_a : ln.b], to_src(last_a, ln.b))
                continue
            last_a = ln.a
            removed.append(Removed(ln.chrome or "chrome", text[ln.a : ln.b], to_src(ln.a, ln.b)))
    if trailer:
        kind, a, b = trailer
        removed.append(Removed(kind, text[a:b], to_src(a, b)))
    removed.sort(key=lambda r: r.span)

    width = _wrap_width(content)
    paragraphs = _tables(_paragraphs(lines, width))
    units, outline = _blocks(paragraphs, text, to_src) if blocks else ([], [])
    return Structure(
        units,
        outline,
        removed,
        _part_spans(units),
        lines=lines,
        wrap_width=width,
        furniture=eligible,
        paragraphs=paragraphs,
    )


# -- chrome -------------------------------------------------------------------


def furniture_lines(lines: list[Line], width: int | None) -> set[int]:
    """Indices of lines that may be site furniture if they recur across documents.

    Not table cells, not wrapped text (a full-width line of a hard-wrapped
    text, or the line that continues one), and only label-like lines
    (see furniture_candidate).
    """
    full = (width or 10**6) - 2
    # Furniture sits around a document, never between its paragraphs: only
    # lines above the first line of real text and below the last one count.
    first = next((i for i, ln in enumerate(lines) if len(ln.norm) > 40 or "。" in ln.norm), len(lines))
    last = next(
        (i for i in range(len(lines) - 1, first - 1, -1) if len(lines[i].norm) > 40 or "。" in lines[i].norm), -1
    )
    out: set[int] = set()
    for lo, hi in ((0, first), (last + 1, len(lines))):
        region = lines[lo:hi]
        cells = {lo + i for i in cell_lines([ln.norm for ln in region])}
        prev_full = lo > 0 and lines[lo - 1].raw_len >= full
        for i in range(lo, hi):
            ln = lines[i]
            if ln.kind == "blank":
                prev_full = False
                continue
            if i not in cells and ln.raw_len < full and not prev_full and furniture_candidate(ln.norm):
                out.add(i)
            prev_full = ln.raw_len >= full
    return out


def _mark_chrome(
    lines: list[Line], html_chrome: list[tuple[int, int, str]], recurring: set[str] | frozenset[str], eligible: set[int]
) -> None:
    ranges = sorted(html_chrome)
    k = 0
    crumbs: set[str] = set()
    classify, longest = chrome.classify, chrome.MAX_CHROME_LEN
    for idx, ln in enumerate(lines):
        if ln.kind != "content":
            continue
        if ranges:
            while k < len(ranges) and ranges[k][1] <= ln.a:
                k += 1
            if k < len(ranges) and ranges[k][0] <= ln.a and ln.b <= ranges[k][1]:
                ln.kind, ln.chrome = "chrome", ranges[k][2]
                continue
        kind = classify(ln.norm) if len(ln.norm) <= longest else None  # (a paragraph)
        if kind is None and idx in eligible and chrome.line_key(ln.norm) in recurring:
            kind = "recurring"
        if kind is None and ln.norm in crumbs:
            kind = "navigation"  # the page heading repeating the breadcrumb's last step
        if kind:
            ln.kind, ln.chrome = "chrome", kind
            if kind == "breadcrumb":
                crumbs.update(s for s in re.split(r">+|»|→|/|\\", ln.norm.split(":")[-1]) if s and s != "首页")


def _mark_page_heading(lines: list[Line]) -> None:
    """A CMS prints the article's title above its publication line (an ``<h1>``), then the
    document starts with the same line: the first copy is page furniture.  The document may
    print its issuer or 文号 first (绍政办发〔2018〕15号, then 关于印发…的通知), and the
    publication line may be missing."""
    content = list(islice((i for i, ln in enumerate(lines) if ln.kind == "content"), 14))
    for a, x in enumerate(content[:-1]):
        gap = any(lines[k].kind == "chrome" for k in range(x + 1, content[a + 1]))
        # The heading may join what the document prints on two or three lines
        # (issuer, then 关于印发…的通知).
        for k in (1, 2, 3):
            if gap and lines[x].norm == "".join(lines[i].norm for i in content[a + 1 : a + 1 + k]):
                lines[x].kind, lines[x].chrome = "chrome", "page title"
                return
        # the same title line again a few lines on, past issuer and 文号 lines only
        norm = lines[x].norm
        if not (is_title(norm) or _is_notice_title(norm)):
            continue
        for b in content[a + 1 : a + 5]:
            if lines[b].norm == norm:
                lines[x].kind, lines[x].chrome = "chrome", "page title"
                return
            if not (_ORG_LINE.match(lines[b].norm) or _DOCNUM_LINE.match(lines[b].norm)):
                break


def _wrap_groups(lines: list[Line], width: int | None) -> list[list[int]]:
    """Runs of lines (text or chrome) that a hard wrap at ``width`` cut out of one line, by the
    rule that re-joins paragraphs, but for a line longer than the width: a scraper that wraps
    only paragraphs leaves chrome lines of any length, which a wrap did not cut.  Single lines
    when the text is not hard-wrapped."""
    live = [i for i, ln in enumerate(lines) if ln.kind in ("content", "chrome")]
    if not width:
        return [[i] for i in live]
    indented = sum(1 for i in live if lines[i].indent)
    uses_indent = 0 < indented < 0.9 * len(live)
    groups: list[list[int]] = []
    for i in live:
        prev = groups[-1][-1] if groups else None
        ln = lines[i]
        # one space before a continuation is where the wrap fell ("新闻中心 | 机构概况"), not an indent
        opens = _starts_paragraph(ln, uses_indent) and not (uses_indent and ln.raw_len - (ln.b - ln.a) == 1)
        if prev == i - 1 and width - 2 <= lines[prev].raw_len <= width and not opens:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def _mark_wrapped_chrome(lines: list[Line], groups: list[list[int]]) -> None:
    """Chrome that a hard wrap cut into lines: a footer's second half, a breadcrumb's last steps.

    Wrapped lines are chrome when the rules find them so joined again: a
    whole run cut from one line (a keyword may even straddle the break:
    版权|所有), or the longest stretch that a chrome line opens (a menu, then
    a breadcrumb, each wrapped; a footer wrapped after the paragraph it
    follows).  Above the last line of text, a line that reads as the
    document's own (title, notice title, issuer, date, 文号, outline heading)
    is not taken along, unless it continues the line before (after a label's
    colon; a breadcrumb's or menu's separators): it may follow a chrome line
    that happens to be as long as the width.  A line that is chrome by its
    own rule stays a piece of its own.  Below it are pager lines, whose wrapped titles
    of other documents are chrome.
    """
    last_text = next(
        (i for i in range(len(lines) - 1, -1, -1) if lines[i].kind == "content" and "。" in lines[i].norm), len(lines)
    )

    def joined(run: list[int]) -> str | None:
        return chrome.classify("".join(lines[i].norm for i in run))

    def takes(run: list[int]) -> bool:
        return run[0] > last_text or not any(
            lines[i].kind == "content" and _own_line(lines[i].norm) and not _continues(lines[j].norm, lines[i].norm)
            for j, i in pairwise(run)
        )

    def mark(run: list[int], kind: str) -> None:
        for k, i in enumerate(run):
            if lines[i].kind == "content":
                lines[i].kind, lines[i].chrome, lines[i].wrapped = "chrome", kind, k > 0

    for g in groups:
        if len(g) < 2:
            continue  # (what follows only narrows a group down)
        g = [i for i in g if lines[i].kind in ("content", "chrome")]
        # text up to a line the wrap ended at a sentence's end, then chrome (a page's buttons after the
        # last paragraph, beside it only because that line is as long as the width): the text is text
        # (a wrapped footer's own sentence end, after its first line, stays in the footer)
        first = next((k for k, i in enumerate(g) if lines[i].kind == "chrome"), len(g))
        ends = [k for k, i in enumerate(g[:first]) if lines[i].kind == "content" and lines[i].norm[-1:] in TERMINAL]
        if ends:
            g = g[ends[-1] + 1 :]
        if len(g) < 2:
            continue
        kind = joined(g)
        if kind and takes(g):
            mark(g, kind)
            continue
        k = 0
        while k < len(g) - 1:
            if lines[g[k]].kind == "chrome" and lines[g[k]].chrome in chrome.RULE_KINDS:
                for m in range(len(g), k + 1, -1):
                    kind = joined(g[k:m])
                    if kind and takes(g[k:m]):
                        mark(g[k:m], kind)
                        k = m - 1
                        break
            k += 1


def _continues(prev: str, nxt: str) -> bool:
    """``nxt`` goes on with ``prev``: after a label's colon, or among a breadcrumb's or a menu's separators
    (which no title or issuer line holds)."""
    return prev[-1:] in (":", ">", "|", "-", "/", "»", "→", "\\") or any(c in nxt for c in ">|»→") or nxt[:1] == ":"


def _own_line(norm: str) -> bool:
    """A line that reads as the document's own words, whatever chrome it follows."""
    return (
        is_title(norm)
        or _is_notice_title(norm)
        or bool(_ORG_LINE.match(norm))
        or bool(_DATE_LINE.match(norm))
        or bool(_DOCNUM_LINE.match(norm))
        or marker_of(norm) is not None
    )


# text before a trailer-like bracket that labels it rather than ends a paragraph
_LABEL = re.compile(r"^[^。!?;,:]{1,12}:$")
# a news trailer, (信息来源:...) with a name of up to 40 characters, is no longer than this
TRAILER_MAX = 50


def _strip_trailer(lines: list[Line], text: str, groups: list[list[int]]) -> tuple[str, int, int] | None:
    """Cut a news trailer such as '(来源:大众日报客户端)' off the end of the last paragraph.

    With hard wraps the trailer may start on an earlier line of the
    paragraph than its last, and a line holding '(来源:' was taken for
    chrome whole: the trailer is cut from the joined lines, and what comes
    before it on its line is text again.  A break inside the trailer itself
    (`(来源:四川在` then `线)`), where the line before it is longer than the
    wrap or the text is not wrapped at all, is found too: the lines right
    above the last one are joined to it while they and it hold no more
    than a trailer does.
    """
    last = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].kind == "content"), -1)
    # a line taken for chrome for the trailer it carries, the first after the text (blank lines aside):
    # not one of a list of such lines (related articles, each with its source)
    beyond = [i for i in range(last + 1, len(lines)) if lines[i].kind != "blank"][:2]
    if (
        beyond
        and _chrome_for_trailer(lines[beyond[0]])
        and not (len(beyond) > 1 and _chrome_for_trailer(lines[beyond[1]]))
    ):
        last = beyond[0]
    if last < 0:
        return None
    g = next(g for g in groups if last in g)
    at = g.index(last)
    head = g[: at + 1]
    while (
        head[0] > 0
        and lines[head[0] - 1].kind in ("content", "chrome")
        and sum(len(lines[i].norm) for i in head) < TRAILER_MAX
    ):
        head.insert(0, head[0] - 1)
    # chrome after it: a wrapped trailer's rest, the rest of a trailer broken right after its opening
    # bracket (`来源:...)` a chrome line of its own), or a page's buttons that a wrap left beside it
    rest = [i for i in g[at + 1 :] if lines[i].kind == "chrome"]
    after = (rest[-1] if rest else last) + 1
    if after < len(lines) and lines[after].kind == "chrome" and len(lines[after].norm) < TRAILER_MAX:
        rest.append(after)
    for n in range(len(rest), -1, -1):
        if found := _cut_trailer(lines, text, head + rest[:n]):
            return found
    return None


def _chrome_for_trailer(ln: Line) -> bool:
    """A line the rules took for chrome for the trailer at its end only (`附件:2022年主要指标 (来源:山东在线)`)."""
    if ln.kind != "chrome" or ln.chrome != chrome.classify(ln.norm):
        return False
    for kind, pat in chrome.TRAILERS:
        m = pat.search(ln.norm)
        if kind != "separator" and m and m.start() > 0 and chrome.classify(ln.norm[: m.start()].strip()) is None:
            return True
    return False


def _cut_trailer(lines: list[Line], text: str, g: list[int]) -> tuple[str, int, int] | None:
    """The trailer ending lines ``g`` joined, if any: its lines marked, the line it starts on cut before it."""
    # the lines without their breaks (a wrap may fall between 来源 and its colon), and where each starts
    seg = "".join(text[lines[i].a : lines[i].b] for i in g)
    starts = list(accumulate((lines[i].b - lines[i].a for i in g[:-1]), initial=0))
    end = lines[g[-1]].b
    for kind, pat in chrome.TRAILERS:
        m = pat.search(seg)
        if m is None or (m.start() == 0 and len(g) == 1):  # the page's first line: no text before it
            continue
        k = bisect_right(starts, m.start()) - 1
        start = lines[g[k]].a + m.start() - starts[k]
        if _LABEL.match(fold(text[lines[g[k]].a : start]).strip()):
            continue  # `参考文献:[来源:国家统计局]`: a label and what it labels, not a trailer after text
        while start < end and text[start].isspace():
            start += 1
        for i in g:
            ln = lines[i]
            if ln.a >= start:
                ln.kind, ln.chrome = "trailer", kind
            elif ln.b > start:
                cut = start
                while cut > ln.a and text[cut - 1] in " \t\u3000\u00a0":
                    cut -= 1
                ln.b = cut
                ln.norm = fold(text[ln.a : ln.b])
                if ln.kind == "chrome" and chrome.classify(ln.norm) is None:
                    ln.kind, ln.chrome = "content", None  # chrome for its '(来源:' only
        return kind, start, end
    return None


# -- parts --------------------------------------------------------------------


def _assign_parts(content: list[Line], width: int | None = None) -> None:
    """Label content lines wrapper / notice / title / body / attachment (``width``: of a hard-wrapped text)."""
    n = len(content)
    if not n:
        return
    start = 0
    # News wrapper: everything up to a "全文如下" line in the first part of the page.
    limit = max(8, int(n * 0.6))
    for i, ln in enumerate(content[:limit]):
        if len(ln.norm) <= 120 and _ends_wrapper(ln.norm):
            for x in content[: i + 1]:
                x.part = "wrapper"
            start = i + 1
            break
    else:
        # A lede without the marker: news-style opening before a notice or title line (below page
        # furniture no rule knew: 澎湃新闻记者 张三, a time stamp).
        first = next((i for i, ln in enumerate(content[:HEAD_SCAN]) if not _furniture_like(ln, width)), 0)
        if _NEWS_LEDE.match(content[first].norm):
            for j in range(first + 1, min(n, first + 8)):
                if _is_notice_title(content[j].norm) or is_title(content[j].norm) or _ORG_LINE.match(content[j].norm):
                    for x in content[:j]:
                        x.part = "wrapper"
                    start = j
                    break
    start = _head(content, start, width)
    # Issuing notice: issuer lines, 关于印发…的通知, addressees, the short notice text, signatures, date.
    i = start
    j = i
    while j < min(n, start + 6) and (_ORG_LINE.match(content[j].norm) or _DOCNUM_LINE.match(content[j].norm)):
        j += 1
    wrapped = _notice_title_lines(content, j)
    if wrapped and _ISSUES.search("".join(ln.norm for ln in content[j : j + wrapped])):
        k = j + wrapped
        while k < n and _is_notice_body(content[k].norm):
            k += 1
        for x in content[i:k]:
            x.part = "notice"
        start = k
    elif j < n and (_is_notice_title(content[j].norm) or (j > i and is_title(content[j].norm))):
        # A notice, decision or opinion issued as itself (关于做好…工作的通知), or a title below the lines
        # of its issuers (中共浙江省委 / 浙江省人民政府 / 关于…的若干意见): issuers and 文号 are its notice.
        for x in content[i:j]:
            x.part = "notice"
        start = j
    # The plan's own title line, and the 文号, date or addressees printed under it.
    if start < n and (is_title(content[start].norm) or _is_notice_title(content[start].norm)):
        content[start].part = "title"
        start += 1
        while start < n and (
            _DOCNUM_LINE.match(content[start].norm)
            or _DATED_LINE.match(content[start].norm)
            or _ADDRESSEE.match(content[start].norm)
        ):
            content[start].part = "notice"
            start += 1
    # Signature block closing the document: issuers and a date.
    end = n
    k = n - 1
    tail_sig = 0
    imprint = 0
    while k > start:
        if imprint < 3 and is_imprint(content[k].norm):
            imprint += 1
        elif tail_sig < 4 and _signs(content[k].norm):
            tail_sig += 1
        else:
            break
        k -= 1
    tail = [content[x].norm for x in range(k + 1, n)]
    if (
        imprint
        or any(_DATE_LINE.match(x) or _SIGNER_DATE_LINE.match(x) for x in tail)
        or (any(_ISO_DATE_LINE.match(x) for x in tail) and any(_ORG_LINE.match(x) for x in tail))
    ):
        for x in content[k + 1 :]:
            x.part = "notice"
        end = k + 1
    # Attachments after the plan.
    for i in range(max(start, int(end * 0.5)), end):
        if _ATTACHMENT.match(content[i].norm) and len(content[i].norm) <= 80:
            for y in content[i:end]:
                y.part = "attachment"
            end = i
            break
    for x in content[start:end]:
        x.part = "body"
    # a PDF copy repeats its red header and 文号 at the top of every page (with the page's number: -4-绍政发…)
    numbers = {x.norm for x in content if x.part == "notice" and _DOCNUM_LINE.match(x.norm)}
    for x in content[start:]:
        if len(x.norm) > HEADER_MAX or x.part == "notice":
            continue  # (a paragraph: no header, and the cost of the pattern below on every long line)
        head = _PAGE_NUMBER.sub("", x.norm) if x.norm[0] in _DASHES or x.norm[-1] in _DASHES else x.norm
        if head in numbers or (head.endswith("文件") and _ORG_LINE.match(head)):
            x.kind, x.chrome = "chrome", "running header"


def _mark_running_names(lines: list[Line]) -> None:
    """A PDF copy's running header may be the issuer's name alone (浙江省经济和信息化厅): a line of its own,
    outside the notice, on two pages or more, one of them beside a page number the chrome rules took
    (a 责任单位 column repeats names too, but no page number stands beside it)."""
    if not any(ln.chrome == "page number" for ln in lines):
        return
    seen: dict[str, list[int]] = {}
    for i, ln in enumerate(lines):
        if ln.kind == "content" and len(ln.norm) <= HEADER_MAX and ln.part != "notice" and _ORG_LINE.match(ln.norm):
            seen.setdefault(ln.norm, []).append(i)

    def by_page_number(i: int) -> bool:
        for step in (-1, 1):
            k = i + step
            while 0 <= k < len(lines) and lines[k].kind == "blank":
                k += step
            # a page number a rule read (— 3 —, 第3页), not a bare one its neighbours suggested
            if 0 <= k < len(lines) and lines[k].chrome == "page number" and not lines[k].norm.isdigit():
                return True
        return False

    for at in seen.values():
        if len(at) >= 2 and any(by_page_number(i) for i in at):
            for i in at:
                lines[i].kind, lines[i].chrome = "chrome", "running header"


HEAD_SCAN = 24  # lines searched for the document's head below page furniture no rule knew
TITLE_MIN = 8  # a title-like line shorter than this (工作方案, 保障措施) does not replace a longer one above it
_TEXT_OPENS = frozenset({"目录", "目次", "前言", "序言", "引言", "编制说明", "说明"})
FURNITURE_MAX = 40


def _furniture_like(ln: Line, width: int | None) -> bool:
    """A short line that is not a sentence, an outline heading nor a full line of hard-wrapped text
    (those are text, wherever the wrap cut them): a label, a menu item, a time stamp."""
    norm = ln.norm
    return (
        len(norm) <= FURNITURE_MAX
        and (width is None or ln.raw_len < width - 1)
        and _HAS_TERMINAL.search(norm) is None
        and marker_of(norm) is None
    )


def _head(content: list[Line], start: int, width: int | None) -> int:
    """Where the document's head -- its issuing notice, else its title -- starts, at ``start`` or below
    short lines no chrome rule knew (首页, 无障碍, 长者版, 文/张三, a time stamp, a site's name), which
    are then page furniture: the notice's title, else the last title-like line before the text, with
    the issuer and 文号 lines right above it.  A site's name above a notice whose title names another
    issuer is the site's (绍兴市人民政府 above 浙江省人民政府办公厅关于印发…的通知)."""
    anchor = None
    for j in range(start, min(len(content), start + HEAD_SCAN)):
        norm = content[j].norm
        if width is not None and content[j].raw_len >= width - 1:
            break  # a full line of hard-wrapped text: the text has begun
        if norm in _TEXT_OPENS:
            break  # 目录, 前言: the document's own text has begun
        if _notice_title_lines(content, j):
            anchor = j
            break
        if is_title(norm):
            # a short one (保障措施, 工作方案: a contents entry) does not replace a title found above it
            if anchor is None or len(norm) >= TITLE_MIN or len(content[anchor].norm) < TITLE_MIN:
                anchor = j
        elif not (_furniture_like(content[j], width) or _ORG_LINE.match(norm) or _DOCNUM_LINE.match(norm)):
            break
    if anchor is None or anchor == start:
        return start
    issuer = content[anchor].norm.partition("关于")[0] if _is_notice_title(content[anchor].norm) else ""
    k = anchor
    while k > start and k > anchor - 6:
        above = content[k - 1].norm
        ours = _ORG_LINE.match(above) and (not issuer or _names_issuer(above.removesuffix("文件"), issuer))
        if not (ours or _DOCNUM_LINE.match(above)):
            break
        k -= 1
    for ln in content[start:k]:
        ln.kind, ln.chrome = "chrome", "before the title"
    return k


def _notice_title_lines(content: list[Line], j: int) -> int:
    """How many lines the notice title at ``j`` takes: 1, 2 when a wrap cut it (浙江省人民政府办公厅关于印发
    浙江省培育发展战略性新兴 / 产业行动计划（2017—2020年）的通知), or 0 if there is none."""
    if j >= len(content):
        return 0
    if _is_notice_title(content[j].norm):
        return 1
    first = content[j].norm
    if (
        j + 1 < len(content)
        and "关于" in first
        and first[-1] not in TERMINAL
        and not _is_notice_title(content[j + 1].norm)
    ):
        return 2 if _is_notice_title(first + content[j + 1].norm) else 0
    return 0


def _names_issuer(org: str, issuer: str) -> bool:
    """Is ``org`` one of the bodies a notice title's issuer prefix names (浙江省人民政府 is not
    浙江省人民政府办公厅), or names it in full where the prefix abbreviates (绍兴市经济和信息化局 for
    市经信局: the prefix's characters in order, the same last one)?"""
    at = issuer.find(org)
    if at >= 0:
        return not _OFFICE.match(issuer, at + len(org))
    chars = iter(org)
    return bool(issuer) and issuer[-1] == org[-1] and all(c in chars for c in issuer)


def _is_notice_title(norm: str) -> bool:
    return len(norm) <= 160 and "。" not in norm and bool(_NOTICE_TITLE.search(norm))


def is_imprint(norm: str) -> bool:
    """A line of the imprint (版记) closing an official document: 抄送：…, or the printing office and its
    date, …年…月…日印发 (which prints, it does not sign)."""
    return (norm.startswith(_IMPRINT_LABELS) or norm.endswith("印发")) and _IMPRINT.match(norm) is not None


def _signs(norm: str) -> bool:
    """A line of a signature: a signer, a date, or both."""
    return bool(
        _DATE_LINE.match(norm) or _ORG_LINE.match(norm) or _ISO_DATE_LINE.match(norm) or _SIGNER_DATE_LINE.match(norm)
    )


def _is_notice_body(norm: str) -> bool:
    # (附件：… between the notice's text and its signature names the plan it issues)
    return (
        bool(_ADDRESSEE.match(norm) or _notice_line(norm) or _signs(norm) or _DOCNUM_LINE.match(norm))
        or (_ATTACHMENT.match(norm) is not None and len(norm) <= 80)
    ) and len(norm) <= 200


def cell_lines(norms: list[str]) -> set[int]:
    """Indices of lines inside a run of table cells (short lines, some numeric).

    Indicator tables at the end of plans recur across the versions of a
    document; their cells must not be mistaken for site furniture.
    """
    out: set[int] = set()
    i, n = 0, len(norms)
    while i < n:
        if not norms[i] or len(norms[i]) > 40 or _CELL_STOP.search(norms[i]):
            i += 1
            continue
        j = i
        while j < n and (not norms[j] or (len(norms[j]) <= 40 and not _CELL_STOP.search(norms[j]))):
            j += 1
        run = [k for k in range(i, j) if norms[k]]
        if len(run) >= 4 and sum(1 for k in run if _NUMERIC_CELL.match(norms[k])) >= 0.3 * len(run):
            out.update(run)
        i = j
    return out


def _balanced(s: str) -> bool:
    """No unmatched bracket: a line cut out of a wrapped sentence often has one."""
    if _BRACKETS.search(s) is None:
        return True
    depth = 0
    for c in s:
        if c in "(《【〔[":
            depth += 1
        elif c in ")》】〕]":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def furniture_candidate(norm: str) -> bool:
    """Could this line be site furniture if it recurs? Short labels, not document text.

    Revisions of one document share their opening sentences, addressees and
    headings; those recur too, but they are the document's own words.
    """
    return (
        4 <= len(norm) <= 40
        and _HAS_TERMINAL.search(norm) is None
        and norm[-1] not in ",、"
        and _balanced(norm)
        and marker_of(norm) is None
        and not is_title(norm)
        and not _is_notice_title(norm)
        and not _ADDRESSEE.match(norm)
        and not _DATE_LINE.match(norm)
        and not _ORG_LINE.match(norm)
        and not _DOCNUM_LINE.match(norm)
        and not _ends_wrapper(norm)
        and not _ATTACHMENT.match(norm)
        and not _YEAR.search(norm)
    )


def is_title(norm: str) -> bool:
    if norm.startswith("《") and norm.endswith("》"):
        norm = norm[1:-1]  # a title printed in book-title marks
    return (
        4 <= len(norm) <= 60
        and _TITLE_STOP.search(norm) is None
        and marker_of(norm) is None
        and bool(_TITLE_LINE.search(norm))
    )


# -- paragraphs -----------------------------------------------------------------


def _wrap_width(content: list[Line]) -> int | None:
    """The fixed width of a hard-wrapped text, if its lines have one.

    A wrapped text has many lines of (nearly) the same length, and those
    full lines stop wherever the width falls, mostly mid-sentence; a list of
    parallel paragraphs of similar length ends each with a full stop.
    """
    lines = [ln for ln in content if ln.raw_len >= 16 and ln.part == "body"]
    if len(lines) < 6:
        return None
    counts = Counter(ln.raw_len for ln in lines)
    width = max(counts, key=lambda w: (counts[w] + counts.get(w - 1, 0), w))
    full = [ln for ln in lines if width - 1 <= ln.raw_len <= width]
    if len(full) < 6 or len(full) < 0.3 * len(lines) or not 16 <= width <= 120:
        return None
    if sum(1 for ln in full if ln.norm[-1] in TERMINAL) > 0.5 * len(full):
        return None
    # The longest lines are the wrap width (give or take a character for
    # punctuation a typesetter kept off the start of a line).
    return max(w for w in counts if w <= width + 1)


def _starts_paragraph(ln: Line, uses_indent: bool) -> bool:
    # Where paragraphs open with an indent, a wrapped line that happens to
    # begin with "(4)" is still a continuation.
    if uses_indent:
        return ln.indent
    return marker_of(ln.norm) is not None


def _joins(prev: Line, nxt: Line, width: int | None, uses_indent: bool) -> bool:
    """Is the break between two adjacent lines a hard wrap inside a paragraph?"""
    if prev.part != nxt.part or _starts_paragraph(nxt, uses_indent):
        return False
    if width:
        return prev.raw_len >= width - 2
    # No fixed width: join only a long line that stops mid-sentence, and not an outline heading on a line of
    # its own (（一）推进先进制造业和现代服务业深度融合发展: a marker and a title, no punctuation) above an
    # unindented first sentence
    last = prev.norm[-1]
    return (
        len(prev.norm) >= 20
        and last not in TERMINAL
        and last not in ":)》”"
        and not is_title(prev.norm)
        and not _heading_line(prev.norm)
    )


def _heading_line(norm: str) -> bool:
    """A line that is an outline marker and a heading's title (:func:`_heading_title`), with no comma either."""
    mk = marker_of(norm)
    return mk is not None and _heading_title(norm, mk[1])[1] and "," not in norm[len(mk[1]) :]


def _paragraphs(lines: list[Line], width: int | None) -> list[Paragraph]:
    content = [ln for ln in lines if ln.kind == "content"]
    indented = sum(1 for ln in content if ln.indent)
    uses_indent = 0 < indented < 0.9 * len(content) if content else False
    soft_blanks = width is not None and _double_spaced(lines)
    paragraphs: list[Paragraph] = []
    cur: list[Line] = []
    prev: Line | None = None
    for k, ln in enumerate(lines):
        if ln.kind != "content":
            if (
                soft_blanks
                and ln.kind == "blank"
                and prev is not None
                and k + 1 < len(lines)
                and lines[k + 1].kind == "content"
            ):
                continue  # in double-spaced wrapped text a single blank line is just line spacing
            if cur:
                paragraphs.append(Paragraph(cur, cur[0].part))
                cur = []
            prev = None
            continue
        if cur and prev is not None and _joins(prev, ln, width, uses_indent):
            cur.append(ln)
        else:
            if cur:
                paragraphs.append(Paragraph(cur, cur[0].part))
            cur = [ln]
        prev = ln
    if cur:
        paragraphs.append(Paragraph(cur, cur[0].part))
    return paragraphs


def _double_spaced(lines: list[Line]) -> bool:
    """Whether (nearly) every pair of content lines is separated by exactly one blank line."""
    gaps = []
    run = None
    for ln in lines:
        if ln.kind == "content":
            if run is not None:
                gaps.append(run)
            run = 0
        elif ln.kind == "blank" and run is not None:
            run += 1
    return len(gaps) >= 6 and sum(1 for g in gaps if g == 1) >= 0.9 * len(gaps)


def _is_cell(p: Paragraph) -> bool:
    if p.part != "body" or len(p.lines) != 1:
        return False
    norm = p.lines[0].norm
    return len(norm) <= 40 and _CELL_STOP.search(norm) is None and marker_of(norm) is None


def _tables(paragraphs: list[Paragraph]) -> list[Paragraph]:
    """Collapse runs of one-cell-per-line paragraphs into table blocks."""
    out: list[Paragraph] = []
    i = 0
    n = len(paragraphs)
    while i < n:
        if not _is_cell(paragraphs[i]):
            out.append(paragraphs[i])
            i += 1
            continue
        j = i
        while j < n and _is_cell(paragraphs[j]):
            j += 1
        run = paragraphs[i:j]
        numeric = sum(1 for p in run if _NUMERIC_CELL.match(p.lines[0].norm))
        if len(run) >= 6 and numeric >= 0.3 * len(run):
            # A caption line just before the cells belongs to the table.
            if (
                out
                and out[-1].part == "body"
                and len(out[-1].lines) == 1
                and _CAPTION.search(out[-1].lines[0].norm)
                and "。" not in out[-1].lines[0].norm
            ):
                cap = out.pop()
                run = [cap] + run
            out.append(Paragraph([ln for p in run for ln in p.lines], "body", kind="table"))
        else:
            out.extend(run)
        i = j
    return out


# -- units ----------------------------------------------------------------------


def table_norm(text: str) -> str:
    """Normalized text of a table block: one cell per line, cells joined by ' | '."""
    return " | ".join(c for c in (fold(x) for x in _LINE_BREAK.split(text)) if c)


def _heading_title(norm: str, marker: str) -> tuple[str, bool]:
    """Title text after a marker and whether the paragraph is only a heading."""
    rest = norm[len(marker) :]
    m = _MARKER_TITLE_END.search(rest)
    if m is None:
        return rest, len(rest) <= 40
    title = rest[: m.start()]
    only = m.end() == len(rest) and len(title) <= 40
    return title, only


def _blocks(
    paragraphs: list[Paragraph],
    text: str,
    to_src: Callable[[int, int], tuple[int, int]],
) -> tuple[list[Unit], list[OutlineEntry]]:
    """Headings, paragraphs and tables, with the outline they form."""
    # the marker each body paragraph's first line opens with (a paragraph of one line: its own)
    opens = [marker_of(p.lines[0].norm) if p.part == "body" and p.kind == "paragraph" else None for p in paragraphs]
    styles = sorted({mk[0] for mk in opens if mk}, key=STYLE_RANK.__getitem__)
    level_of = {s: i + 1 for i, s in enumerate(styles)}
    units: list[Unit] = []
    outline: list[OutlineEntry] = []
    section_stack: list[tuple[int, str]] = []  # (level, unit id)
    for pi, p in enumerate(paragraphs, 1):
        pid = f"p{pi}"
        a, b = p.a, p.b
        sa, sb = to_src(a, b)
        if p.kind == "table":
            units.append(
                Unit(
                    pid,
                    "table",
                    section_stack[-1][0] if section_stack else 0,
                    p.part,
                    (sa, sb),
                    text[a:b],
                    table_norm(text[a:b]),
                    None,
                    None,
                    section_stack[-1][1] if section_stack else None,
                )
            )
            continue
        norm = p.norm(text)
        if not norm:
            continue
        kind = "paragraph"
        marker = None
        level = section_stack[-1][0] if section_stack else 0
        if p.part == "title":
            kind, level = "heading", 0
        elif p.part in ("body", "attachment"):
            mk = opens[pi - 1] if p.part == "body" and len(p.lines) == 1 else marker_of(norm)
            if mk and mk[0] in level_of:
                style, marker_norm = mk
                lvl = level_of[style]
                title, only = _heading_title(norm, marker_norm)
                marker = text[a : _raw_end(text, a, b, len(marker_norm))]
                while section_stack and section_stack[-1][0] >= lvl:
                    section_stack.pop()
                if only:
                    kind = "heading"
                level = lvl
                outline.append(OutlineEntry(pid, marker, lvl, title))
                section_stack.append((lvl, pid))
            elif (
                len(norm) <= 30
                and _HEADING_STOP.search(norm) is None
                and not _NUMERIC_CELL.match(norm)
                and len(p.lines) == 1
            ):
                kind = "heading"
                level = (section_stack[-1][0] if section_stack else 0) + 1
                outline.append(OutlineEntry(pid, "", level, norm))
        # the nearest enclosing heading: the top of the stack, unless this paragraph just went there
        top = len(section_stack) - (1 if section_stack and section_stack[-1][1] == pid else 0)
        section = section_stack[top - 1][1] if top else None
        units.append(Unit(pid, kind, level, p.part, (sa, sb), text[a:b], norm, None, marker, section))
    return units, outline


def _raw_end(text: str, a: int, b: int, n: int) -> int:
    """Where in ``text[a:b]`` the first ``n`` normalized characters end."""
    raw = text[a : a + n]
    if a + n <= b and _HAS_WS(raw) is None and not expands(raw):
        return a + n  # no space, nothing dropped or expanded: one character each (the usual marker)
    table = fold_table()
    i, got = a, 0
    while i < b and got < n:
        c = text[i]
        if not c.isspace():
            got += len(table.get(ord(c), c) or "")
        i += 1
    return i


def _part_spans(units: list[Unit]) -> list[dict]:
    parts: list[dict] = []
    for u in units:
        if u.kind in ("sentence", "clause"):
            continue
        if parts and parts[-1]["part"] == u.part:
            parts[-1]["span"] = (parts[-1]["span"][0], u.span[1])
        else:
            parts.append({"part": u.part, "span": u.span})
    return parts
