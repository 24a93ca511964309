"""The language switch itself: locale detection, context, placeholders, jinja2."""

import jinja2

from lineage import i18n


def test_locale_decides_when_nothing_is_chosen():
    assert i18n.language_from_environment({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert i18n.language_from_environment({"LANG": "en_US.UTF-8"}) == "en"
    # LC_ALL overrides LANG; LINEAGE_LANG overrides both.
    assert i18n.language_from_environment({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert i18n.language_from_environment({"LINEAGE_LANG": "zh", "LC_ALL": "C"}) == "zh"
    assert i18n.language_from_environment({}) == "en"


def test_language_block_restores_the_previous_choice():
    with i18n.language("en"):
        with i18n.language("zh_CN"):
            assert i18n.current_language() == "zh"
        assert i18n.current_language() == "en"


def test_untranslated_message_falls_back_to_english_with_placeholders():
    with i18n.language("zh"):
        assert i18n.gettext("no such message %(n)s here", n=3) == "no such message 3 here"
        assert i18n.missing_messages(["no such message %(n)s here"]) == ["no such message %(n)s here"]


def test_templates_get_the_same_functions():
    env = jinja2.Environment(autoescape=True)
    i18n.install(env)
    t = env.from_string('{{ ngettext("%(num)s file", "%(num)s files", n) }}|{{ _("<%(x)s>", x=v) }}')
    with i18n.language("en"):
        # The message is ours (trusted markup); the values put into it are escaped.
        assert t.render(n=1, v="<b>") == "1 file|<&lt;b&gt;>"
        assert t.render(n=2, v="a") == "2 files|<a>"


def test_dedup_phrases_are_shown_translated_and_the_rest_as_written():
    from lineage.dedup.words import dedup_text

    reason = "complete body (7,363 characters; 2 other copies stop early); issuing notice present"
    with i18n.language("zh"):
        assert dedup_text(reason) == "正文完整（7,363 个字符；另有 2 个副本提前截断）；含印发通知"
        assert dedup_text("stops at 50% of the canonical body; a reason nobody translated") == (
            "止于规范副本正文的 50%；a reason nobody translated"
        )
    with i18n.language("en"):  # English: exactly what dedup wrote
        for text in (
            reason,
            "complete body (12 characters)",
            "complete body (6,683 characters; 1 other copy stops early)",
            "no issuing notice; 1 isolated character difference (a→b)",
            "3 isolated character differences (a→b, c→d); stops at 50% of the canonical body",
            "text instead of HTML; encoded gb18030; text before the body differs (120 characters: a news "
            "lede, notice or title)",
            "joined through other copies; compared directly: too different",
        ):
            assert dedup_text(text) == text
