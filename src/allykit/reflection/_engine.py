"""The engine behind :func:`allykit.next_step`: pools, seeded orders, state.

Private. An ``Index`` holds, per framework, cycle, focus and filters, the
pools of eligible prompts and their seeded orders (cached by framework
identity). A ``State`` is what a history amounts to for one option set;
it is derived from the history alone and cached on the history object.

Complexity: building the state of a history of *h* steps is O(h) once per
history object and option set (:func:`replay`: a few C-level passes over the
entries, Python-level work per distinct entry kind and per irregular pass);
after that, and for a history made by ``History.append``, a step costs O(1)
(plus O(p) once per pass through a pool of *p* prompts, to shuffle it).
"""

from __future__ import annotations

import random
import weakref
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from itertools import compress, count
from typing import Any

import attrs

from allykit.errors import InvalidArgumentError
from allykit.models.framework import (
    DeprecatedId,
    Framework,
    FrameworkId,
    PromptId,
    ReflectivePrompt,
    Stage,
    StageId,
)
from allykit.reflection.history import History, HistoryEntry, remember

__all__ = ["Index", "Pool", "PoolKey", "State", "index_for", "next_key", "state_for"]

# A pool key: (framework stage id or None, cycle step id or None).
PoolKey = tuple[StageId | None, StageId | None]


@attrs.frozen
class Index:
    """Per framework, cycle and filter: the pools of eligible prompts."""

    framework: Framework
    cycle: Framework | None
    focus: tuple[StageId | None, ...]  # stage keys with a non-empty pool
    steps: tuple[Stage | None, ...]  # cycle steps with a non-empty pool
    pools: dict[PoolKey, tuple[ReflectivePrompt, ...]]
    # prompt id -> cycle step id (cycle mode) or stage key (framework mode)
    where: dict[str, StageId | None]
    known: frozenset[str]  # every prompt id of the framework
    cycle_known: frozenset[str]
    perms: dict[tuple[PoolKey, int, int], tuple[tuple[str, ...], dict[str, int]]]
    # Deprecated ids with a live replacement, read as that replacement:
    # (collection, old id) -> (owning framework id, its deprecation). The
    # collections are "prompts" and "stages" (the framework's) and
    # "cycle prompts" (the reflective cycle's).
    renamed: dict[tuple[str, str], tuple[FrameworkId, DeprecatedId]] = attrs.field(
        factory=dict
    )
    # pool key -> the ids of its prompts, for set-at-a-time replay
    members: dict[PoolKey, frozenset[str]] = attrs.field(factory=dict)

    def live(self, collection: str, wanted: str | None) -> str | None:
        """Return the live id for *wanted* (itself unless deprecated)."""
        found = self.renamed.get((collection, wanted)) if wanted is not None else None
        return found[1].replaced_by if found is not None else wanted

    def perm(
        self, key: PoolKey, seed: int, pass_no: int
    ) -> tuple[tuple[str, ...], dict[str, int]]:
        cache_key = (key, seed, pass_no)
        found = self.perms.get(cache_key)
        if found is None:
            if len(self.perms) > 512:  # noqa: PLR2004 -- bound the cache
                self.perms.clear()
            order = _spread(self.pools[key], f"{seed}|{key[0]}|{key[1]}|{pass_no}")
            found = (order, {pid: rank for rank, pid in enumerate(order)})
            self.perms[cache_key] = found
        return found


def _spread(pool: tuple[ReflectivePrompt, ...], seed: str) -> tuple[str, ...]:
    """Return a seeded order of *pool* that visits characteristics in turn."""
    rng = random.Random(seed)  # noqa: S311 -- not for security; seeded order
    groups: dict[str, list[str]] = {}
    for prompt in pool:
        first = prompt.characteristics[0] if prompt.characteristics else ""
        groups.setdefault(first, []).append(prompt.id)
    lists = list(groups.values())
    for members in lists:
        rng.shuffle(members)
    rng.shuffle(lists)
    order: list[str] = []
    depth = 0
    while len(order) < len(pool):
        order.extend(members[depth] for members in lists if depth < len(members))
        depth += 1
    return tuple(order)


