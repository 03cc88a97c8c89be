"""The committed JSON Schemas match the models and validate the repository's data."""

from __future__ import annotations

import json
import tomllib

import jsonschema
import pytest

from workbench.schema import SCHEMA_DIR, SCHEMAS, schema_text

from .conftest import REPO


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_committed_schema_matches_the_models(name: str) -> None:
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == schema_text(SCHEMAS[name], name), (
        f"schema/{name} is out of date: run `python -m workbench.schema` and commit it"
    )


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()  # taplo, like this, sees TOML dates as strings
    return value


def test_repository_files_validate_against_the_schemas() -> None:
    claim_schema = json.loads((SCHEMA_DIR / "claim-v1.json").read_text(encoding="utf-8"))
    source_schema = json.loads((SCHEMA_DIR / "source-v1.json").read_text(encoding="utf-8"))
    config_schema = json.loads((SCHEMA_DIR / "workbench-v1.json").read_text(encoding="utf-8"))
    claims = sorted((REPO / "claims").glob("*.toml"))
    for path in claims:
        jsonschema.validate(_jsonable(tomllib.loads(path.read_text("utf-8"))), claim_schema)
    for path in sorted((REPO / "seeds").glob("*.toml")):
        jsonschema.validate(_jsonable(tomllib.loads(path.read_text("utf-8"))), source_schema)
    config = tomllib.loads((REPO / "workbench.toml").read_text("utf-8"))
    jsonschema.validate(config, config_schema)
    lexicon_schema = json.loads((SCHEMA_DIR / "lexicon-v1.json").read_text(encoding="utf-8"))
    lexicon = _jsonable(tomllib.loads((REPO / "lexicon.toml").read_text("utf-8")))
    jsonschema.validate(lexicon, lexicon_schema)


def test_schema_rejects_an_unknown_key_and_a_bad_id() -> None:
    claim_schema = json.loads((SCHEMA_DIR / "claim-v1.json").read_text(encoding="utf-8"))
    good = {
        "id": "a",
        "statement": "s",
        "topic": "t",
        "stance": "x",
        "source": {"id": "s", "quote": "q"},
    }
    jsonschema.validate(good, claim_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "colour": "red"}, claim_schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**good, "id": "../etc"}, claim_schema)


def test_taplo_config_points_at_the_schemas() -> None:
    config = tomllib.loads((REPO / ".taplo.toml").read_text(encoding="utf-8"))
    rules = {rule["include"][0]: rule["schema"]["path"] for rule in config["rule"]}
    assert rules["claims/**/*.toml"] == "./schema/claim-v1.json"
    for path in rules.values():
        assert (REPO / path).is_file()
