#!/usr/bin/env python3
"""The blind generator: a trace target and sibling documents from a pool (see ``bench/blind/__init__.py``).

    python -m bench.blind.gen SEED POOL_DIR OUT_DIR [--siblings K] [--as-written]

Writes ``OUT_DIR/target.txt``, ``OUT_DIR/siblings/*.txt`` (K per source) and ``OUT_DIR/gold.json``
(absolute paths), and prints a one-line JSON summary.  ``--as-written`` reproduces the colleague's
original output byte for byte (the three known flaws left in).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ''):  # run as a script: python bench/blind/gen.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.blind.pool import Pool, norm

# ---- own gazetteer: province -> (short, abbreviation, {city: [counties]})
GAZ = {
    '湖北省': (
        '湖北',
        '鄂',
        {
            '武汉市': ['江夏区', '黄陂区', '蔡甸区'],
            '宜昌市': ['夷陵区', '远安县', '当阳市'],
            '襄阳市': ['襄州区', '南漳县', '枣阳市'],
            '荆州市': ['公安县', '监利市'],
            '十堰市': ['郧阳区', '竹山县'],
            '黄石市': ['大冶市', '阳新县'],
            '孝感市': ['汉川市', '应城市'],
            '黄冈市': ['麻城市', '浠水县'],
            '荆门市': ['京山市', '钟祥市'],
            '咸宁市': ['嘉鱼县', '赤壁市'],
            '随州市': ['广水市'],
            '鄂州市': ['华容区'],
        },
    ),
    '广东省': (
        '广东',
        '粤',
        {
            '广州市': ['番禺区', '花都区', '增城区'],
            '深圳市': ['宝安区', '龙岗区'],
            '佛山市': ['顺德区', '南海区'],
            '东莞市': [],
            '珠海市': ['斗门区'],
            '惠州市': ['博罗县', '惠东县'],
            '中山市': [],
            '江门市': ['台山市', '开平市'],
            '肇庆市': ['高要区', '四会市'],
            '汕头市': ['澄海区'],
            '湛江市': ['廉江市'],
            '茂名市': ['信宜市'],
            '清远市': ['英德市'],
            '韶关市': ['乐昌市'],
            '梅州市': ['兴宁市'],
        },
    ),
    '四川省': (
        '四川',
        '川',
        {
            '成都市': ['双流区', '郫都区', '新津区'],
            '绵阳市': ['江油市', '三台县'],
            '德阳市': ['广汉市', '什邡市'],
            '宜宾市': ['叙州区', '南溪区'],
            '泸州市': ['合江县', '泸县'],
            '南充市': ['阆中市', '西充县'],
            '乐山市': ['峨眉山市', '犍为县'],
            '自贡市': ['荣县'],
            '遂宁市': ['射洪市'],
            '内江市': ['隆昌市'],
            '眉山市': ['彭山区'],
            '达州市': ['宣汉县'],
            '广元市': ['苍溪县'],
        },
    ),
    '浙江省': (
        '浙江',
        '浙',
        {
            '杭州市': ['萧山区', '余杭区', '桐庐县'],
            '宁波市': ['慈溪市', '余姚市', '象山县'],
            '温州市': ['瑞安市', '乐清市'],
            '绍兴市': ['诸暨市', '嵊州市', '新昌县'],
            '嘉兴市': ['海宁市', '桐乡市'],
            '湖州市': ['长兴县', '德清县'],
            '金华市': ['义乌市', '东阳市', '浦江县'],
            '台州市': ['温岭市', '临海市'],
            '衢州市': ['江山市', '龙游县'],
            '丽水市': ['龙泉市', '缙云县'],
            '舟山市': ['岱山县'],
        },
    ),
    '江苏省': (
        '江苏',
        '苏',
        {
            '南京市': ['江宁区', '浦口区'],
            '苏州市': ['昆山市', '常熟市', '吴中区'],
            '无锡市': ['江阴市', '宜兴市', '滨湖区'],
            '常州市': ['溧阳市', '武进区'],
            '南通市': ['海门区', '如皋市'],
            '徐州市': ['邳州市', '沛县'],
            '扬州市': ['仪征市', '高邮市'],
            '镇江市': ['丹阳市', '句容市'],
            '泰州市': ['靖江市', '兴化市'],
            '盐城市': ['东台市', '建湖县'],
            '淮安市': ['涟水县'],
            '连云港市': ['东海县'],
            '宿迁市': ['沭阳县'],
        },
    ),
    '福建省': (
        '福建',
        '闽',
        {
            '福州市': ['闽侯县', '福清市', '长乐区'],
            '厦门市': ['同安区', '集美区'],
            '泉州市': ['晋江市', '石狮市', '南安市'],
            '漳州市': ['龙海区', '漳浦县'],
            '莆田市': ['仙游县'],
            '三明市': ['永安市', '沙县区'],
            '南平市': ['建瓯市', '武夷山市'],
            '龙岩市': ['上杭县', '长汀县'],
            '宁德市': ['福安市', '福鼎市'],
        },
    ),
    '安徽省': (
        '安徽',
        '皖',
        {
            '合肥市': ['肥西县', '长丰县', '巢湖市'],
            '芜湖市': ['无为市', '繁昌区'],
            '蚌埠市': ['怀远县', '五河县'],
            '安庆市': ['桐城市', '怀宁县'],
            '马鞍山市': ['当涂县', '含山县'],
            '滁州市': ['天长市', '来安县'],
            '阜阳市': ['界首市', '太和县'],
            '宿州市': ['萧县'],
            '六安市': ['霍山县'],
            '宣城市': ['宁国市'],
            '铜陵市': ['枞阳县'],
            '黄山市': ['歙县'],
            '淮南市': ['凤台县'],
            '亳州市': ['蒙城县'],
        },
    ),
    '湖南省': (
        '湖南',
        '湘',
        {
            '长沙市': ['浏阳市', '宁乡市', '长沙县'],
            '株洲市': ['醴陵市', '攸县'],
            '湘潭市': ['湘乡市', '韶山市'],
            '衡阳市': ['耒阳市', '衡阳县'],
            '岳阳市': ['汨罗市', '临湘市'],
            '常德市': ['津市市', '澧县'],
            '郴州市': ['资兴市', '桂阳县'],
            '益阳市': ['沅江市'],
            '邵阳市': ['邵东市'],
            '娄底市': ['涟源市'],
            '永州市': ['祁阳市'],
            '怀化市': ['洪江市'],
        },
    ),
    '山东省': (
        '山东',
        '鲁',
        {
            '济南市': ['章丘区', '平阴县'],
            '青岛市': ['胶州市', '平度市', '即墨区'],
            '烟台市': ['龙口市', '莱州市'],
            '潍坊市': ['寿光市', '诸城市'],
            '淄博市': ['桓台县', '沂源县'],
            '临沂市': ['沂水县', '兰陵县'],
            '济宁市': ['邹城市', '曲阜市'],
            '威海市': ['荣成市', '乳山市'],
            '泰安市': ['新泰市', '肥城市'],
            '德州市': ['禹城市'],
            '聊城市': ['临清市'],
            '滨州市': ['邹平市'],
            '菏泽市': ['曹县'],
            '日照市': ['莒县'],
            '东营市': ['广饶县'],
            '枣庄市': ['滕州市'],
        },
    ),
    '河南省': (
        '河南',
        '豫',
        {
            '郑州市': ['巩义市', '新郑市', '中牟县'],
            '洛阳市': ['偃师区', '孟津区'],
            '开封市': ['兰考县', '尉氏县'],
            '新乡市': ['长垣市', '辉县市'],
            '许昌市': ['禹州市', '长葛市'],
            '南阳市': ['邓州市', '镇平县'],
            '焦作市': ['沁阳市', '孟州市'],
            '安阳市': ['林州市', '滑县'],
            '平顶山市': ['汝州市', '舞钢市'],
            '商丘市': ['永城市', '夏邑县'],
            '信阳市': ['固始县', '潢川县'],
            '周口市': ['项城市'],
            '驻马店市': ['确山县'],
            '漯河市': ['舞阳县'],
            '三门峡市': ['灵宝市'],
            '鹤壁市': ['浚县'],
        },
    ),
}

SYN = [
    ('加快', '加速'),
    ('推进', '推动'),
    ('着力', '大力'),
    ('积极', '主动'),
    ('支持', '鼓励'),
    ('提升', '提高'),
    ('建设', '打造'),
    ('完善', '健全'),
    ('重点', '重要'),
    ('培育', '扶持'),
    ('强化', '加强'),
    ('进一步', '更加'),
    ('企业', '市场主体'),
    ('全面', '全方位'),
    ('深入', '持续'),
    ('一批', '若干'),
    ('实施', '开展'),
    ('力争', '争取'),
    ('发展', '壮大'),
    ('引导', '推动'),
]

# novel-text vocabulary of the target (deliberately 2026-ish, unlikely in the pool)
NV_IND = [
    '低空经济',
    '具身智能',
    '合成生物',
    '银发经济',
    '商业航天',
    '算力网络',
    '钠离子电池',
    '人形机器人',
    '量子测量',
    '生物制造',
    '氢能重卡',
    '智能网联船舶',
    '数据标注',
    '脑机接口',
    '深海装备',
    '固态电池',
    '光子芯片',
    '细胞治疗',
    '工业母机再制造',
    '城市级数据空间',
]
NV_ACT = [
    '梳理形成',
    '动态编制',
    '滚动更新',
    '按季度调度',
    '建立健全',
    '逐园区排查',
    '分批次认定',
    '以揭榜方式组建',
    '采取赛马机制遴选',
    '按照一链一策谋划',
]
NV_OBJ = [
    '应用场景清单',
    '链主企业名录',
    '中试验证平台',
    '概念验证中心',
    '首购首用目录',
    '产业地图',
    '企业服务专员队伍',
    '算力券发放机制',
    '场景开放清单',
    '产业发展基金子基金群',
    '共享实验室',
    '人才飞地',
    '数据要素登记中心',
    '零碳示范工厂',
]
NV_TAIL = [
    '形成可复制推广的经验做法',
    '确保各项任务按期落地见效',
    '年底前完成阶段性评估',
    '每半年向社会公布一次进展',
    '纳入年度综合考评',
    '由牵头单位会同属地政府组织实施',
    '推动形成上下联动的工作格局',
    '实行清单化闭环管理',
]
NV_UNIT = ['个', '家', '项', '条', '处']

# the siblings' own novel-text vocabulary (flaw a): no word of the target's bank, so a sibling never holds
# the target's added text; same shapes, so the siblings' additions read alike
SB_IND = [
    '海洋牧场',
    '预制菜',
    '智慧康养',
    '冰雪旅游',
    '林下经济',
    '文创动漫',
    '跨境电商',
    '新型储能',
    '北斗导航',
    '绿色建材',
    '现代种业',
    '中医药康养',
    '电竞产业',
    '陆港物流',
    '再生资源回收',
    '微短剧',
    '卫星互联网',
    '沉浸式文旅',
    '夜间经济',
    '丘陵农机',
]
SB_ACT = [
    '统筹布局',
    '分级分类培育',
    '按年度遴选',
    '组织专家论证',
    '挂图作战推进',
    '以奖代补扶持',
    '成熟一个推进一个',
    '依托龙头企业牵头组建',
    '按月通报督促',
    '实行台账式推进',
]
SB_OBJ = [
    '特色产业园区',
    '公共服务平台',
    '孵化加速器',
    '专精特新梯度库',
    '重点项目储备库',
    '产业联盟',
    '技能大师工作室',
    '检验检测中心',
    '创新联合体',
    '标准化示范基地',
    '招商引资专班',
    '金融服务驿站',
    '产业学院',
    '星创天地',
]
SB_TAIL = [
    '适时开展第三方绩效评价',
    '相关经费列入部门预算统筹保障',
    '每季度通报工作推进情况',
    '重大事项及时请示报告',
    '各地可结合实际细化落实',
    '成效突出的予以通报表扬',
    '探索建立容错纠错机制',
    '做好政策宣传解读工作',
]


@dataclass(frozen=True)
class Bank:
    """A novel-text vocabulary: industries, actions, objects, whole closing clauses, counting units."""

    ind: list[str]
    act: list[str]
    obj: list[str]
    tail: list[str]
    unit: list[str]


TARGET_BANK = Bank(NV_IND, NV_ACT, NV_OBJ, NV_TAIL, NV_UNIT)
SIBLING_BANK = Bank(SB_IND, SB_ACT, SB_OBJ, SB_TAIL, NV_UNIT)

# a table cell holding a number (1.8, 24.5, 2): no heading, though '1.' looks like an outline label (flaw b)
NUMBER_CELL = re.compile(r'^[\d.．,，%％+\-~～]+$')


def cn_date(d: dt.date) -> str:
    return f'{d.year}年{d.month}月{d.day}日'


class Gen:
    """The generator's one random stream and its novel text, checked against the pool (no 10-char run)."""

    def __init__(self, seed: int, pool: Pool) -> None:
        self.r = random.Random(seed)
        self.r_short = random.Random(f'{seed}-short-clause')  # Gen.short_clause's: the main stream stays the original's
        self.r_sibling = random.Random(f'{seed}-sibling-text')  # the siblings' own novel text, likewise
        self.pool = pool

    # ---------- novel text ----------
    def novel_clause(self, place: str, bank: Bank = TARGET_BANK, r: random.Random | None = None) -> str:
        r = r or self.r
        s = ''
        for _ in range(30):
            k = r.randrange(5)
            if k == 0:
                s = f'{r.choice(bank.act)}{r.choice(bank.ind)}{r.choice(bank.obj)}'
            elif k == 1:
                s = f'{place}{r.choice(bank.ind)}领域{r.choice(bank.act)}{r.choice(bank.obj)}'
            elif k == 2:
                s = f'到{r.randint(2027, 2030)}年新增{r.choice(bank.ind)}{r.choice(bank.obj)}{r.randint(3, 60)}{r.choice(bank.unit)}'
            elif k == 3:
                s = r.choice(bank.tail)
            else:
                s = f'围绕{r.choice(bank.ind)}和{r.choice(bank.ind)}{r.choice(bank.act)}{r.choice(bank.obj)}'
            if not self.pool.has_ngram(s, 10):
                return s
        return s

    def short_clause(self, bank: Bank = TARGET_BANK, most: int = 12) -> str:
        """A whole novel clause of at most ``most`` characters (an action and an object, or a closing clause)."""
        r = self.r_short
        s = ''
        for _ in range(30):
            s = r.choice(bank.tail) if r.random() < 0.3 else f'{r.choice(bank.act)}{r.choice(bank.obj)}'
            if len(s) <= most and not self.pool.has_ngram(s, 10):
                return s
        return s

    def novel_sentence(self, place: str, bank: Bank = TARGET_BANK, r: random.Random | None = None) -> str:
        r = r or self.r
        s = ''
        for _ in range(30):
            n = r.randint(2, 3)
            cl = [self.novel_clause(place, bank, r) for _ in range(n)]
            s = '，'.join(cl) + '。'
            if not self.pool.has_ngram(s, 10):
                return s
        return s


