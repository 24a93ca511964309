"""The command line: thin click commands over the library API, one module per command family.

In: what a user types (paths, a database, options).  Out: results on stdout (JSON with ``--json``),
one line per problem on stderr naming the file and the reason, and an exit code that tells the truth.
:mod:`.app` holds the group and what the commands share; each ``*_cmd`` module adds its commands to
the group when it is imported, here.
"""

# importing a command module registers its commands on the group
from lineage.cli import align_cmd, dedup_cmd, export_cmd, graph_cmd, ingest_cmd, report_cmd, search_cmd, serve_cmd  # noqa: F401
from lineage.cli.app import cli, main

__all__ = ["cli", "main"]
