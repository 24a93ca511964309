"""Rule 6 (level) breaks a tie between sources holding a sentence alike: the target's province holding it
reworded does not take it from a plan that holds it as the target has it.

Seed 461 (30 siblings, clean database): 主要发展生物质转化……着力打造成为具有可持续竞争力的生物新材料制造产业基地。
The target took it from a plan holding it word for word; its province holds it with 努力建设成为 for 着力打造成为
and won it on level, the two being within SLACK of each other (0.990 / 0.975 before, 0.993 / 0.983 after).
"""

from __future__ import annotations

from plan_fixtures import OWN, issued, traced_json

SENTENCE = "主要发展生物质转化、生物基塑料、生物基热固性树脂及其复合材料等，着力打造成为具有可持续竞争力的生物新材料制造产业基地。"
REWORDED = SENTENCE.replace("着力打造成为", "努力建设成为")


def test_the_plan_holding_the_sentence_as_the_target_has_it_keeps_it_from_the_targets_province(run_cli, tmp_path):
    files = {
        # the target's province, holding the sentence reworded among its own
        "zhejiang": issued("浙江省", "2019年3月1日", [*OWN["山东省"][:4], REWORDED, *OWN["山东省"][4:8]]),
        # another province's plan holding it word for word (later: the date does not decide)
        "jiangsu": issued("江苏省", "2019年9月1日", [*OWN["河南省"][:4], SENTENCE, *OWN["河南省"][4:8]]),
    }
    # each province's sentences the target took, and the sentence apart from them: no passage tells them apart
    body = [*OWN["山东省"][:4], *OWN["河南省"][4:8], *OWN["广东省"][:3], SENTENCE, *OWN["广州市"][:3]]
    target = issued("绍兴市", "2020年5月1日", body)
    _, by_text = traced_json(run_cli, tmp_path, files, target)
    m = by_text[SENTENCE]
    assert m["source"].rsplit("/", 1)[-1] == "jiangsu.txt"
    assert files["jiangsu"][slice(*m["source_span"])] == SENTENCE
    (other,) = [a for a in m["also_in"] if a["source"].endswith("zhejiang.txt")]
    assert "level" not in other["set_aside_by"]
    # where the province holds it as the target has it too, level gives it the sentence
    files["zhejiang"] = issued("浙江省", "2019年3月1日", [*OWN["山东省"][:4], SENTENCE, *OWN["山东省"][4:8]])
    (tmp_path / "again").mkdir()
    _, by_text = traced_json(run_cli, tmp_path / "again", files, target)
    assert by_text[SENTENCE]["source"].rsplit("/", 1)[-1] == "zhejiang.txt"
