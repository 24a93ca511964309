"""A small provincial plan's body and the notice a province or city issues it under, for tests that need
several related plans written by hand."""

from __future__ import annotations

BODY = [
    "一、发展目标",
    "到2025年，全省数字经济核心产业增加值占地区生产总值比重达到15%左右。",
    "建成一批国家级工业互联网平台，全省重点工业企业数字化研发设计工具普及率达到90%。",
    "二、主要任务",
    "加快第五代移动通信网络建设，推进千兆光纤网络向乡镇和重点行政村延伸。",
    "培育壮大集成电路、新型显示、智能计算等数字产业集群，提升全省产业链供应链韧性。",
    "实施中小企业数字化赋能专项行动，推动一批中小企业上云用数赋智。",
    "各地各部门要强化统筹协调，完善考核评价，确保各项目标任务如期完成。",
]


def city(lines: list[str], level: str = "全市") -> list[str]:
    """The lines as a city (or another level) writes them: 全省 -> 全市."""
    return [x.replace("全省", level) for x in lines]


def issued(place: str, date: str, lines: list[str]) -> str:
    """``lines`` as ``place``'s 数字经济发展行动计划, under its issuing notice signed on ``date``."""
    title = f"{place}数字经济发展行动计划"
    notice = [f"{place}人民政府关于印发{title}的通知", "各有关单位：", f"现将《{title}》印发给你们，请认真贯彻执行。"]
    return "\n".join([*notice, f"{place}人民政府", date, title, *lines]) + "\n"
