"""JSON Schemas generated from the models, for editors (taplo, VS Code) and for CI.

Two sets:

* the package's own, in `workbench/schemas/` (shipped in the wheel): any
  project's files validate against them;
* a project's, in `<project>/schema/`, written by `workbench schema` (or
  `python -m workbench.schema`): the same schemas with the project's statuses,
  stances and topics from `workbench.toml` as enums, so that an editor completes
  them and flags a misspelt one as you type.

Neither has an `$id`: an editor finds the files by the paths in `.taplo.toml`,
and an `$id` that does not resolve would only mislead.  The committed files are
checked against this generator by a test, so they cannot drift from the models.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from workbench.models import Claim, Lexicon, ProjectSettings, Source

PACKAGE_SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"
"""The generic schemas, shipped inside the package."""

PROJECT_SCHEMA_DIR = "schema"
"""Where `workbench schema` writes a project's schemas, under its root."""

SCHEMAS: dict[str, type[BaseModel]] = {
    "claim-v1.json": Claim,
    "source-v1.json": Source,
    "workbench-v1.json": ProjectSettings,
    "lexicon-v1.json": Lexicon,
}


def schema_for(model: type[BaseModel], settings: ProjectSettings | None = None) -> dict[str, Any]:
    """The JSON Schema of `model`; with `settings`, its vocabularies as enums."""
    schema = model.model_json_schema(by_alias=True, mode="validation")
    if model is ProjectSettings:
        # `lexicon` is the table itself or the name of the file that holds it.
        inline = schema["properties"]["lexicon"]
        file_name = {"type": "string", "description": "A lexicon file inside the project."}
        schema["properties"]["lexicon"] = {"anyOf": [file_name, inline]}
    if settings is not None:
        _add_vocabularies(model, schema, settings)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def _add_vocabularies(
    model: type[BaseModel], schema: dict[str, Any], settings: ProjectSettings
) -> None:
    statuses = sorted(settings.statuses)
    stances = sorted(settings.stances)
    if model is Claim:
        properties = schema["properties"]
        _enum(properties["status"], statuses)
        _enum(properties["stance"], stances)
        if settings.topics:
            _enum(properties["topic"], sorted(settings.topics))
        history = schema["$defs"]["ReviewEntry"]["properties"]
        _enum(history["from"], statuses)
        _enum(history["to"], statuses)
    elif model is Source:
        _enum(schema["properties"]["view"], stances)
    elif model is Lexicon:
        pair = schema["properties"]["opposing_stances"]["items"]
        for item in pair["prefixItems"]:
            _enum(item, stances)


def _enum(property_schema: dict[str, Any], values: list[str]) -> None:
    property_schema["enum"] = values


def schema_text(model: type[BaseModel], settings: ProjectSettings | None = None) -> str:
    schema = schema_for(model, settings)
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def expected_files(settings: ProjectSettings | None) -> dict[str, str]:
    """Every schema file's name and text: the package's (None) or a project's."""
    from workbench.export.json_format import SCHEMA_NAME
    from workbench.export.json_format import schema_text as export_schema_text

    files = {name: schema_text(model, settings) for name, model in SCHEMAS.items()}
    files[SCHEMA_NAME] = export_schema_text()
    return files


def write_schemas(folder: Path, settings: ProjectSettings | None) -> list[Path]:
    """Write the schemas into `folder` (made if missing); return the paths written."""
    from workbench.tomlio import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in expected_files(settings).items():
        path = folder / name
        write_atomic(path, text)
        written.append(path)
    return written


def write_project_schemas(root: Path | str | None = None) -> list[Path]:
    """`workbench schema`: the project's schemas, into its own `schema/` folder.

    Never into the installed package: the project is found as every command
    finds it (`--root`, else the nearest folder above with `workbench.toml`).
    """
    from workbench.config import find_root, load_settings

    project_root = find_root(override=Path(root) if root is not None else None)
    settings, _problems = load_settings(project_root)
    return write_schemas(project_root / PROJECT_SCHEMA_DIR, settings)


if __name__ == "__main__":
    for path in write_project_schemas():
        print(f"wrote {path}")
