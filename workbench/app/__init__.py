"""The Textual review app.  Only `workbench review` imports this package.

`ReviewApp` is re-exported lazily so that `import workbench.app.filtering`
(pure logic, used by tests and benchmarks) does not pull in Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.app.app import ReviewApp

__all__ = ["ReviewApp"]


def __getattr__(name: str) -> Any:
    if name == "ReviewApp":
        from workbench.app.app import ReviewApp

        return ReviewApp
    raise AttributeError(name)
