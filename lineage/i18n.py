"""Interface language (English or Chinese) for pages and the CLI's human output.

English messages are the keys: code and templates are written in English and a
catalog (``lineage/data/locale/zh/*.json``, one file per area so that areas can
be translated independently) maps each message to Chinese. A message missing
from the catalog is shown in English rather than failing, and
``missing_messages`` lists them so a test can require full coverage.

Messages use ``%(name)s`` placeholders, the convention of jinja2's i18n
extension in newstyle mode, so one message reads the same in a template
(``{{ _("%(n)s documents", n=count) }}``) and in Python
(``_("%(n)s documents", n=count)``).

The current language is a context variable: a server can answer each request
in the language it asked for without threads seeing each other's choice.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("en", "zh")
DEFAULT = "en"

_current: ContextVar[str | None] = ContextVar("lineage_language", default=None)


def language_from_environment(environ: dict[str, str] | None = None) -> str:
    """The language the user's locale asks for: LINEAGE_LANG, else LC_ALL, LC_MESSAGES, LANG."""
    env = os.environ if environ is None else environ
    explicit = env.get("LINEAGE_LANG", "").strip().lower()
    if explicit in LANGUAGES:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name, "")
        if value:
            # The first locale variable that is set decides, as in POSIX.
            return "zh" if value.lower().startswith("zh") else "en"
    return DEFAULT


def normalize_language(lang: str | None) -> str:
    """'zh', 'zh_CN.UTF-8', 'zh-Hans' -> 'zh'; anything else English; None -> the locale's."""
    if lang is None:
        return language_from_environment()
    return "zh" if lang.strip().lower().startswith("zh") else "en"


def current_language() -> str:
    lang = _current.get()
    return lang if lang is not None else language_from_environment()


def set_language(lang: str | None) -> None:
    """Set the language for this context (None: follow the locale)."""
    _current.set(None if lang is None else normalize_language(lang))


def push_language(lang: str | None) -> Callable[[], None]:
    """Use LANG from now on in this context; the function returned restores the previous choice
    (a click command sets the language when its options are parsed and restores it when it closes)."""
    token = _current.set(None if lang is None else normalize_language(lang))
    return lambda: _current.reset(token)


@contextmanager
def language(lang: str | None) -> Iterator[str]:
    """Use LANG inside the block, then restore the previous choice."""
    token = _current.set(None if lang is None else normalize_language(lang))
    try:
        yield current_language()
    finally:
        _current.reset(token)


@cache
def catalog(lang: str) -> dict[str, str]:
    """English message -> translation, merged from every area file of LANG."""
    if lang == "en":
        return {}
    merged: dict[str, str] = {}
    folder = resources.files("lineage") / "data" / "locale" / lang
    if not folder.is_dir():
        return merged
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith(".json"):
            table = json.loads(entry.read_text(encoding="utf-8"))
            merged.update({k: v for k, v in table.items() if not k.startswith("#")})
    return merged


def _format(text: str, variables: dict[str, Any]) -> str:
    return text % variables if variables else text


def gettext(message: str, **variables: Any) -> str:
    """MESSAGE in the current language, with %(name)s placeholders filled."""
    lang = current_language()
    text = catalog(lang).get(message, message) if lang != "en" else message
    return _format(text, variables)


def ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
    """The singular or plural message for N (Chinese has one form: the plural's entry, else the singular's)."""
    variables.setdefault("num", n)
    lang = current_language()
    if lang == "en":
        return _format(singular if n == 1 else plural, variables)
    table = catalog(lang)
    text = table.get(plural) or table.get(singular) or (singular if n == 1 else plural)
    return _format(text, variables)


_ = gettext


def N_(message: str) -> str:
    """Mark MESSAGE for translation where it is defined (a table of labels) and translate it where it is shown.

    Returns it unchanged: the tests find ``N_("...")`` literals as they find ``_("...")`` ones.
    """
    return message


_PLACEHOLDERS = re.compile(r"%\((\w+)\)s")


class Phrasebook:
    """The fixed English phrases and phrase patterns a module writes (JSON keeps them English), shown
    in the current language; any other text is shown as written.

    A pattern matches a whole phrase; its named groups fill the message's placeholders of the same
    names, or else its groups fill them in order.  In English a phrase comes back exactly as written.
    """

    def __init__(self, phrases: Iterable[str], patterns: Iterable[tuple[re.Pattern[str], str]]) -> None:
        self.phrases = frozenset(phrases)
        self.patterns = tuple(patterns)

    def __call__(self, text: str) -> str:
        if text in self.phrases:
            return gettext(text)
        for pattern, message in self.patterns:
            m = pattern.fullmatch(text)
            if m:
                values = m.groupdict() or dict(zip(_PLACEHOLDERS.findall(message), m.groups()))
                return gettext(message, **values)
        return text


def message_pattern(message: str) -> re.Pattern[str]:
    """The texts a message makes: the message, each placeholder standing for any text (for a
    :class:`Phrasebook` of messages whose English text is written with them)."""
    return re.compile(re.sub(r"%\\\(([a-z]+)\\\)s", r"(?P<\1>.+?)", re.escape(message)))


def html_lang(lang: str | None = None) -> str:
    """The value of <html lang> for LANG (default: the current language)."""
    return "zh-CN" if (lang or current_language()) == "zh" else "en"


def missing_messages(messages: list[str], lang: str = "zh") -> list[str]:
    """Those of MESSAGES the catalog of LANG does not translate."""
    table = catalog(lang)
    return [m for m in messages if m not in table]


def install(env: Any) -> None:
    """Give a jinja2 environment `_`, `gettext` and `ngettext` that follow the current language."""
    if "jinja2.ext.InternationalizationExtension" not in env.extensions:
        env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(gettext, ngettext, newstyle=True)
    env.globals.setdefault("html_lang", html_lang)
    env.globals.setdefault("current_language", current_language)
