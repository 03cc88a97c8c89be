"""The `claimreview` export: schema.org `ClaimReview` JSON-LD, one per reviewed claim.

The output is a JSON array of self-contained ClaimReview objects (each with its
own `@context`), sorted by claim id, so that each one can be pasted into its
review page inside `<script type="application/ld+json">`.  It follows Google's
fact-check markup documentation
(https://developers.google.com/search/docs/appearance/structured-data/factcheck):

- `claimReviewed`: the claim's statement;
- `reviewRating`: a `Rating` whose `alternateName` (and `name`) is the
  status's `rating_name` from `workbench.toml` (the status name when unset),
  with `ratingValue`, `bestRating` and `worstRating` where the status maps to a
  number; the note of the deciding history entry becomes `ratingExplanation`;
- `url`: `[claimreview] review_url` with `{id}` replaced by the claim id;
- `author`: the `Organization` named in `[claimreview]`;
- `datePublished`: the (UTC) date of the history entry that set the current
  status, so a claim with no such entry, or still unreviewed, is not reviewed
  and is left out;
- `itemReviewed`: a `Claim` with its `author` (`attributed_to`, or the outlet
  when that is empty), `datePublished` (the source's publication date) and
  `appearance`: a `CreativeWork` with the source's url when it has one, and
  always its headline, publisher and date;
- `expires`: the claim's `recheck` date, when it has one: after it, the
  verdict should be looked at again.

The JSON text escapes `<`, `>` and `&` as `\\u003c`, `\\u003e` and `\\u0026`
(and the JavaScript line separators U+2028 and U+2029), as the HTML standard
advises for JSON in a script element: a statement or note containing
`</script>` or `<!--` then cannot end the script element it is pasted into, and
parsing the JSON still gives back the original text.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from workbench.export import ByteSink, ExportContext, ExportError, verdict_entry
from workbench.models import Claim, ProjectSettings, Source

CONTEXT = "https://schema.org"

EXAMPLE_DOMAINS = ("example.com", "example.org", "example.net")
"""RFC 2606's example domains; with the reserved top-level names below, a review
URL there is a placeholder that no reader can follow."""
RESERVED_TOP_LEVEL = ("example", "invalid", "test", "localhost")

_SCRIPT_UNSAFE = str.maketrans(
    {
        "<": "\\u003c",
        ">": "\\u003e",
        "&": "\\u0026",
        "\u2028": "\\u2028",
        "\u2029": "\\u2029",
    }
)


def script_safe_json(value: Any) -> str:
    """`value` as indented JSON that can sit inside `<script type="application/ld+json">`.

    The characters are escaped after `json.dumps`: in its output they can only
    occur inside strings, where the `\\uXXXX` escape means the same character.
    """
    return json.dumps(value, ensure_ascii=False, indent=2).translate(_SCRIPT_UNSAFE)


def review_url_problem(review_url: str) -> str | None:
    """What is wrong with a `review_url` pattern's shape, or None."""
    if "{id}" not in review_url:
        return (
            "`review_url` must contain `{id}` (e.g. https://factcheck.example/claims/{id}): "
            "each review needs its own page"
        )
    parts = urlsplit(review_url.replace("{id}", "id"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return (
            f"`review_url` {review_url!r} is not an absolute http(s) URL: write the full "
            "address of your review pages, e.g. https://yourdesk.org/claims/{id}"
        )
    return None


def is_placeholder_url(url: str) -> bool:
    """Whether `url` points at an example or reserved domain (RFC 2606, RFC 6761)."""
    host = (urlsplit(url.replace("{id}", "id")).hostname or "").rstrip(".").lower()
    return any(host == domain or host.endswith("." + domain) for domain in EXAMPLE_DOMAINS) or (
        host.rsplit(".", 1)[-1] in RESERVED_TOP_LEVEL
    )


def check_settings(settings: ProjectSettings, *, draft: bool = False) -> None:
    """Raise `ExportError` unless `[claimreview]` names a publisher and a review URL
    pattern that readers can follow.  A `draft` may still use a placeholder domain."""
    config = settings.claimreview
    if not config.organization.strip():
        raise ExportError(
            "workbench.toml [claimreview] has no `organization`: name the publisher of the reviews"
        )
    problem = review_url_problem(config.review_url)
    if problem is not None:
        raise ExportError(f"workbench.toml [claimreview] {problem}")
    if not draft and is_placeholder_url(config.review_url):
        raise ExportError(
            f"workbench.toml [claimreview] `review_url` ({config.review_url}) is a placeholder "
            "domain: set your own site before publishing, or export with --draft to try it"
        )
    if config.worst_rating > config.best_rating:
        raise ExportError(
            "workbench.toml [claimreview] `worst_rating` is greater than `best_rating`"
        )


def review_url(settings: ProjectSettings, claim_id: str) -> str:
    return settings.claimreview.review_url.replace("{id}", claim_id)


def _organization(name: str, url: str = "") -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "Organization", "name": name}
    if url:
        node["url"] = url
    return node


def _appearance(source: Source) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "CreativeWork"}
    if source.url:
        node["url"] = source.url
    node["headline"] = source.title
    node["publisher"] = _organization(source.outlet)
    node["datePublished"] = source.published.isoformat()
    node["inLanguage"] = source.language
    return node


def claim_review(
    claim: Claim, source: Source | None, settings: ProjectSettings
) -> dict[str, Any] | None:
    """The ClaimReview of one claim, or None when the claim has no verdict."""
    entry = verdict_entry(claim)
    if entry is None:
        return None
    config = settings.claimreview
    info = settings.statuses.get(claim.status)
    rating_name = (info.rating_name if info else "") or claim.status
    rating: dict[str, Any] = {"@type": "Rating"}
    if info is not None and info.rating is not None:
        rating["ratingValue"] = info.rating
        rating["bestRating"] = config.best_rating
        rating["worstRating"] = config.worst_rating
    rating["alternateName"] = rating_name
    rating["name"] = rating_name
    if entry.note.strip():
        rating["ratingExplanation"] = entry.note
    item: dict[str, Any] = {"@type": "Claim"}
    author = claim.attributed_to or (source.outlet if source else "")
    if author:
        item["author"] = _organization(author)
    if source is not None:
        item["datePublished"] = source.published.isoformat()
        item["appearance"] = _appearance(source)
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": review_url(settings, claim.id),
        "claimReviewed": claim.statement,
        "datePublished": entry.at.date().isoformat(),
        "author": _organization(config.organization, config.organization_url),
        "reviewRating": rating,
        "itemReviewed": item,
    }
    if claim.recheck is not None:
        review["expires"] = claim.recheck.isoformat()
    return review


def write_claimreview(context: ExportContext, out: ByteSink) -> int:
    """A JSON array of ClaimReview objects; returns how many claims were reviewed."""
    settings = context.project.settings
    sources = {source.id: source for source in context.sources}
    progress = context.progress
    written = 0
    parts = ["["]
    for claim in context.claims:
        review = claim_review(claim, sources.get(claim.source.id), settings)
        progress.advance()
        if review is None:
            continue
        text = script_safe_json(review)
        parts.append(("\n  " if written == 0 else ",\n  ") + text.replace("\n", "\n  "))
        written += 1
        if len(parts) >= 500:
            out.write("".join(parts).encode("utf-8"))
            parts.clear()
    parts.append("\n]\n" if written else "]\n")
    out.write("".join(parts).encode("utf-8"))
    return written