def localize_map(src_node: dict, tgt: dict) -> tuple[list[tuple[str, str]], str]:
    """list of (old, new) replacements for localizing src_node's text to tgt jurisdiction."""
    lvl = tgt['level']  # city or county
    suf = '市' if lvl == 'city' else ('区' if tgt['name'].endswith('区') else '县')
    full = tgt['name']
    short = full[:-1] if len(full) > 2 else full
    reps = []
    sl = src_node['level']
    if sl == 'province':
        pfull = src_node['jurisdiction']
        pshort = GAZ.get(pfull, (pfull[:-1],))[0]
        reps += [
            (f'{pfull}委', f'{full}委'),
            (pfull, full),
            ('省委省政府', f'{suf}委{suf}政府'),
            ('省委、省政府', f'{suf}委、{suf}政府'),
            ('全省', f'全{suf}'),
            ('我省', f'我{suf}'),
            ('本省', f'本{suf}'),
            ('省政府', f'{suf}政府'),
            ('省级', f'{suf}级'),
            ('省直', f'{suf}直'),
            ('省内', f'{suf}内'),
            ('各市、县（市、区）', '各县（市、区）' if lvl == 'city' else '各乡镇（街道）'),
            (pshort, short),
        ]
    elif sl in ('city', 'county'):
        cfull = src_node['jurisdiction']
        csuf = cfull[-1]
        cshort = cfull[:-1] if len(cfull) > 2 else cfull
        reps += [
            (cfull, full),
            (f'全{csuf}', f'全{suf}'),
            (f'我{csuf}', f'我{suf}'),
            (f'{csuf}委{csuf}政府', f'{suf}委{suf}政府'),
            (f'{csuf}政府', f'{suf}政府'),
            (cshort, short),
        ]
    else:  # national
        reps += [('全国', f'全{suf}'), ('我国', f'我{suf}')]
    return reps, suf


