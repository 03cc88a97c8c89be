"""Which files are claims: listing the claims folder without trusting what is in it.

A claims folder is data, and data can be hostile or just broken: a FIFO named
`x.toml` (opening it for reading waits for a writer forever), a device, a
symlink loop, a symlink to a file outside the project, temporary files left by
a writer that was killed.  Listing looks at each entry's type before anything
opens it, so every one of these is a problem at its path and the rest of the
project still loads:

* a FIFO, device, socket or other non-regular file: WB002, never opened;
* a symlink loop or a symlink to nothing: WB002;
* a symlink whose target is outside the project: WB004, an error, and the file
  is not loaded.  Git stores the link, not the content, so another checkout
  sees a different claim or none, and a review action would write through the
  link to a file the project does not track.  A symlink inside the project is
  fine and loads;
* a temporary file of the atomic writer (`.<name>.toml.<random>.tmp`, see
  `tomlio.write_atomic`): WB005, a warning, since the claim itself is intact
  (the rename that would have replaced it never happened); `workbench fmt`
  removes it once it is old enough not to be a write in progress.

Hidden files and folders are skipped (apart from those temporary files), and
so are symlinked folders, as before.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from stat import S_ISREG

from workbench.problems import Problem, Severity

FileStat = tuple[int, int, int, int]
"""A claim file's size, mtime (ns), ctime (ns) and inode: what the index compares."""

LEFTOVER_PATTERN = re.compile(r"^\.(?P<name>.+\.toml)\.[A-Za-z0-9_]+\.tmp$")
"""A temporary file of `tomlio.write_atomic`: `mkstemp(prefix=f".{name}.", suffix=".tmp")`."""

LEFTOVER_MIN_AGE_SECONDS = 30.0
"""`fmt` removes a temporary file only when it is older than this: a younger one may
belong to a write in progress (which takes milliseconds, or seconds on a busy disk)."""


@dataclass(slots=True)
class Listing:
    """The claim files found (path and stat, in path order) and what was wrong."""

    paths: list[str] = field(default_factory=list)
    stats: list[FileStat] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)


def list_claim_files(
    folder: Path | str, root: Path | str, progress: Callable[[int, int], None] | None = None
) -> Listing:
    """Every claim file below `folder`, sorted, with its stat; hostile entries as problems.

    `os.scandir` and plain strings rather than `Path.rglob`: at 100,000 claims
    pathlib's per-path overhead was a visible share of a warm start.  `root` is
    the project folder that symlinks must stay inside.  `progress` is told now and
    then how many files are found, of a total not known yet (0).
    """
    listing = Listing()
    found: list[tuple[str, FileStat]] = []
    root_real = os.path.realpath(root)
    pending = [os.fspath(folder)]
    while pending:
        current = pending.pop()
        try:
            entries = os.scandir(current)
        except OSError:
            continue
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    if LEFTOVER_PATTERN.match(name):
                        listing.leftovers.append(Path(entry.path))
                    continue
                try:
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                        continue
                except OSError:
                    continue
                if not name.endswith(".toml"):
                    continue
                if not entry.is_symlink():  # the common case, without a call
                    try:
                        found_stat = os.stat(entry.path)
                    except OSError:
                        found_stat = None
                    if found_stat is not None and S_ISREG(found_stat.st_mode):
                        if progress is not None and not len(found) & 4095:
                            progress(len(found), 0)
                        found.append(
                            (
                                entry.path,
                                (
                                    found_stat.st_size,
                                    found_stat.st_mtime_ns,
                                    found_stat.st_ctime_ns,
                                    found_stat.st_ino,
                                ),
                            )
                        )
                        continue
                checked = _checked_stat(entry, root_real)
                if isinstance(checked, Problem):
                    listing.problems.append(checked)
                else:
                    found.append((entry.path, checked))
    found.sort(key=itemgetter(0))
    listing.paths = [path for path, _ in found]
    listing.stats = [stat_tuple for _, stat_tuple in found]
    listing.leftovers.sort()
    listing.problems.extend(leftover_problems(listing.leftovers))
    listing.problems.sort()
    return listing


