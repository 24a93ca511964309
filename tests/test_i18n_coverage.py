"""Every message the report templates and the Python code pass to _()/ngettext()/N_() has a Chinese translation.

Messages are extracted the way a translator's tool would: jinja2's own extractor over the template sources,
and ``ast`` over the package for literal calls.  A new message added untranslated fails here, naming it.
"""

from __future__ import annotations

import ast
import json
import pathlib
import re

import jinja2
import pytest

from lineage import glossary, i18n
from lineage.cli.words import COUNT_WORDS
from lineage.report.render import environment

PKG = pathlib.Path(i18n.__file__).parent
TEMPLATES = PKG / "report" / "templates"
CALLS = {"_", "gettext", "N_", "ngettext"}
PLACEHOLDER = re.compile(r"%\(\w+\)[.\d]*[sdf]")


def template_messages() -> dict[str, str]:
    """message -> where (template:line)."""
    env = environment()
    out: dict[str, str] = {}
    for path in sorted(TEMPLATES.glob("*.j2")):
        for line, _func, msg in env.extract_translations(path.read_text(encoding="utf-8")):
            for m in msg if isinstance(msg, tuple) else (msg,):
                if isinstance(m, str):
                    out.setdefault(m, f"{path.name}:{line}")
    return out


def python_messages() -> dict[str, str]:
    """message -> where (file:line), from literal _()/gettext()/N_()/ngettext() calls in the package."""
    out: dict[str, str] = {}
    for path in sorted(PKG.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALLS:
                n = 2 if node.func.id == "ngettext" else 1
                for arg in node.args[:n]:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        out.setdefault(arg.value, f"{path.relative_to(PKG.parent)}:{node.lineno}")
    return out


# Values of the JSON contracts that pages and the CLI show translated (``_(value)``): the JSON keeps them as
# they are; these are the ones a reader sees.
SHOWN_VALUES = (
    # levels, date kinds, parts, stages, edge kinds and chars keys
    "national",
    "province",
    "city",
    "county",
    "signed",
    "published",
    "estimated",
    "given",
    "doc_number",
    "wrapper",
    "notice",
    "title",
    "body",
    "attachment",
    "removed",
    "ingest",
    "dedup",
    "align",
    "graph",
    "reuse",
    "citation",
    "identical",
    "modified",
    "localized",
    "formulaic",
    "widely_shared",
    "common_source",
    # relations of aligned units and of dedup copies; the two columns of a pair page
    "partial",
    "merged",
    "split",
    "moved",
    "added",
    "deleted",
    "unmatched",
    "canonical",
    "formatting",
    "truncated",
    "noisy",
    "source",
    "target",
    "left",
    "right",
    "copy",
    # how a page names the other document of a pair
    "reused from",
    "source of",
    "shares text with",
    "copy of",
    "its copy",
    "from",
    "shared with",
    # document metadata rows
    "date",
    "issuers",
    "文号",
    "jurisdiction",
    "url",
    "file",
    "sha256",
    "lineage report",
    "chrome",
    "recurring",
    "page title",
    "before the title",
    "running header",
    "other",
    # where a title, a jurisdiction, a citation were found
    "title line",
    "lede",
    "html title",
    "known",
    # kinds of direction evidence
    "adoption",
    "level",
    "localization",
    "revision",
    "edition",
    "conflict",
    "none",
    # units, and the state of the graph a diffusion used
    "paragraph",
    "heading",
    "table",
    "sentence",
    "clause",
    "cached",
    "built",
    "not built",
) + tuple(__import__("lineage.ingest.chrome", fromlist=["RULE_KINDS"]).RULE_KINDS)


def test_the_extractors_find_messages():
    # a broken extractor would make every coverage test pass: it must see known messages of both kinds
    t, p = template_messages(), python_messages()
    assert "Strongest lineage edges" in t and "%(num)s file" in t and "glossary" in t
    assert "lineage: skipped %(path)s: %(reason)s" in p and "%(num)s documents" in p and "writing report" in p
    assert len(t) > 100 and len(p) > 100


@pytest.mark.parametrize("kind", ["templates", "python", "values", "glossary"])
def test_every_message_has_a_chinese_translation(kind):
    messages = {
        "templates": template_messages,
        "python": python_messages,
        "values": lambda: dict.fromkeys(SHOWN_VALUES, "SHOWN_VALUES"),
        "glossary": lambda: {m: "glossary" for _, term, _, text in glossary._ENTRIES for m in (term, text)},
    }[kind]()
    missing = {m: where for m, where in messages.items() if m not in i18n.catalog("zh")}
    assert not missing, "untranslated (add them to lineage/data/locale/zh/*.json):\n" + "\n".join(
        f"  {where}: {m!r}" for m, where in sorted(missing.items(), key=lambda x: x[1])
    )


def test_translations_keep_the_placeholders():
    """A translation that drops or renames %(name)s would fail at run time (KeyError) or lose a figure."""
    bad = []
    for m, zh in i18n.catalog("zh").items():
        if sorted(PLACEHOLDER.findall(m)) != sorted(PLACEHOLDER.findall(zh)):
            bad.append((m, zh))
        # markup in a message (links, <b>) is ours and must survive translation
        if sorted(re.findall(r"</?\w+", m)) != sorted(re.findall(r"</?\w+", zh)):
            bad.append((m, zh))
    assert not bad, bad


def test_catalog_files_are_valid_and_do_not_repeat_keys():
    seen: dict[str, str] = {}
    dup = []
    for path in sorted((PKG / "data" / "locale" / "zh").glob("*.json")):
        pairs = json.loads(path.read_text(encoding="utf-8"), object_pairs_hook=lambda kv: kv)
        for k, v in pairs:
            if k.startswith("#"):
                continue
            assert isinstance(v, str) and v.strip(), (path.name, k)
            if k in seen:
                dup.append((k, seen[k], path.name))
            seen[k] = path.name
    assert not dup, dup


def test_count_words_are_used_through_the_table():
    """plural(n, "noun") anywhere in the CLI names a noun of COUNT_WORDS (so it is translated)."""
    unknown = []
    for path in sorted((PKG / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "plural"
                and len(node.args) > 1
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value not in COUNT_WORDS
            ):
                unknown.append((path.name, node.lineno, node.args[1].value))
    assert not unknown, unknown


def test_jinja_messages_format_like_python_ones():
    # newstyle gettext formats every message with %, even without variables: a bare % would break a page
    for m in template_messages():
        assert not re.search(r"%(?!\(\w+\)[sd]|%)", m), m
    env = jinja2.Environment(autoescape=True)
    i18n.install(env)
    with i18n.language("zh"):
        assert env.from_string('{{ _("glossary") }}').render() == i18n.gettext("glossary") != "glossary"