_indexes: dict[tuple[Any, ...], tuple[weakref.ref[Framework], Any, Index]] = {}


def index_for(
    framework: Framework,
    cycle: Framework | None,
    focus: tuple[StageId | None, ...] | None,
    tags: frozenset[str] | None,
    kinds: frozenset[str] | None,
) -> Index:
    key = (id(framework), id(cycle), focus, tags, kinds)
    found = _indexes.get(key)
    if found is not None:
        ref, cycle_ref, index = found
        if ref() is framework and (cycle_ref is None or cycle_ref() is cycle):
            return index
    if len(_indexes) > 64:  # noqa: PLR2004 -- bound the cache
        _indexes.clear()
    index = _build_index(framework, cycle, focus, tags, kinds)
    _indexes[key] = (
        weakref.ref(framework),
        weakref.ref(cycle) if cycle is not None else None,
        index,
    )
    return index


def _keep(
    prompt: ReflectivePrompt, tags: frozenset[str] | None, kinds: frozenset[str] | None
) -> bool:
    if kinds is not None and prompt.kind not in kinds:
        return False
    return tags is None or not tags.isdisjoint(prompt.tags)


def _every_stage(framework: Framework, *, cycle: bool) -> tuple[StageId | None, ...]:
    """Return every stage id in order, then None for general prompts if any."""
    ordered = sorted(framework.stages, key=lambda s: s.position)
    focus: tuple[StageId | None, ...] = tuple(s.id for s in ordered)
    if cycle:
        return focus or (None,)
    if any(p.stage is None for p in framework.prompts):
        return (*focus, None)
    return focus


def _build_index(  # noqa: C901 -- the two modes side by side read best
    framework: Framework,
    cycle: Framework | None,
    focus: tuple[StageId | None, ...] | None,
    tags: frozenset[str] | None,
    kinds: frozenset[str] | None,
) -> Index:
    if focus is None:
        focus = _every_stage(framework, cycle=cycle is not None)
    pools: dict[PoolKey, tuple[ReflectivePrompt, ...]] = {}
    where: dict[str, StageId | None] = {}
    steps: tuple[Stage | None, ...] = (None,)
    if cycle is None:
        wanted = set(focus)
        grouped: dict[StageId | None, list[ReflectivePrompt]] = {s: [] for s in focus}
        for prompt in framework.prompts:
            if prompt.stage in wanted and _keep(prompt, tags, kinds):
                grouped[prompt.stage].append(prompt)
                where[prompt.id] = prompt.stage
        live = tuple(s for s in focus if grouped[s])
        pools = {(s, None): tuple(grouped[s]) for s in live}
    else:
        by_step: dict[StageId | None, list[ReflectivePrompt]] = {}
        for prompt in cycle.prompts:
            if _keep(prompt, tags, kinds):
                by_step.setdefault(prompt.stage, []).append(prompt)
                where[prompt.id] = prompt.stage
        steps = tuple(
            s
            for s in sorted(cycle.stages, key=lambda s: s.position)
            if by_step.get(s.id)
        )
        if not cycle.stages and by_step.get(None):
            steps = (None,)
        live = focus if steps else ()
        for stage_key in live:
            for step in steps:
                step_id = step.id if step is not None else None
                pools[(stage_key, step_id)] = tuple(by_step[step_id])
    if not pools:
        msg = (
            f"no prompt of {(cycle or framework).id!r} matches the focus and "
            "filters given"
        )
        raise InvalidArgumentError(msg)
    return Index(
        framework=framework,
        cycle=cycle,
        focus=live,
        steps=steps,
        pools=pools,
        where=where,
        known=frozenset(framework._table("prompts")),  # noqa: SLF001 -- shared cache
        cycle_known=frozenset(cycle._table("prompts")) if cycle else frozenset(),  # noqa: SLF001
        perms={},
        renamed=_renamed(framework, cycle),
        members={key: frozenset(p.id for p in pool) for key, pool in pools.items()},
    )


