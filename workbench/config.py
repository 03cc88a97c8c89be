"""Finding the project root and reading its vocabularies from `workbench.toml`.

The root is found the way git finds its own: walk up from the working directory
to the first folder holding `workbench.toml`.  Sections missing from the file
fall back to defaults suited to fact-checking, so a new project needs only an
empty `workbench.toml` to start.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_origin

from pydantic import ValidationError

from workbench.models import Lexicon, ProjectSettings, StrictModel, nfc
from workbench.problems import Problem, Severity
from workbench.tomlio import KeyIndex, TomlSyntaxError, parse_toml

CONFIG_NAME = "workbench.toml"
CLAIMS_DIR = "claims"
SOURCES_DIR = "seeds"

DEFAULT_STATUSES: dict[str, dict[str, Any]] = {
    "unreviewed": {"meaning": "Nobody has reviewed this claim yet.", "key": "0"},
    "verified": {
        "meaning": "Checked against reliable evidence and accurate as stated.",
        "verified": True,
        "key": "1",
        "rating": 5,
        "rating_name": "True",
    },
    "misleading": {
        "meaning": "Accurate in part, but framed so that it gives a wrong impression.",
        "key": "2",
        "rating": 3,
        "rating_name": "Misleading",
    },
    "disputed": {
        "meaning": "Reliable sources disagree; the evidence does not settle it.",
        "key": "3",
        "rating": 3,
        "rating_name": "Disputed",
    },
    "false": {
        "meaning": "Contradicted by reliable evidence.",
        "key": "4",
        "rating": 1,
        "rating_name": "False",
    },
    "unverifiable": {
        "meaning": "Cannot be checked with the evidence available.",
        "key": "5",
        "rating_name": "Unverifiable",
    },
    "outdated": {
        "meaning": "Was accurate when published, but later facts have overtaken it.",
        "key": "6",
        "rating": 2,
        "rating_name": "Outdated",
    },
}
DEFAULT_STANCES: dict[str, str] = {
    "supports": "The claim supports the thesis under review.",
    "opposes": "The claim opposes the thesis under review.",
    "neutral": "A fact that takes no side.",
}


class ProjectNotFound(Exception):
    """No `workbench.toml` here or above; the CLI turns this into one clear line."""


def find_root(start: Path | None = None, override: Path | None = None) -> Path:
    """The project root: `override` if given, else the nearest folder with `workbench.toml`."""
    if override is not None:
        root = Path(override).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise ProjectNotFound(
                f"{root} has no {CONFIG_NAME}: pass the folder that holds it with --root"
            )
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise ProjectNotFound(
        f"no {CONFIG_NAME} in {here} or any folder above it: run inside a workbench "
        "project or pass --root DIR"
    )


def default_settings() -> ProjectSettings:
    return ProjectSettings.model_validate(
        {"statuses": DEFAULT_STATUSES, "stances": DEFAULT_STANCES, "topics": {}}
    )


def load_settings(root: Path) -> tuple[ProjectSettings, list[Problem]]:
    """Read `workbench.toml`; on any problem, report it and fall back to the defaults."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
        data = parse_toml(text)
    except TomlSyntaxError as error:
        problem = Problem(path, error.line, error.column, "WB003", f"TOML syntax: {error.message}")
        return default_settings(), [problem]
    except (OSError, UnicodeDecodeError) as error:
        return default_settings(), [Problem(path, 1, 1, "WB002", f"cannot read: {error}")]
    data.setdefault("statuses", DEFAULT_STATUSES)
    data.setdefault("stances", DEFAULT_STANCES)
    data.setdefault("topics", {})
    lexicon_value = data.pop("lexicon", None)
    try:
        settings = ProjectSettings.model_validate(data)
    except ValidationError as error:
        from workbench.validation import problems_from_validation_error

        problems = problems_from_validation_error(error, path, KeyIndex(text), ProjectSettings)
        return default_settings(), problems
    # the lexicon is read on its own, so that a mistake in it costs only the
    # lexicon, never the project's statuses and stances
    settings.lexicon, problems = _read_lexicon(root, lexicon_value, path, text)
    return settings, problems


class _InlineLexicon(StrictModel):
    """`workbench.toml` as far as the inline `[lexicon]` goes, so that its errors
    carry the key path `lexicon.entities[2].aliases[0]` and find their line."""

    lexicon: Lexicon


