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
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise
from typing import Protocol

from lineage.ingest.quick import alternatives, searcher

# Lines longer than this are text, whatever words they contain.
MAX_CHROME_LEN = 90
# headings of lists of other pages (a pager line, and the head of a related list: see _RELATED)
_RELATED_PAGES = "相关链接|相关文章|相关阅读|相关新闻|热点推荐"

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
            # 来源: then a sentence is text (资金来源:省级财政专项资金和各市配套资金。)
            r"|(信息|文章|稿件|新闻)?来源[:](?![^。]*。$)|^(作者|编辑|责任编辑|责编|审核|供稿|撰稿|记者)[:]"
            r"|发布机构[:]|索引号[:]|主题分类[:]"
        ),
    ),
    # gov.cn / 信息公开 info table: its labels (value on the line, or on the next: see mark_context)
    (
        "info table",
        re.compile(
            # (a bare label a table's header row could hold too -- 标题, 文号, 实施日期 -- needs its colon)
            r"^(发文机关|成文日期|发文字号|生成日期|发布机构|索引号|主题分类|公开方式|公开范围|组配分类|体裁分类)[:]?$|"
            r"^(标题|文号|有效性|主题词|实施日期|废止日期)[:]$|^(发文机关|成文日期|标题|发文字号|文号|生成日期|有效性)[:]"
        ),
    ),
    # news and WeChat credits: 校对:赵六, 文字:张三摄影:李四, 来源|绍兴市人民政府办公室, (责编:王静、刘军涛)
    (
        "credit",
        re.compile(
            r"^(校对|终审|初审|复审|审校|二审|三审|美编|制图|摄影|监制|策划|统筹|值班编辑|文字|出品)[:]"
            r"|^(来源|编辑|责编|责任编辑|审核|校对|作者|监制|出品|策划|统筹|文字|图片|摄影|排版|设计|终审|初审)\|"
            r"|^\((责任编辑|责编|编辑|记者)[:]?[^()]{1,30}\)$"
            r"|(?<=报)料[:]|(?<=未经)授权[,，]?(不得|禁止|严禁)转载|^我要举报$|^分享让更多人看到$|^下载.{0,20}客户端|^[\u4e00-\u9fff]{2,8}新闻客户端$"
        ),
    ),
    (
        "button",
        re.compile(
            r"^[【\[]?(打印|关闭|关闭窗口|打印本页|打印此页|打印文章|打印正文|收藏|加入收藏|分享|返回|返回顶部|返回首页|"
            r"字体|字号|【大】|大|中|小|默认|保存|纠错|我要纠错)[】\]]?([【\[]?(打印|关闭|关闭窗口|打印本页|收藏|分享|返回顶部|大|中|小|默认|保存)[】\]]?)*$"
            r"|^[【\[]?字(体|号)[:]?[【\[]?[大中小]|【(打印|关闭|关闭窗口|打印本页|收藏本页|返回顶部)】"
            r"|^[【\[](我要)?纠错[】\]][【\[]?(责任编辑|责编)[:][^【】\[\]]{1,20}[】\]]?$|^[【\[]TOP[】\]]$"
            # WeChat reader buttons, alone on their line
            r"|^(阅读原文|在看|点赞|赞|分享|收藏|写留言|留言|▼+|▲+)+$"
            # a reprint cut short says where the rest is: (未完,查看全文请下载附件), 阅读全文>>, 展开全文
            r"|^[(]?(未完(?![成工结善])|未完待续)[,。]?([^()。]{0,20})?[)]?$"
            r"|^[【\[(]?(点击)?(查看|阅读|展开|下载)(全文|更多|原文)[^。,]{0,12}[】\])]?[>》»]*$"
        ),
    ),
    (
        "footer",
        re.compile(
            r"版权所有|ICP备|ICP证|网站标识码|主办单位[:]|承办单位[:]|技术支持[:]|网站地图|联系我们|公网安备|"
            r"(?<=建议|推荐)使用.{0,20}浏览器|分辨率|Copyright|copyright|©|"
            r"^(运维单位|运行维护单位|维护单位)[:]|网站识别码|(?<=政府)网站找错|"
            r"^无障碍(浏览|阅读)$|^您是第\d+位访问者|^视力保护色"
        ),
    ),
    # a sentence (地址:…秘书处。) is a notice's own text
    ("contact", re.compile(r"^(电话|传真|邮编|邮政编码|地址|联系电话|联系地址|E-?mail|邮箱|电子邮箱)[:][^。]*$")),
    (
        "pager",
        re.compile(
            rf"^(上一篇|下一篇|上一条|下一条|上一页|下一页|{_RELATED_PAGES})[:]?"
            r"|^(共\d+页)?(首页)?上一页.{0,40}下一页(尾页|末页)?$"
        ),
    ),
    # the printed page numbers of a PDF copy (— 3 —, - 3 -, 第3页 共12页)
    ("page number", re.compile(r"^[—\-―–]{1,2}\d{1,3}[—\-―–]{1,2}$|^第\d{1,3}页(共\d{1,3}页)?$")),
    # media placeholders and download widgets: 图片, ▲图为…, 视频加载中..., 附件下载:, a bare file name
    (
        "media",
        re.compile(
            r"^(图片|点击查看大图|点击图片查看大图|查看原图|点击播放|视频加载中\.*|图片加载中\.*)$|^▲(图|上图|下图|资料图)"
            r"|^(附件下载|相关附件|附件下载列表|下载附件)[:]?$|^(?!附件)[^。;,:]{1,80}\.(docx?|pdf|xlsx?|wps|et|zip|rar|ofd)$"
        ),
    ),
    (
        "share",
        re.compile(
            r"扫一扫|分享到|用手机扫描|手机扫码|二维码|微信扫|微信公众号|关注我们|^(往期推荐|往期回顾|喜欢此内容的人还喜欢)$"
            r"|^(微信|微博|QQ空间|QQ|朋友圈){2,}分享[:]?$"
        ),
    ),
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
        re.compile(
            r"[(（](责任编辑|编辑|责编)[:：][^()（）]{1,30}[)）]\s*$|[【\[](责任编辑|编辑|责编)[:：][^】\]]{1,30}[】\]]\s*$"
        ),
    ),
    ("credit", re.compile(r"[(（]记者[\s\u3000:：]*[^()（）:：]{1,30}[)）]\s*$")),
    ("separator", re.compile(r"\s+[|｜]\s*$")),
]


