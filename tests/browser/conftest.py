"""Headless Chromium (Debian's package) driven by Playwright, and the sites the browser tests open.

Chromium is found at $CHROMIUM, on PATH, or at /usr/bin/chromium; `make test`
installs it when missing (`make browser`).  Only when it is genuinely absent
do these tests skip, saying so.  Never `playwright install`: downloads are
blocked here, and the system browser is the one under test.
"""

from __future__ import annotations

import os
import shutil
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))  # tests/, for report_fixtures
ROOT = os.path.dirname(os.path.dirname(HERE))
SHOTS = os.path.join(ROOT, "test-output", "browser")  # git-ignored; kept after the run for people to look at

CHROMIUM = (
    os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
)
# Without the background-networking flags Chromium's own connections are refused on this closed network and
# show up as console noise; none of the pages needs the network.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        pytest.skip(f"Chromium not found (looked at $CHROMIUM, PATH and {CHROMIUM}); `make browser` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


class Watched:
    """A page that records what must not happen: console errors, script errors, failed loads, dialogs."""

    def __init__(self, page) -> None:
        self.page = page
        self.problems: list[str] = []
        self.dialogs: list[str] = []
        page.on(
            "console", lambda m: m.type in ("error", "warning") and self.problems.append(f"console {m.type}: {m.text}")
        )
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed to load {r.url}: {r.failure}"))
        page.on("dialog", self._dialog)

    def _dialog(self, d) -> None:
        self.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    def open(self, path: str, fragment: str = "") -> None:
        from pathlib import Path

        self.page.goto(Path(path).resolve().as_uri() + fragment)
        self.page.wait_for_load_state("load")


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=True)
    w = Watched(ctx.new_page())
    yield w
    ctx.close()


@pytest.fixture(scope="session")
def shots() -> str:
    os.makedirs(SHOTS, exist_ok=True)
    for name in os.listdir(SHOTS):  # a page type renamed or dropped must not leave an old picture behind
        if name.endswith((".png", ".pdf")):
            os.remove(os.path.join(SHOTS, name))
    return SHOTS


def _site(res, out):
    from lineage.report import build, write_site

    write_site(build(res), out)
    return out


@pytest.fixture(scope="session")
def corpus_report(corpus_paths, tmp_path_factory, run_cli):
    tmp = tmp_path_factory.mktemp("browser-corpus")
    out = str(tmp / "reports")
    r = run_cli("report", os.path.dirname(corpus_paths["000"]), "--out", out, "--db", str(tmp / "db"), "-q", "-j", "1")
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="session")
def fixture_report(corpus_paths, tmp_path_factory):
    import report_fixtures as rf

    tmp = tmp_path_factory.mktemp("browser-fixture")
    res, _ = rf.fixture_results(corpus_paths, str(tmp))
    return _site(res, str(tmp / "site"))


@pytest.fixture(scope="session")
def xss_pipeline_report(corpus_paths, tmp_path_factory, run_cli):
    """The real pipeline (`lineage report`) on a folder holding a document full of markup and template syntax."""
    import report_fixtures as rf

    tmp = tmp_path_factory.mktemp("browser-xss-pipeline")
    rf.write_xss_corpus(str(tmp / "docs"), corpus_paths)
    out = str(tmp / "reports")
    r = run_cli("report", str(tmp / "docs"), "--out", out, "--db", str(tmp / "db"), "-q", "-j", "1")
    assert r.exit_code == 0, r.output
    return out


@pytest.fixture(scope="session")
def xss_report(tmp_path_factory):
    import report_fixtures as rf

    tmp = tmp_path_factory.mktemp("browser-xss")
    return _site(rf.xss_results(str(tmp)), str(tmp / "site"))
