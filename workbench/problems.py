"""Problems found in the project's files, as values.

A problem names a file, a line and a column, a stable code and a message that
says what to do.  The CLI prints them ruff-style, as JSON or as GitHub
annotations; the review app lists them on its Problems screen.  Nothing that
finds a problem raises: one bad file never stops the rest from loading.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Problem:
    path: Path
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def render(self, root: Path | None = None) -> str:
        """`path:line:col: CODE message`, the form editors and CI understand."""
        return (
            f"{display_path(self.path, root)}:{self.line}:{self.column}: {self.code} {self.message}"
        )

    def to_json(self, root: Path | None = None) -> dict[str, object]:
        data = asdict(self)
        data["path"] = display_path(self.path, root)
        data["severity"] = self.severity.value
        return data

    def render_github(self, root: Path | None = None) -> str:
        """A GitHub Actions workflow command, so problems annotate the pull request diff."""
        level = "error" if self.severity is Severity.ERROR else "warning"
        message = _github_escape(f"{self.code} {self.message}", data=True)
        path = _github_escape(display_path(self.path, root), data=False)
        return f"::{level} file={path},line={self.line},col={self.column}::{message}"


def display_path(path: Path, root: Path | None) -> str:
    """The path relative to the project root where possible, always with `/`."""
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
        except (OSError, RuntimeError):  # a symlink loop: show the link itself
            try:
                return (path.parent.resolve() / path.name).relative_to(root.resolve()).as_posix()
            except (ValueError, OSError, RuntimeError):
                pass
    return path.as_posix()


def _github_escape(value: str, *, data: bool) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if not data:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def problems_to_json(problems: list[Problem], root: Path | None = None) -> str:
    return json.dumps([problem.to_json(root) for problem in problems], ensure_ascii=False, indent=2)
