"""Nothing quadratic on a public path: each function's cost when its input doubles.

Every test times the function at size n and 2n in the same run and checks
the ratio (never an absolute time): about 2 for linear work, 4 for
quadratic. Thresholds are generous (noise on a busy machine), yet a
quadratic path (ratio 4) or a cubic one (ratio 8) fails them. Small and
large runs alternate and the best of their repeats is used; a round over the
threshold is measured again, up to three rounds.
"""

from __future__ import annotations

import contextlib
import gc
import io
import random
import time
from collections.abc import Callable
from typing import Any

import pytest

import allykit
from allykit.models.framework import Framework
from allykit.models.instrument import Instrument
from allykit.surveys import load_redcap_export, load_surveyjs_results

pytestmark = pytest.mark.growth

_LINEAR = 3.5  # linear doubles (2); quadratic would quadruple (4)


def _timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def _ratio(make: Callable[[int], Callable[[], object]], n: int) -> float:
    """Time at 2n over time at n: the best of interleaved repeats.

    Small and large runs alternate, so a burst of load from elsewhere hits
    both; a ratio over the threshold is measured again (up to three rounds),
    since load only ever inflates it, while a quadratic path stays near 4
    in every round. The cyclic garbage collector is paused while timing: a
    full collection costs the size of the whole heap (in the full suite, a
    large one), and whether one falls inside a run depends on how many
    objects were made before, which is not the function's growth.
    """
    small, large = make(n), make(2 * n)
    small()  # warm caches and imports
    large()
    best = float("inf")
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            smalls, larges = [], []
            for _ in range(5):
                smalls.append(_timed(small))
                larges.append(_timed(large))
            best = min(best, min(larges) / min(smalls))
            if best < _LINEAR:
                break
    finally:
        gc.enable()
    return best