def _read_lexicon(
    root: Path, value: object, config_path: Path, config_text: str
) -> tuple[Lexicon, list[Problem]]:
    if value is None:
        return Lexicon(), []
    if isinstance(value, str):
        return load_lexicon(root, value, config_path, config_text)
    if not isinstance(value, dict):
        position = KeyIndex(config_text).find(("lexicon",))
        message = (
            f'lexicon = {value!r}: write a file name (lexicon = "lexicon.toml") '
            "or a [lexicon] table"
        )
        return Lexicon(), [
            Problem(config_path, position.line if position else 1, 1, "WB101", message)
        ]
    try:
        return _InlineLexicon.model_validate({"lexicon": value}).lexicon, []
    except ValidationError as error:
        from workbench.validation import problems_from_validation_error

        index = KeyIndex(config_text)
        problems = problems_from_validation_error(error, config_path, index, _InlineLexicon)
        return _without_errors(value, error, ("lexicon",)), problems


def load_lexicon(
    root: Path, name: str, config_path: Path, config_text: str
) -> tuple[Lexicon, list[Problem]]:
    """The lexicon file that `lexicon = "FILE"` in `workbench.toml` names.

    A missing or broken file is reported at its own path (or at the `lexicon`
    line of `workbench.toml`).  An entry in error (an entity with an empty alias) is
    reported and left out, and the rest is used (`_without_errors`); a file that
    cannot be read or parsed gives an empty lexicon.
    """
    lexicon_path = root / name
    position = KeyIndex(config_text).find(("lexicon",))
    line = position.line if position else 1
    if (
        not name
        or Path(name).is_absolute()
        or ".." in Path(name).parts
        or not lexicon_path.resolve().is_relative_to(root.resolve())
    ):
        message = (
            f"lexicon = {name!r} must name a file inside the project: move the file into "
            'the project folder and name it from there (e.g. lexicon = "lexicon.toml")'
        )
        return Lexicon(), [Problem(config_path, line, 1, "WB101", message)]
    try:
        data = lexicon_path.read_bytes()
    except FileNotFoundError:
        message = (
            f"the lexicon file `{name}` that workbench.toml names does not exist: "
            "create it, or correct or remove `lexicon`"
        )
        return Lexicon(), [Problem(config_path, line, 1, "WB002", message)]
    except OSError as error:
        message = f"cannot read the lexicon file `{name}`: {error.strerror or error}"
        return Lexicon(), [Problem(config_path, line, 1, "WB002", message)]
    try:
        lexicon_text = nfc(data.decode("utf-8").removeprefix("\ufeff"))
    except UnicodeDecodeError as error:
        bad_line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        message = f"not UTF-8 (byte 0x{data[error.start]:02x}): save the file as UTF-8"
        return Lexicon(), [Problem(lexicon_path, bad_line, column, "WB002", message)]
    try:
        lexicon_data = parse_toml(lexicon_text)
    except TomlSyntaxError as error:
        problem = Problem(
            lexicon_path, error.line, error.column, "WB003", f"TOML syntax: {error.message}"
        )
        return Lexicon(), [problem]
    try:
        return Lexicon.model_validate(lexicon_data), []
    except ValidationError as error:
        from workbench.validation import problems_from_validation_error

        index = KeyIndex(lexicon_text)
        problems = problems_from_validation_error(error, lexicon_path, index, Lexicon)
        return _without_errors(lexicon_data, error, ()), problems


_LEXICON_LISTS = frozenset(
    name for name, field in Lexicon.model_fields.items() if get_origin(field.annotation) is list
)
"""The lexicon's lists (entities, events, event words, opposing stances, rivals)."""


def _without_errors(data: object, error: ValidationError, prefix: tuple[str, ...]) -> Lexicon:
    """The lexicon `data` without the items of its lists that `error` finds wrong (an
    entity with an empty alias, an event without a date), so that one mistake costs
    its entry, not the whole lexicon: with none of it, `workbench conflicts` found
    nothing on the bundled claims.  Empty if an error lies outside the lists' items
    (`prefix` is where the lexicon sits in the file's keys)."""
    if not isinstance(data, dict):
        return Lexicon()
    wrong: dict[str, set[int]] = {}
    for detail in error.errors():
        location = tuple(detail["loc"])[len(prefix) :]
        if (
            len(location) < 2
            or location[0] not in _LEXICON_LISTS
            or not isinstance(location[1], int)
            or not isinstance(data.get(str(location[0])), list)
        ):
            return Lexicon()
        wrong.setdefault(str(location[0]), set()).add(location[1])
    kept = dict(data)
    for name, positions in wrong.items():
        kept[name] = [item for at, item in enumerate(data[name]) if at not in positions]
    try:
        return Lexicon.model_validate(kept)
    except ValidationError:
        return Lexicon()


__all__ = [
    "CLAIMS_DIR",
    "CONFIG_NAME",
    "SOURCES_DIR",
    "ProjectNotFound",
    "Severity",
    "default_settings",
    "find_root",
    "load_settings",
]
