"""Web chrome: the lines a scraper picks up around a document.

Two sources of evidence: rules for what government sites print around an
article (breadcrumbs, hit counters, publication lines, buttons, footers), and
recurrence — a line that opens or closes documents with different bodies is
the site's furniture, whatever it says.  Rules look at the normalized line
(width folded, whitespace removed).
"""

from __future__ import annotations

import hashlib
import re
from re import _constants as _c  # type: ignore[attr-defined]  # the regex parser: which characters a rule can start with
from re import _parser  # type: ignore[attr-defined]
from typing import Any

# Lines longer than this are text, whatever words they contain.
MAX_CHROME_LEN = 90

_RULES: list[tuple[str, re.Pattern[str]]] = [
    ("greeting", re.compile(r"^(今天是|今天是:|欢迎(您|你)?(访问|光临|来到))")),
    (
        "breadcrumb",
        re.compile(
            r"^(当前位置|您的位置|你的位置|您现在的位置|现在位置|所在位置|当前页面|位置)[:>]|首页(>|»|→|/|>>|\\)"
        ),
    ),
    ("counter", re.compile(r"(点击|浏览|阅读|访问)(次数|量|数|率)?[:]?\d+|(浏览次数|阅读次数|点击数|访问量|点击量)")),
    (
        "publication",
        re.compile(
            r"(发布|发表|更新|上传|录入|信息)(日期|时间)[:]|^(日期|时间)[:]\d{4}|时间[:]\d{4}-\d{1,2}-\d{1,2}"
            r"|(信息|文章|稿件|新闻)?来源[:]|^(作者|编辑|责任编辑|责编|审核|供稿|撰稿|记者)[:]|发布机构[:]|索引号[:]|主题分类[:]"
        ),
    ),
    (
        "button",
        re.compile(
            r"^[【\[]?(打印|关闭|关闭窗口|打印本页|打印此页|打印文章|打印正文|收藏|加入收藏|分享|返回|返回顶部|返回首页|"
            r"字体|字号|【大】|大|中|小|默认|保存|纠错|我要纠错)[】\]]?([【\[]?(打印|关闭|关闭窗口|打印本页|收藏|分享|返回顶部|大|中|小|默认|保存)[】\]]?)*$"
            r"|^[【\[]?字(体|号)[:]?[【\[]?[大中小]|【(打印|关闭|关闭窗口|打印本页|收藏本页|返回顶部)】"
        ),
    ),
    (
        "footer",
        re.compile(
            r"版权所有|ICP备|ICP证|网站标识码|主办单位[:]|承办单位[:]|技术支持[:]|网站地图|联系我们|公网安备|"
            r"建议使用.{0,20}浏览器|分辨率|Copyright|copyright|©"
        ),
    ),
    ("contact", re.compile(r"^(电话|传真|邮编|邮政编码|地址|联系电话|联系地址|E-?mail|邮箱|电子邮箱)[:]")),
    (
        "pager",
        re.compile(r"^(上一篇|下一篇|上一条|下一条|上一页|下一页|相关链接|相关文章|相关阅读|相关新闻|热点推荐)[:]?"),
    ),
    ("share", re.compile(r"扫一扫|分享到|用手机扫描|手机扫码|二维码|微信扫|微信公众号|关注我们")),
    ("separator", re.compile(r"^[|\-_=*·•>]+$")),
    # A menu: three or more short items between bars ("首页 | 政务公开 | 新闻中心").
    ("navigation", re.compile(r"^(?:[^|。;,]{1,10}\|){2,}[^|。;,]{1,10}$")),
]

RULE_KINDS = frozenset(kind for kind, _ in _RULES)

