"""`part_of` in the lexicon: naming GPT-4 names GPT and OpenAI, and a bad chain is a
`workbench check` problem (WB812) at the entry's line."""

from __future__ import annotations

import datetime as dt

import pytest

from workbench.matching.frames import FrameReader, LexiconIndex
from workbench.models import Claim, Entity, Lexicon

from .conftest import ProjectFactory
from .test_lexicon import LAYOUTS, lexicon_project, line_with, problems_of

LEXICON = Lexicon(
    entities=[
        Entity(name="OpenAI", group="us"),
        Entity(name="GPT", part_of="OpenAI"),
        Entity(name="GPT-4", part_of="GPT", aliases=["챗GPT-4"]),
        Entity(name="DeepSeek", group="china"),
    ]
)


def frame_names(statement: str, quote: str = "인용") -> frozenset[str]:
    claim = Claim.model_validate(
        {
            "id": "a",
            "statement": statement,
            "topic": "models",
            "stance": "neutral",
            "source": {"id": "s", "quote": quote},
        }
    )
    reader = FrameReader(LexiconIndex(LEXICON))
    return reader.read(0, claim, dt.date(2025, 2, 1), "").entities


def test_naming_a_part_names_what_it_is_part_of() -> None:
    assert frame_names("DeepSeek performs as well as GPT-4.") == {
        "DeepSeek",
        "GPT-4",
        "GPT",
        "OpenAI",
    }
    assert frame_names("A model.", "챗GPT-4 이상의 성능") == {"GPT-4", "GPT", "OpenAI"}
    assert frame_names("No Chinese model rivals OpenAI.") == {"OpenAI"}


def test_a_chain_that_comes_back_on_itself_stops() -> None:
    looping = Lexicon(entities=[Entity(name="A", part_of="B"), Entity(name="B", part_of="A")])
    assert LexiconIndex(looping).wider == {"A": {"B"}, "B": {"A"}}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_part_of_an_unknown_entity_or_of_itself_is_a_problem(
    make_project: ProjectFactory, layout: str
) -> None:
    body = (
        '[[entities]]\nname = "OpenAI"\n\n'
        '[[entities]]\nname = "GPT-4"\npart_of = "OpenAl"\n\n'
        '[[entities]]\nname = "Loop one"\npart_of = "Loop two"\n\n'
        '[[entities]]\nname = "Loop two"\npart_of = "Loop one"\n'
    )
    root, path = lexicon_project(make_project, body, layout)
    problems = [problem for problem in problems_of(root) if problem.code == "WB812"]
    assert [(problem.path, problem.line) for problem in problems] == [
        (path, line_with(path, 'part_of = "OpenAl"')),
        (path, line_with(path, 'part_of = "Loop two"')),
        (path, line_with(path, 'part_of = "Loop one"')),
    ]
    assert "did you mean `OpenAI`?" in problems[0].message
    assert "part of itself" in problems[1].message


@pytest.mark.parametrize("layout", LAYOUTS)
def test_a_good_chain_is_no_problem(make_project: ProjectFactory, layout: str) -> None:
    body = (
        '[[entities]]\nname = "OpenAI"\n\n'
        '[[entities]]\nname = "GPT"\npart_of = "OpenAI"\n\n'
        '[[entities]]\nname = "GPT-4"\npart_of = "GPT"\n'
    )
    root, _ = lexicon_project(make_project, body, layout)
    assert not [problem for problem in problems_of(root) if problem.code.startswith("WB8")]