def _framework(stages: int) -> Framework:
    citation = {"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}
    return Framework.from_dict(
        {
            "id": "grown",
            "name": "Grown",
            "summary": "Written for the tests.",
            "kind": "stage-model",
            "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
            "citations": [citation],
            "stages": [
                {"id": f"s{i}", "name": f"S {i}", "position": i + 1, "summary": "S."}
                for i in range(stages)
            ],
            "characteristics": [
                {"id": f"c{i}", "name": f"C {i}", "description": "C.", "stage": f"s{i}"}
                for i in range(stages)
            ],
            "prompts": [
                {"id": f"p{i}", "text": f"Prompt {i}?", "stage": f"s{i}"}
                for i in range(stages)
            ],
        }
    )


def _instrument(items: int) -> Instrument:
    return Instrument.from_dict(
        {
            "id": "grown",
            "name": "Grown",
            "summary": "Written for the tests.",
            "intended_use": "Tests only; not a measure.",
            "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
            "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
            "response_scale": {
                "choices": [{"value": v, "label": f"L{v}"} for v in range(1, 6)],
                "min": 1,
                "max": 5,
            },
            "items": [{"id": f"i{k}", "text": f"Item {k}."} for k in range(items)],
            "scales": [
                {"id": "all", "name": "All", "items": [f"i{k}" for k in range(items)]}
            ],
        }
    )


def _answers(items: int, rows: int) -> list[dict[str, Any]]:
    chance = random.Random(items)  # noqa: S311 -- test data, not secrets
    return [{f"i{k}": chance.randint(1, 5) for k in range(items)} for _ in range(rows)]


class TestGrowth:
    def test_search_query_words(self) -> None:
        """Search is linear in the words of the query, repeated or distinct."""
        vocabulary = ["ally", "action", "self", "aware", "learn", "the"]

        def make(n: int) -> Callable[[], object]:
            chance = random.Random(n)  # noqa: S311 -- test data, not secrets
            text = " ".join(chance.choice(vocabulary) for _ in range(n))
            text += " " + " ".join(f"zz{k}" for k in range(n))
            return lambda: allykit.search(text)

        assert _ratio(make, 20_000) < _LINEAR

    @pytest.mark.filterwarnings("ignore::allykit.errors.ReliabilityWarning")
    def test_reliability_items(self) -> None:
        """Reliability costs O(k^2) in items (the covariances), not O(k^3)."""

        def make(k: int) -> Callable[[], object]:
            instrument, rows = _instrument(k), _answers(k, 20)
            return lambda: allykit.reliability(instrument, rows)

        assert _ratio(make, 100) < 6.0  # quadratic: 4; cubic was 8

    @pytest.mark.parametrize(
        "render",
        [
            allykit.worksheets.render_markdown_worksheet,
            allykit.worksheets.render_html_worksheet,
        ],
    )
    def test_worksheets_stages(self, render: Callable[[Framework], str]) -> None:
        """Worksheets are linear in the stages."""

        def make(n: int) -> Callable[[], object]:
            framework = _framework(n)
            return lambda: render(framework)

        assert _ratio(make, 3_000) < _LINEAR

    def test_per_stage_queries(self) -> None:
        """prompts_for and characteristics_for of every stage: linear in stages."""

        def make(n: int) -> Callable[[], object]:
            stages = [f"s{i}" for i in range(n)]

            def run() -> None:
                framework = _framework(n)  # a fresh one: its index is built too
                for stage in stages:
                    framework.prompts_for(stage)
                    framework.characteristics_for(stage)

            return run

        assert _ratio(make, 1_500) < _LINEAR

    def test_instrument_item_lookups(self) -> None:
        """Looking up every item of an instrument is linear in the items."""

        def make(n: int) -> Callable[[], object]:
            instrument = _instrument(n)
            ids = [f"i{k}" for k in range(n)]

            def run() -> None:
                for _ in range(10):
                    for item_id in ids:
                        instrument.item(item_id)
                        instrument.response_scale_for(item_id)

            return run

        assert _ratio(make, 4_000) < _LINEAR

    def test_redcap_import_items(self) -> None:
        """Importing a REDCap export is linear in its items (columns)."""

        def make(n: int) -> Callable[[], object]:
            instrument = _instrument(n)
            fields = {f"i{k}": f"i{k}" for k in range(n)}
            header = ",".join(["record_id", *fields])
            body = "\n".join(
                ",".join([str(r), *("3" for _ in range(n))]) for r in range(20)
            )
            text = header + "\n" + body + "\n"
            return lambda: load_redcap_export(
                io.StringIO(text),
                fields=fields,
                id_column="record_id",
                instrument=instrument,
            )

        assert _ratio(make, 1_000) < _LINEAR

    def test_surveyjs_import_items(self) -> None:
        """Importing SurveyJS results is linear in their fields."""

        def make(n: int) -> Callable[[], object]:
            fields = {f"m.i{k}": f"i{k}" for k in range(n)}
            results = [{"m": {f"i{k}": 3 for k in range(n)}} for _ in range(20)]
            return lambda: load_surveyjs_results(results, fields=fields)

        assert _ratio(make, 1_000) < _LINEAR

    @pytest.mark.parametrize("export", ["to_surveyjs", "to_redcap_dictionary"])
    def test_survey_exports_items(self, export: str) -> None:
        """Exporting an instrument is linear in its items."""
        from allykit import surveys

        function = getattr(surveys, export)

        def make(n: int) -> Callable[[], object]:
            instrument = _instrument(n)
            return lambda: function(instrument)

        assert _ratio(make, 1_000) < _LINEAR


def _plain_framework(framework_id: str, **parts: Any) -> dict[str, Any]:
    return {
        "id": framework_id,
        "name": "Grown",
        "summary": "Written for the tests.",
        "kind": "stage-model",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "stages": [{"id": "s", "name": "S", "position": 1, "summary": "S."}],
        **parts,
    }


class _Installed:
    """Frameworks 'installed' for sharing: the catalogue's load, over plain data."""

    def __init__(self, documents: dict[str, dict[str, Any]]) -> None:
        self.documents = documents
        self.loaded: dict[str, Framework] = {}

    def load(self, kind: str, item_id: str) -> Framework:
        from allykit.errors import UnknownDocumentError

        assert kind == "framework"
        if item_id not in self.loaded:
            if item_id not in self.documents:
                raise UnknownDocumentError.for_id(item_id, (), what="framework")
            self.loaded[item_id] = Framework.from_dict(self.documents[item_id])
        return self.loaded[item_id]


class TestSharingGrowth:
    def test_shared_entries_against_one_keeper(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Entries naming a keeper of as many prompts: linear (ids indexed once)."""
        from allykit.catalog import _shared, _store

        def make(n: int) -> Callable[[], object]:
            prompts = [{"id": f"p{k}", "text": f"Prompt {k}?"} for k in range(n)]
            installed = _Installed(
                {"keeper": _plain_framework("keeper", prompts=prompts)}
            )
            installed.load("framework", "keeper")
            document = _plain_framework(
                "sharer",
                shared=[
                    {"framework": "keeper", "prompts": [f"p{k}"]} for k in range(n)
                ],
            )

            def run() -> None:
                with monkeypatch.context() as patch:
                    patch.setattr(_store, "load", installed.load)
                    _shared.expand(document)

            return run

        assert _ratio(make, 1_500) < _LINEAR

    def test_loading_every_framework_of_a_chain(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Loading all n frameworks of a chain of sharing is linear in n.

        The chain is longer than the limit, so most loads fail (their keeper
        is too deep) and are tried again by the next: each costs at most the
        limit's worth of levels, never the whole chain.
        """
        from allykit import DataFileError
        from allykit.catalog import _store

        def make(n: int) -> Callable[[], object]:
            documents = {
                f"c{k}": _plain_framework(
                    f"c{k}",
                    prompts=[{"id": f"p{k}", "text": f"Prompt {k}?"}],
                    shared=[{"framework": f"c{k + 1}", "prompts": [f"p{k + 1}"]}]
                    if k + 1 < n
                    else [],
                )
                for k in range(n)
            }

            def run() -> None:
                installed = _Installed(documents)
                with monkeypatch.context() as patch:
                    patch.setattr(_store, "load", installed.load)
                    for k in range(n):
                        with contextlib.suppress(DataFileError):
                            installed.load("framework", f"c{k}")

            return run

        assert _ratio(make, 100) < _LINEAR

    @pytest.mark.parametrize("limit", ["default", "raised"])
    def test_loading_the_head_of_a_chain(
        self, monkeypatch: pytest.MonkeyPatch, limit: str
    ) -> None:
        """The head of a chain of n frameworks loads in time linear in n.

        *default*: n = 8 and 16, a chain up to MAX_DEPTH long. *raised*: the
        limit lifted past the chain, n = 150 and 300, under a recursion
        limit of 150 frames above the test's own (a chain resolved through
        the call stack would need several per framework).
        """
        import sys
        import traceback

        from allykit.catalog import _shared, _store

        n = _shared.MAX_DEPTH // 2
        if limit == "raised":
            monkeypatch.setattr(_shared, "MAX_DEPTH", 10**6)
            n = 150

        def make(size: int) -> Callable[[], object]:
            documents = {
                f"c{k}": _plain_framework(
                    f"c{k}",
                    prompts=[{"id": f"p{k}", "text": f"Prompt {k}?"}],
                    shared=[{"framework": f"c{k + 1}", "prompts": [f"p{k + 1}"]}]
                    if k + 1 < size
                    else [],
                )
                for k in range(size)
            }

            def run() -> None:
                installed = _Installed(documents)
                old = sys.getrecursionlimit()
                with monkeypatch.context() as patch:
                    patch.setattr(_store, "load", installed.load)
                    sys.setrecursionlimit(len(traceback.extract_stack()) + 150)
                    try:
                        head = installed.load("framework", "c0")
                    finally:
                        sys.setrecursionlimit(old)
                assert len(head.prompts) == 2
                assert len(installed.loaded) == size

            return run

        assert _ratio(make, n) < _LINEAR
