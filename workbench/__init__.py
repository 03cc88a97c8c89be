"""workbench: claims as TOML files, checked, reviewed and exported.

The public Python API.  Importing it never loads Textual; only the review app
(`workbench.app`) does.

    from workbench import load_project
    project = load_project("path/to/project")
    for claim in project.iter_claims():
        print(claim.id, claim.status)
"""

from workbench.models import (
    Claim,
    Dismissal,
    Evidence,
    ProjectSettings,
    Quantity,
    Relation,
    ReviewEntry,
    Source,
    SourceRef,
)
from workbench.problems import Problem, Severity
from workbench.project import Project, load_project

__version__ = "0.2.0.dev0"

__all__ = [
    "Claim",
    "Dismissal",
    "Evidence",
    "Problem",
    "Project",
    "ProjectSettings",
    "Quantity",
    "Relation",
    "ReviewEntry",
    "Severity",
    "Source",
    "SourceRef",
    "__version__",
    "load_project",
]