# A news trailer glued to the end of the last paragraph.
TRAILERS: list[tuple[str, re.Pattern[str]]] = [
    (
        "source",
        re.compile(
            r"[(（](信息|文章|稿件|新闻)?来源[:：][^()（）]{1,40}[)）]\s*$|[【\[](信息|文章|稿件|新闻)?来源[:：][^【】\[\]]{1,40}[】\]]\s*$"
        ),
    ),
    (
        "editor",
        re.compile(r"[(（](责任)?编辑[:：][^()（）]{1,30}[)）]\s*$|[【\[](责任)?编辑[:：][^】\]]{1,30}[】\]]\s*$"),
    ),
    ("separator", re.compile(r"\s+[|｜]\s*$")),
]


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regex (``a|(b|c)|d`` -> ``a``, ``(b|c)``, ``d``)."""
    out, cur, depth, in_class, i = [], [], 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            cur.append(pattern[i : i + 2])
            i += 2
            continue
        if c == "|" and depth == 0 and not in_class:
            out.append("".join(cur))
            cur = []
        else:
            in_class = (c == "[" or in_class) and not (in_class and c == "]")
            depth += (c == "(") - (c == ")") if not in_class else 0
            cur.append(c)
        i += 1
    return out + ["".join(cur)]


# A quick test per line before the rules: the alternatives anchored at the start in one
# pattern tried only there (``match``), the others in one search.  One search over every
# alternative is several times slower: an anchored or optional first item leaves the
# regex engine no first character to skip ahead to.  On a hit the rules are tried in
# order (hits are rare: most lines are text).
_ALTS = [alt for _, pat in _RULES for alt in _alternatives(pat.pattern)]
_ANY_AT_START = re.compile("|".join(f"(?:{a[1:]})" for a in _ALTS if a.startswith("^")))
_ANY_INSIDE = re.compile("|".join(f"(?:{a})" for a in _ALTS if not a.startswith("^")))


def _first_chars(seq: Any) -> tuple[set[int] | None, bool]:
    """Code points a parsed regex can start with (None: any), and whether it can match nothing."""
    out: set[int] = set()
    for op, av in seq:
        if op is _c.LITERAL:
            return out | {av}, False
        if op is _c.IN and all(o in (_c.LITERAL, _c.RANGE) for o, _ in av):
            chars = [v for o, v in av if o is _c.LITERAL] + [
                c for o, v in av if o is _c.RANGE for c in range(v[0], v[1] + 1)
            ]
            if len(chars) > 256:
                return None, False
            return out | set(chars), False
        if op is _c.SUBPATTERN:
            inner, empty = _first_chars(av[3])
        elif op is _c.BRANCH:
            firsts = [_first_chars(alt) for alt in av[1]]
            if any(f is None for f, _ in firsts):
                return None, False
            inner, empty = set().union(*(f for f, _ in firsts if f is not None)), any(e for _, e in firsts)
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            inner, empty = _first_chars(av[2])
            empty = empty or av[0] == 0
        else:  # anything else (any character, a category, an anchor): no quick test
            return None, False
        if inner is None:
            return None, False
        out |= inner
        if not empty:
            return out, False
    return out, True


def _inside_starts() -> re.Pattern[str] | None:
    chars, empty = _first_chars(_parser.parse(_ANY_INSIDE.pattern))
    if chars is None or empty:
        return None
    return re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(chars)) + "]")


# The characters the unanchored alternatives start with: the search is tried only where one
# of them stands (four times faster than one search over the line, whose many alternatives
# give the regex engine no first character to skip ahead to).
_INSIDE_STARTS = _inside_starts()


def _inside(line: str) -> bool:
    if _INSIDE_STARTS is None:
        return _ANY_INSIDE.search(line) is not None
    return any(_ANY_INSIDE.match(line, m.start()) for m in _INSIDE_STARTS.finditer(line))


def classify(norm_line: str) -> str | None:
    """Chrome kind of a normalized line, or None if it reads as text."""
    if (
        not norm_line
        or len(norm_line) > MAX_CHROME_LEN
        or (_ANY_AT_START.match(norm_line) is None and not _inside(norm_line))
    ):
        return None
    for kind, pat in _RULES:
        if pat.search(norm_line):
            return kind
    return None


def line_key(norm_line: str) -> str:
    """Key under which a line's recurrence across documents is counted."""
    return hashlib.blake2b(norm_line.encode("utf-8"), digest_size=8).hexdigest()


def edge_lines(norm_lines: list[str], k: int = 12) -> list[str]:
    """The short lines at the top and bottom of a document: where site furniture sits."""
    content = [s for s in norm_lines if s]
    picked = content[:k] + content[-k:] if len(content) > 2 * k else content
    return [s for s in picked if len(s) <= MAX_CHROME_LEN]
