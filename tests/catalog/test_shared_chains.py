"""Chains of sharing: resolved with a work list, never through the call stack.

A framework may share from a keeper that shares from a third, and so on.
These tests hold the resolution to its promises: nothing recurses once per
link of a chain (run under a low recursion limit, with the depth limit
raised so that a long chain is followed to its end); each keeper is loaded
once; circles and over-long chains are a ``DataFileError`` of the
frameworks on them only, at their own path, one message each; what lies off
the bad chain loads, and a listing skips only the broken.
"""

from __future__ import annotations

import json
import sys
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import allykit
from allykit import DataFileError, Framework
from allykit.catalog import _plugins, _shared, _store
from allykit.catalog._plugins import EntryPointInfo as EntryPoint
from allykit.errors import UnknownDocumentError

# Frames a resolution may use above the test's own, whatever the chain's
# length: far fewer than one per link of the chains below.
_STACK_BUDGET = 150


def _framework(
    framework_id: str, *, keepers: list[str], **parts: Any
) -> dict[str, Any]:
    """A framework keeping prompt ``p-<id>`` and sharing one from each keeper."""
    return {
        "id": framework_id,
        "name": "Chained",
        "summary": "Written for the tests.",
        "kind": "stage-model",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "stages": [{"id": "s", "name": "S", "position": 1, "summary": "S."}],
        "prompts": [{"id": f"p-{framework_id}", "text": f"About {framework_id}?"}],
        "shared": [{"framework": k, "prompts": [f"p-{k}"]} for k in keepers],
        **parts,
    }


def _chain(length: int) -> dict[str, dict[str, Any]]:
    """Frameworks c0 ... c<length-1>, each sharing from the next."""
    return {
        f"c{n}": _framework(f"c{n}", keepers=[f"c{n + 1}"] if n + 1 < length else [])
        for n in range(length)
    }


class _Installed:
    """Frameworks 'installed' for sharing: the catalogue's load, over plain data.

    Counts how often each framework is validated (*tried*) and built.
    """

    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.documents = documents
        self.loaded: dict[str, Framework] = {}
        self.tried: dict[str, int] = {}
        self.built: dict[str, int] = {}

    def load(self, kind: str, item_id: str) -> Framework:
        assert kind == "framework"
        if item_id not in self.loaded:
            if item_id not in self.documents:
                raise UnknownDocumentError.for_id(item_id, (), what="framework")
            self.tried[item_id] = self.tried.get(item_id, 0) + 1
            self.loaded[item_id] = Framework.from_dict(self.documents[item_id])
            self.built[item_id] = self.built.get(item_id, 0) + 1
        return self.loaded[item_id]


_Install = Callable[[dict[str, dict[str, Any]]], _Installed]


@pytest.fixture(name="install")
def _install(monkeypatch: pytest.MonkeyPatch) -> _Install:
    def install(documents: dict[str, dict[str, Any]]) -> _Installed:
        installed = _Installed(documents)
        monkeypatch.setattr(_store, "load", installed.load)
        return installed

    return install


@contextmanager
def _shallow_stack() -> Iterator[None]:
    """Allow only a fixed number of frames above the caller's."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(len(traceback.extract_stack()) + _STACK_BUDGET)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def _problems(error: DataFileError) -> list[tuple[str, str]]:
    return [(p.path, p.message) for p in error.problems]


class TestNoRecursion:
    def test_a_long_chain_under_a_low_recursion_limit(
        self, install: _Install, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """400 frameworks, each sharing from the next, all load: no frame per link.

        The depth limit is raised past the chain, so the whole chain is
        followed; each framework is validated at most twice (once to learn
        its keepers, once with them), never once per framework above it.
        """
        monkeypatch.setattr(_shared, "MAX_DEPTH", 10_000)
        installed = install(_chain(400))

        with _shallow_stack():
            head = _store.load("framework", "c0")

        assert [p.id for p in head.prompts] == ["p-c0", "p-c1"]
        assert len(installed.loaded) == 400
        assert max(installed.tried.values()) <= 2
        assert getattr(_shared._local, "session", None) is None

    def test_a_plugin_of_120_under_a_low_recursion_limit(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The issue's plugin: 120 frameworks, each sharing from the next.

        With the default limit, the long chains fail as DataFileError (never
        RecursionError), search and list skip them; with the limit raised
        past 120, every one loads. Both under a low recursion limit.
        """
        documents = _chain(120)
        _fake_package(tmp_path, monkeypatch, "pkg_long", documents)

        with _shallow_stack():
            with pytest.raises(DataFileError, match="more than 16 frameworks"):
                allykit.load_framework("c0")
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                hits = allykit.search("chained", kind="framework", limit=None)
        skipped = " ".join(str(w.message) for w in caught)
        assert "'c0'" in skipped
        assert "'c104'" not in skipped
        assert {"c104", "c119"} <= {hit.framework for hit in hits}

        allykit.clear_cache()
        monkeypatch.setattr(_shared, "MAX_DEPTH", 1_000)
        with _shallow_stack():
            head = allykit.load_framework("c0")
        assert [p.id for p in head.prompts] == ["p-c0", "p-c1"]


