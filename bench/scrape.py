"""Turn a document version into what a web scraper saves: website chrome
from a fake "site" (so chrome lines recur across a site's documents), a
news lede, notice present/absent, punctuation width, indents, blank lines,
hard wraps, CRLF, encodings, HTML pages, truncation and rare typos.  News
sites end an article with a trailer such as （来源：大众日报客户端）, glued to the
last paragraph or on a line of its own, sometimes broken across two lines."""

from __future__ import annotations

import datetime as _dt
import html
import random
import string
from dataclasses import dataclass, field
from functools import lru_cache

from bench import textops as T
from bench.render import INDENTS
from bench.synth import Doc, add_days, make_title

WEEKDAYS = "一二三四五六日"
TECH = [
    "微德福网络科技有限公司",
    "开普云信息科技股份有限公司",
    "拓尔思信息技术股份有限公司",
    "南威软件股份有限公司",
    "大汉网络科技有限公司",
    "政通信息技术有限公司",
    "云脉数据服务有限公司",
]
PORTALS = [
    "中国产业经济信息网",
    "政策法规数据库",
    "企业政策服务平台",
    "产业政策通",
    "中国制造业资讯网",
    "工业政策研究网",
]
NAV = [
    "首页",
    "机构概况",
    "政务公开",
    "政策文件",
    "政策解读",
    "办事服务",
    "互动交流",
    "专题专栏",
    "数据开放",
    "新闻中心",
]
CRUMB_SEP = [" > ", ">>", " » ", " -> ", "＞"]


@dataclass
class Site:
    sid: str
    kind: str  # gov | news | portal
    name: str
    host: str
    domain: str
    colon: str
    header: list[str]  # constant chrome lines (txt)
    footer: list[str]
    crumb: list[str]
    pub_fmt: int
    buttons_top: bool
    half_p: float
    html_p: float
    indent: str
    blank_p: float
    enc_w: list[float]  # weights for utf-8, utf-8-sig, gb18030, utf-16
    entities: bool
    source: str
    css: str = ""
    js: str = ""
    extra: dict = field(default_factory=dict)


def _letters(rng: random.Random, a: int, b: int) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(a, b)))