DEPT = re.compile(r'省([\u4e00-\u9fff]{1,6}?)(厅|委|局)')


def apply_loc(s: str, reps: list[tuple[str, str]], suf: str) -> str:
    out = s
    for a, b in reps:
        out = out.replace(a, b)
    if suf:
        out = DEPT.sub(lambda m: f'{suf}{m.group(1)}{"局" if m.group(2) == "厅" else m.group(2)}', out)
    return out


def width_change(s: str, r: random.Random) -> str:
    if r.random() < 0.5:
        return s.replace('，', ',').replace('；', ';').replace('：', ':').replace('（', '(').replace('）', ')')
    return s


OUTLINE = re.compile(
    r'^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|\d+[\.．、]|（\d+）)'
)
CN_NUM = '一二三四五六七八九十'


def cn_num(i: int) -> str:
    if i <= 10:
        return CN_NUM[i - 1]
    if i < 20:
        return '十' + CN_NUM[i - 11]
    return CN_NUM[i // 10 - 1] + '十' + (CN_NUM[i % 10 - 1] if i % 10 else '')


class Builder:
    """accumulates target text and gold sentences."""

    def __init__(self) -> None:
        self.text = ''
        self.sents: list[dict] = []

    def add_line(self, s: str, relation: str = 'header') -> None:
        a = len(self.text)
        self.text += s + '\n'
        if relation:
            self.sents.append({'span': [a, a + len(s)], 'relation': relation, 'src': None, 'text': s})

    def add_para(self, items: list[tuple[str, dict | None]], indent: str = '\u3000\u3000') -> None:
        """items: list of (text, gold dict or None)."""
        self.text += indent
        for t, gd in items:
            a = len(self.text)
            self.text += t
            if gd is not None:
                gd = dict(gd)
                gd['span'] = [a, a + len(t)]
                gd['text'] = t
                self.sents.append(gd)
        self.text += '\n'


def generate(
    seed: int,
    pool: Pool | str | os.PathLike[str],
    out: str | os.PathLike[str],
    siblings: int = 0,
    as_written: bool = False,
) -> dict:
    """Write one target (``out/target.txt``), K siblings per source (``out/siblings/``) and ``out/gold.json``.

    Returns the summary line.  ``as_written`` keeps the three known flaws (the colleague's exact output)."""
    if not isinstance(pool, Pool):
        pool = Pool(pool)
    out = os.path.abspath(out)
    G = Gen(seed, pool)
    r = G.r
    os.makedirs(out, exist_ok=True)

    # ---- choose province P with a province plan in pool, and a target jurisdiction
    provs = {}
    for n in pool.gold['nodes']:
        if n['level'] == 'province' and n['province'] in GAZ and not n.get('unrelated') and n['mode'] != 'cite_only':
            d = pool.docs[n['id']]
            if len(d.text) - d.body0 > 4500:
                provs.setdefault(n['province'], []).append(n)
    P = r.choice(sorted(provs))
    prim = r.choice(sorted(provs[P], key=lambda n: n['id']))
    cities = GAZ[P][2]
    city = r.choice(sorted(cities))
    if r.random() < 0.35 and cities[city]:
        tgt = {'name': r.choice(cities[city]), 'level': 'county', 'city': city, 'province': P}
    else:
        tgt = {'name': city, 'level': 'city', 'city': None, 'province': P}
    # secondary sources
    others = [
        n
        for n in pool.gold['nodes']
        if n['id'] != prim['id']
        and not n.get('unrelated')
        and n['mode'] != 'cite_only'
        and n['jurisdiction'] != tgt['name']
        and len(pool.docs[n['id']].text) - pool.docs[n['id']].body0 > 3000
    ]
    nsec = r.randint(1, 4)
    secs = []
    orig = [n for n in others if n['mode'] in ('synth', 'compose')]
    while len(secs) < nsec:
        n = r.choice(orig if r.random() < 0.85 else others)
        if n in secs:
            continue
        # avoid a secondary that is ancestor/descendant of another chosen source (would blur gold)
        ids = [prim['id']] + [s['id'] for s in secs]
        if any(n['id'] in pool.desc(x) or x in pool.desc(n['id']) for x in ids):
            continue
        secs.append(n)
    sources = [prim] + secs
    maxd = max(dt.date.fromisoformat(n['date']) for n in sources if n.get('date'))
    tdate = maxd + dt.timedelta(days=r.randint(40, 500))
    tdate = min(tdate, dt.date(2026, 11, 30))
    target_chars = r.randint(9000, 18000)

    gen_stats = {'skipped_nonunique': 0, 'ops': {}}

    def allowed(nid: str) -> set[str]:
        return {nid} | pool.desc(nid)

    def unique_ok(text: str, nid: str) -> tuple[bool, set[str]]:
        h = pool.holders(text)
        return h <= allowed(nid), h

    counting = [True]  # off while a left-out paragraph is edited

    def op_count(k: str) -> None:
        if not counting[0]:
            return
        gen_stats['ops'][k] = gen_stats['ops'].get(k, 0) + 1

    # ---------- per-sentence edit ----------
    place = tgt['name']

    def edit_sentence(
        stext: str, node: dict, reps: list[tuple[str, str]], suf: str, pos_src: list[int]
    ) -> list[tuple[str, str, list[int]]]:
        """returns list of (text, relation, src_span) - usually one item; split gives two."""
        body = stext
        end = ''
        if body and body[-1] in '。！？；':
            end = body[-1]
            body = body[:-1]
        loc = apply_loc(body, reps, suf) if r.random() < 0.9 else body
        rel = 'localized' if loc != body else 'identical'
        x = r.random()
        commas = [i for i, c in enumerate(loc) if c == '，']
        if len(loc) <= 20 and x < 0.35:
            if commas and r.random() < 0.5:
                loc = loc[: commas[-1]]
                rel = 'short-lost-tail'
            else:
                # as written: a novel clause cut at 10 characters, often mid-word (flaw c); else a whole short
                # clause from a stream of its own (the main stream draws the clause as before, and stays aligned)
                cut = G.novel_clause(place)[:10]
                loc = loc + '，' + (cut if as_written else G.short_clause())
                rel = 'short-gained-tail'
            return [(loc + (end or '。'), rel, pos_src)]
        if x < 0.40:
            pass
        elif x < 0.55:
            # synonyms
            cands = [p for p in SYN if p[0] in loc]
            if cands:
                for o, nw in r.sample(cands, min(len(cands), r.randint(1, 2))):
                    # replace one random occurrence
                    idx = [m.start() for m in re.finditer(re.escape(o), loc)]
                    i = r.choice(idx)
                    loc = loc[:i] + nw + loc[i + len(o) :]
                rel = 'modified-synonym'
        elif x < 0.62:
            nums = list(re.finditer(r'(\d+(?:\.\d+)?)(年|家|个|亿元|万元|%|项|户|条)', loc))
            if nums:
                m = r.choice(nums)
                v = m.group(1)
                if m.group(2) == '年' and len(v) == 4:
                    nv = str(int(v) + r.choice([1, 2, 5]))
                else:
                    try:
                        f = float(v)
                        nv = str(max(1, int(f * r.choice([0.5, 1.5, 2, 3]))))
                    except ValueError:
                        nv = v
                loc = loc[: m.start(1)] + nv + loc[m.end(1) :]
                rel = 'modified-number'
        elif x < 0.70 and commas:
            i = r.choice(commas)
            ins = G.novel_clause(place)
            if len(ins) < 0.35 * len(loc):
                loc = loc[:i] + '，' + ins + loc[i:]
                rel = 'modified-insert'
        elif x < 0.78 and len(commas) >= 2:
            # delete a non-first clause
            bounds = [-1] + commas + [len(loc)]
            k = r.randint(1, len(bounds) - 2)
            a, b = bounds[k], bounds[k + 1]
            if (b - a) < 0.4 * len(loc):
                loc = loc[:a] + loc[b:]
                rel = 'modified-delete'
        elif x < 0.90 and commas:
            okc = [i for i in commas if i >= 8 and len(loc) - i >= 8]
            if okc:
                i = r.choice(okc)
                # map split point to source by locating left part end in source clause count
                src_commas = [j for j, c in enumerate(body) if c == '，']
                ci = commas.index(i)
                if ci < len(src_commas) and len(src_commas) == len(commas):
                    sj = pos_src[0] + src_commas[ci]
                    first = loc[:i] + '。'
                    second = loc[i + 1 :] + (end or '。')
                    return [(first, 'split', [pos_src[0], sj]), (second, 'split', [sj + 1, pos_src[1]])]
        elif x < 0.95 and commas:
            # partial: keep a long clause-run, wrap with short novel words
            bounds = [-1] + commas + [len(loc)]
            k = r.randint(0, len(bounds) - 2)
            kk = min(len(bounds) - 1, k + r.randint(1, 3))
            seg = loc[bounds[k] + 1 : bounds[kk]]
            if len(seg) >= 14:
                pre = r.choice(['同时，', '此外，', '在此基础上，', '结合本地实际，', ''])
                s2 = pre + seg
                # source span: locate seg's raw counterpart approx via clause bounds in source
                src_commas = [-1] + [j for j, c in enumerate(body) if c == '，'] + [len(body)]
                if len(src_commas) == len(bounds):
                    sp = [pos_src[0] + src_commas[k] + 1, pos_src[0] + src_commas[kk]]
                    return [(s2 + '。', 'partial', sp)]
        return [(loc + (end or ''), rel, pos_src)]

    # ---------- build target ----------
    B = Builder()
    title_core = prim['title']
    pfull = P
    pshort = GAZ[P][0]
    title = title_core.replace(pfull, '').replace(pshort, '')
    title = place + title.lstrip('《')
    suf = '市' if tgt['level'] == 'city' else tgt['name'][-1]
    issuer = f'{place}人民政府办公室' if r.random() < 0.6 else f'{place}人民政府'
    abbr = place[0]
    docno = f'{abbr}政办发〔{tdate.year}〕{r.randint(3, 90)}号'
    B.add_line(issuer)
    B.add_line(f'关于印发{title}的通知')
    B.add_line(docno)
    B.add_line(
        '各乡镇人民政府、街道办事处，县直各单位：'
        if tgt['level'] == 'county'
        else '各县（市、区）人民政府，市政府各部门，各直属机构：'
    )
    B.add_line(f'《{title}》已经{suf}政府同意，现印发给你们，请结合实际认真贯彻执行。')
    B.add_line(issuer)
    B.add_line(cn_date(tdate))
    B.add_line(title)
    # intro (novel)
    B.add_para([(G.novel_sentence(place), {'relation': 'added', 'src': None})])

    # plan paragraphs: primary in order, interleaved with runs of secondary paragraphs, some moved
    plan = []
    pd = pool.docs[prim['id']]
    pparas = list(range(len(pd.paras)))
    for i in pparas:
        if r.random() < 0.85:
            plan.append((prim['id'], i))
    # moved: take 1-2 paragraphs and move them earlier
    for _ in range(r.randint(1, 2)):
        if len(plan) > 6:
            j = r.randrange(len(plan) // 2, len(plan))
            it = plan.pop(j)
            plan.insert(r.randrange(1, j - 2), it + ('moved',))
    for s in secs:
        sd = pool.docs[s['id']]
        np_ = len(sd.paras)
        run_start = r.randrange(0, max(1, np_ // 4))
        runs = [(s['id'], k) for k in range(run_start, np_) if r.random() < 0.85]
        # insert as a block at random position
        pos = r.randrange(1, len(plan))
        plan[pos:pos] = runs
    # extra: if too short, append more of secondaries
    heads = [0, 0, 0]
    total = 0
    for item in plan:
        nid, pi = item[0], item[1]
        moved = len(item) > 2
        node = pool.nodes[nid]
        d = pool.docs[nid]
        reps, lsuf = localize_map(node, tgt)
        a, b, sspans = d.paras[pi]
        ptxt = d.text[a:b]
        # flaw (b): a number cell is edited as before (the same random draws, so the rest of the target stays
        # the original's) but left out of the target and its gold, and does not advance the heading numbers
        cell = not as_written and NUMBER_CELL.match(ptxt) is not None
        counting[0] = not cell
        items: list[tuple[str, dict | None]] = []
        # outline renumbering for the first sentence
        m = OUTLINE.match(ptxt)
        sents = list(sspans)
        if m:
            lab = m.group(0)
            if cell:
                newlab = lab
            elif lab.endswith('、') and not lab[0].isdigit():
                heads[0] += 1
                heads[1] = 0
                heads[2] = 0
                newlab = cn_num(heads[0]) + '、'
            elif lab[0] in '（(' and not lab[1].isdigit():
                heads[1] += 1
                heads[2] = 0
                newlab = f'（{cn_num(heads[1])}）'
            else:
                heads[2] += 1
                newlab = f'{heads[2]}.'
            s0a, s0b = sents[0]
            htext = apply_loc(d.text[s0a + len(lab) : s0b], reps, lsuf)
            ok, _ = unique_ok(d.text[s0a + len(lab) : s0b], nid)
            items.append(
                (
                    newlab + htext,
                    {
                        'relation': 'heading',
                        'src': {'node': nid, 'span': [s0a + len(lab), s0b]},
                        'gen_unique': ok,
                        'moved': moved,
                    },
                )
            )
            op_count('heading')
            sents = sents[1:]
        k = 0
        while k < len(sents):
            sa, sb = sents[k]
            st = d.text[sa:sb]
            ok, _h = unique_ok(st, nid)
            amb = False
            if not ok or len(norm(st)) < 6:
                if r.random() < 0.88:
                    gen_stats['skipped_nonunique'] += 1
                    k += 1
                    continue
                amb = True  # kept on purpose, flagged ambiguous in gold
                gen_stats['kept_nonunique'] = gen_stats.get('kept_nonunique', 0) + 1
            # merge with next?
            if k + 1 < len(sents) and r.random() < 0.06:
                na, nb = sents[k + 1]
                nt = d.text[na:nb]
                ok2, _ = unique_ok(nt, nid)
                if ok2 and st.endswith('。') and len(st) + len(nt) < 220:
                    mt = apply_loc(st[:-1] + '，' + nt, reps, lsuf)
                    okm, hm = unique_ok(mt, nid)
                    items.append(
                        (
                            mt,
                            {
                                'relation': 'merged',
                                'src': {'node': nid, 'span': [sa, nb]},
                                'moved': moved,
                                'gen_unique': okm and not amb,
                                'holders_exact': sorted(hm),
                            },
                        )
                    )
                    op_count('merged')
                    k += 2
                    continue
            for t, rel, sp in edit_sentence(st, node, reps, lsuf, [sa, sb]):
                # generator ambiguity check: the target text must not be held by a foreign pool doc
                okt, ht = unique_ok(t, nid)
                items.append(
                    (
                        t,
                        {
                            'relation': rel,
                            'src': {'node': nid, 'span': sp},
                            'moved': moved,
                            'gen_unique': okt and not amb,
                            'src_nonunique': amb,
                            'holders_exact': sorted(ht),
                        },
                    )
                )
                op_count(rel)
            # occasional novel sentence inside paragraph
            if r.random() < 0.07:
                items.append((G.novel_sentence(place), {'relation': 'added', 'src': None}))
                op_count('added')
            k += 1
        if not items:
            continue
        if r.random() < 0.1:
            items = [(width_change(t, r), g) for t, g in items]
        indent = '\u3000\u3000' if r.random() < 0.92 else r.choice(['', '  ', '\u3000'])
        counting[0] = True
        if cell:
            op_count('number-cell-left-out')
        else:
            B.add_para(items, indent)
            total += sum(len(t) for t, _ in items)
        if r.random() < 0.08:
            B.add_para([(G.novel_sentence(place), {'relation': 'added', 'src': None}) for _ in range(r.randint(1, 3))])
            op_count('added-para')
        if total > target_chars:
            break
    # closing novel paragraph
    B.add_para([(G.novel_sentence(place), {'relation': 'added', 'src': None})])
    tpath = os.path.join(out, 'target.txt')
    with open(tpath, 'w', encoding='utf-8') as f:
        f.write(B.text)
    # sanity: gold spans
    for s in B.sents:
        assert B.text[s['span'][0] : s['span'][1]] == s['text'], s
    for s in B.sents:
        if s.get('src'):
            s['src']['file'] = pool.docs[s['src']['node']].path
            s['src']['text'] = pool.docs[s['src']['node']].text[s['src']['span'][0] : s['src']['span'][1]]

    # ---------- siblings ----------
    sibs = []
    if siblings:
        sdir = os.path.join(out, 'siblings')
        os.makedirs(sdir, exist_ok=True)
        for src in sources:
            make_siblings(G, pool, src, tgt, tdate, siblings, sdir, sibs, TARGET_BANK if as_written else SIBLING_BANK)

    gold = {
        'seed': seed,
        'pool': pool.dir,
        'target': {
            'file': tpath,
            'jurisdiction': tgt,
            'date': tdate.isoformat(),
            'title': title,
            'body_chars': len(B.text),
        },
        'sources': [
            {
                'node': n['id'],
                'file': pool.docs[n['id']].path,
                'level': n['level'],
                'jurisdiction': n['jurisdiction'],
                'date': n['date'],
            }
            for n in sources
        ],
        'sentences': B.sents,
        'siblings': sibs,
        'gen_stats': gen_stats,
    }
    with open(os.path.join(out, 'gold.json'), 'w', encoding='utf-8') as f:
        json.dump(gold, f, ensure_ascii=False, indent=1)
    return {
        'target_chars': len(B.text),
        'sentences': len(B.sents),
        'sources': len(sources),
        'siblings': len(sibs),
        'jurisdiction': tgt['name'],
        'province': P,
        'stats': gen_stats,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('seed', type=int)
    ap.add_argument('pool', help='a bench/generate.py trace dataset (docs/ and gold.json)')
    ap.add_argument('out')
    ap.add_argument('--siblings', type=int, default=0, help='K siblings per source')
    ap.add_argument('--as-written', action='store_true', help="the colleague's output, its known flaws left in")
    a = ap.parse_args(argv)
    summary = generate(a.seed, a.pool, a.out, a.siblings, a.as_written)
    print(json.dumps(summary, ensure_ascii=False))
    return 0


def make_siblings(
    G: Gen,
    pool: Pool,
    src: dict,
    tgt: dict,
    tdate: dt.date,
    K: int,
    sdir: str,
    out: list[dict],
    bank: Bank = TARGET_BANK,
) -> None:
    """K documents derived from ``src`` for other jurisdictions of its province, appended to ``out``."""
    r = G.r
    P = src['province'] if src['level'] != 'national' else None
    names = []
    if P in GAZ:
        for c, cs in GAZ[P][2].items():
            names.append((c, 'city'))
            names += [(x, 'county') for x in cs]
    else:
        for _, _, cm in GAZ.values():
            names += [(c, 'city') for c in cm]
    names = [x for x in names if x[0] not in (tgt['name'], src['jurisdiction'])]
    r.shuffle(names)
    sd = pool.docs[src['id']]
    s0 = dt.date.fromisoformat(src['date'])
    for k in range(K):
        name, lvl = names[k % len(names)]
        sj = {'name': name, 'level': lvl}
        reps, suf = localize_map(src, sj)
        # date: after source; roughly half after the target
        if r.random() < 0.5:
            d = s0 + dt.timedelta(days=r.randint(20, max(21, (tdate - s0).days - 5)))
        else:
            d = tdate + dt.timedelta(days=r.randint(5, 300))
        d = min(d, dt.date(2026, 12, 1))
        mode = r.choice(['identical-heavy', 'localize', 'edit'])
        lines = []
        for _a, _b, sspans in sd.paras:
            if r.random() < 0.12:
                continue
            parts = []
            for sa, sb in sspans:
                st = sd.text[sa:sb]
                x = r.random()
                if mode == 'identical-heavy' and x < 0.8:
                    parts.append(st)
                    continue
                if x < 0.1:
                    continue
                t = apply_loc(st, reps, suf) if (mode != 'identical-heavy' or r.random() < 0.5) else st
                if mode == 'edit' and r.random() < 0.3:
                    cands = [p for p in SYN if p[0] in t]
                    if cands:
                        o, nw = r.choice(cands)
                        t = t.replace(o, nw, 1)
                if r.random() < 0.05:
                    # flaw (a): the original's sentence is drawn (the same draws, so the siblings stay the
                    # original's) and, with the siblings' bank, replaced by one from a stream of its own
                    novel = G.novel_sentence(name)
                    t = t + (novel if bank is TARGET_BANK else G.novel_sentence(name, bank, G.r_sibling))
                parts.append(t)
            if parts:
                lines.append('\u3000\u3000' + ''.join(parts))
        title = src['title']
        for x in (src['jurisdiction'], GAZ.get(src['jurisdiction'], ('@@',))[0]):
            title = title.replace(x, '')
        title = name + title
        issuer = f'{name}人民政府办公室'
        head = [
            issuer,
            f'关于印发{title}的通知',
            f'{name[0]}政办发〔{d.year}〕{r.randint(3, 120)}号',
            '各有关单位：',
            f'《{title}》已经{name[-1]}政府同意，现印发给你们，请认真贯彻落实。',
            issuer,
            cn_date(d),
            title,
        ]
        text = '\n'.join(head + lines) + '\n'
        fn = hashlib.sha1(f'{src["id"]}-{k}-{name}-{G.r.random()}'.encode()).hexdigest()[:16] + '.txt'
        p = os.path.join(sdir, fn)
        with open(p, 'w', encoding='utf-8') as f:
            f.write(text)
        out.append(
            {'file': os.path.abspath(p), 'of': src['id'], 'jurisdiction': name, 'date': d.isoformat(), 'mode': mode}
        )


if __name__ == '__main__':
    raise SystemExit(main())
