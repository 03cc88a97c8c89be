"""Turning pydantic validation errors into problems a maintainer can act on.

pydantic reports a location such as `("relations", 1, "kind")`; the key index
turns it into a line, and unknown keys get a did-you-mean suggestion from the
keys the model allows at that place.
"""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from workbench.models import explain_pattern_error
from workbench.problems import Problem
from workbench.tomlio import KeyIndex, KeyPath


def problems_from_validation_error(
    error: ValidationError, path: Path, key_index: KeyIndex, model: type[BaseModel]
) -> list[Problem]:
    return [_problem(detail, path, key_index, model) for detail in error.errors()]


def _problem(
    detail: ErrorDetails, path: Path, key_index: KeyIndex, model: type[BaseModel]
) -> Problem:
    location: KeyPath = tuple(detail["loc"])
    dotted = _dotted(location)
    error_type = detail["type"]
    position = key_index.find(location)
    line, column = (position.line, position.column) if position else (1, 1)
    if error_type == "extra_forbidden":
        allowed = allowed_keys(model, location[:-1])
        unknown = str(location[-1])
        suggestion = suggest(unknown, allowed)
        hint = f"; did you mean `{suggestion}`?" if suggestion else ""
        listing = ", ".join(sorted(allowed))
        message = f"unknown key `{dotted}`{hint} (allowed here: {listing})"
        return Problem(path, line, column, "WB102", message)
    if error_type == "missing":
        where = _dotted(location[:-1])
        table = f" in [{where}]" if where else ""
        message = f"missing required key `{location[-1]}`{table}: add it"
        return Problem(path, line, column, "WB103", message)
    if error_type == "string_pattern_mismatch" and isinstance(detail.get("input"), str):
        pattern = str((detail.get("ctx") or {}).get("pattern", ""))
        message = explain_pattern_error(str(detail["input"]), pattern)
        if location and isinstance(location[-1], int):  # an item of a list, not a key
            message = message.replace("remove the key", "remove it from the list")
        subject = f"`{dotted}`" if dotted else "this file"
        return Problem(path, line, column, "WB101", f"{subject}: {message}")
    message = detail["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    shown = _short_repr(detail.get("input"))
    subject = f"`{dotted}`" if dotted else "this file"
    if error_type in {"literal_error", "enum"}:
        message = f"{message} (found {shown})"
    elif error_type == "finite_number":
        message = f"{message}, found {shown}: write the number the source states"
    elif error_type.endswith("_type") or error_type.endswith("_parsing"):
        message = f"{message}, found {shown}"
    return Problem(path, line, column, "WB101", f"{subject}: {message}")


def _dotted(location: KeyPath) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def allowed_keys(model: type[BaseModel], location: KeyPath) -> list[str]:
    """The keys a model accepts at `location` (aliases where the TOML uses them)."""
    current: Any = model
    for part in location:
        if isinstance(part, int):
            continue
        found = _sub_model(current, part)
        if found is None:
            return []
        current = found
    if not (isinstance(current, type) and issubclass(current, BaseModel)):
        return []
    return [field.alias or name for name, field in current.model_fields.items()]


def _sub_model(model: Any, key: str) -> type[BaseModel] | None:
    if not (isinstance(model, type) and issubclass(model, BaseModel)):
        return None
    for name, field in model.model_fields.items():
        if key in (name, field.alias):
            return _find_model(field.annotation)
    return None


def _find_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for argument in typing.get_args(annotation):
            found = _find_model(argument)
            if found is not None:
                return found
    return None


def suggest(word: str, choices: list[str]) -> str | None:
    """The closest allowed word, if it is close enough to be a typo of `word`."""
    if not choices:
        return None
    match = process.extractOne(word, choices, scorer=Levenshtein.normalized_similarity)
    if match is None:
        return None
    choice, score, _ = match
    return str(choice) if score >= 0.5 else None
