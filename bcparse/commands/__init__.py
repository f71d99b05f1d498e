"""The command registry: every ``bcparse`` command, where it lives, and its one-line help.

The table is all ``bcparse --help`` needs, so listing the commands imports none of them. When a
command runs, :func:`bcparse.cli.build_parser` imports only that command's module and calls its
registrar, which adds the command's arguments; the module imports its heavy parts (the parser,
pydantic, SQLAlchemy) inside the function that runs it, or is itself only imported then.

To add a command: write a module with ``register(sub)`` (``sub.add_parser(NAME, help=HELP, …)`` and
``set_defaults(func=run)``, ``run(args) -> int`` returning the exit status), and add a row here
with the same help (tests/test_cli.py checks that the two agree).
"""

from __future__ import annotations

from typing import NamedTuple


class Command(NamedTuple):
    module: str  #: the module holding the registrar, imported only when the command runs
    registrar: str  #: its function that adds the command's subparser: ``registrar(sub) -> None``
    help: str  #: the line ``bcparse --help`` prints


COMMANDS: dict[str, Command] = {
    "text": Command("bcparse.commands.report", "register_text",
                    "print the text view: the normalised text every span (line, column) points into"),
    "outline": Command("bcparse.commands.report", "register_outline",
                       "print the numbered section tree (I. → 1. → a.), repeated or skipped numbers noted"),
    "figures": Command("bcparse.commands.report", "register_figures",
                       "print the report's figures with where each was read (figures contract v2)"),
    "parse": Command("bcparse.commands.report", "register_parse",
                     "parse a report into the validated Report (a summary, or --json for all of it)"),
    "schema": Command("bcparse.commands.report", "register_schema",
                      "print the JSON Schema of the Report that `bcparse parse --json` prints"),
    "grammars": Command("bcparse.commands.report", "register_grammars",
                        "list the report grammars (grammars/*.yaml)"),
    "audit": Command("bcparse.commands.audit", "register",
                     "check the numbers within and across reports; print findings like a linter "
                     "(file:line:col: CODE message)"),
    "render": Command("bcparse.render.cli", "register",
                      "print the report back (a .txt as its own bytes, other formats as `bcparse text`), "
                      "with figures edited by --set"),
    "coverage": Command("bcparse.commands.coverage", "register",
                        "list the quantities no grammar key took, grouped by what they count (for grammar authors)"),
    "import": Command("bcparse.store.cli", "register",
                      "import reports (files, or folders of .txt/.docx/.doc/.pdf) into a database"),
    "export": Command("bcparse.commands.export", "register",
                      "export reports, their figures and audit findings to Excel (.xlsx), CSV, JSON Lines or Parquet"),
    "keys": Command("bcparse.commands.keys", "register",
                    "list the figure keys with their Vietnamese label, kind, unit and the grammars that give them"),
    "html": Command("bcparse.commands.html", "register",
                    "write each report as one self-contained HTML page: figures highlighted, audit findings "
                    "beside their lines"),
    "serve": Command("bcparse.commands.serve", "register",
                     "browse the imported reports, figures and findings in a web browser (datasette; "
                     "pip install 'bcparse[web]')"),
}
