"""`workbench check` for the lexicon: what the schema cannot see.

The schema (`Lexicon` in `workbench.models`) says what each entry looks like;
these checks look across entries and at the rest of the project: an opposing
stance that `[stances]` does not list, an alias that two entities claim (so
the engine could not tell which one a text means), a rivals group that no
entity belongs to.  Each problem names the line of the entry at fault, in
`lexicon.toml` or in the `[lexicon]` table of `workbench.toml`, whichever holds
the lexicon, and says what to do.

Names and aliases are compared as a reader would: case-folded, in Unicode NFC
(macOS writes Korean decomposed) and with runs of spaces as one.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from workbench.config import CONFIG_NAME
from workbench.locate import indexed_text
from workbench.models import Lexicon, nfc
from workbench.problems import Problem, Severity
from workbench.project import Project
from workbench.tomlio import KeyPath, TomlSyntaxError, parse_toml
from workbench.validation import suggest

_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Cn", "Co", "Cs"})
"""Characters that show nothing by themselves: controls, format characters such
as the zero-width space, and spaces."""


def lexicon_location(root: Path) -> tuple[Path, KeyPath] | None:
    """The file that holds the lexicon and the key path of the lexicon inside it:
    (`lexicon.toml`, ()) for `lexicon = "lexicon.toml"`, (`workbench.toml`,
    ("lexicon",)) for an inline `[lexicon]`, None for no lexicon (or a
    `workbench.toml` that does not load, which is reported on its own)."""
    config = root / CONFIG_NAME
    found = indexed_text(config)
    if found is None:
        return None
    try:
        data = parse_toml(found[1].removeprefix("\ufeff"))
    except TomlSyntaxError:
        return None
    named = data.get("lexicon")
    if isinstance(named, str):
        return root / named, ()
    if isinstance(named, dict):
        return config, ("lexicon",)
    return None


def check_lexicon(project: Project) -> list[Problem]:
    """Every problem of the project's lexicon beyond its schema.

    A lexicon that did not load is empty in the settings (its load problems are
    already reported), so nothing more is reported for it here.
    """
    location = lexicon_location(project.root)
    if location is None:
        return []
    path, prefix = location
    where = _Where(path, prefix)
    lexicon = project.settings.lexicon
    return [
        *_check_opposing_stances(lexicon, list(project.settings.stances), where),
        *_check_entity_names(lexicon, where),
        *_check_rivals(lexicon, where),
        *_check_part_of(lexicon, where),
        *_check_events(lexicon, where),
        *_check_event_words(lexicon, where),
        *_check_broad_aliases(lexicon, where),
    ]


def _check_broad_aliases(lexicon: Lexicon, where: _Where) -> list[Problem]:
    """WB811: an alias that matching would read as a plain word ("AI+" as "ai")."""
    from workbench.matching.frames import reads_broader, tokens

    problems: list[Problem] = []
    for use in (*_entity_name_uses(lexicon), *_event_name_uses(lexicon)):
        if reads_broader(use.text):
            word = tokens(use.text)[0]
            message = (
                f"{use.what} `{shown(use.text)}` reads as the word `{shown(word)}` for "
                "matching (symbols are not part of words), so it would name every "
                f"`{shown(word)}`: it is left out; write the name in words "
                "(`AI Plus`, `C sharp`)"
            )
            problems.append(where.problem(use.key_path, "WB811", message, Severity.WARNING))
    return problems


@dataclass(frozen=True, slots=True)
class _Where:
    """Turns a key path inside the lexicon into a problem at its file and line."""

    path: Path
    prefix: KeyPath

    def line(self, key_path: KeyPath) -> int:
        return self._position(key_path)[0]

    def problem(
        self,
        key_path: KeyPath,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
    ) -> Problem:
        line, column = self._position(key_path)
        return Problem(self.path, line, column, code, message, severity)

    def _position(self, key_path: KeyPath) -> tuple[int, int]:
        found = indexed_text(self.path)
        position = found[0].find((*self.prefix, *key_path)) if found is not None else None
        return (position.line, position.column) if position is not None else (1, 1)


def comparable(text: str) -> str:
    """The form in which two names or aliases are the same name: NFC, case-folded,
    one space between words, no space at either end."""
    return nfc(" ".join(nfc(text).casefold().split()))


def shown(text: str) -> str:
    """Text from the lexicon as a message shows it: invisible and control
    characters as `\\u200b` escapes, so that the reader sees what is there."""
    return "".join(
        char if char == " " or char.isprintable() else f"\\u{ord(char):04x}" for char in text
    )


def _invisible(text: str) -> bool:
    return all(unicodedata.category(char) in _INVISIBLE_CATEGORIES for char in text)


def _codepoints(text: str) -> str:
    return " ".join(f"U+{ord(char):04X}" for char in text) or "nothing"


# -- opposing stances ------------------------------------------------------------------


def _check_opposing_stances(lexicon: Lexicon, stances: list[str], where: _Where) -> list[Problem]:
    problems: list[Problem] = []
    seen: dict[frozenset[str], int] = {}
    for index, pair in enumerate(lexicon.opposing_stances):
        for side, stance in enumerate(pair):
            if stance in stances:
                continue
            hint = suggest(stance, stances)
            message = f"unknown stance `{shown(stance)}` in opposing_stances" + (
                f"; did you mean `{hint}`?" if hint else ""
            )
            message += (
                f" ([stances] in workbench.toml allows: {', '.join(stances)}): "
                "correct it or add the stance to [stances]"
            )
            problems.append(where.problem(("opposing_stances", index, side), "WB801", message))
        first, second = pair
        if first == second:
            message = (
                f"stance `{shown(first)}` is opposed to itself: "
                "pair it with the stance that contradicts it"
            )
            problems.append(where.problem(("opposing_stances", index), "WB802", message))
            continue
        key = frozenset(pair)
        if key in seen:
            earlier = seen[key]
            message = (
                f"`{shown(first)}` / `{shown(second)}` is already listed as opposing at line "
                f"{where.line(('opposing_stances', earlier))} (the order does not matter): "
                "delete this pair"
            )
            problems.append(where.problem(("opposing_stances", index), "WB803", message))
        else:
            seen[key] = index
    return problems


# -- entities --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _NameUse:
    """One name or alias as written: the entity (or event) that uses it, and where."""

    owner: int
    owner_name: str
    key_path: KeyPath
    is_name: bool
    text: str

    @property
    def what(self) -> str:
        return "name" if self.is_name else "alias"


def _entity_name_uses(lexicon: Lexicon) -> Iterator[_NameUse]:
    for index, entity in enumerate(lexicon.entities):
        yield _NameUse(index, entity.name, ("entities", index, "name"), True, entity.name)
        for alias_index, alias in enumerate(entity.aliases):
            key_path = ("entities", index, "aliases", alias_index)
            yield _NameUse(index, entity.name, key_path, False, alias)


def _event_name_uses(lexicon: Lexicon) -> Iterator[_NameUse]:
    for index, event in enumerate(lexicon.events):
        yield _NameUse(index, event.name, ("events", index, "name"), True, event.name)
        for alias_index, alias in enumerate(event.aliases):
            key_path = ("events", index, "aliases", alias_index)
            yield _NameUse(index, event.name, key_path, False, alias)


def _check_entity_names(lexicon: Lexicon, where: _Where) -> list[Problem]:
    """A name or alias may belong to one entity only: the engine maps it to one."""
    return _check_names(_entity_name_uses(lexicon), where, "entity", _entity_clash)


def _check_names(
    claims: Iterator[_NameUse],
    where: _Where,
    kind: str,
    clash: Callable[[_NameUse, _NameUse, _Where], Problem],
) -> list[Problem]:
    """Names and aliases used by more than one entity (or event).

    The first owner (in file order) keeps a name; each later owner that uses it
    gets one problem, at its first use of it, naming the first owner and line.
    A name repeated within one owner is a warning at the repetition.
    """
    problems: list[Problem] = []
    first_claims: dict[str, _NameUse] = {}
    own_claims: dict[tuple[str, int], _NameUse] = {}
    for claim in claims:
        if _invisible(claim.text):
            problems.append(_invisible_problem(claim, where, kind))
            continue
        key = comparable(claim.text)
        own = own_claims.setdefault((key, claim.owner), claim)
        if own is not claim:
            message = (
                f"{claim.what} `{shown(claim.text)}` of {kind} `{shown(claim.owner_name)}` "
                f"repeats its {own.what} at line {where.line(own.key_path)}: delete this one"
            )
            problems.append(where.problem(claim.key_path, "WB810", message, Severity.WARNING))
            continue
        first = first_claims.setdefault(key, claim)
        if first is not claim:
            problems.append(clash(first, claim, where))
    return problems


def _entity_clash(first: _NameUse, later: _NameUse, where: _Where) -> Problem:
    first_line = where.line(first.key_path)
    if first.is_name and later.is_name:
        message = (
            f"entity `{shown(later.text)}` is already defined at line {first_line}"
            + (f" (as `{shown(first.text)}`)" if first.text != later.text else "")
            + ": merge the two entries"
        )
        return where.problem(later.key_path, "WB806", message)
    if first.is_name or later.is_name:
        message = (
            f"{later.what} `{shown(later.text)}` of entity `{shown(later.owner_name)}` is the "
            f"{first.what} of entity `{shown(first.owner_name)}` (line {first_line}): "
            "a name means one entity; remove it here, or merge the two entities"
        )
        return where.problem(later.key_path, "WB805", message)
    message = (
        f"alias `{shown(later.text)}` is claimed by two entities: `{shown(later.owner_name)}` "
        f"here and `{shown(first.owner_name)}` (line {first_line}): keep it on one of them"
    )
    return where.problem(later.key_path, "WB804", message)


def _invisible_problem(claim: _NameUse, where: _Where, kind: str) -> Problem:
    message = (
        f"{claim.what} of {kind} `{shown(claim.owner_name)}` has no visible character "
        f"({_codepoints(claim.text)}): write the {claim.what} or delete it"
    )
    if claim.is_name:
        message = (
            f"the name of {kind} {claim.owner + 1} has no visible character "
            f"({_codepoints(claim.text)}): write its name"
        )
    return where.problem(claim.key_path, "WB807", message)


# -- rivals ----------------------------------------------------------------------------


def _check_rivals(lexicon: Lexicon, where: _Where) -> list[Problem]:
    groups = list(dict.fromkeys(entity.group for entity in lexicon.entities if entity.group))
    problems: list[Problem] = []
    for index, pair in enumerate(lexicon.rivals):
        if pair[0] == pair[1]:
            message = (
                f"group `{shown(pair[0])}` is a rival of itself: "
                "pair it with the group it is compared against"
            )
            problems.append(where.problem(("rivals", index), "WB808", message))
            continue
        for side, group in enumerate(pair):
            if group in groups:
                continue
            hint = suggest(group, groups)
            known = f"groups in use: {', '.join(groups)}" if groups else "no entity has a group"
            message = (
                f"no entity belongs to the rivals group `{shown(group)}`"
                + (f"; did you mean `{hint}`?" if hint else "")
                + f' ({known}): set `group = "{shown(group)}"` on its entities '
                "or correct the name"
            )
            problems.append(where.problem(("rivals", index, side), "WB808", message))
    return problems


# -- part of ---------------------------------------------------------------------------


def _check_part_of(lexicon: Lexicon, where: _Where) -> list[Problem]:
    """WB812: `part_of` names an entity by its name; a chain must end, or matching could
    not say what a claim naming one of them names."""
    names = [entity.name for entity in lexicon.entities]
    parent = {entity.name: entity.part_of for entity in lexicon.entities if entity.part_of}
    problems: list[Problem] = []
    for index, entity in enumerate(lexicon.entities):
        if not entity.part_of:
            continue
        key_path = ("entities", index, "part_of")
        if entity.part_of not in parent and entity.part_of not in names:
            hint = suggest(entity.part_of, names)
            message = (
                f"entity `{shown(entity.name)}` is part of `{shown(entity.part_of)}`, "
                "which no entity is named"
                + (f"; did you mean `{shown(hint)}`?" if hint else "")
                + ": write the name of an entity of this lexicon (not an alias)"
            )
            problems.append(where.problem(key_path, "WB812", message))
            continue
        seen = [entity.name]
        current = entity.part_of
        while current in parent and current not in seen:
            seen.append(current)
            current = parent[current]
        if current in seen:
            chain = " -> ".join(shown(name) for name in [*seen, current])
            message = (
                f"entity `{shown(entity.name)}` is part of itself ({chain}): "
                "remove `part_of` from one of them"
            )
            problems.append(where.problem(key_path, "WB812", message))
    return problems


# -- events ----------------------------------------------------------------------------


def _check_events(lexicon: Lexicon, where: _Where) -> list[Problem]:
    """A named event's name or alias resolves "a day before the X announcement":
    two events sharing one could date a claim by the wrong event."""
    return _check_names(_event_name_uses(lexicon), where, "event", _event_clash)


def _event_clash(first: _NameUse, later: _NameUse, where: _Where) -> Problem:
    message = (
        f"{later.what} `{shown(later.text)}` of event `{shown(later.owner_name)}` is also "
        f"the {first.what} of event `{shown(first.owner_name)}` "
        f"(line {where.line(first.key_path)}): an event name must date one event; "
        "keep it on one of them"
    )
    return where.problem(later.key_path, "WB809", message)


def _check_event_words(lexicon: Lexicon, where: _Where) -> list[Problem]:
    problems: list[Problem] = []
    first_index: dict[str, int] = {}
    for index, word in enumerate(lexicon.event_words):
        key_path = ("event_words", index)
        if _invisible(word):
            message = (
                f"event word has no visible character ({_codepoints(word)}): "
                "write the word or delete it"
            )
            problems.append(where.problem(key_path, "WB807", message))
            continue
        key = comparable(word)
        earlier = first_index.setdefault(key, index)
        if earlier != index:
            message = (
                f"event word `{shown(word)}` is already listed at line "
                f"{where.line(('event_words', earlier))}: delete this one"
            )
            problems.append(where.problem(key_path, "WB810", message, Severity.WARNING))
    return problems