def _fake_package(
    root: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    documents: dict[str, dict[str, Any]],
) -> None:
    """Install *documents* as the only framework plugin, package *name*."""
    folder = root / name
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for framework_id, document in documents.items():
        (folder / f"{framework_id}.json").write_text(
            json.dumps(document), encoding="utf-8"
        )
    groups = {"allykit.frameworks": [EntryPoint(name=name, value=name)]}
    monkeypatch.syspath_prepend(str(root))
    monkeypatch.setattr(
        _plugins, "_entry_points", lambda group: (list(groups.get(group, [])), [])
    )
    allykit.clear_cache()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    allykit.clear_cache()
    yield
    allykit.clear_cache()


class TestLimit:
    def test_a_chain_of_max_depth_loads_one_more_does_not(
        self, install: _Install
    ) -> None:
        """MAX_DEPTH frameworks (the sharer included) load; one more is refused."""
        depth = _shared.MAX_DEPTH
        install(_chain(depth + 1))

        inside = _store.load("framework", "c1")
        with pytest.raises(DataFileError) as caught:
            _store.load("framework", "c0")

        assert inside.prompts[-1].id == "p-c2"
        ((path, message),) = _problems(caught.value)
        assert path == "shared[0].framework"
        assert message.startswith(f"sharing goes through more than {depth} frameworks")
        assert f"(c0 -> c1 -> c2 -> ... -> c{depth - 1} -> c{depth})" in message

    def test_the_cut_off_stops_at_the_limit(self, install: _Install) -> None:
        """A chain far longer than the limit is followed only to the limit."""
        installed = install(_chain(500))

        with pytest.raises(DataFileError, match="more than 16"):
            _store.load("framework", "c0")

        assert set(installed.tried) <= {f"c{n}" for n in range(_shared.MAX_DEPTH + 1)}

    def test_only_the_long_branch_is_reported(self, install: _Install) -> None:
        """A too-long branch fails its entry only; a short one beside it loads."""
        documents = _chain(40)
        documents["root"] = _framework("root", keepers=["c0", "short"])
        documents["short"] = _framework("short", keepers=[])
        install(documents)

        with pytest.raises(DataFileError) as caught:
            _store.load("framework", "root")

        ((path, message),) = _problems(caught.value)
        assert path == "shared[0].framework"
        assert "(root -> c0 -> c1 -> ..." in message
        assert _store.load("framework", "short").id == "short"

    def test_the_rule_does_not_depend_on_what_was_loaded(
        self, install: _Install
    ) -> None:
        """A keeper loaded before (cached) counts its whole chain, too."""
        depth = _shared.MAX_DEPTH
        install(_chain(depth + 1))
        _store.load("framework", "c1")  # the whole chain below c0 is cached

        with pytest.raises(DataFileError, match=f"more than {depth}"):
            _store.load("framework", "c0")


class TestCircles:
    def test_every_framework_on_a_circle_names_it_from_itself(
        self, install: _Install
    ) -> None:
        """Frameworks a -> b -> c -> a: one problem each, the circle from itself."""
        install(
            {
                "a": _framework("a", keepers=["b"]),
                "b": _framework("b", keepers=["c"]),
                "c": _framework("c", keepers=["a"]),
                "outside": _framework("outside", keepers=["a"]),
            }
        )
        for start, circle in [
            ("a", "a -> b -> c -> a"),
            ("b", "b -> c -> a -> b"),
            ("c", "c -> a -> b -> c"),
        ]:
            with pytest.raises(DataFileError) as caught:
                _store.load("framework", start)
            ((path, message),) = _problems(caught.value)
            assert path == "shared[0].framework"
            assert message == f"frameworks share in a circle ({circle})"

        with pytest.raises(DataFileError) as caught:
            _store.load("framework", "outside")
        ((path, message),) = _problems(caught.value)
        assert message.startswith("the framework cannot be loaded")
        assert "circle (a -> b -> c -> a)" in message

    def test_a_saved_copy_outside_a_circle_loads(self, install: _Install) -> None:
        """A self-contained framework sharing from a broken keeper keeps its copy."""
        documents = {
            "a": _framework("a", keepers=["b"]),
            "b": _framework("b", keepers=["a"]),
        }
        copy = _framework("copy", keepers=["a"])
        copy["prompts"].append(documents["a"]["prompts"][0])
        documents["copy"] = copy
        install(documents)

        assert [p.id for p in _store.load("framework", "copy").prompts] == [
            "p-copy",
            "p-a",
        ]


