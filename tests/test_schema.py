"""The committed JSON Schemas match the models and validate the repository's data."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import jsonschema
import pytest

from workbench.config import load_settings
from workbench.schema import PACKAGE_SCHEMA_DIR, expected_files

from .conftest import REPO, ProjectFactory

SCHEMA_DIR = REPO / "schema"


@pytest.mark.parametrize("name", sorted(expected_files(None)))
def test_package_schemas_match_the_models(name: str) -> None:
    committed = (PACKAGE_SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == expected_files(None)[name], (
        f"workbench/schemas/{name} is out of date: run "
        "`python -c 'from workbench.schema import *; write_schemas(PACKAGE_SCHEMA_DIR, None)'`"
    )


@pytest.mark.parametrize("name", sorted(expected_files(None)))
def test_the_projects_schemas_match_its_vocabularies(name: str) -> None:
    settings, problems = load_settings(REPO)
    assert problems == []
    committed = (SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert committed == expected_files(settings)[name], (
        f"schema/{name} is out of date: run `workbench schema` and commit it"
    )


def test_no_schema_claims_an_id_that_does_not_resolve() -> None:
    for folder in (SCHEMA_DIR, PACKAGE_SCHEMA_DIR):
        for path in folder.glob("*.json"):
            assert "$id" not in json.loads(path.read_text(encoding="utf-8")), path


def test_project_schema_completes_and_flags_the_vocabularies() -> None:
    claim_schema = json.loads((SCHEMA_DIR / "claim-v1.json").read_text(encoding="utf-8"))
    settings, _ = load_settings(REPO)
    assert claim_schema["properties"]["status"]["enum"] == sorted(settings.statuses)
    assert claim_schema["properties"]["topic"]["enum"] == sorted(settings.topics)
    good = {
        "id": "a",
        "statement": "s",
        "topic": "chips",
        "stance": "lagging",
        "status": "verified",
        "source": {"id": "s", "quote": "q"},
    }
    jsonschema.validate(good, claim_schema)
    for key, misspelt in [("status", "verfied"), ("stance", "lag"), ("topic", "chip")]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**good, key: misspelt}, claim_schema)


def test_workbench_schema_writes_into_the_project_it_is_run_in(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    root = make_project()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    package_before = {p.name: p.read_bytes() for p in PACKAGE_SCHEMA_DIR.glob("*.json")}
    result = subprocess.run(
        [sys.executable, "-m", "workbench", "schema"],
        cwd=root / "claims",
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    written = sorted(p.name for p in (root / "schema").glob("*.json"))
    assert written == sorted(expected_files(None))
    claim_schema = json.loads((root / "schema" / "claim-v1.json").read_text(encoding="utf-8"))
    assert claim_schema["properties"]["topic"]["enum"] == ["cost", "funding", "race"]
    assert {p.name: p.read_bytes() for p in PACKAGE_SCHEMA_DIR.glob("*.json")} == package_before
    outside = subprocess.run(
        [sys.executable, "-m", "workbench", "schema"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert outside.returncode == 2
    assert "no workbench.toml" in outside.stderr
    assert not (elsewhere / "schema").exists()


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
    claim_schema = json.loads((PACKAGE_SCHEMA_DIR / "claim-v1.json").read_text(encoding="utf-8"))
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
