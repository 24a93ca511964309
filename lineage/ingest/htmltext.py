"""Extract the text of a scraped HTML page, keeping an offset map to the source.

A small tokenizer rather than an HTML library: parsers (html.parser, lxml,
html5lib) report at best line/column of tags, not the source range of every
character after entity decoding, and scraped pages are too broken for a tree
to help much.  What we need is simple: text nodes, entities, block
boundaries as line breaks, and which text sits inside navigation/footer
containers.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache, lru_cache

from lineage.ingest.offsets import OffsetMap

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comment (maybe unterminated)
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<![^>]*>"  # doctype
    r"|<\?[^>]*>"
    r"|<(/?)([A-Za-z][A-Za-z0-9:_-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)(/?)>"  # tag
    r"|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});?",  # entity
    re.S,
)
_WS_RUN = re.compile(r"[ \t\r\n\f]+")
# an entity's character, decoded once (&nbsp; and a few others stand thousands of times in a batch)
_entity = lru_cache(maxsize=4096)(html.unescape)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title\s*>", re.I | re.S)

SKIP = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "iframe",
    "object",
    "embed",
    "select",
    "option",
    "textarea",
    "button",
    "canvas",
    "audio",
    "video",
    "map",
    "head",
}
BLOCK = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "tr",
    "td",
    "th",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "caption",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "blockquote",
    "pre",
    "hr",
    "form",
    "fieldset",
    "address",
    "figure",
    "figcaption",
    "main",
    "center",
    "title",
    "body",
    "html",
}
# Phrasing elements: they neither break lines nor hold page furniture.
INLINE = {
    "span",
    "a",
    "b",
    "i",
    "u",
    "em",
    "strong",
    "font",
    "small",
    "big",
    "sup",
    "sub",
    "abbr",
    "cite",
    "code",
    "s",
    "strike",
    "ins",
    "del",
    "mark",
    "q",
    "label",
    "var",
    "tt",
    "bdi",
    "bdo",
    "wbr",
    "o:p",
}
VOID = {"br", "hr", "img", "input", "meta", "link", "area", "base", "col", "embed", "param", "source", "track", "wbr"}
CHROME_TAGS = {"nav": "navigation", "footer": "footer", "aside": "sidebar", "header": "header"}
_CHROME_ATTR = re.compile(
    r"""(?:id|class)\s*=\s*["']?[^"'>]*?\b(nav|navbar|menu|footer|breadcrumbs?|crumbs?|share|copyright|sidebar|toolbar)\b""",
    re.I,
)


@dataclass
class HtmlText:
    text: str
    map: OffsetMap  # text index -> source index
    chrome: list[tuple[int, int, str]] = field(default_factory=list)  # text ranges inside chrome containers
    title: tuple[str, int, int] | None = None  # <title> text and its source span


