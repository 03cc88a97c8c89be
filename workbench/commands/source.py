"""`workbench source add FILE --outlet ... --published YYYY-MM-DD [...]`: a new article."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.commands.export import parse_date


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "source",
        parents=[common],
        help="add a source article to seeds/",
        description="Work with the source articles in seeds/.",
    )
    actions = parser.add_subparsers(dest="source_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        parents=[common],
        help="copy an article (text or HTML) into seeds/ with its metadata",
        description="Copy an article into seeds/ as NNN_<hash>.txt with its metadata "
        "NNN_<hash>.toml (NNN: the next number; hash: the first 16 hex digits of the text's "
        "SHA-256). A text file is copied byte for byte; an HTML file is reduced to the "
        "article's text (trafilatura) and its <title> is the default title. Nothing is "
        "written if anything is wrong.",
    )
    add.add_argument("file", type=Path, metavar="FILE", help="the article: UTF-8 text or HTML")
    add.add_argument("--outlet", required=True, help="the newspaper or site that published it")
    add.add_argument(
        "--published",
        required=True,
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="the publication date (not in the future)",
    )
    add.add_argument(
        "--title",
        default=None,
        help="the headline (default: the HTML title, or a text file's first line)",
    )
    add.add_argument("--author", default="", help="who wrote it")
    add.add_argument("--url", default="", help="where it was published (http or https)")
    add.add_argument(
        "--language",
        default=None,
        metavar="CODE",
        help="its language, e.g. ko or en (default: the HTML lang, else a guess from the script)",
    )
    add.add_argument(
        "--view",
        default=None,
        metavar="STANCE",
        help="the article's view of the subject, one of workbench.toml's [stances] "
        "(required when there is more than one)",
    )
    add.add_argument(
        "--id",
        dest="source_id",
        default=None,
        metavar="ID",
        help="the source id (default: proposed from the outlet, year and title)",
    )
    add.set_defaults(handler=run_add)


def run_add(arguments: argparse.Namespace) -> int:
    from workbench.cli import UsageError
    from workbench.project import load_project
    from workbench.sources import SourceError, add_source, build_source
    from workbench.terminal import visible

    project = load_project(arguments.root)
    try:
        new = build_source(
            project,
            arguments.file,
            outlet=arguments.outlet,
            published=arguments.published,
            title=arguments.title,
            author=arguments.author,
            url=arguments.url,
            language=arguments.language,
            view=arguments.view,
            source_id=arguments.source_id,
        )
        add_source(project, new)
    except SourceError as error:
        raise UsageError(str(error)) from None
    seeds = project.sources_dir.name
    how = "article text extracted from HTML" if new.article.from_html else "text copied"
    print(
        visible(
            f"added source {new.source.id}: {seeds}/{new.text_path.name} ({how}, "
            f"{len(new.article.text)} characters) and {seeds}/{new.metadata_path.name}"
        )
    )
    return 0
