"""`workbench fmt`: bring claim and source files into the canonical form."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel

from workbench.config import SOURCES_DIR
from workbench.models import Claim, Source
from workbench.problems import Problem
from workbench.storage import format_file


@dataclass(slots=True)
class FormatResult:
    changed: list[Path] = field(default_factory=list)
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)


def _expand(paths: Iterable[Path]) -> list[Path]:
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.toml") if not p.name.startswith(".")))
        else:
            files.append(path)
    return files


def model_for(root: Path, path: Path) -> type[BaseModel]:
    """Files in `seeds/` are source metadata; every other TOML file is a claim."""
    try:
        inside_sources = path.resolve().is_relative_to((root / SOURCES_DIR).resolve())
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python 3.11)
        inside_sources = False
    return Source if inside_sources else Claim


def format_paths(root: Path, paths: Iterable[Path], *, write: bool) -> FormatResult:
    result = FormatResult()
    for path in _expand(paths):
        changed, problems = format_file(path, model_for(root, path), write=write)
        result.problems.extend(problems)
        if changed:
            result.changed.append(path)
        elif not problems:
            result.unchanged += 1
    return result
