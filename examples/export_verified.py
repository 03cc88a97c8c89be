"""Export a project's verified claims as CSV and as ClaimReview JSON-LD.

Usage: python examples/export_verified.py [PROJECT_FOLDER] [OUTPUT_FOLDER]
"""

import sys
from pathlib import Path

from workbench import load_project
from workbench.export import Selection, export_claims

project = load_project(sys.argv[1] if len(sys.argv) > 1 else None)
output = Path(sys.argv[2] if len(sys.argv) > 2 else ".")

verified = Selection(verified=True)  # the statuses workbench.toml marks `verified = true`
# A draft may point at a placeholder review site (the bundled demo's is
# factdesk.example.org); for publication, set your own and drop `draft=True`.
for format, name in [("csv", "verified.csv"), ("claimreview", "verified.jsonld")]:
    result = export_claims(project, verified, format, output / name, draft=True)
    print(f"{result.written} claim(s) -> {result.path}")
