"""Small hand-made policy notices, and a trace of one of them read back by the text of each match."""

from __future__ import annotations

import json
from pathlib import Path


def notice(path: Path, issuer: str, date: str, body: list[str], subject: str = "经济社会发展行动计划") -> str:
    """A notice issuing ``issuer``'s plan, dated ``date``, whose body is ``body`` (a line each); its path."""
    title = issuer.replace("人民政府", "") + subject
    head = [issuer, f"关于印发{title}的通知", "各有关单位：", f"现将《{title}》印发给你们，请认真贯彻执行。"]
    path.write_text("\n".join([*head, issuer, date, title, *body]) + "\n", encoding="utf-8")
    return str(path)


def traced(run_cli, target: str, db: str, corpus: list[str], *extra: str) -> dict[str, dict]:
    """`lineage trace TARGET --corpus ... --json`: each match by the target text it covers."""
    args = [a for c in corpus for a in ("--corpus", c)]
    r = run_cli("trace", target, "--db", db, *args, *extra, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    text = Path(target).read_text(encoding="utf-8")
    return {text[slice(*m["target_span"])]: m for m in json.loads(r.stdout)["matches"]}


def ingested_and_traced(run_cli, db: str, corpus: list, target) -> dict:
    """`lineage ingest CORPUS... --db DB`, then `lineage trace TARGET --db DB --json`: the trace's JSON."""
    r = run_cli("ingest", *(str(p) for p in corpus), "--db", db, "--quiet")
    assert r.exit_code == 0, r.stderr
    r = run_cli("trace", str(target), "--db", db, "--json", "--quiet")
    assert r.exit_code == 0, r.stderr
    return json.loads(r.stdout)