def _renamed(
    framework: Framework, cycle: Framework | None
) -> dict[tuple[str, str], tuple[FrameworkId, DeprecatedId]]:
    from allykit.reflection.history import replacements

    found: dict[tuple[str, str], tuple[FrameworkId, DeprecatedId]] = {}
    for collection in ("prompts", "stages"):
        for old_id, old in replacements(framework, collection).items():
            found[collection, old_id] = (framework.id, old)
    if cycle is not None:
        for old_id, old in replacements(cycle, "prompts").items():
            found["cycle prompts", old_id] = (cycle.id, old)
    return found


@attrs.frozen
class Pool:
    """Where one pool stands: the pass and which prompts it has used."""

    pass_no: int = 0
    taken: int = 0  # the first *taken* prompts of the pass's order are used
    extras: frozenset[str] = frozenset()  # used out of order


@attrs.frozen
class State:
    """Everything next_step needs, derived from a history for one option set."""

    index: Index
    seed: int
    pools: dict[PoolKey, Pool]
    last: PoolKey | None
    unknown: tuple[PromptId, ...]
    # (collection, old id) of the deprecated ids read as their replacements.
    deprecated: tuple[tuple[str, str], ...] = ()

    def extended(self, entry: HistoryEntry) -> State:
        """Return the state after one more entry (O(1) for in-order steps)."""
        pools = self.pools
        last = self.last
        unknown = self.unknown
        index = self.index
        seen = _classify(index, entry)
        if seen.missing:
            unknown = (*unknown, entry.prompt)
        deprecated = self.deprecated
        if seen.deprecated:
            deprecated = _merged(deprecated, seen.deprecated)
        if seen.key is not None:
            pools = dict(pools)
            pools[seen.key] = _advance(
                index, self.seed, seen.key, pools.get(seen.key, Pool()), seen.prompt
            )
            last = seen.key
        return State(
            index=index,
            seed=self.seed,
            pools=pools,
            last=last,
            unknown=unknown,
            deprecated=deprecated,
        )


