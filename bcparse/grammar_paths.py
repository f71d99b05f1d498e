"""Where grammars (and their vocabulary/ folders) are looked for; shared by bcparse.grammar and
bcparse.bind, which import nothing of each other's but this."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path


def grammar_dirs() -> list[Path]:
    """Where grammars are looked for: $BCPARSE_GRAMMARS (os.pathsep-separated), then the shipped ones."""
    dirs = [Path(p) for p in os.environ.get("BCPARSE_GRAMMARS", "").split(os.pathsep) if p]
    try:
        dirs.append(Path(str(resources.files("bcparse.grammars"))))
    except (ModuleNotFoundError, TypeError):  # pragma: no cover
        pass
    repo = Path(__file__).resolve().parent.parent / "grammars"
    if repo.is_dir() and repo not in dirs:
        dirs.append(repo)
    return dirs
