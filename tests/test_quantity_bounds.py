"""A quantity's bound ("less than 10%" is a ceiling, "more than 300" a floor) is data:
stored, checked, proposed by `add`, shown, and exported."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import tomllib
from pathlib import Path

import pytest
from pydantic import ValidationError

from workbench.differences import format_quantity
from workbench.models import Quantity
from workbench.numbers import find_quantity

from .conftest import run_cli

FDI = "chosun24-fdi-under-10pct-of-2021"


def test_a_bound_goes_with_one_value_not_with_a_range() -> None:
    ceiling = Quantity(subject="fdi share", value=10, unit="percent", bound="upper")
    assert format_quantity(ceiling) == "under " + format_quantity(
        Quantity(subject="fdi share", value=10, unit="percent")
    )
    assert format_quantity(
        Quantity(subject="startups", value=300, unit="startups", bound="lower")
    ).startswith("over ")
    with pytest.raises(ValidationError, match="goes with a single `value`"):
        Quantity(subject="gpus", low=50_000, high=60_000, unit="gpus", bound="lower")
    with pytest.raises(ValidationError):
        Quantity(subject="gpus", value=5, unit="gpus", bound="roughly")  # type: ignore[arg-type]


def test_a_share_written_as_a_ratio_may_be_stored_as_a_percent_and_back() -> None:
    assert find_quantity("中 외국인 투자 2년 새 10분의 1로", 10, 10, "percent") is not None
    assert find_quantity("10%도 채 안 되는 수준", 0.1, 0.1, "ratio") is not None
    assert find_quantity("10%도 채 안 되는 수준", 20, 20, "percent") is None
    assert find_quantity("10분의 1", 0.1, 0.1, "percent") is None  # 0.1% is not a tenth


def test_the_bundled_twins_are_stored_alike() -> None:
    from .conftest import REPO

    def quantity(claim_id: str) -> dict[str, object]:
        with (REPO / "claims" / f"{claim_id}.toml").open("rb") as handle:
            found = tomllib.load(handle)["quantity"]
        assert isinstance(found, dict)
        return found

    under, tenth = quantity(FDI), quantity("chosun24-fdi-tenth-in-two-years")
    assert (under["value"], under["unit"], under.get("bound")) == (10, "percent", "upper")
    assert (tenth["value"], tenth["unit"], tenth.get("bound")) == (10, "percent", None)
    assert under["subject"] == tenth["subject"] and under["period"] == tenth["period"]


def test_exports_carry_the_bound(
    repo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(repo_copy)
    code, out, err = run_cli(["export", "--format", "csv", "--root", root], capsys)
    assert code == 0, err
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(out.lstrip("\ufeff")))}
    assert rows[FDI]["quantity_bound"] == "upper"
    assert rows["chosun24-fdi-tenth-in-two-years"]["quantity_bound"] == ""
    code, out, err = run_cli(["export", "--format", "json", "--root", root], capsys)
    assert code == 0, err
    claims = {item["id"]: item for item in json.loads(out)["claims"]}
    assert claims[FDI]["quantity"]["bound"] == "upper"
    database = tmp_path / "claims.sqlite"
    code, _out, err = run_cli(
        ["export", "--format", "sqlite", "-o", str(database), "--root", root], capsys
    )
    assert code == 0, err
    with sqlite3.connect(database) as connection:
        found = connection.execute(
            "SELECT bound FROM quantities WHERE claim_id = ?", (FDI,)
        ).fetchone()
    assert found == ("upper",)


@pytest.mark.parametrize(
    ("quote", "expected"),
    [
        ("10%도 채 안 되는 수준으로 폭락했다", (10, "percent", "upper")),
        # The first figure is proposed, and the ceiling words are another figure's.
        ("2021년(3440억달러)의 10%도 채 안 되는 수준으로 폭락했다", (344e9, "USD", None)),
    ],
)
def test_add_proposes_the_bound_the_quote_states_for_its_figure(
    repo_copy: Path,
    capsys: pytest.CaptureFixture[str],
    quote: str,
    expected: tuple[float, str, str | None],
) -> None:
    code, out, err = run_cli(
        [
            "add",
            "--root",
            str(repo_copy),
            "--source",
            "chosun-2024-lagging",
            "--quote",
            quote,
            "--statement",
            "China's FDI in 2023 fell to less than 10% of 2021's record.",
            "--id",
            "fdi-again",
            "--allow-duplicate",
            "--topic",
            "funding",
            "--stance",
            "lagging",
            "--reviewer",
            "Ana",
        ],
        capsys,
    )
    assert code == 0, err
    assert ("a ceiling" in out) == (expected[2] == "upper")
    with (repo_copy / "claims" / "fdi-again.toml").open("rb") as handle:
        quantity = tomllib.load(handle)["quantity"]
    assert (quantity["value"], quantity["unit"], quantity.get("bound")) == expected