def make_site(rng: random.Random, i: int) -> Site:
    kind = rng.choices(["gov", "news", "portal"], [0.55, 0.25, 0.2])[0]
    prov = rng.choice(T.jurs_at("province"))
    city = rng.choice(T.jurs_at("city", prov.name))
    c = rng.choice(["：", ":"])
    if kind == "gov":
        host = rng.choice(
            [
                f"{city.name}人民政府",
                f"{city.name}经济和信息化局",
                f"{prov.name}经济和信息化厅",
                f"{city.name}发展和改革委员会",
                f"{prov.name}人民政府",
                f"{city.name}科学技术局",
                f"{city.name}机器换人服务中心",
            ]
        )
        name, domain = host, f"{_letters(rng, 2, 4)}.{_letters(rng, 2, 3)}.gov.cn"
    elif kind == "news":
        name = rng.choice([f"{prov.short}日报网", f"{city.short}新闻网", f"{prov.short}在线", "中国工业新闻网"])
        host, domain = name.replace("网", "") + "社", f"www.{_letters(rng, 4, 8)}.com.cn"
    else:
        name = rng.choice(PORTALS)
        host, domain = name + "运营中心", f"www.{_letters(rng, 5, 9)}.com"
    icp = f"{prov.abbr}ICP备{rng.randint(5000000, 20999999):08d}号-{rng.randint(1, 3)}"
    phone = f"0{rng.randint(10, 999)}-{rng.randint(10000000, 89999999)}"
    crumb = [
        "首页",
        rng.choice(["政务公开", "信息公开", "新闻中心", "政策服务", "资讯"]),
        rng.choice(["政策文件", "规范性文件", "通知公告", "政策法规", "要闻"]),
    ]
    sep = rng.choice(CRUMB_SEP)
    header = []
    if rng.random() < 0.5:
        header.append("今天是{colon}{today}")
    if rng.random() < 0.6:
        header.append(" | ".join(rng.sample(NAV, rng.randint(5, 8))))
    header.append(f"当前位置{c}" + sep.join(crumb))
    footer = []
    if rng.random() < 0.6:
        footer.append("扫一扫在手机打开当前页")
    foot_lines = [
        f"主办单位{c}{host}" + (f"  承办单位{c}{host}信息中心" if rng.random() < 0.5 else ""),
        f"版权所有{c}{host}" if rng.random() < 0.5 else f"{host} 版权所有 | 技术支持{c}{rng.choice(TECH)}",
        f"网站标识码{c}{rng.randint(1100000000, 6599999999)}" if kind == "gov" else None,
        f"{icp}" if rng.random() < 0.5 else f"ICP备案序号{c}{icp}",
        f"{prov.abbr}公网安备 {rng.randint(10**13, 10**14 - 1)}号" if rng.random() < 0.6 else None,
        f"技术支持{c}{rng.choice(TECH)}",
        f"电话{c}{phone}" + (f"  传真{c}{phone[:-1]}{rng.randint(0, 9)}" if rng.random() < 0.6 else ""),
        f"地址{c}{city.name}{rng.choice(['人民路', '中兴路', '解放路', '凤凰路'])}{rng.randint(1, 400)}号"
        if rng.random() < 0.4
        else None,
        "建议使用1024×768以上分辨率浏览本站" if rng.random() < 0.3 else None,
    ]
    footer += [x for x in foot_lines if x]
    css = (
        "body{margin:0;font-family:\"微软雅黑\",\"宋体\";}.nav li{float:left;padding:0 %dpx}.content p{line-height:%dpx}"
        % (rng.randint(8, 20), rng.randint(24, 36))
    )
    js = (
        "var _hmt=_hmt||[];(function(){var hm=document.createElement(\"script\");hm.src=\"https://hm.baidu.com/hm.js?%s\";"
        "var s=document.getElementsByTagName(\"script\")[0];s.parentNode.insertBefore(hm,s);})();" % T.hex_id(rng, 32)
    )
    enc_w = {"gov": [0.45, 0.08, 0.40, 0.07], "news": [0.7, 0.12, 0.13, 0.05], "portal": [0.6, 0.2, 0.15, 0.05]}[kind]
    return Site(
        sid=f"site{i:02d}",
        kind=kind,
        name=name,
        host=host,
        domain=domain,
        colon=c,
        header=header,
        footer=footer,
        crumb=crumb,
        pub_fmt=rng.randrange(5),
        buttons_top=rng.random() < 0.5,
        half_p=rng.choice([0.05, 0.15, 0.8]),
        html_p={"gov": 0.45, "news": 0.35, "portal": 0.3}[kind],
        indent=rng.choice(list(INDENTS)),
        blank_p=rng.choice([0.1, 0.5, 0.9]),
        enc_w=enc_w,
        entities=rng.random() < 0.5,
        source=host if kind == "gov" else rng.choice(["新华社", "人民网", host]),
        css=css,
        js=js,
    )


@lru_cache(maxsize=8)
def make_sites(seed: int, n: int = 16) -> list[Site]:
    rng = T.rng_for(seed, "sites")
    return [make_site(rng, i) for i in range(n)]


# ------------------------------------------------------------ pieces ----
def pub_line(site: Site, rng: random.Random, date: tuple[int, int, int]) -> str:
    y, m, d = date
    c, hits = site.colon, rng.randint(30, 30000)
    hh, mm = rng.randint(8, 18), rng.randint(0, 59)
    src = site.source if rng.random() < 0.7 else rng.choice(["市经信委", "办公室", "综合处", "本网"])
    return [
        f"发布日期{c}{y}-{m:02d}-{d:02d} 来源{c}{src} 浏览次数{c}{hits}",
        f"点击{c}{hits}时间{c}{y}-{m:02d}-{d:02d} 00:00:00 来源{c} {src}",
        f"时间{c}{y}年{m}月{d}日 来源{c}{src} 【字号{c}大 中 小】",
        f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d} 来源{c}{src} 责任编辑{c}{rng.choice('王李张刘陈杨赵')}{rng.choice('敏静伟芳磊洁婷')}",
        f"发布时间{c}{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}:{rng.randint(0, 59):02d} 信息来源{c}{src} 访问量{c}{hits}",
    ][site.pub_fmt]


