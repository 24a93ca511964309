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


# Each place's own sentences, which no other plan holds even reworded: plans that share a passage beside them
# are no copies of each other (attribution.COPY_OF) where the passage is a small part of their bodies.
OWN = {
    "山东省": [
        "推进海洋牧场建设，发展远洋渔业和海洋生物医药产业，打造现代海洋产业体系。",
        "加快港口资源整合，提升青岛港国际枢纽功能，完善集疏运体系。",
        "推动黄河流域生态保护和高质量发展，实施沿黄生态廊道建设工程。",
        "做强炼化一体化项目，推动地方炼油产能整合转移，延伸高端化工产业链。",
        "建设胶东经济圈一体化发展示范区，促进济南都市圈和鲁南经济圈协同。",
        "擦亮孔孟之乡文化品牌，推进曲阜优秀传统文化传承发展示范区建设。",
        "发展现代高效农业，打造寿光蔬菜等特色农产品优势区。",
        "支持烟台、威海建设海洋经济示范区，发展船舶与海工装备。",
        "实施新旧动能转换重大工程，淘汰落后产能，培育新兴产业集群。",
        "推进泰山、黄河三角洲生态保护修复，创建国家公园。",
    ],
    "河南省": [
        "稳定粮食播种面积，建设高标准农田，提高粮食综合生产能力。",
        "发展现代物流枢纽经济，提升郑州航空港经济综合实验区辐射带动能力。",
        "推进中原城市群一体化发展，完善城际铁路网络和综合交通体系。",
        "实施南水北调后续工程，保障丹江口库区水质安全。",
        "支持洛阳建设中原城市群副中心城市，做强先进装备制造基地。",
        "传承弘扬红旗渠精神，推进太行山区乡村振兴示范带建设。",
        "发展食品加工产业集群，打造全国重要的冷链食品生产基地。",
        "推进黄河下游滩区居民迁建，保障沿黄群众生命财产安全。",
        "建设国家区域医疗中心，提升省级医院诊疗服务能力。",
        "擦亮殷墟、龙门石窟等文化名片，发展黄河文化旅游带。",
    ],
    "广东省": [
        "深化粤港澳大湾区规则衔接，推进横琴、前海、南沙重大合作平台建设。",
        "发展外向型经济，稳住外贸外资基本盘，拓展跨境电商新业态。",
        "实施制造业当家战略，培育世界级先进制造业集群。",
        "推进粤东粤西粤北地区振兴发展，实施百县千镇万村高质量发展工程。",
        "建设广深港、广珠澳科技创新走廊，打造国际科技创新中心。",
        "发展海洋牧场和深远海养殖，建设海上新广东。",
        "擦亮岭南文化品牌，推进粤剧等非物质文化遗产保护传承。",
        "推进深中通道、黄茅海跨海通道等重大交通工程建设。",
        "支持汕头、湛江建设省域副中心城市，增强辐射带动作用。",
        "实施绿美广东生态建设，推进森林质量精准提升。",
    ],
    "广州市": [
        "推进老旧小区改造和城中村治理，完善社区公共服务设施配套。",
        "建设国际消费中心城市，打造天河路、北京路等商圈。",
        "提升白云国际机场和南沙港区枢纽能级，建设国际综合交通枢纽。",
        "发展汽车、超高清视频、生物医药等产业集群，建设先进制造业强市。",
        "推动花城广场、珠江新城中央商务区提质升级。",
        "建设广州实验室和粤港澳大湾区国家技术创新中心。",
    ],
    "四川省": [
        "推进成渝地区双城经济圈建设，共建西部科学城和现代产业走廊。",
        "发展白酒、茶叶等特色优势产业，打造川酒川茶区域公用品牌。",
        "实施川藏铁路配套工程，完善进出川大通道和省内综合交通网络。",
        "加强大熊猫国家公园建设，筑牢长江黄河上游生态屏障。",
        "推进攀西战略资源创新开发试验区建设，提升钒钛稀土资源综合利用水平。",
        "建设天府粮仓，稳定川西平原粮食生产。",
    ],
    "成都市": [
        "建设践行新发展理念的公园城市示范区，推进锦江公园和天府绿道建设。",
        "发展电子信息、装备制造、医药健康等产业生态圈，提升成都高新区能级。",
        "推进天府国际机场和双流机场两场协同运营，建设国际航空枢纽。",
        "办好世界大学生运动会赛事遗产利用，建设世界赛事名城。",
    ],
    "全国": [
        "统筹推进新型城镇化和乡村全面振兴，促进城乡融合发展。",
        "深化国有企业改革，完善中国特色现代企业制度。",
        "加快建设全国统一大市场，破除地方保护和市场分割。",
        "推进高水平对外开放，稳步扩大规则、规制、管理、标准等制度型开放。",
        "健全宏观经济治理体系，加强财政政策和货币政策协调配合。",
        "完善重大疫情防控救治体系和应急能力。",
    ],
}


def traced_json(run_cli, tmp_path, files: dict[str, str], target: str) -> tuple[dict, dict[str, dict]]:
    """``lineage trace --json`` of ``target`` against ``files`` (name -> text, each written to NAME.txt, the target
    to target.txt): the output, and its matches by the target text each covers."""
    import json

    def write(name: str, text: str) -> str:
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        return str(path)

    corpus = [a for name, text in files.items() for a in ("--corpus", write(name, text))]
    r = run_cli("trace", write("target", target), "--db", str(tmp_path / "db"), "--json", "--quiet", *corpus)
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    return res, {target[slice(*m["target_span"])]: m for m in res["matches"]}