# A quick test per line before the rules (most lines are text: no rule), then each rule in order;
# see lineage.ingest.quick
_ANY_RULE = searcher([alt for _, pat in _RULES for alt in alternatives(pat.pattern)])
_RULE_TESTS = [(kind, searcher(pat)) for kind, pat in _RULES]


def classify(norm_line: str) -> str | None:
    """Chrome kind of a normalized line, or None if it reads as text."""
    if not norm_line or len(norm_line) > MAX_CHROME_LEN:
        return None
    return _classify(norm_line)


# Lines classified in this process are remembered: copies of a document, and a site's pages, repeat most of
# theirs (scraped copies: 6 lines in 10 seen before).
@lru_cache(maxsize=1 << 15)
def _classify(norm_line: str) -> str | None:
    if not _ANY_RULE(norm_line):
        return None
    if _OUTLINE.match(norm_line):
        return None  # a numbered heading is the document's: (四)推广“浙里办”二维码亮码服务
    for kind, test in _RULE_TESTS:
        if test(norm_line):
            return kind
    return None


# An outline marker opening a line (structure.MARKERS' Chinese and numbered styles).
_OUTLINE = re.compile(
    r"^(第[一二三四五六七八九十百零〇两\d]+[章节条]|[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、](?!\d))"
)

# Headings of lists of other pages under an article: the titles below them are chrome too.
_RELATED = re.compile(
    r"^(相关文件|相关稿件|相关解读|相关政策|相关报道|相关推荐|延伸阅读|推荐阅读|热门排行|热点排行|热门推荐|猜你喜欢|"
    rf"往期推荐|往期回顾|喜欢此内容的人还喜欢|政策解读|{_RELATED_PAGES})[:]?$"
)
# A site's footer words that a document may print too (主办:省经信厅 in an event notice, +1 in a
# table): chrome below the text only.
_FOOTER_BELOW = re.compile(
    r"^(主办|承办|协办|主管)[:][^。;]{2,40}$|^党政机关$|^适老化(无障碍)?(服务)?$|^(友情)?链接[:]?$|^\+1$"
)
_PAGER_LABEL = re.compile(r"^(上一篇|下一篇|上一条|下一条)[:]?$")
# a value of an info-table cell: an index number, a date, a classification, 有效/废止, a title or 文号
_TABLE_VALUE_MAX = 80
# labels a table's header row could hold too: chrome only among an info table's other labels
_TABLE_LABEL = re.compile(r"^(标题|文号|有效性|主题词|实施日期|废止日期)$")
COLUMN_STEP = 6  # bare numbers at one fixed step this short are a table's numbering, not pages
_PAGE_OF = re.compile(r"^\d{1,3}/\d{1,3}$|^\d{1,3}$")
_SENTENCE = re.compile("[。;!?]")
_CLAUSE = re.compile("[。;!?,]")


class _Line(Protocol):
    norm: str
    kind: str
    chrome: str | None