def buttons(site: Site) -> str:
    return "【字体：大 中 小】【打印本页】【关闭窗口】" if site.colon == "：" else "【打印本页】【关闭窗口】"


def header_chrome(site: Site, rng: random.Random, date: tuple[int, int, int]) -> list[str]:
    y, m, d = date
    wd = WEEKDAYS[_dt.date(y, m, d).weekday()]
    return [h.format(colon=site.colon, today=f"{y}年{m}月{d}日 星期{wd}") for h in site.header]


def footer_chrome(site: Site, rng: random.Random, jur: T.Jur) -> list[str]:
    c = site.colon
    prev_next = [
        f"上一篇{c}{make_title(rng, jur, rng.randint(2015, 2024))}",
        f"下一篇{c}{make_title(rng, jur, rng.randint(2015, 2024))}",
    ]
    out = []
    if not site.buttons_top:
        out.append(buttons(site))
    return out + prev_next + site.footer


TRAILER_P = 0.6  # news copies that end with a source trailer
TRAILER_BREAK_P = 0.5  # ... broken across two lines (a narrow column, a hard wrap)


def news_trailer(site: Site) -> str:
    """The site's source trailer, （来源：大众日报客户端） (no draw: the sites stay as they were)."""
    outlet = site.name.removesuffix("网")
    return f"（来源：{outlet}客户端）" if int(site.sid[4:]) % 2 else f"（来源：{outlet}）"


def lede(doc: Doc, rng: random.Random) -> tuple[str, list[str]]:
    """News headline and lede paragraphs (the last one announces the full text)."""
    j, t = doc.jur, doc.title
    short = "《计划》" if "计划" in t else "《方案》" if "方案" in t else "《意见》"
    headline = rng.choice(
        [
            f"{j.short}印发《{t}》",
            f"{j.short}出台{t}",
            f"重磅！{j.name}发布《{t}》",
            f"聚焦高质量发展 {j.short}发布《{t}》",
        ]
    )
    issuers = "、".join(doc.issuers) if doc.issuers else j.name + "人民政府"
    paras = [
        rng.choice(
            [
                f"近日，{issuers}印发《{t}》（以下简称{short}），要求各地各部门认真贯彻落实。",
                f"日前，{issuers}联合发布了《{t}》，该{short}明确了今后一个时期的目标任务和重点举措。",
                f"记者从{j.name}获悉，《{t}》已正式印发实施。",
            ]
        )
    ]
    body = [p for p in doc.paras if not p.heading and p.table is None and len(p.sents) >= 2]
    for p in rng.sample(body, min(len(body), rng.randint(0, 2))):
        text = "".join(s.text for s in p.sents)
        paras.append(T.strip_outline(text))  # quotes the body verbatim, like corpus/000
    paras.append(rng.choice(["文件全文如下：", "全文如下：", f"《{t}》全文如下："]))
    return headline, paras


def add_typos(paras: list[str], rng: random.Random, chars: list[str]) -> tuple[list[str], int]:
    """About one substituted/dropped/inserted character per 2,000 characters."""
    total = sum(len(p) for p in paras)
    k = max(1, round(total / 2000 * rng.uniform(0.6, 1.4)))
    paras = list(paras)
    done = 0
    for _ in range(k):
        idx = rng.choices(range(len(paras)), weights=[len(p) + 1 for p in paras])[0]
        p = paras[idx]
        if len(p) < 4:
            continue
        pos = rng.randrange(len(p))
        op = rng.choice(["sub", "drop", "ins"])
        if op == "sub":
            p = p[:pos] + rng.choice(chars) + p[pos + 1 :]
        elif op == "drop":
            p = p[:pos] + p[pos + 1 :]
        else:
            p = p[:pos] + rng.choice(chars) + p[pos:]
        paras[idx] = p
        done += 1
    return paras, done


def wrap(line: str, width: int) -> list[str]:
    return [line[i : i + width] for i in range(0, len(line), width)] or [""]


