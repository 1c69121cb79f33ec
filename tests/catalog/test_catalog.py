"""Tests for the bundled catalogue and the loaders of user data."""

from __future__ import annotations

import copy
import json
import threading
from pathlib import Path
from typing import Any

import pytest

import allykit
from allykit import DataFileError, Framework, UnknownFrameworkError


def _minimal() -> dict[str, Any]:
    return {
        "id": "my-framework",
        "name": "My framework",
        "summary": "A small framework for tests.",
        "kind": "stage-model",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "stages": [
            {"id": "first", "name": "First", "position": 1, "summary": "One."},
            {"id": "second", "name": "Second", "position": 2, "summary": "Two."},
        ],
        "prompts": [{"id": "q", "text": "What now?", "stage": "second"}],
    }


class TestAvailableFrameworks:
    def test_sorted_and_includes_core(self) -> None:
        """The ids are sorted and include the two core frameworks."""
        ids = allykit.available_frameworks()

        assert list(ids) == sorted(ids)
        assert {"ally-model", "allyship-in-practice"} <= set(ids)


class TestLoadFramework:
    @pytest.mark.usefixtures("fresh_cache")
    def test_cached_identity(self) -> None:
        """Loading the same id twice returns the same object."""
        assert allykit.load_framework("ally-model") is allykit.load_framework(
            "ally-model"
        )

    def test_unknown_id_suggests(self) -> None:
        """An unknown id raises UnknownFrameworkError with a suggestion."""
        with pytest.raises(UnknownFrameworkError, match="did you mean 'ally-model'"):
            allykit.load_framework("ally-modle")

    def test_unknown_id_is_lookup_error(self) -> None:
        """Callers can catch the built-in LookupError."""
        with pytest.raises(LookupError):
            allykit.load_framework("nothing-like-it")

    def test_non_string_id(self) -> None:
        """A non-string id is a wrong argument (not "unknown"), never a TypeError."""
        with pytest.raises(allykit.InvalidArgumentError, match="must be a string"):
            allykit.load_framework(42)  # type: ignore[arg-type]

    def test_get_returns_default(self) -> None:
        """get_framework returns the default for an unknown id."""
        sentinel = object()

        assert allykit.get_framework("nope") is None
        assert allykit.get_framework("nope", sentinel) is sentinel
        assert allykit.get_framework("ally-model") is allykit.load_framework(
            "ally-model"
        )

    @pytest.mark.usefixtures("fresh_cache")
    def test_thread_safe_single_instance(self) -> None:
        """Many threads loading at once all get the one cached object."""
        results: list[Framework] = []
        barrier = threading.Barrier(8)

        def worker() -> None:
            barrier.wait()
            results.append(allykit.load_framework("allyship-in-practice"))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert len(results) == 8
        assert all(r is results[0] for r in results)