def claim_files(folder: Path | str, root: Path | str | None = None) -> list[str]:
    """The paths `list_claim_files` loads (the hostile entries left out)."""
    return list_claim_files(folder, root if root is not None else folder).paths


def _checked_stat(entry: os.DirEntry[str], root_real: str) -> FileStat | Problem:
    """The entry's stat if it is a regular file that may be loaded, else its problem."""
    if entry.is_symlink():
        try:
            target = os.path.realpath(entry.path, strict=True)
        except OSError as error:
            return _unreadable(Path(entry.path), error)
        if os.path.commonpath([root_real, target]) != root_real:
            message = (
                f"symlink to {target}, outside the project: git keeps the link, not the "
                "claim; move the file into the project or replace the link with a copy"
            )
            return Problem(Path(entry.path), 1, 1, "WB004", message)
    try:
        found = os.stat(entry.path)
    except OSError as error:
        return _unreadable(Path(entry.path), error)
    if not stat.S_ISREG(found.st_mode):
        return not_regular_problem(Path(entry.path), found.st_mode)
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def _unreadable(path: Path, error: OSError) -> Problem:
    return Problem(path, 1, 1, "WB002", f"cannot read the file: {describe_os_error(error)}")


def describe_os_error(error: OSError) -> str:
    """What went wrong, in words a maintainer can act on (symlink loops by name)."""
    import errno

    if error.errno == errno.ELOOP:
        return "symlink loop (the link points back at itself): remove or fix the link"
    if error.errno == errno.ENOENT and error.filename is not None:
        return "no such file (a symlink to nothing?)"
    return error.strerror or str(error)


_KINDS = (
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def not_regular_problem(path: Path, mode: int) -> Problem:
    """WB002 for a path that is not a regular file, which is never opened."""
    kind = next((label for test, label in _KINDS if test(mode)), "not a regular file")
    message = (
        f"not a regular file ({kind}): claims and sources are plain text files; "
        "remove it or replace it with the file it stands for"
    )
    return Problem(path, 1, 1, "WB002", message)


def leftover_problems(leftovers: list[Path]) -> list[Problem]:
    """WB005 for each temporary file an interrupted write left behind."""
    return [
        Problem(
            path,
            1,
            1,
            "WB005",
            "temporary file left by an interrupted write: run `workbench fmt` to remove it, "
            "or delete it (the claim file beside it is intact)",
            Severity.WARNING,
        )
        for path in leftovers
    ]


def find_leftovers(folders: list[Path]) -> list[Path]:
    """The atomic writer's temporary files in `folders` and below (hidden folders skipped)."""
    found: list[Path] = []
    pending = [os.fspath(folder) for folder in folders]
    while pending:
        current = pending.pop()
        try:
            entries = os.scandir(current)
        except OSError:
            continue
        with entries:
            for entry in entries:
                if LEFTOVER_PATTERN.match(entry.name):
                    found.append(Path(entry.path))
                elif not entry.name.startswith("."):
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            pending.append(entry.path)
                    except OSError:
                        continue
    return sorted(found)


def remove_leftovers(
    folders: list[Path], *, min_age_seconds: float = LEFTOVER_MIN_AGE_SECONDS
) -> tuple[list[Path], list[Path]]:
    """Delete the writer's temporary files older than `min_age_seconds`.

    Returns (removed, kept): a kept file is young enough to belong to a write in
    progress, or could not be removed.  Only regular files matching the
    writer's pattern are touched.
    """
    removed: list[Path] = []
    kept: list[Path] = []
    now = time.time()
    for path in find_leftovers(folders):
        try:
            found = os.lstat(path)
            if not stat.S_ISREG(found.st_mode) or now - found.st_mtime < min_age_seconds:
                kept.append(path)
                continue
            path.unlink()
        except FileNotFoundError:
            continue  # its write finished (renamed) or someone removed it
        except OSError:
            kept.append(path)
            continue
        removed.append(path)
    return removed, kept