# ------------------------------------------------------------ copies ----
@dataclass
class CopySpec:
    site: Site | None
    html: bool
    lede: bool
    notice: bool
    width: str
    indent: str
    blank: bool
    wrap: int | None
    crlf: bool
    encoding: str
    truncate: float | None
    typos: bool
    declared: str | None = None
    br_layout: bool = False


def sample_spec(rng: random.Random, doc: Doc, sites: list[Site]) -> CopySpec:
    chrome = rng.random() < 0.85
    site = rng.choice(sites)
    k = site.kind if chrome else "clean"
    html_ = chrome and rng.random() < site.html_p
    lede_p = {"news": 0.7, "portal": 0.3, "gov": 0.05, "clean": 0.05}[k]
    notice_p = {"news": 0.4, "portal": 0.6, "gov": 0.85, "clean": 0.6}[k]
    width = "half" if rng.random() < site.half_p else "full"
    if rng.random() < 0.03:
        width = "digits"
    enc = rng.choices(["utf-8", "utf-8-sig", "gb18030", "utf-16"], site.enc_w)[0]
    declared = None
    if html_:
        declared = {
            "utf-8": rng.choice(["utf-8", "UTF-8"]),
            "utf-8-sig": "utf-8",
            "gb18030": rng.choice(["gb2312", "GBK", "gb18030"]),
            "utf-16": "utf-16",
        }[enc]
    return CopySpec(
        site=site if chrome else None,
        html=html_,
        lede=rng.random() < lede_p,
        notice=doc.has_notice and rng.random() < notice_p,
        width=width,
        indent=site.indent if rng.random() < 0.8 else rng.choice(list(INDENTS)),
        blank=rng.random() < site.blank_p,
        wrap=rng.randint(30, 40) if (not html_ and rng.random() < 0.12) else None,
        crlf=rng.random() < 0.2,
        encoding=enc,
        truncate=round(rng.uniform(0.4, 0.9), 2) if rng.random() < 0.07 else None,
        typos=rng.random() < 0.25,
        declared=declared,
        br_layout=html_ and rng.random() < 0.25,
    )


def _body_blocks(doc: Doc) -> list[tuple[str, object]]:
    """('h'|'p', text) and ('t', rows) blocks of the body."""
    out = []
    for p in doc.paras:
        if p.table is not None:
            out.append(("t", p.table))
        else:
            out.append(("h" if p.heading else "p", "".join(s.text for s in p.sents)))
    return out


def _truncate(blocks: list, frac: float) -> list:
    total = sum(len(b[1]) for b in blocks if b[0] != "t")
    limit, got, out = int(total * frac), 0, []
    for kind, val in blocks:
        if kind == "t":
            out.append((kind, val))
            continue
        if got + len(val) >= limit:
            out.append((kind, val[: max(1, limit - got)]))
            break
        out.append((kind, val))
        got += len(val)
    return out


def make_copy(doc: Doc, spec: CopySpec, rng: random.Random, typo_chars: list[str]) -> tuple[bytes, dict]:
    """Render one scraped copy; returns (file bytes, gold metadata)."""
    tf: list[str] = []
    details: dict = {}
    blocks = _body_blocks(doc)
    cut_footer = False
    if spec.truncate:
        blocks = _truncate(blocks, spec.truncate)
        tf.append(f"truncated:{spec.truncate:.2f}")
        cut_footer = rng.random() < 0.5
    if spec.typos:
        texts = [b[1] for b in blocks if b[0] != "t"]
        new, k = add_typos(texts, rng, typo_chars)
        it = iter(new)
        blocks = [(b[0], next(it)) if b[0] != "t" else b for b in blocks]
        if k:
            tf.append(f"typos:{k}")
    head = doc.header_lines(spec.notice)
    headline, lede_paras = lede(doc, rng) if spec.lede else (None, [])
    site = spec.site
    trailer = None
    if site and site.kind == "news" and not cut_footer and rng.random() < TRAILER_P:
        text = news_trailer(site)
        own_line = rng.random() < 0.5
        brk = rng.randint(2, len(text) - 2) if rng.random() < TRAILER_BREAK_P else None
        trailer = (text, own_line, brk)
        tf.append("trailer")
        details["trailer"] = {"text": text, "own_line": own_line, "break": brk}
    pub_date = doc.date if not site else add_days(doc.date, rng.randint(0, 9))
    if site:
        tf.append("chrome")
        details["site"] = site.sid
    if spec.lede:
        tf.append("lede")
    if spec.notice:
        tf.append("notice")
    if spec.width != "full":
        tf.append("width")
        details["width"] = spec.width
    if spec.indent != "none":
        tf.append("indent")
        details["indent"] = spec.indent
    if spec.blank:
        tf.append("blank")
    if spec.html:
        text = _html_page(doc, spec, rng, blocks, head, headline, lede_paras, pub_date, cut_footer, trailer)
        tf.append("html")
        details["declared_charset"] = spec.declared
        details["layout"] = "br" if spec.br_layout else "p"
    else:
        text = _text_page(doc, spec, rng, blocks, head, headline, lede_paras, pub_date, cut_footer, trailer)
        if spec.wrap:
            tf.append("wrap")
            details["wrap"] = spec.wrap
    if spec.crlf:
        text = text.replace("\n", "\r\n")
        tf.append("crlf")
    data = text.encode(spec.encoding)
    return data, {
        "format": "html" if spec.html else "txt",
        "encoding": spec.encoding,
        "transformations": tf,
        "details": details,
    }


