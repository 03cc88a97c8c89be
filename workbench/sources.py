"""Bringing a new article in: `workbench source add FILE`.

The article's text goes into `seeds/` as `NNN_<hash>.txt` beside its metadata
`NNN_<hash>.toml` (a `Source`), the way the bundled seeds are stored:

- `NNN` is the next number after the highest `NNN_` prefix in `seeds/`, zero
  padded to three digits, so that files list in the order they came in;
- `<hash>` is the first 16 hexadecimal digits of the SHA-256 of the text file's
  bytes.  (How the bundled seeds' hashes were made is not recorded; a content
  hash names the text it holds, and the same article added twice is refused.)

A plain-text file is copied byte for byte; an HTML file (by its extension, or
because it starts like HTML) is reduced to the article's text with trafilatura,
which drops menus, adverts and comments, and its `<title>` becomes the default
title.  Every refusal names the flag or file and says what to do, and nothing
is written unless all is well.  The text is written before the metadata, so a
crash between the two leaves a stray text file and never a source without text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from workbench.models import ID_PATTERN, Source, explain_pattern_error
from workbench.project import MAX_SOURCE_TEXT_BYTES, Project
from workbench.storage import model_text
from workbench.tomlio import write_atomic
from workbench.urls import http_url_problem
from workbench.validation import suggest

HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
HASH_DIGITS = 16
ID_TITLE_WORDS = 3
"""How many title words a proposed id takes after the outlet and year."""

_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "the",
        "to",
        "was",
        "with",
    ]
)
"""English function words left out of a proposed id (they say nothing about the article)."""

_HTML_START = re.compile(r"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b", re.I | re.S)
_HTML_LANG = re.compile(r"<html\b[^>]*\blang\s*=\s*[\"']?([A-Za-z]{2,3})", re.I)
_HTML_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.I | re.S)
_ASCII_WORD = re.compile(r"[A-Za-z0-9]+")
_NUMBERED = re.compile(r"^(\d+)_")


class SourceError(ValueError):
    """A source that cannot be added as asked; the message is one line naming the flag
    or file and what to do."""


@dataclass(frozen=True, slots=True)
class Article:
    """What was read from the file: the text to store and what the file says of itself."""

    text: str
    data: bytes
    """The text file's bytes as they will be written (the hash is taken of these)."""
    title: str
    """The HTML `<title>` (or first line of a text file); empty when there is none."""
    language: str
    """The HTML `lang` attribute, or a guess from the script (see `guess_language`)."""
    from_html: bool


@dataclass(frozen=True, slots=True)
class NewSource:
    source: Source
    article: Article
    text_path: Path
    metadata_path: Path


def read_article(path: Path) -> Article:
    """Read FILE: a UTF-8 text or HTML file with some text in it."""
    label = f"FILE {path}"
    try:
        if not path.is_file():
            raise SourceError(f"{label}: no such file: give the path of the article's text")
        if path.stat().st_size > MAX_SOURCE_TEXT_BYTES:
            raise SourceError(f"{label}: larger than 10 MB: is this the article?")
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"{label}: cannot read it ({error.strerror or error})") from None
    if b"\x00" in data:
        raise SourceError(f"{label}: a binary file, not text: save the article as text or HTML")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(
            f"{label}: not UTF-8 (byte {error.start}): convert it first, "
            "e.g. iconv -f EUC-KR -t UTF-8"
        ) from None
    if text.startswith("\ufeff"):
        text = text[1:]
        data = text.encode("utf-8")
    if path.suffix.lower() in HTML_SUFFIXES or _HTML_START.match(text[:4096]):
        return _from_html(text, label)
    if not text.strip():
        raise SourceError(f"{label}: holds no text")
    first_line = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return Article(text, data, first_line, guess_language(text), from_html=False)


PAGE_CHROME_XPATH = [
    "//nav",
    "//menu",
    "//aside",
    "//header[not(ancestor::article)]",
    "//footer[not(ancestor::article)]",
]
"""The page's own navigation, asides and site header and footer: never the article's
text. Without pruning them trafilatura returns a page of menu links as its "article"
(a page with only `<nav>menu</nav>` gave the text `menu`), so a page without an article
would be added as one."""


