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


PROBLEM_CODES: dict[str, str] = {
    "WB001": "the file is too large to read",
    "WB002": "the file is missing, binary or not UTF-8",
    "WB003": "not valid TOML, or nested too deep",
    "WB004": "a path asked for is not in the project, or a symlink out of it",
    "WB005": "a temporary file left by an interrupted write (warning)",
    "WB006": "an unresolved git conflict marker",
    "WB101": "a schema error: wrong type or value",
    "WB102": "an unknown key (with a suggestion)",
    "WB103": "a required key is missing",
    "WB201": "an id used by two files",
    "WB202": "the id and the file name differ",
    "WB203": "an unknown source, or one whose file did not load",
    "WB204": "an unknown claim, or one whose file did not load",
    "WB205": "a mutual relation not recorded back",
    "WB206": "a claim related to itself",
    "WB207": "a relation recorded twice",
    "WB208": "`updates` recorded both ways",
    "WB301": "the quote does not occur in its source",
    "WB302": "the quote occurs several times",
    "WB303": "no occurrence matches the prefix or suffix",
    "WB401": "the quantity matches no number in the quote",
    "WB501": "a status outside `workbench.toml`",
    "WB502": "a stance outside `workbench.toml`",
    "WB503": "a topic outside `workbench.toml`",
    "WB504": "the status differs from the last history entry",
    "WB505": "a ClaimReview `review_url` readers cannot follow",
    "WB506": "conflicting verdicts to settle (warning)",
    "WB507": "a verdict lacks the note or evidence its status requires (warning)",
    "WB508": "a status key the review app already uses (warning)",
    "WB601": "not in canonical form",
    "WB701": "a source's text file is missing, unreadable or outside `seeds/`",
    # the lexicon (`lexicon.toml` or `[lexicon]`): see `workbench.lexicon_checks`
    "WB801": "an opposing stance that `[stances]` does not list",
    "WB802": "a stance opposed to itself",
    "WB803": "an opposing pair listed twice",
    "WB804": "an alias claimed by two entities",
    "WB805": "an alias or name equal to another entity's name or alias",
    "WB806": "two entities with the same name",
    "WB807": "an alias, name or word with no visible character",
    "WB808": "a rivals group that no entity belongs to, or rivalled with itself",
    "WB809": "a named event's name or alias used by another event",
    "WB810": "a word listed twice in one list (warning)",
    "WB811": "an alias that matching reads as a plain word, such as `AI+` as `ai` (warning)",
    "WB812": "an entity part of no known entity, or part of itself through others",
}
"""Every problem code, with what it means: one registry, so that a code is never
used for two things and the README's table can be checked against it."""