def _w(spec: CopySpec, s: str) -> str:
    if spec.width == "half":
        return T.to_half(s)
    if spec.width == "digits":
        return s.translate(T.TO_FULL_DIGITS)
    return s


def _text_page(doc, spec, rng, blocks, head, headline, lede_paras, pub_date, cut_footer, trailer=None) -> str:
    site, lines = spec.site, []
    ind = INDENTS[spec.indent]
    sep = [""] if spec.blank else []

    def para(s: str, indent: bool = True) -> None:
        s = _w(spec, s)
        if spec.wrap:
            lines.extend((ind if indent else "") + x if i == 0 else x for i, x in enumerate(wrap(s, spec.wrap)))
        else:
            lines.append((ind if indent else "") + s)
        lines.extend(sep)

    if site:
        lines += header_chrome(site, rng, pub_date) + sep
        lines.append(headline or (doc.notice_title() if spec.notice and doc.issuers else doc.title))
        lines += sep + [pub_line(site, rng, pub_date)] + sep
        if site.buttons_top:
            lines += [buttons(site)] + sep
    elif headline:
        lines += [headline] + sep
    for p in lede_paras:
        para(p)
    for h in head:
        lines.append(_w(spec, h))
        lines.extend(sep)
    for kind, val in blocks:
        if kind == "t":  # flattened one cell per line (as corpus/002) or tab-separated rows
            cells = rng.random() < 0.7
            for row in val:
                if cells:
                    lines.extend(_w(spec, c) for c in row)
                else:
                    lines.append("\t".join(_w(spec, c) for c in row))
            lines.extend(sep)
        else:
            para(val, indent=kind == "p" or spec.indent == "u3000")
    if trailer:
        text, own_line, brk = trailer
        if brk:
            text = text[:brk] + "\n" + text[brk:]
        if own_line or not lines:
            lines.append(_w(spec, text))
        else:  # glued to the last line, after a space (as corpus/001)
            at = len(lines) - len(sep) - 1
            lines[at] += " " + _w(spec, text)
        lines.extend(sep)
    if site and not cut_footer:
        lines += sep + footer_chrome(site, rng, doc.jur)
    return "\n".join(lines) + "\n"


_ENT = str.maketrans({"“": "&ldquo;", "”": "&rdquo;", "—": "&mdash;", "\u00a0": "&nbsp;", "·": "&middot;"})


def _esc(spec: CopySpec, s: str) -> str:
    s = html.escape(_w(spec, s), quote=False)
    if spec.site and spec.site.entities:
        s = s.translate(_ENT)
    return s


_SPAN_OPEN = '<span style="font-family:仿宋_GB2312;font-size:16pt">'


def _inline(spec: CopySpec, rng: random.Random, s: str) -> str:
    """Escaped paragraph text, sometimes cut into inline <span>s (as pasted
    from word processors); cuts happen before escaping so entities stay whole."""
    if len(s) < 20 or rng.random() > 0.3:
        return _esc(spec, s)
    cuts = sorted(rng.sample(range(1, len(s) - 1), 2))
    pieces = [s[a:b] for a, b in zip([0] + cuts, cuts + [len(s)])]
    return "".join(_SPAN_OPEN + _esc(spec, x) + "</span>" for x in pieces)


