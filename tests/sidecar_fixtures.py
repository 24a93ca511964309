"""Corpora of bodies without notices or headers, as researchers hold them, with their metadata beside them.

* :func:`editions`: editions of one guide under one title (国家智能制造标准体系建设指南,
  2015 and 2021) and a 2018 plan citing it by title and quoting it;

(Bodies of generated corpora with a sidecar from gold: ``bench.bench_direction.bodies_from_generated``.)
"""

from __future__ import annotations

import csv
import os

GUIDE = "国家智能制造标准体系建设指南"

# Paragraphs of the guide: the 2021 edition revises some, keeps others.
_GUIDE_2015 = [
    "为贯彻落实制造强国战略，加快推进智能制造标准化工作，制定本指南。",
    "一、总体要求",
    "智能制造标准体系由基础共性、关键技术和重点行业三个部分组成，主要反映标准体系各部分的组成关系。",
    "基础共性标准包括通用、安全、可靠性、检测和评价五大类，位于智能制造标准体系结构图的最底层。",
    "关键技术标准包括智能装备、智能工厂、智能服务、工业软件和大数据、工业互联网等五个部分。",
    "二、建设目标",
    "到2018年，累计制修订150项以上智能制造标准，基本覆盖基础共性标准和关键技术标准。",
    "三、组织实施",
    "充分发挥国家智能制造标准化协调推进组和总体组的作用，统筹推进标准体系建设，加强标准宣贯和培训。",
]
_GUIDE_2021 = [
    "为深入实施智能制造工程，持续完善国家智能制造标准体系，制定本指南。",
    "一、总体要求",
    "智能制造标准体系由基础共性、关键技术和行业应用三个部分组成，主要反映标准体系各部分的组成关系。",
    "基础共性标准包括通用、安全、可靠性、检测和评价五大类，位于智能制造标准体系结构图的最底层。",
    "关键技术标准包括智能装备、智能工厂、智慧供应链、智能服务、智能赋能技术和工业网络等六个部分。",
    "二、建设目标",
    "到2023年，累计制修订100项以上国家标准、行业标准，加快创新技术成果向标准转化。",
    "三、组织实施",
    "充分发挥国家智能制造标准化协调推进组和总体组的作用，统筹推进标准体系建设，加强标准宣贯和培训。",
]
_PLAN_2018 = [
    f"为贯彻落实《{GUIDE}》，推进全市智能制造标准化工作，制定本方案。",
    "一、总体思路",
    "智能制造标准体系由基础共性、关键技术和重点行业三个部分组成，主要反映标准体系各部分的组成关系。",
    "基础共性标准包括通用、安全、可靠性、检测和评价五大类，位于智能制造标准体系结构图的最底层。",
    "关键技术标准包括智能装备、智能工厂、智能服务、工业软件和大数据、工业互联网等五个部分。",
    "二、重点任务",
    "支持本地骨干企业参与国家标准、行业标准制定，培育一批智能制造标准应用试点示范企业。",
    "建立智能制造标准服务平台，开展标准符合性检测和咨询服务，帮助中小企业对标达标。",
]

EDITION_ROWS = {
    "guide2015.txt": {"title": GUIDE, "date": "2015-12-29", "issuers": "工业和信息化部、国家标准化管理委员会"},
    "guide2021.txt": {"title": GUIDE, "date": "2021-11-17", "issuers": "工业和信息化部、国家标准化管理委员会"},
    "plan2018.txt": {
        "title": "绍兴市智能制造标准化工作方案",
        "date": "2018-06-20",
        "issuers": "绍兴市经济和信息化委员会",
    },
}


def editions(folder: str, with_2015: bool = True) -> tuple[str, str]:
    """Write the bodies and a CSV sidecar (Chinese headers) into ``folder``; returns (docs folder, sidecar path)."""
    docs = os.path.join(folder, "docs")
    os.makedirs(docs, exist_ok=True)
    bodies = {"guide2021.txt": _GUIDE_2021, "plan2018.txt": _PLAN_2018}
    if with_2015:
        bodies["guide2015.txt"] = _GUIDE_2015
    for name, paras in bodies.items():
        with open(os.path.join(docs, name), "w", encoding="utf-8") as f:
            f.write("\n".join(paras) + "\n")
    meta = os.path.join(folder, "meta.csv")
    with open(meta, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f)
        w.writerow(["文件名", "标题", "成文日期", "发文机关"])
        for name in sorted(bodies):
            r = EDITION_ROWS[name]
            w.writerow([name, r["title"], r["date"], r["issuers"]])
    return docs, meta
