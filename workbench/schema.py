"""JSON Schemas generated from the models, for editors (taplo, VS Code) and for CI.

The committed files in `schema/` are checked against this generator by a test,
so they cannot drift from the models.  `python -m workbench.schema` rewrites them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from workbench.models import Claim, Lexicon, ProjectSettings, Source

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schema"
SCHEMA_BASE_URL = "https://workbench.invalid/schema/"

SCHEMAS: dict[str, type[BaseModel]] = {
    "claim-v1.json": Claim,
    "source-v1.json": Source,
    "workbench-v1.json": ProjectSettings,
    "lexicon-v1.json": Lexicon,
}


def schema_for(model: type[BaseModel], name: str) -> dict[str, Any]:
    schema = model.model_json_schema(by_alias=True, mode="validation")
    if model is ProjectSettings:
        # `lexicon` is the table itself or the name of the file that holds it.
        inline = schema["properties"]["lexicon"]
        file_name = {"type": "string", "description": "A lexicon file inside the project."}
        schema["properties"]["lexicon"] = {"anyOf": [file_name, inline]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_BASE_URL + name,
        **schema,
    }


def schema_text(model: type[BaseModel], name: str) -> str:
    return json.dumps(schema_for(model, name), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schemas(folder: Path = SCHEMA_DIR) -> list[Path]:
    from workbench.tomlio import write_atomic

    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        write_atomic(path, schema_text(model, name))
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_schemas():
        print(f"wrote {path}")