class TestEachKeeperOnce:
    def test_a_diamond_loads_each_keeper_once(self, install: _Install) -> None:
        """A diamond (top from left and right, both from bottom): each built once."""
        installed = install(
            {
                "top": _framework("top", keepers=["left", "right"]),
                "left": _framework("left", keepers=["bottom"]),
                "right": _framework("right", keepers=["bottom"]),
                "bottom": _framework("bottom", keepers=[]),
            }
        )

        top = _store.load("framework", "top")

        assert [p.id for p in top.prompts] == ["p-top", "p-left", "p-right"]
        assert installed.built == dict.fromkeys(["top", "left", "right", "bottom"], 1)
        assert max(installed.tried.values()) <= 2

    def test_failures_are_tried_once_per_load(
        self, install: _Install, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A broken keeper below many sharers is validated once, not per sharer."""
        documents = {f"s{n}": _framework(f"s{n}", keepers=["broken"]) for n in range(8)}
        documents["broken"] = _framework("broken", keepers=[], kind="not a kind")
        documents["top"] = _framework("top", keepers=list(documents))
        calls: list[str] = []
        installed = install(documents)
        original = installed.load

        def counted(kind: str, item_id: str) -> Framework:
            calls.append(item_id)
            return original(kind, item_id)

        monkeypatch.setattr(_store, "load", counted)

        with pytest.raises(DataFileError):
            _store.load("framework", "top")

        # Loaded by the test (top), then once for each framework it waits for
        # and once more when its keepers are ready: never per path to it.
        assert calls.count("broken") == 1
        assert max(calls.count(f"s{n}") for n in range(8)) <= 2

    def test_the_session_ends_with_an_error(self, install: _Install) -> None:
        """Whatever goes wrong, the next load starts afresh."""
        install(
            {"a": _framework("a", keepers=["b"]), "b": _framework("b", keepers=["a"])}
        )

        with pytest.raises(DataFileError):
            _store.load("framework", "a")

        assert getattr(_shared._local, "session", None) is None

    def test_other_keepers_problems_are_kept(self, install: _Install) -> None:
        """A keeper that fails for its content is named with its first problem."""
        install(
            {
                "user": _framework("user", keepers=["bad"]),
                "bad": _framework("bad", keepers=[], kind="not a kind"),
            }
        )

        with pytest.raises(DataFileError) as caught:
            _store.load("framework", "user")

        ((path, message),) = _problems(caught.value)
        assert path == "shared[0].framework"
        assert message.startswith("the framework cannot be loaded: kind")


def test_the_need_never_escapes(install: _Install) -> None:
    """The request a keeper raises is internal: callers see frameworks or errors."""
    install(_chain(5))

    loaded = [_store.load("framework", f"c{n}") for n in (4, 2, 0, 3, 1)]

    assert [f.id for f in loaded] == ["c4", "c2", "c0", "c3", "c1"]
    assert not issubclass(_shared._Need, allykit.AllykitError)


def test_each_thread_has_its_own_session(install: _Install) -> None:
    """Loads on several threads at once resolve their own chains."""
    import threading

    documents: dict[str, dict[str, Any]] = {}
    for chain in range(4):
        for n in range(10):
            keepers = [f"t{chain}-{n + 1}"] if n + 1 < 10 else []
            documents[f"t{chain}-{n}"] = _framework(f"t{chain}-{n}", keepers=keepers)
    install(documents)
    heads: dict[int, list[str]] = {}
    failures: list[BaseException] = []

    def load(chain: int) -> None:
        try:
            head = _store.load("framework", f"t{chain}-0")
            heads[chain] = [p.id for p in head.prompts]
        except BaseException as error:  # noqa: BLE001 -- reported below
            failures.append(error)

    threads = [threading.Thread(target=load, args=(c,)) for c in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    assert heads == {c: [f"p-t{c}-0", f"p-t{c}-1"] for c in range(4)}
