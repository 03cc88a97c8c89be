"""`Project.relations_to` works from an index built once; it must stay what a scan of
every claim gives while claims are written, added, reloaded and removed."""

from __future__ import annotations

from workbench import review
from workbench.models import Relation
from workbench.project import Project, load_project

from .conftest import ProjectFactory, claim_toml


def _scan(project: Project, claim_id: str) -> list[tuple[str, Relation]]:
    """What `relations_to` must give: every claim's relations to `claim_id`, in order."""
    return [
        (record.claim.id, relation)
        for record in project.claims.values()
        for relation in record.claim.relations
        if relation.claim == claim_id
    ]


def _agrees(project: Project) -> None:
    for claim_id in [*project.claims, "gone"]:
        assert project.relations_to(claim_id) == _scan(project, claim_id), claim_id


def test_relations_to_follows_every_change(make_project: ProjectFactory) -> None:
    root = make_project({f"c{n}.toml": claim_toml(f"c{n}") for n in range(5)})
    project = load_project(root)
    _agrees(project)
    review.relate(project, "c1", "c0", "supports", reviewer="tester")
    review.relate(project, "c3", "c0", "contradicts", reviewer="tester")
    _agrees(project)
    assert [source for source, _ in project.relations_to("c0")] == ["c1", "c3"]
    review.mark_status(project, "c1", "verified", reviewer="tester", note="checked")
    _agrees(project)
    del project.claims["c3"]  # as the app does for a file deleted on disk
    _agrees(project)
    assert [source for source, _ in project.relations_to("c0")] == ["c1"]
    project.replace_record(load_project(root).claims["c3"])  # back, as reloaded
    _agrees(project)
    assert [source for source, _ in project.relations_to("c0")] == ["c1", "c3"]