def _from_html(html: str, label: str) -> Article:
    import trafilatura

    extracted = trafilatura.extract(
        html,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        prune_xpath=PAGE_CHROME_XPATH,
    )
    if not extracted or not extracted.strip():
        # a short page is sometimes judged boilerplate; ask once more for recall
        extracted = trafilatura.extract(
            html, include_comments=False, favor_recall=True, prune_xpath=PAGE_CHROME_XPATH
        )
    if not extracted or not extracted.strip():
        raise SourceError(
            f"{label}: no article text found in the HTML: save the article's text as a "
            ".txt file and add that"
        )
    text = unicodedata.normalize("NFC", extracted.strip()) + "\n"
    title = ""
    metadata = trafilatura.extract_metadata(html)
    if metadata is not None and metadata.title:
        title = str(metadata.title)
    if not title:
        found = _HTML_TITLE.search(html)
        title = found.group(1) if found else ""
    title = " ".join(title.split())
    lang = _HTML_LANG.search(html[:4096])
    language = lang.group(1).lower() if lang else guess_language(text)
    return Article(text, text.encode("utf-8"), title, language, from_html=True)


LATEST_UTC_OFFSET = dt.timedelta(hours=14)
"""The furthest time zone ahead of UTC (Kiribati, UTC+14)."""


def latest_date_now() -> dt.date:
    """Today's date where it is latest on Earth: an article dated today in Seoul, read
    while it is still yesterday in UTC, is not from the future."""
    return (dt.datetime.now(dt.UTC) + LATEST_UTC_OFFSET).date()


def guess_language(text: str) -> str:
    """`ko` when Hangul makes up a fifth of the letters, else `en`: a guess for the
    default of `--language`, which a reviewer overrides for anything else."""
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return "en"
    hangul = sum("\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff" for char in letters)
    return "ko" if hangul * 5 >= len(letters) else "en"


def file_stem(seeds_dir: Path, data: bytes) -> str:
    """`NNN_<hash>` for a new text in `seeds_dir` (see the module docstring)."""
    numbers = [
        int(found.group(1))
        for path in (seeds_dir.iterdir() if seeds_dir.is_dir() else ())
        if (found := _NUMBERED.match(path.name))
    ]
    number = max(numbers, default=-1) + 1
    return f"{number:03d}_{content_hash(data)}"


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:HASH_DIGITS]


def propose_source_id(outlet: str, published: dt.date, title: str, taken: set[str]) -> str:
    """An id from the outlet's first Latin word, the year and the title's first Latin
    words (`chosun-2024-ai-lags`), made unique with `-2`, `-3`...; Korean-only names
    give `source-2025`."""
    outlet_words = [word.lower() for word in _ASCII_WORD.findall(outlet)]
    title_words = [
        word.lower()
        for word in _ASCII_WORD.findall(title)
        if len(word) > 1 and word.lower() not in _STOP_WORDS
    ]
    parts = [outlet_words[0] if outlet_words else "source", str(published.year)]
    parts += title_words[:ID_TITLE_WORDS]
    base = "-".join(parts)[:72].strip("-")
    candidate, counter = base, 2
    while candidate in taken:
        candidate, counter = f"{base}-{counter}", counter + 1
    return candidate


