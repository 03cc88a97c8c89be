"""Registering the claim merge driver with git (`workbench git-setup`).

git needs two things to run a merge driver: an attribute that names it for
the files (`.gitattributes`, committed, so every clone has it) and the driver's
command in the repository's config (`.git/config`, never shared by a clone,
so each clone runs `workbench git-setup` once).  Both are written only when
missing or different, so running it again changes nothing.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from workbench.config import CLAIMS_DIR

DRIVER_NAME = "workbench"
ATTRIBUTE_LINE = f"{CLAIMS_DIR}/*.toml merge={DRIVER_NAME}"
"""The `.gitattributes` line, relative to the project root where the file lives."""

GIT_CONFIG = (
    (f"merge.{DRIVER_NAME}.name", "workbench: merge claim reviews, not lines"),
    (f"merge.{DRIVER_NAME}.driver", "workbench merge-driver %O %A %B %P"),
)
"""The repository config entries, as `git config` names and values."""


class GitSetupError(Exception):
    """git is missing or the project is not in a git repository: one line for the user."""


def _git(root: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            ["git", "-C", str(root), *arguments], capture_output=True, text=True, check=False
        )
    except OSError as error:
        raise GitSetupError(
            f"cannot run git ({error.strerror or error}): is git installed?"
        ) from None


def set_up_git(root: Path) -> list[str]:
    """Make git merge `root`'s claim files with the driver; return what was changed."""
    if _git(root, "rev-parse", "--git-dir").returncode != 0:
        raise GitSetupError(
            f"{root} is not in a git repository: run `git init` there first, or pass --root"
        )
    changes: list[str] = []
    attributes = root / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.is_file() else ""
    if ATTRIBUTE_LINE not in (line.strip() for line in text.splitlines()):
        separator = "\n" if text and not text.endswith("\n") else ""
        with attributes.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(f"{text}{separator}{ATTRIBUTE_LINE}\n")
        changes.append(f"added `{ATTRIBUTE_LINE}` to .gitattributes (commit it)")
    for name, value in GIT_CONFIG:
        current = _git(root, "config", "--local", "--get", name)
        if current.returncode == 0 and current.stdout.rstrip("\n") == value:
            continue
        result = _git(root, "config", "--local", name, value)
        if result.returncode != 0:
            detail = result.stderr.strip().splitlines()[-1:] or ["unknown error"]
            raise GitSetupError(f"git config {name} failed: {detail[0]}")
        changes.append(f"set git config {name} = {value}")
    return changes


__all__ = ["ATTRIBUTE_LINE", "GIT_CONFIG", "GitSetupError", "set_up_git"]
