"""The `json` and `jsonl` exports, and the JSON Schema that describes them.

`json` is one document:

    {"$schema": "export-v1.json", "schema_version": 1, "project": {...},
     "selection": {...}, "sources": [...], "claims": [...]}

`project` is `workbench.toml` (vocabularies and ClaimReview settings),
`selection` the filters used (null: none), `sources` the sources the selected
claims name, and `claims` every field of every selected claim, exactly as in
the claim files (history entries keep the keys `from` and `to`; times are UTC
ISO 8601 with `Z`, dates ISO 8601).

`jsonl` holds the same data one record a line, each with a `type`: first the
`header` (everything but sources and claims), then one `source` line per
source and one `claim` line per claim.  Each line validates against
`export-v1.json#/$defs/ExportLine`.

The schema is generated from the models below (`python -m
workbench.export.json_format` rewrites `workbench/schemas/export-v1.json`,
and `workbench schema` copies it into a project's `schema/`), and a test
keeps the committed file in sync.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter
from pydantic.json_schema import models_json_schema

from workbench.export import SCHEMA_VERSION, ByteSink, ExportContext
from workbench.models import Claim, ProjectSettings, Source

SCHEMA_NAME = "export-v1.json"
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schemas" / SCHEMA_NAME
"""The export schema as the package ships it (`workbench schema` copies it into a project)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ExportSelection(_Strict):
    """The filters an export used; null means the field was not filtered."""

    statuses: list[str] | None = None
    topics: list[str] | None = None
    stances: list[str] | None = None
    sources: list[str] | None = None
    since: dt.date | None = Field(
        default=None, description="Claims whose verdict was reached on or after this date."
    )
    agreed: Literal[True] | None = Field(
        default=None, description="Only claims whose reviewers' latest verdicts agree."
    )
    recheck_due: dt.date | None = Field(
        default=None, description="Only claims whose recheck date is on or before this date."
    )


class ExportDocument(_Strict):
    """A `workbench export --format json` document."""

    schema_url: str = Field(alias="$schema")
    schema_version: Literal[1]
    project: ProjectSettings
    selection: ExportSelection
    sources: list[Source]
    claims: list[Claim]


class HeaderLine(_Strict):
    """The first line of a jsonl export."""

    type: Literal["header"]
    schema_url: str = Field(alias="$schema")
    schema_version: Literal[1]
    project: ProjectSettings
    selection: ExportSelection


class SourceLine(_Strict):
    type: Literal["source"]
    source: Source


class ClaimLine(_Strict):
    type: Literal["claim"]
    claim: Claim


# --------------------------------------------------------------------------- schema


def export_schema() -> dict[str, Any]:
    """The JSON Schema of json exports (the root) and of jsonl lines (`$defs/ExportLine`)."""
    models: list[tuple[type[BaseModel], Literal["serialization"]]] = [
        (ExportDocument, "serialization"),
        (HeaderLine, "serialization"),
        (SourceLine, "serialization"),
        (ClaimLine, "serialization"),
    ]
    _, definitions = models_json_schema(models, by_alias=True, ref_template="#/$defs/{model}")
    defs: dict[str, Any] = dict(definitions["$defs"])
    defs["ExportLine"] = {
        "description": "One line of a jsonl export: the header first, then sources, then claims.",
        "oneOf": [
            {"$ref": "#/$defs/HeaderLine"},
            {"$ref": "#/$defs/SourceLine"},
            {"$ref": "#/$defs/ClaimLine"},
        ],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Workbench export, version 1",
        "description": (
            "A `workbench export --format json` document. Lines of a jsonl export "
            "validate against #/$defs/ExportLine."
        ),
        "$ref": "#/$defs/ExportDocument",
        "$defs": dict(sorted(defs.items())),
    }


def schema_text() -> str:
    return json.dumps(export_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    from workbench.tomlio import write_atomic

    write_atomic(path, schema_text())
    return path


# --------------------------------------------------------------------------- writing


_CHUNK = 1_000
"""Claims serialised per call into pydantic's (Rust) JSON encoder."""

_CLAIMS = TypeAdapter(list[Claim])
_CLAIM = TypeAdapter(Claim)


def _header(context: ExportContext) -> dict[str, Any]:
    return {
        "$schema": SCHEMA_NAME,
        "schema_version": SCHEMA_VERSION,
        "project": context.project.settings.model_dump(mode="json", by_alias=True),
        "selection": context.selection.describe(context.project),
    }


def _dumps(value: Any, indent: int | None = None) -> str:
    separators = (",", ": ") if indent is not None else (",", ":")
    return json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)


def _array_items(adapter: TypeAdapter[Any], items: list[Any]) -> bytes:
    """The items of a JSON array, each on its own lines, indented to sit in a `"key": [...]`.

    pydantic writes `[\n  {...},\n  {...}\n]` at depth 0; dropping the brackets and
    indenting by two more spaces puts the items at depth 2 of the document.
    """
    text: bytes = adapter.dump_json(items, by_alias=True, indent=2)
    return text[1:-2].replace(b"\n", b"\n  ")


def write_json(context: ExportContext, out: ByteSink) -> int:
    """One JSON document, indented by two spaces; returns the number of claims."""
    head = ["{\n"]
    for key, value in _header(context).items():
        body = _dumps(value, 2).replace("\n", "\n  ")
        head.append(f"  {_dumps(key)}: {body},\n")
    head.append('  "sources": [')
    out.write("".join(head).encode("utf-8"))
    if context.sources:
        out.write(_array_items(TypeAdapter(list[Source]), context.sources) + b"\n  ")
    out.write(b'],\n  "claims": [')
    claims, progress = context.claims, context.progress
    for start in range(0, len(claims), _CHUNK):
        chunk = claims[start : start + _CHUNK]
        out.write((b"," if start else b"") + _array_items(_CLAIMS, chunk))
        progress.advance(len(chunk))
    out.write(b"\n  ]\n}\n" if claims else b"]\n}\n")
    return len(claims)


def write_jsonl(context: ExportContext, out: ByteSink) -> int:
    """One record a line: header, sources, claims; returns the number of claims."""
    out.write((_dumps({"type": "header", **_header(context)}) + "\n").encode("utf-8"))
    for source in context.sources:
        line = source.model_dump_json(by_alias=True)
        out.write(f'{{"type":"source","source":{line}}}\n'.encode())
    progress = context.progress
    dump = _CLAIM.dump_json
    lines: list[bytes] = []
    for claim in context.claims:
        lines.append(b'{"type":"claim","claim":' + dump(claim, by_alias=True) + b"}\n")
        if len(lines) >= _CHUNK:
            out.write(b"".join(lines))
            progress.advance(len(lines))
            lines.clear()
    out.write(b"".join(lines))
    progress.advance(len(lines))
    return len(context.claims)


if __name__ == "__main__":
    print(f"wrote {write_schema()}")
