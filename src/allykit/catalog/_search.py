"""Search the catalogue: frameworks, stages, characteristics, principles, prompts.

(The module is ``searching``, not ``search``, so that importing it never
replaces the function ``allykit.search`` with a module of the same name.)

Matching is case- and accent-insensitive: text and query are decomposed
(Unicode NFKD), stripped of combining marks and casefolded, then split into
words, so ``"AWARÉNESS"`` finds ``"Awareness"``. Every query word must match
(as a whole word or the start of one) somewhere in an item.

**Score.** For each query word, the best field it matches in counts:
a word of the name (or the prompt text) 3, the start of a name word 2, a
word of the other text (summary, description, examples, tags) 1, the start
of one 0.5. The whole query as a phrase adds 4 in the name and 2 elsewhere.

**Order.** Hits are sorted by ``(-score, framework id, item kind order,
position in the framework, item id)``, where the kind order is framework,
stage, characteristic, principle, prompt, and the position is the item's
index in its collection. Equal inputs therefore always give the same order.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Literal, NamedTuple, get_args

import attrs

from allykit._normalise import fold, words
from allykit.errors import InvalidArgumentError, short_repr

if TYPE_CHECKING:
    from allykit.models.framework import Framework

__all__ = ["ItemKind", "SearchHit", "search"]

#: What sort of item a hit is, in tie-break order.
ItemKind = Literal["framework", "stage", "characteristic", "principle", "prompt"]
_KIND_ORDER = {kind: index for index, kind in enumerate(get_args(ItemKind))}
_SNIPPET = 120


@attrs.frozen(kw_only=True)
class SearchHit:
    """One item that matched a search.

    Attributes:
        framework: Id of the framework the item belongs to.
        kind: framework, stage, characteristic, principle or prompt.
        id: The item's id (the framework id for a framework hit).
        title: The item's name, or the start of a prompt's text.
        snippet: The start of its summary, description or text.
        score: Relevance; higher is better (0 when the query is empty).
    """

    framework: str
    kind: ItemKind
    id: str
    title: str
    snippet: str
    score: float


class _Entry(NamedTuple):
    """One searchable item, flattened (a private record: no class to build)."""

    framework: str
    kind: ItemKind
    id: str
    position: int
    title: str
    snippet: str
    name_text: str  # folded, space-joined words
    name_words: frozenset[str]
    other_text: str
    other_words: frozenset[str]
    stage: str | None
    level: str | None
    tags: frozenset[str]
    licence: str
    framework_kind: str


def _cut(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SNIPPET else text[: _SNIPPET - 1].rstrip() + "…"


def _entry(  # noqa: PLR0913, PLR0917 -- private builder of a flat record
    framework: Framework,
    kind: ItemKind,
    item_id: str,
    position: int,
    name: str,
    other: Iterable[str],
    *,
    stage: str | None = None,
    level: str | None = None,
    tags: Iterable[str] = (),
    snippet: str | None = None,
) -> _Entry:
    other_parts = [o for o in other if o]
    if snippet is None:
        snippet = other_parts[0] if other_parts else ""
    name_words = words(name)
    other_words = tuple(w for part in other_parts for w in words(part))
    return _Entry(
        framework=framework.id,
        kind=kind,
        id=item_id,
        position=position,
        title=_cut(name),
        snippet=_cut(snippet),
        name_text=" ".join(name_words),
        name_words=frozenset(name_words),
        other_text=" ".join(other_words),
        other_words=frozenset(other_words),
        stage=stage,
        level=level,
        tags=frozenset(fold(t) for t in tags),
        licence=fold(framework.licence.spdx or ""),
        framework_kind=framework.kind,
    )


def _entries(framework: Framework) -> tuple[_Entry, ...]:
    found = [
        _entry(
            framework,
            "framework",
            framework.id,
            0,
            framework.name,
            (framework.summary, framework.description, *framework.tags),
            tags=framework.tags,
        )
    ]
    found.extend(
        _entry(
            framework,
            "stage",
            s.id,
            i,
            s.name,
            (s.summary, s.description),
            stage=s.id,
        )
        for i, s in enumerate(framework.stages)
    )
    found.extend(
        _entry(
            framework,
            "characteristic",
            c.id,
            i,
            c.name,
            (c.description, *c.examples, *c.tags),
            stage=c.stage,
            level=c.level,
            tags=c.tags,
        )
        for i, c in enumerate(framework.characteristics)
    )
    found.extend(
        _entry(
            framework,
            "principle",
            p.id,
            i,
            p.name,
            (p.description, *p.tags),
            tags=p.tags,
        )
        for i, p in enumerate(framework.principles)
    )
    from allykit.models._render import render_prompt

    # A template is found and shown as every door shows it: rendered (for
    # its own stage, or with its framework's neutral phrase), never "{focus}".
    texts = [render_prompt(p, framework=framework).text for p in framework.prompts]
    found.extend(
        _entry(
            framework,
            "prompt",
            p.id,
            i,
            text,
            p.tags,
            stage=p.stage,
            tags=p.tags,
            snippet=text,
        )
        for i, (p, text) in enumerate(zip(framework.prompts, texts, strict=True))
    )
    return tuple(found)


# framework id -> (the loaded framework, its entries); rebuilt when the
# catalogue cache was cleared and the framework object is a new one.
_index: dict[str, tuple[Framework, tuple[_Entry, ...]]] = {}


def _bundled_entries(framework_id: str) -> tuple[_Entry, ...]:
    from allykit.catalog._store import load

    framework = load("framework", framework_id)
    cached = _index.get(framework_id)
    if cached is None or cached[0] is not framework:
        cached = _index[framework_id] = (framework, _entries(framework))
    return cached[1]


def _catalogue_entries(framework_id: str) -> tuple[_Entry, ...]:
    """Return the entries of a catalogue framework; an invalid plugin one is skipped.

    One broken plugin file never hides the rest of the catalogue: it is
    reported as a :class:`~allykit.errors.PluginWarning` and searched as if
    it were not installed.
    """
    from allykit.errors import DataFileError, PluginWarning, warn

    try:
        return _bundled_entries(framework_id)
    except DataFileError as error:
        count = len(error.problems)
        warn(
            f"framework {framework_id!r} ({error.source}) is skipped by search: "
            f"{count} problem{'s' if count != 1 else ''}",
            PluginWarning,
        )
        return ()


def _word_score(word: str, entry: _Entry) -> float:
    if word in entry.name_words:
        return 3.0
    if any(w.startswith(word) for w in entry.name_words):
        return 2.0
    if word in entry.other_words:
        return 1.0
    if any(w.startswith(word) for w in entry.other_words):
        return 0.5
    return 0.0


class _Query:
    """A query read once: its distinct words with their counts, and its phrase.

    Each distinct word is scored once per item (a repeated word counts as
    often as it is repeated), so a query costs its distinct words, not its
    length, per item: a long or repetitive query stays linear.
    """

    def __init__(self, query: tuple[str, ...]) -> None:
        counts: dict[str, int] = {}
        for word in query:
            counts[word] = counts.get(word, 0) + 1
        self.counts = tuple(counts.items())
        self.phrase = " ".join(query) if len(query) > 1 else ""


def _score(query: _Query, entry: _Entry) -> float:
    total = 0.0
    for word, count in query.counts:
        score = _word_score(word, entry)
        if not score:
            return 0.0
        total += score * count
    if query.phrase:
        if query.phrase in entry.name_text:
            total += 4.0
        elif query.phrase in entry.other_text:
            total += 2.0
    return total


def _check_str(name: str, value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    msg = f"{name} must be a string or None, got {short_repr(value)}"
    raise InvalidArgumentError(msg)


def _checked_frameworks(frameworks: object) -> list[Framework]:
    """Return *frameworks* as a list, or raise InvalidArgumentError."""
    from allykit.models.framework import Framework

    if isinstance(frameworks, (str, bytes, Mapping)) or not isinstance(
        frameworks, Iterable
    ):
        msg = (
            "frameworks must be an iterable of Framework objects (from "
            f"allykit.load_framework) or None, got {short_repr(frameworks)}"
        )
        raise InvalidArgumentError(msg)
    pool = list(frameworks)
    for framework in pool:
        if not isinstance(framework, Framework):
            msg = (
                "frameworks must contain only Framework objects (from "
                f"allykit.load_framework), got {short_repr(framework)}"
            )
            raise InvalidArgumentError(msg)
    return pool


def _check_arguments(text: object, limit: object, **filters: object) -> None:
    """Raise InvalidArgumentError for arguments search() cannot use."""
    if not isinstance(text, str):
        msg = f"search text must be a string, got {short_repr(text)}"
        raise InvalidArgumentError(msg)
    for name, value in filters.items():
        _check_str(name, value)
    kind = filters["kind"]
    if kind is not None and kind not in _KIND_ORDER:
        msg = f"unknown item kind {kind!r}; use one of: " + ", ".join(_KIND_ORDER)
        raise InvalidArgumentError(msg)
    if limit is not None and (
        isinstance(limit, bool) or not isinstance(limit, int) or limit < 0
    ):
        msg = f"limit must be a non-negative integer or None, got {short_repr(limit)}"
        raise InvalidArgumentError(msg)


def search(  # noqa: PLR0913 -- keyword-only filters, each independent
    text: str,
    *,
    kind: str | None = None,
    framework_kind: str | None = None,
    level: str | None = None,
    stage: str | None = None,
    tag: str | None = None,
    licence: str | None = None,
    framework: str | None = None,
    frameworks: Iterable[Framework] | None = None,
    limit: int | None = 20,
) -> tuple[SearchHit, ...]:
    """Return the items matching *text*, best first, after the filters.

    See the module documentation for the score and the stable tie-break.
    An empty or blank *text* matches every item that passes the filters,
    with score 0, in tie-break order (so it can be used to browse).

    Args:
        text: Words to look for; case and accents are ignored.
        kind: Only items of this kind: framework, stage, characteristic,
            principle or prompt.
        framework_kind: Only items of frameworks of this kind
            (``"continuum"``, ``"stage-model"``, ...).
        level: Only characteristics at this level (intrapersonal,
            interpersonal, system).
        stage: Only items of this stage id: the stage itself and the
            characteristics and prompts that serve it.
        tag: Only items carrying this tag (ignoring case and accents).
        licence: Only items of frameworks under this SPDX licence id
            (ignoring case), such as ``"CC-BY-SA-4.0"``.
        framework: Only items of this framework id.
        frameworks: Search these frameworks instead of the bundled catalogue.
        limit: Most hits to return; None for all.

    Raises:
        InvalidArgumentError: If *text* is not a string, *kind* is unknown
            or *limit* is negative.

    >>> for hit in search("Awaréness", kind="stage", limit=2):
    ...     print(hit.framework, hit.id, hit.score)
    ally-development-levels awareness 3.0
    ally-model awareness-and-education 3.0
    >>> hits = search("", licence="cc-by-sa-4.0", kind="characteristic")
    >>> {h.framework for h in hits}
    {'ally-skills'}
    """
    _check_arguments(
        text,
        limit,
        kind=kind,
        framework_kind=framework_kind,
        level=level,
        stage=stage,
        tag=tag,
        licence=licence,
        framework=framework,
    )
    if frameworks is None:
        from allykit.catalog._store import available_ids

        ids = available_ids("frameworks")
        if framework is not None:
            ids = tuple(i for i in ids if i == framework)
        pool = [e for fid in ids for e in _catalogue_entries(fid)]
    else:
        pool = [e for f in _checked_frameworks(frameworks) for e in _entries(f)]

    query = words(text)
    scored = _Query(query)
    wanted_tag = fold(tag) if tag is not None else None
    wanted_licence = fold(licence) if licence is not None else None
    hits = []
    for entry in pool:
        if (
            (kind is not None and entry.kind != kind)
            or (framework is not None and entry.framework != framework)
            or (framework_kind is not None and entry.framework_kind != framework_kind)
            or (level is not None and entry.level != level)
            or (stage is not None and entry.stage != stage)
            or (wanted_tag is not None and wanted_tag not in entry.tags)
            or (wanted_licence is not None and entry.licence != wanted_licence)
        ):
            continue
        score = _score(scored, entry) if query else 0.0
        if query and not score:
            continue
        hits.append((score, entry))
    hits.sort(
        key=lambda pair: (
            -pair[0],
            pair[1].framework,
            _KIND_ORDER[pair[1].kind],
            pair[1].position,
            pair[1].id,
        )
    )
    if limit is not None:
        hits = hits[:limit]
    return tuple(
        SearchHit(
            framework=e.framework,
            kind=e.kind,
            id=e.id,
            title=e.title,
            snippet=e.snippet,
            score=score,
        )
        for score, e in hits
    )