def _merged(
    known: tuple[tuple[str, str], ...], more: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    return (*known, *(found for found in more if found not in known))


@attrs.frozen
class _Seen:
    """What one history entry amounts to for an index."""

    key: PoolKey | None = None  # the pool it used, if any
    prompt: str = ""  # its prompt id, as live
    missing: bool = False  # its prompt no longer exists
    deprecated: tuple[tuple[str, str], ...] = ()  # deprecated ids it was read by


def _classify(index: Index, entry: HistoryEntry) -> _Seen:
    """Return the entry's pool key (or None), live prompt id, and what was odd."""
    return _classify_row(
        index, (entry.framework, entry.cycle, entry.prompt, entry.stage)
    )


# The parts of an entry that decide what it amounts to (cycle_step does not).
_Row = tuple[FrameworkId | None, FrameworkId | None, PromptId, StageId | None]


def _classify_row(  # noqa: PLR0911 -- one return per kind of entry
    index: Index, row: _Row
) -> _Seen:
    """Return what an entry of these (framework, cycle, prompt, stage) amounts to."""
    entry_framework, entry_cycle, entry_prompt, entry_stage = row
    framework = index.framework
    if entry_framework is not None and entry_framework != framework.id:
        return _Seen()
    collection = "prompts" if entry_cycle is None else "cycle prompts"
    prompt = index.live(collection, entry_prompt) or entry_prompt
    deprecated: tuple[tuple[str, str], ...] = ()
    if prompt != entry_prompt:
        deprecated = ((collection, entry_prompt),)
    if entry_cycle is None:
        if prompt not in index.known:
            return _Seen(missing=True)
        if index.cycle is not None or prompt not in index.where:
            return _Seen(prompt=prompt, deprecated=deprecated)
        key: PoolKey = (index.where[prompt], None)
        return _Seen(
            key=key if key in index.pools else None,
            prompt=prompt,
            deprecated=deprecated,
        )
    if index.cycle is None or entry_cycle != index.cycle.id:
        return _Seen()
    if prompt not in index.cycle_known:
        return _Seen(missing=True)
    if prompt not in index.where:
        return _Seen(prompt=prompt, deprecated=deprecated)
    live = index.live("stages", entry_stage)
    stage = StageId(live) if live is not None else None
    if stage != entry_stage:
        deprecated = (*deprecated, ("stages", str(entry_stage)))
    key = (stage, index.where[prompt])
    return _Seen(
        key=key if key in index.pools else None, prompt=prompt, deprecated=deprecated
    )


def _advance(index: Index, seed: int, key: PoolKey, pool: Pool, prompt: str) -> Pool:
    order, rank = index.perm(key, seed, pool.pass_no)
    position = rank[prompt]
    if position < pool.taken or prompt in pool.extras:
        return pool  # already used in this pass
    if position != pool.taken:
        return Pool(
            pass_no=pool.pass_no, taken=pool.taken, extras=pool.extras | {prompt}
        )
    taken = pool.taken + 1
    extras = pool.extras
    while taken < len(order) and order[taken] in extras:
        extras = extras - {order[taken]}
        taken += 1
    if taken == len(order):
        return Pool(pass_no=pool.pass_no + 1)
    return Pool(pass_no=pool.pass_no, taken=taken, extras=extras)


def state_for(history: History, index: Index, seed: int) -> State:
    cache = history._states  # noqa: SLF001 -- the history's own derived cache
    key = (id(index), seed)
    found = cache.get(key)
    if found is not None and found.index is index:
        return found  # type: ignore[no-any-return]
    state = replay(index, seed, history.entries)
    # Copy on write: threads sharing the history only ever see whole dicts.
    # A history rarely sees many option sets; past 8, start again.
    kept = cache if len(cache) <= 8 else {}  # noqa: PLR2004
    remember(history, {**kept, key: state})
    return state


# Pools smaller than this are replayed entry by entry: their passes are short,
# so finding each pass's end with whole-slice set operations costs more.
_SMALL_POOL = 32


def replay(index: Index, seed: int, entries: tuple[HistoryEntry, ...]) -> State:
    """Return the state a history of *entries* amounts to, in a few C-level passes.

    Equal to folding :meth:`State.extended` over the entries from an empty
    state, but without per-entry objects: what an entry amounts to depends
    only on its (framework, cycle, prompt, stage), so each distinct one is
    classified once (in the common case, set at a time); each pool's
    sequence of prompts is then cut into passes (a pass ends when every
    prompt of the pool has been used, whatever the order) and only the last
    pass is matched against its seeded order.
    """
    prompts = [entry.prompt for entry in entries]
    plain = {entry.cycle for entry in entries} <= {None} and {
        entry.framework for entry in entries
    } <= {None, index.framework.id}
    if plain and index.cycle is None:
        distinct = set(prompts)
        if distinct.isdisjoint(old for kind, old in index.renamed if kind == "prompts"):
            return _replay_prompts(index, seed, prompts, distinct)
    return _replay_rows(index, seed, entries, prompts, plain=plain)


def _replay_prompts(
    index: Index, seed: int, prompts: list[PromptId], distinct: set[PromptId]
) -> State:
    """Replay entries of this framework, without a cycle, with live prompt ids."""
    by_key = {
        key: used
        for key, members in index.members.items()
        if (used := distinct if distinct <= members else distinct & members)
    }
    missing: AbstractSet[str] = frozenset()
    if sum(map(len, by_key.values())) < len(distinct):  # not all in pools
        missing = distinct.difference(index.known)
    where = index.where
    last: PoolKey | None = next(
        ((where[prompt], None) for prompt in reversed(prompts) if prompt in where),
        None,
    )
    sequences = _sequences(prompts, by_key, len(distinct), None)
    return State(
        index=index,
        seed=seed,
        pools={
            key: _replay_pool(index, seed, key, sequence, by_key[key])
            for key, sequence in sequences.items()
        },
        last=last,
        unknown=tuple(filter(missing.__contains__, prompts)) if missing else (),
    )


def _replay_rows(
    index: Index,
    seed: int,
    entries: tuple[HistoryEntry, ...],
    prompts: list[PromptId],
    *,
    plain: bool,
) -> State:
    """Replay any entries: classify each distinct (framework, cycle, prompt, stage)."""
    rows: list[Any]
    if plain:  # only the prompt id decides
        rows = prompts
        seen = {row: _classify_row(index, (None, None, row, None)) for row in set(rows)}
    else:
        rows = [(e.framework, e.cycle, e.prompt, e.stage) for e in entries]
        seen = {row: _classify_row(index, row) for row in set(rows)}
    deprecated: tuple[tuple[str, str], ...] = ()
    if any(found.deprecated for found in seen.values()):
        for row in dict.fromkeys(rows):  # in order of first appearance
            deprecated = _merged(deprecated, seen[row].deprecated)
    missing = {row for row, found in seen.items() if found.missing}
    unknown: tuple[PromptId, ...] = ()
    if missing:
        unknown = tuple(
            prompt for row, prompt in zip(rows, prompts, strict=True) if row in missing
        )
    by_key: dict[PoolKey, set[Any]] = {}
    live: dict[Any, str] = {}
    for row, found in seen.items():
        if found.key is not None:
            by_key.setdefault(found.key, set()).add(row)
            live[row] = found.prompt
    last = next((seen[row].key for row in reversed(rows) if row in live), None)
    identity = all(row == prompt for row, prompt in live.items())
    sequences = _sequences(rows, by_key, len(seen), None if identity else live)
    pools = {
        key: _replay_pool(
            index, seed, key, sequence, {live[row] for row in by_key[key]}
        )
        for key, sequence in sequences.items()
    }
    return State(
        index=index,
        seed=seed,
        pools=pools,
        last=last,
        unknown=unknown,
        deprecated=deprecated,
    )


def _sequences(
    rows: list[Any],
    by_key: dict[PoolKey, set[Any]],
    distinct: int,
    live: dict[Any, str] | None,
) -> dict[PoolKey, list[str]]:
    """Return, per pool key, the live prompt ids of its rows, in order.

    *by_key* holds the rows of each pool; *live* maps a row to its live
    prompt id (None: the rows are the live prompt ids).
    """
    if len(by_key) <= 4:  # noqa: PLR2004 -- a C-level filter per pool is cheaper
        found: dict[PoolKey, Iterable[Any]] = {}
        for key, used in by_key.items():
            # Every entry uses the pool when it is the only one with all rows.
            every = len(by_key) == 1 and len(used) == distinct
            found[key] = rows if every else filter(used.__contains__, rows)
        if live is None:
            return {
                key: sequence if isinstance(sequence, list) else list(sequence)
                for key, sequence in found.items()
            }
        return {
            key: list(map(live.__getitem__, sequence))
            for key, sequence in found.items()
        }
    pool_of = {
        row: (key, live[row] if live is not None else row)
        for key, used in by_key.items()
        for row in used
    }
    sequences: dict[PoolKey, list[str]] = {key: [] for key in by_key}
    for row in rows:
        hit = pool_of.get(row)
        if hit is not None:
            sequences[hit[0]].append(hit[1])
    return sequences


def _replay_pool(
    index: Index, seed: int, key: PoolKey, sequence: list[str], used: AbstractSet[str]
) -> Pool:
    """Return where a pool stands after *sequence*, its prompts in order.

    *used* is the set of the prompts in *sequence* (all of the pool).
    """
    size = len(index.pools[key])
    if len(used) < size:  # no pass was completed
        return _pool_at(index, seed, key, 0, used)
    if len(sequence) == size:  # exactly one pass, each prompt once
        return Pool(pass_no=1)
    clean = _clean_passes(sequence, size)
    rest = sequence[clean * size :] if clean else sequence
    if size < _SMALL_POOL:
        pass_no, used = _passes_one_by_one(rest, size)
    else:
        pass_no, used = _passes_by_slices(rest, size)
    return _pool_at(index, seed, key, clean + pass_no, used)


def _clean_passes(sequence: list[str], size: int) -> int:
    """Return how many leading chunks of *size* prompts hold no repeat.

    Each such chunk is exactly one pass (as sequencing makes them): counted
    in C, a chunk at a time, without a Python-level step per entry.
    """
    chunks = zip(*[iter(sequence)] * size, strict=False)
    distinct = map(len, map(set, chunks))
    return next(compress(count(), map(size.__ne__, distinct)), len(sequence) // size)


def _passes_one_by_one(sequence: list[str], size: int) -> tuple[int, set[str]]:
    """Return the passes completed by *sequence* and the prompts used since."""
    pass_no = 0
    used: set[str] = set()
    for prompt in sequence:
        if prompt not in used:
            used.add(prompt)
            if len(used) == size:
                pass_no += 1
                used = set()
    return pass_no, used


def _passes_by_slices(sequence: list[str], size: int) -> tuple[int, set[str]]:
    """Return what :func:`_passes_one_by_one` does, a slice at a time.

    A pass ends at the entry where the last of the pool's *size* prompts is
    first used: the largest first-use position in a window holding them all.
    Windows grow by doubling, so each pass costs O(its length) in C.
    """
    pass_no = 0
    start = 0
    length = len(sequence)
    while True:
        window = size
        while True:
            stop = min(start + window, length)
            part = sequence[start:stop]
            if stop - start == size and len(set(part)) == size:
                end = stop  # the pass is exactly these prompts
                break
            positions = range(len(part) - 1, -1, -1)
            firsts = dict(zip(reversed(part), positions, strict=True))
            if len(firsts) == size:
                end = start + max(firsts.values()) + 1
                break
            if stop == length:  # the pass in progress
                return pass_no, set(firsts)
            window *= 2
        pass_no += 1
        start = end


def _pool_at(
    index: Index, seed: int, key: PoolKey, pass_no: int, used: AbstractSet[str]
) -> Pool:
    """Return the pool in pass *pass_no* with *used* prompts used in it."""
    if not used:
        return Pool(pass_no=pass_no)
    order, _rank = index.perm(key, seed, pass_no)
    taken = 0
    for prompt in order:
        if prompt not in used:
            break
        taken += 1
    return Pool(
        pass_no=pass_no, taken=taken, extras=frozenset(used).difference(order[:taken])
    )


def next_key(index: Index, last: PoolKey | None) -> tuple[PoolKey, str]:
    """Return the pool to draw from next, and why, from the last pool used."""
    focus = index.focus
    steps = index.steps
    step_ids = tuple(s.id if s is not None else None for s in steps)
    if last is None:
        return (focus[0], step_ids[0]), "first in the focus order"
    stage_key, step_key = last
    where = focus.index(stage_key)
    if index.cycle is not None:
        position = step_ids.index(step_key)
        if position + 1 < len(step_ids):
            return (stage_key, step_ids[position + 1]), "the next step of the cycle"
    if len(focus) == 1:
        return (focus[0], step_ids[0]), "the only stage in focus"
    following = focus[(where + 1) % len(focus)]
    return (following, step_ids[0]), "next in the focus order"
