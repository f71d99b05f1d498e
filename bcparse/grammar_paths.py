"""Where grammars (and their vocabulary/ folders) are looked for; shared by bcparse.grammar and
bcparse.bind, which import nothing of each other's but this."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

_FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """``yaml.safe_load(text)``, parsed by libyaml when it is installed (the same safe constructor,
    about 10x faster). A text libyaml refuses is parsed again by the Python parser, so that a
    refused file raises the very error (message, line) it always has."""
    try:
        return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError:
        return yaml.safe_load(text)


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