def mark_context(lines: Sequence[_Line]) -> None:
    """Chrome that only its neighbours show: the value under an info-table label, the titles
    of other documents under 相关文件:/推荐阅读 or after an empty 上一篇:, and the page number
    (3, 3/12) a PDF copy left between two lines of text.  Lines (structure.Line) still read
    as text (kind "content") are marked chrome with the kind of what they belong to."""
    live = [i for i, ln in enumerate(lines) if ln.kind != "blank"]

    def sentence(i: int) -> bool:
        return lines[i].kind == "content" and _SENTENCE.search(lines[i].norm) is not None

    # (the first and the last only: searching every line of a long document costs most of this pass)
    first_text = next((i for i in live if sentence(i)), len(lines))
    last_text = next((i for i in reversed(live) if sentence(i)), -1)

    def mark(i: int, kind: str) -> None:
        lines[i].kind, lines[i].chrome = "chrome", kind

    # the info table above the document: an empty label, then its value on the next line
    labels = [
        pos
        for pos, i in enumerate(live[: bisect_left(live, first_text)])
        if (lines[i].kind == "chrome" and _is_label(lines[i].norm))
        or (lines[i].kind == "content" and _TABLE_LABEL.match(lines[i].norm))
    ]
    if len(labels) >= 2:
        for pos in labels:
            if lines[live[pos]].kind == "content":
                mark(live[pos], "info table")  # 标题, 文号: a label only beside the table's others
            k = pos + 1
            if k < len(live):
                v = lines[live[k]]
                if v.kind == "content" and len(v.norm) <= _TABLE_VALUE_MAX and not _SENTENCE.search(v.norm):
                    mark(live[k], "info table")
    # below the document's last sentence: related lists and pager titles
    for pos in range(bisect_right(live, last_text), len(live)):
        i = live[pos]
        ln = lines[i]
        if ln.kind == "content" and _RELATED.match(ln.norm):
            mark(i, "related")
        elif ln.kind == "content" and _FOOTER_BELOW.match(ln.norm):
            mark(i, "footer")
        if ln.kind == "chrome" and _RELATED.match(ln.norm):
            for j in live[pos + 1 :]:
                if lines[j].kind == "content" and not _other_title(lines[j].norm):
                    break
                if lines[j].kind == "content":
                    mark(j, "related")
        elif ln.kind == "chrome" and _PAGER_LABEL.match(ln.norm) and pos + 1 < len(live):
            nxt = lines[live[pos + 1]]
            if nxt.kind == "content" and _other_title(nxt.norm):
                mark(live[pos + 1], "pager")
    # page numbers between lines of text (not among a table's cells)
    # (or after the last line: the last page's number); one between two headings when the page
    # before or after it is numbered so too
    sure: dict[int, int] = {}  # position in live -> page
    weak: dict[int, int] = {}
    for pos, i in enumerate(live):
        norm = lines[i].norm
        if len(norm) > 7 or pos == 0 or lines[i].kind != "content" or not _PAGE_OF.match(norm):
            continue
        around = [lines[live[pos - 1]].norm] + ([lines[live[pos + 1]].norm] if pos + 1 < len(live) else [])
        if all(_wordy(s) for s in around):
            page = int(norm.split("/")[0])
            strong = any(len(s) >= 15 and _CLAUSE.search(s) for s in around)
            (sure if strong else weak)[pos] = page
    pages = set(sure.values())
    for pos, page in weak.items():
        if page - 1 in pages or page + 1 in pages:
            sure[pos] = page
    # a table's 序号 column (1, 2, 3 between its task and responsibility cells) is numbers at a fixed short
    # step, or two lines apart; pages are longer and uneven
    at = sorted(sure)
    gaps = [b - a for a, b in pairwise(at)]
    column = len(gaps) >= 2 and len(set(gaps)) == 1 and gaps[0] <= COLUMN_STEP
    close = {x for a, b in pairwise(at) if b - a <= 2 for x in (a, b)}
    for pos in sure:
        if not column and pos not in close:
            mark(live[pos], "page number")


_BARE_LABEL = re.compile(r"[\u4e00-\u9fff]{2,6}[:]?")


def _is_label(norm: str) -> bool:
    """An info-table label without its value (索引号:, 发文机关, 发布日期:)."""
    return bool(_BARE_LABEL.fullmatch(norm)) and classify(norm) in ("info table", "publication")


def _other_title(norm: str) -> bool:
    """A line of a list of other pages: a title (maybe with its date), no sentence, no 附件 or date line."""
    return (
        len(norm) <= _TABLE_VALUE_MAX
        and not _SENTENCE.search(norm)
        and not norm.startswith("附件")
        and not re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", norm)
    )


def _wordy(norm: str) -> bool:
    """A line of words (not a table's number cell)."""
    return sum(1 for c in norm if "\u4e00" <= c <= "\u9fff") >= 2


def line_key(norm_line: str) -> str:
    """Key under which a line's recurrence across documents is counted."""
    return hashlib.blake2b(norm_line.encode("utf-8"), digest_size=8).hexdigest()


def edge_lines(norm_lines: list[str], k: int = 12) -> list[str]:
    """The short lines at the top and bottom of a document: where site furniture sits."""
    content = [s for s in norm_lines if s]
    picked = content[:k] + content[-k:] if len(content) > 2 * k else content
    return [s for s in picked if len(s) <= MAX_CHROME_LEN]
