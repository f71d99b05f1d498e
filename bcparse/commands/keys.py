"""``bcparse keys [--json] [--grammar ID]``: the key vocabulary, with Vietnamese labels."""

from __future__ import annotations

import argparse
from typing import Any

HELP = "list the figure keys with their Vietnamese label, kind, unit and the grammars that give them"
EPILOG = """\
Every figure bcparse reads has a key ("party.members"); people read its label ("Số đảng viên").
Labels and descriptions are data, in the keys: part of each grammar file (docs/grammars.md). The
kind says what the value is (count, number, decimal, money in whole đồng, percent, rate, fraction,
date, text, list); a record field (gift.count) is one of several records (gift[1].count, …).

examples:
  bcparse keys                         the table
  bcparse keys --grammar kt_xh         the keys a kt_xh report can hold (its own and common's)
  bcparse keys --json                  for tools: [{key, label, description, kind, unit, record, grammars}]
"""


def register(sub: Any) -> None:
    sp: argparse.ArgumentParser = sub.add_parser("keys", help=HELP, description=HELP, epilog=EPILOG,
                                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sp.add_argument("--json", action="store_true", help="a JSON list, one object per key, with its description")
    sp.add_argument("--grammar", metavar="ID", help="only the keys this grammar (and those it extends) gives")
    sp.add_argument("-o", "--output", help="write to this file instead of stdout (written whole or not at all)")
    sp.set_defaults(func=run)


def run(a: argparse.Namespace) -> int:
    from ..cliutil import dumps, write_result
    from ..keys import catalogue

    infos = list(catalogue().values())
    if a.grammar:
        from ..grammar import chain, get_grammar

        ids = {g.id for g in chain(get_grammar(a.grammar))}
        infos = [i for i in infos if ids & set(i.grammars)]
    if a.json:
        write_result(dumps([{"key": i.key, "label": i.label, "description": i.description, "kind": i.kind,
                             "unit": i.unit, "record": i.record, "grammars": list(i.grammars)} for i in infos]),
                     a.output)
        return 0
    rows = [("KEY", "LABEL", "KIND", "UNIT", "GRAMMARS")]
    rows += [(i.key, i.label, i.kind + (" (record)" if i.record else ""), i.unit or "—", ", ".join(i.grammars))
             for i in infos]
    w = [max(len(r[c]) for r in rows) for c in range(4)]
    lines = [f"{r[0]:<{w[0]}}  {r[1]:<{w[1]}}  {r[2]:<{w[2]}}  {r[3]:<{w[3]}}  {r[4]}".rstrip() for r in rows]
    write_result("\n".join(lines), a.output)
    return 0