class TestUserFiles:
    def test_file_loads(self, tmp_path: Path) -> None:
        """A valid file on disk loads into a Framework."""
        path = tmp_path / "mine.json"
        path.write_text(json.dumps(_minimal()), encoding="utf-8")

        framework = allykit.load_framework_file(path)

        assert framework.id == "my-framework"
        assert [s.id for s in framework.stages] == ["first", "second"]

    def test_mapping_not_mutated(self) -> None:
        """Loading a mapping leaves the caller's data exactly as it was."""
        data = _minimal()
        before = copy.deepcopy(data)

        allykit.Framework.from_dict(data)

        assert data == before

    def test_every_problem_reported(self) -> None:
        """All structural and cross-reference problems come in one error."""
        data = _minimal()
        data["stages"][1]["name"] = ""
        data["stages"][1]["position"] = 5
        data["prompts"][0]["stage"] = "secnd"
        data["prompts"][0]["txt"] = "typo"
        data["kind"] = "ladder"

        with pytest.raises(DataFileError) as info:
            allykit.Framework.from_dict(data, source="mine.json")

        paths = {p.path for p in info.value.problems}
        assert paths == {
            "stages[1].name",
            "stages[1].position",
            "prompts[0].stage",
            "prompts[0].txt",
            "kind",
        }
        assert info.value.source == "mine.json"
        message = str(info.value)
        assert "did you mean 'second'" in message
        assert "did you mean 'text'" in message
        assert "pydantic" not in message.lower()

    def test_duplicate_ids(self) -> None:
        """A repeated stage id is reported with the index of the first use."""
        data = _minimal()
        data["stages"][1]["id"] = "first"

        with pytest.raises(DataFileError, match=r"stages\[1\]\.id: duplicate id"):
            allykit.Framework.from_dict(data)

    def test_missing_citations(self) -> None:
        """A framework without citations is refused."""
        data = _minimal()
        data["citations"] = []

        with pytest.raises(DataFileError, match="at least one citation"):
            allykit.Framework.from_dict(data)

    def test_missing_file(self, tmp_path: Path) -> None:
        """A path that does not exist gives a DataFileError naming it."""
        with pytest.raises(DataFileError, match="cannot read the file"):
            allykit.load_framework_file(tmp_path / "absent.json")

    def test_not_utf8(self, tmp_path: Path) -> None:
        """Text that is not UTF-8 is refused with a clear message."""
        path = tmp_path / "latin1.json"
        path.write_bytes('{"name": "Caf\xe9"}'.encode("latin-1"))

        with pytest.raises(DataFileError, match="not UTF-8"):
            allykit.load_framework_file(path)

    def test_too_big(self, tmp_path: Path) -> None:
        """Files over the documented 2 MiB limit are refused before parsing."""
        path = tmp_path / "big.json"
        path.write_bytes(b" " * (2 * 1024 * 1024 + 1))

        with pytest.raises(DataFileError, match="larger than the limit"):
            allykit.load_framework_file(path)

    def test_invalid_json_has_line(self) -> None:
        """A JSON syntax error says the line and column."""
        with pytest.raises(DataFileError, match="line 1, column"):
            allykit.Framework.from_json("{nope")

    def test_nan_refused(self) -> None:
        """NaN is not JSON and is refused."""
        with pytest.raises(DataFileError, match="NaN"):
            allykit.Framework.from_json('{"id": NaN}')

    def test_top_level_must_be_object(self) -> None:
        """A JSON array at the top level is refused with a hint."""
        with pytest.raises(DataFileError, match="expected a JSON object"):
            allykit.Framework.from_json("[]")

    def test_schema_pointer_allowed(self) -> None:
        """A "$schema" key is accepted and ignored."""
        data = _minimal()
        data["$schema"] = "../schemas/framework.schema.json"

        assert allykit.Framework.from_dict(data).id == "my-framework"

    def test_future_schema_version_refused(self) -> None:
        """A schema_version this release does not know is refused."""
        data = _minimal()
        data["schema_version"] = 2

        with pytest.raises(DataFileError, match="schema_version"):
            allykit.Framework.from_dict(data)


class TestSchema:
    def test_committed_schema_matches(self) -> None:
        """The schema file shipped in the package equals the generated one."""
        from allykit.catalog import _resources

        committed = json.loads(_resources.read_schema("framework.schema.json"))

        assert committed == allykit.catalog.framework_json_schema()

    def test_schema_forbids_extra_keys(self) -> None:
        """The schema says objects take no unknown keys."""
        schema = allykit.catalog.framework_json_schema()

        assert schema["additionalProperties"] is False


class TestUnknownDocuments:
    def test_one_error_for_every_kind(self) -> None:
        """Every kind raises UnknownDocumentError; frameworks its old subclass."""
        loaders = {
            "framework": allykit.load_framework,
            "instrument": allykit.load_instrument,
            "crosswalk": allykit.catalog.load_crosswalk,
            "scale": allykit.catalog.load_scale,
        }
        for kind, load in loaders.items():
            with pytest.raises(allykit.UnknownDocumentError, match=f"unknown {kind}"):
                load("no-such-document")
        with pytest.raises(UnknownFrameworkError):
            allykit.load_framework("no-such-document")
        with pytest.raises(allykit.UnknownDocumentError) as caught:
            allykit.load_instrument("no-such-document")
        assert not isinstance(caught.value, UnknownFrameworkError)
        assert isinstance(caught.value, LookupError)