def extract(src: str) -> HtmlText:
    """Text of an HTML page: one line per block, entities decoded, markup dropped."""
    out: list[str] = []
    m = OffsetMap()
    pos = 0
    stack: list[tuple[str, str | None, int]] = []  # (tag, chrome kind, text pos at open)
    chrome: list[tuple[int, int, str]] = []
    skip_depth = 0
    skip_tag = ""
    title: tuple[str, int, int] | None = None
    title_start: int | None = None
    pre = 0
    last_nl = True

    o_starts, o_lens, s_starts, s_lens = m.out_starts, m.out_lens, m.src_starts, m.src_lens

    def emit(s: str, src_start: int, src_len: int) -> None:
        # OffsetMap.add inlined (this runs for every piece of text of every page)
        nonlocal pos, last_nl
        n = len(s)
        if not n:
            return
        if (
            o_starts
            and n == src_len
            and o_lens[-1] == s_lens[-1]
            and o_starts[-1] + o_lens[-1] == pos
            and s_starts[-1] + s_lens[-1] == src_start
        ):
            o_lens[-1] += n
            s_lens[-1] += n
        else:
            o_starts.append(pos)
            o_lens.append(n)
            s_starts.append(src_start)
            s_lens.append(src_len)
        out.append(s)
        pos += n
        last_nl = s[-1] == "\n"

    def text_node(a: int, b: int) -> None:
        if skip_depth or a >= b:
            return
        chunk = src[a:b]
        if pre:
            emit(chunk, a, b - a)
            return
        if not chunk.strip(" \t\r\n\f"):  # the indentation between tags: a space at most
            if not last_nl and pos > 0:
                emit(" ", a, b - a)
            return
        if _WS_RUN.search(chunk) is None:
            emit(chunk, a, b - a)
            return
        i = a
        for ws in _WS_RUN.finditer(chunk):
            s, e = a + ws.start(), a + ws.end()
            if s > i:
                emit(src[i:s], i, s - i)
            if not last_nl and pos > 0:
                emit(" ", s, e - s)
            i = e
        if i < b:
            emit(src[i:b], i, b - i)

    def newline(at: int, length: int) -> None:
        if skip_depth:
            return
        if not last_nl and pos > 0:
            emit("\n", at, max(length, 1))

    i = 0
    n = len(src)
    search = _TOKEN.search
    while i < n:
        tok = search(src, i)
        if tok is None:
            break
        text_node(i, tok.start())
        i = tok.end()
        t = tok.group(0)
        if t.startswith("&"):
            if skip_depth:
                continue
            emit(_entity(t), tok.start(), len(t))
            continue
        name = tok.group(2)
        if not name:
            continue  # comment, doctype, CDATA, PI
        name = name.lower()
        if name in INLINE:
            continue  # no line break, never a chrome container: nothing to track
        closing = tok.group(1) == "/"
        selfclosing = tok.group(4) == "/" or name in VOID
        if name == "title":
            if not closing:
                title_start = tok.end()
            elif title_start is not None:
                raw = src[title_start : tok.start()]
                title = (html.unescape(_WS_RUN.sub(" ", raw)).strip(), title_start, tok.start())
                title_start = None
            continue
        if skip_depth:
            if skip_tag == "head" and name == "body":
                skip_depth = 0  # an unclosed <head> must not swallow the page
            elif name == skip_tag:
                if closing:
                    skip_depth -= 1
                elif not selfclosing:
                    skip_depth += 1
            continue
        if name in SKIP and not closing and not selfclosing:
            # Jump to the element's end rather than tokenizing scripts and styles;
            # a <head> ends at </head> or, unclosed, at <body>.
            end = _skip_end(name).search(src, i)
            stop = n if end is None else (end.end() if end.group(0)[1] == "/" else end.start())
            if name == "head" and title is None:
                tm = _TITLE.search(src, i, stop)
                if tm:
                    raw = tm.group(1)
                    title = (html.unescape(_WS_RUN.sub(" ", raw)).strip(), tm.start(1), tm.end(1))
            i = stop
            continue
        if name in BLOCK:
            newline(tok.start(), tok.end() - tok.start())
        if name == "pre":
            pre = pre + (-1 if closing else 1)
            pre = max(pre, 0)
        if selfclosing:
            continue
        if not closing:
            kind = CHROME_TAGS.get(name)
            if kind is None:
                am = _CHROME_ATTR.search(tok.group(3) or "")
                if am:
                    word = am.group(1).lower()
                    kind = {
                        "menu": "navigation",
                        "nav": "navigation",
                        "navbar": "navigation",
                        "crumb": "breadcrumb",
                        "crumbs": "breadcrumb",
                        "breadcrumbs": "breadcrumb",
                    }.get(word, word)
            stack.append((name, kind, pos))
        else:
            for k in range(len(stack) - 1, -1, -1):
                if stack[k][0] == name:
                    for _tag, kind, start in stack[k:][::-1]:
                        if kind and pos > start:
                            chrome.append((start, pos, kind))
                    del stack[k:]
                    break
    # a file cut off inside a tag (an interrupted download: ...</p><p sty) ends with markup, not text
    cut = _PARTIAL_TAG.search(src, i)
    text_node(i, cut.start() if cut else len(src))
    for _tag, kind, start in stack[::-1]:
        if kind and pos > start:
            chrome.append((start, pos, kind))
    text = "".join(out)
    return HtmlText(text=text, map=m, chrome=_merge_ranges(chrome), title=title)


_PARTIAL_TAG = re.compile(r"</?[A-Za-z!][^<>]*\Z")


@cache
def _skip_end(name: str) -> re.Pattern[str]:
    if name == "head":
        return re.compile(r"</head\s*>|<body[\s>]", re.I)
    return re.compile(rf"</{name}\s*>", re.I)


def _merge_ranges(ranges: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Outermost chrome containers only, in order."""
    ranges.sort(key=lambda r: (r[0], -r[1]))
    merged: list[tuple[int, int, str]] = []
    for r in ranges:
        if merged and r[0] < merged[-1][1]:
            if r[1] > merged[-1][1]:
                merged[-1] = (merged[-1][0], r[1], merged[-1][2])
            continue
        merged.append(r)
    return merged


def strip_markup(fragment: str) -> str:
    """Text of an HTML fragment cut at text boundaries (for checking spans).

    Matches :func:`extract` on the same region up to whitespace, which the
    normalizer drops anyway.
    """
    return extract(fragment).text
