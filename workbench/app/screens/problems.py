"""The problems screen: files that failed to load or check, as `workbench check` prints them.

It opens at once with the problems found loading the project, then runs the
full `check_project` in a worker thread and shows its result, so a slow check
never blocks the app.  Each problem is rendered literally (`path:line:col: CODE
message`: file content may hold anything, markup included); `f` filters by
severity, and `enter` opens the claim a problem is about when it loaded.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from workbench.app.keymap import PROBLEMS_BINDINGS
from workbench.app.screens.detail import host
from workbench.app.screens.early_css import read_css_early
from workbench.app.widgets.footer import KeyFooter
from workbench.problems import Problem, Severity
from workbench.project import Project

FILTERS: tuple[Severity | None, ...] = (None, Severity.ERROR, Severity.WARNING)
"""The severity filter cycles: all, errors only, warnings only."""

SEVERITY_STYLE = {Severity.ERROR: "bold $text-error", Severity.WARNING: "bold $text-warning"}


class ChecksFinished(Message):
    """The worker finished `check_project` (or failed: `error` says why)."""

    def __init__(self, problems: list[Problem], error: str = "") -> None:
        super().__init__()
        self.problems = problems
        self.error = error


def problem_content(problem: Problem, root: Path | None) -> Content:
    """`error  path:line:col: CODE message`, literal whatever the message holds."""
    severity = problem.severity.value
    return Content.assemble(
        (f"{severity:<8}", SEVERITY_STYLE.get(problem.severity, "bold")),
        problem.render(root),
    )


def counts_content(
    problems: list[Problem], shown: int, severity: Severity | None, state: str
) -> Content:
    """`12 problems: 10 errors, 2 warnings  ·  showing errors  ·  checking…`."""
    counts = Counter(problem.severity for problem in problems)
    errors, warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    total = len(problems)
    parts: list[str | tuple[str, str]] = [("Problems", "bold"), "  "]
    if total:
        parts += [
            f"{total} problem{'s' if total != 1 else ''}: ",
            (f"{errors} error{'s' if errors != 1 else ''}", SEVERITY_STYLE[Severity.ERROR]),
            ", ",
            (f"{warnings} warning{'s' if warnings != 1 else ''}", SEVERITY_STYLE[Severity.WARNING]),
        ]
    else:
        parts.append("none")
    which = "all" if severity is None else f"{severity.value}s only"
    parts += [("  ·  showing ", "dim"), f"{which} ({shown})", ("  ·  ", "dim"), (state, "dim")]
    return Content.assemble(*parts)


def run_checks(project: Project) -> list[Problem]:
    """Every problem `workbench check` reports (imported here: it is the slow part)."""
    from workbench.checks import check_project

    return check_project(project)


class ProblemsScreen(Screen[None]):
    """Problems from loading and checking the files; the rest of the app keeps working."""

    CSS_PATH = "problems.tcss"

    BINDINGS: ClassVar[list[BindingType]] = list(PROBLEMS_BINDINGS)

    def __init__(self) -> None:
        super().__init__()
        read_css_early(self)
        self.problems: list[Problem] = []
        self.severity: Severity | None = None
        self.state = "checking…"
        self._shown: list[Problem] = []

    def compose(self) -> ComposeResult:
        yield Static(Content(""), id="problems-title")
        yield OptionList(id="problems-list")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.problems = sorted(host(self).project.problems, key=_order)
        self.show_problems()
        self.query_one("#problems-list", OptionList).focus()
        self.recheck()

    def recheck(self) -> None:
        self.state = "checking…"
        self.show_problems()
        self._check(host(self).project)

    @work(thread=True, exclusive=True, group="problems-check", exit_on_error=False)
    def _check(self, project: Project) -> None:
        try:
            found = run_checks(project)
        except Exception as error:  # a broken check must not take the screen down
            loaded = list(project.problems)
            self.post_message(ChecksFinished(loaded, f"checks failed: {type(error).__name__}"))
            return
        self.post_message(ChecksFinished(found))

    def on_claims_changed(self) -> None:
        """A file changed (on disk or by a write): check again, so this screen and the
        status bar's count stay true."""
        self.recheck()

    @on(ChecksFinished)
    def _finished(self, message: ChecksFinished) -> None:
        self.problems = sorted(message.problems, key=_order)
        if not message.error:
            host(self).checked_problems = len(self.problems)
        self.state = message.error or "checked"
        self.show_problems()

    def show_problems(self) -> None:
        """Fill the list with the problems the filter lets through."""
        root = host(self).project.root
        shown = [p for p in self.problems if self.severity is None or p.severity is self.severity]
        self._shown = shown
        listing = self.query_one("#problems-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        if shown:
            listing.add_options([Option(problem_content(problem, root)) for problem in shown])
            listing.highlighted = min(highlighted or 0, len(shown) - 1)
        else:
            empty = "no problems" if self.state == "checked" else "no problems found loading"
            listing.add_option(Option(Content.styled(empty, "dim italic"), disabled=True))
        self.query_one("#problems-title", Static).update(
            counts_content(self.problems, len(shown), self.severity, self.state)
        )

    # -- actions -----------------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_cycle_severity(self) -> None:
        index = FILTERS.index(self.severity)
        self.severity = FILTERS[(index + 1) % len(FILTERS)]
        self.show_problems()

    def action_check_again(self) -> None:
        self.recheck()

    def claim_of(self, problem: Problem) -> str | None:
        """The loaded claim whose file this problem is about, if any."""
        project = host(self).project
        resolved = problem.path.resolve()
        for claim_id, record in project.claims.items():
            if record.path.resolve() == resolved:
                return claim_id
        return None

    def action_open_claim(self) -> None:
        listing = self.query_one("#problems-list", OptionList)
        index = listing.highlighted
        if index is None or not (0 <= index < len(self._shown)):
            return
        claim_id = self.claim_of(self._shown[index])
        if claim_id is None:
            self.notify("This file did not load as a claim: fix it in an editor", timeout=4)
            return
        host(self).open_detail(claim_id)


def _order(problem: Problem) -> tuple[str, int, int, str]:
    return (str(problem.path), problem.line, problem.column, problem.code)