def _html_page(doc, spec, rng, blocks, head, headline, lede_paras, pub_date, cut_footer, trailer=None) -> str:
    site = spec.site
    ind = {
        "u3000": "\u3000\u3000",
        "nbsp": "&nbsp;" * 4,
        "spaces": "&nbsp;&nbsp;&nbsp;&nbsp;",
        "tab": "",
        "space2": "&nbsp;&nbsp;",
        "none": "",
    }[spec.indent]
    pstyle = ' style="text-indent:2em"' if spec.indent == "tab" else ""
    title = headline or (doc.notice_title() if spec.notice and doc.issuers else doc.title)
    o = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        f'<meta http-equiv="Content-Type" content="text/html; charset={spec.declared}">'
        if rng.random() < 0.5
        else f'<meta charset="{spec.declared}">',
        f"<title>{html.escape(title)}_{site.name}</title>",
        f'<meta name="keywords" content="{html.escape(doc.title)}">',
        f'<link rel="stylesheet" href="/css/{site.sid}.css">',
        f"<style>{site.css}</style>",
        '<script src="/js/jquery-1.11.3.min.js"></script>',
        "</head>",
        "<body>",
        '<div class="top"><ul class="nav">'
        + "".join(f'<li><a href="/{i}/">{n}</a></li>' for i, n in enumerate(NAV[:7]))
        + "</ul></div>",
        '<div class="crumb">当前位置：' + " &gt; ".join(f'<a href="/">{c}</a>' for c in site.crumb) + "</div>",
        '<div class="article">',
        f"<h1>{_esc(spec, title)}</h1>",
        f'<div class="info">{html.escape(pub_line(site, rng, pub_date))}</div>',
        '<div class="content" id="zoom">',
    ]
    paras: list[str] = []

    def p(s: str, cls: str = "", indent: bool = True) -> None:
        body = _inline(spec, rng, s)
        if spec.br_layout:
            paras.append((ind if indent else "") + body)
        else:
            attr = f' class="{cls}"' if cls else ""
            o.append(f"<p{attr}{pstyle if indent else ''}>{ind if indent else ''}{body}</p>")

    def flush() -> None:
        if paras:
            o.append("<div>" + "<br>\n".join(paras) + "</div>")
            paras.clear()

    for s in lede_paras:
        p(s)
    for i, h in enumerate(head):
        p(h, "title" if i == len(head) - 1 else "", indent=False)
    for kind, val in blocks:
        if kind == "t":
            flush()
            o.append('<table border="1" cellspacing="0" cellpadding="0"><tbody>')
            for r in val:
                o.append("<tr>" + "".join(f"<td>{_esc(spec, c)}</td>" for c in r) + "</tr>")
            o.append("</tbody></table>")
        else:
            p(val, indent=kind == "p")
    flush()
    if trailer:
        text, _, brk = trailer
        cut = [text[:brk], text[brk:]] if brk else [text]
        o.append('<p class="source">' + "<br>".join(_esc(spec, x) for x in cut) + "</p>")
    if cut_footer:
        return "\n".join(o) + "\n"
    o.append("</div>")
    o.append(
        '<div class="tools">【<a href="javascript:window.print()">打印本页</a>】'
        '【<a href="javascript:window.close()">关闭窗口</a>】</div>'
    )
    fc = footer_chrome(site, rng, doc.jur)
    pn = [x for x in fc if x.startswith(("上一篇", "下一篇"))]
    o.append(
        '<div class="pn">'
        + "<br>".join(f'<a href="/art/{rng.randint(1000, 99999)}.html">{html.escape(x)}</a>' for x in pn)
        + "</div>"
    )
    o.append("</div>")
    o.append('<div class="footer">' + "".join(f"<p>{html.escape(x)}</p>" for x in site.footer) + "</div>")
    o.append(f"<script>{site.js}</script>")
    o.append("</body></html>")
    return "\n".join(o) + "\n"