def build_source(
    project: Project,
    file: Path,
    *,
    outlet: str,
    published: dt.date,
    title: str | None = None,
    author: str = "",
    url: str = "",
    language: str | None = None,
    view: str | None = None,
    source_id: str | None = None,
    today: dt.date | None = None,
) -> NewSource:
    """Everything `add_source` writes, checked; raises `SourceError`, writes nothing."""
    today = today or latest_date_now()
    if url and (problem := http_url_problem(url)) is not None:
        raise SourceError(f"--url: {problem}")
    if url:
        same_url = sorted(
            name for name, record in project.sources.items() if record.source.url == url
        )
        if same_url:
            raise SourceError(
                f"--url: source `{same_url[0]}` has this address: it was added before"
            )
    if published > today:
        raise SourceError(
            f"--published: {published.isoformat()} is in the future (it is "
            f"{today.isoformat()} at the latest anywhere): give the date the article appeared"
        )
    if not outlet.strip():
        raise SourceError("--outlet: must not be empty: name the newspaper or site")
    stances = list(project.settings.stances)
    if view is None:
        if len(stances) != 1:
            raise SourceError(
                f"--view: give the article's view of the subject, one of: {', '.join(stances)}"
            )
        view = stances[0]
    elif view not in stances:
        hint = suggest(view, stances)
        raise SourceError(
            f"--view: unknown stance `{view}`"
            + (f"; did you mean `{hint}`?" if hint else "")
            + f" (workbench.toml allows: {', '.join(stances)})"
        )
    taken = set(project.sources) | _declared_ids(project.sources_dir)
    if source_id is not None:
        if not re.fullmatch(ID_PATTERN, source_id):
            raise SourceError(f"--id: {explain_pattern_error(source_id, ID_PATTERN)}")
        if source_id in taken:
            raise SourceError(f"--id: `{source_id}` is taken by another source: choose another")
    article = read_article(file)
    chosen_title = title if title is not None else article.title
    if not chosen_title.strip():
        raise SourceError(f"--title: FILE {file} has no title: give one with --title")
    seeds = project.sources_dir
    stem = file_stem(seeds, article.data)
    digest = stem.split("_", 1)[1]
    same = sorted(seeds.glob(f"*_{digest}.txt")) if seeds.is_dir() else []
    if same:
        existing = same[0]
        raise SourceError(
            f"FILE {file}: the same text is already in {seeds.name}/{existing.name}: "
            "the article was added before"
        )
    chosen_id = source_id or propose_source_id(outlet, published, chosen_title, taken)
    try:
        source = Source(
            id=chosen_id,
            file=f"{stem}.txt",
            title=chosen_title,
            outlet=outlet,
            author=author,
            published=published,
            language=language or article.language,
            view=view,
            url=url,
        )
    except ValidationError as error:
        detail = error.errors()[0]
        field = str(detail["loc"][0]) if detail["loc"] else "source"
        flag = {"id": "--id", "title": "--title", "outlet": "--outlet"}.get(field, f"--{field}")
        message = detail["msg"].removeprefix("Value error, ")
        if field == "language":
            message = f"{detail['input']!r} is not a language code: write ko, en, zh-Hans..."
        elif detail["type"] == "string_pattern_mismatch":
            pattern = str((detail.get("ctx") or {}).get("pattern", ""))
            message = explain_pattern_error(str(detail["input"]), pattern)
        raise SourceError(f"{flag}: {message}") from None
    text_path = seeds / f"{stem}.txt"
    metadata_path = seeds / f"{stem}.toml"
    if text_path.exists() or metadata_path.exists():
        raise SourceError(f"{seeds.name}/{stem}: already exists: run the command again")
    return NewSource(source, article, text_path, metadata_path)


def add_source(project: Project, new: NewSource) -> None:
    """Write the text, then the metadata (each atomically; neither over a file)."""
    for path in (new.text_path, new.metadata_path):
        if path.exists():
            raise SourceError(f"{path.parent.name}/{path.name}: already exists")
    # `write_atomic` writes newlines as given, so these are the bytes the hash names
    write_atomic(new.text_path, new.article.data.decode("utf-8"))
    write_atomic(new.metadata_path, model_text(new.source))


_DECLARED_ID = re.compile(r"""^id\s*=\s*["']([^"']+)["']""", re.M)


def _declared_ids(seeds_dir: Path) -> set[str]:
    """Ids written in metadata files that did not load, so that a new source never
    takes the id of one a maintainer is still fixing."""
    found: set[str] = set()
    for path in seeds_dir.glob("*.toml") if seeds_dir.is_dir() else []:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        found.update(match.group(1) for match in _DECLARED_ID.finditer(text))
    return found
