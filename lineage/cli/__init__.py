"""The command line: thin click commands over the library API, one module per command family.

In: what a user types (paths, a database, options).  Out: results on stdout (JSON with ``--json``),
one line per problem on stderr naming the file and the reason, and an exit code that tells the truth.
:mod:`.app` holds the group and what the commands share; each ``*_cmd`` module adds its commands to
the group when it is imported, which the group does when a command is run or listed
(``app.COMMAND_MODULES``).
"""

from lineage.cli.app import cli, main

__all__ = ["cli", "main"]
