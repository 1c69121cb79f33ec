"""Tests for data contributed by installed packages through entry points.

Frameworks (``allykit.frameworks``), instruments (``allykit.models.instrument``)
and crosswalks (``allykit.crosswalks``) share one discovery and loading path.
"""

from __future__ import annotations

import json
import threading
import warnings
import zipfile
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path
from typing import Any

import pytest

import allykit
from allykit import DataFileError, UnknownFrameworkError
from allykit.catalog import _distribution, _plugins
from allykit.catalog._plugins import EntryPointInfo as EntryPoint
from allykit.errors import PluginWarning

EXAMPLE_ID = "example-pause-ask-act"
EXAMPLE_INSTRUMENT = "example-pause-ask-act-check-in"


def _example_installed() -> bool:
    try:
        version("allykit-example-plugin")
    except PackageNotFoundError:
        return False
    return True


needs_example = pytest.mark.skipif(
    not _example_installed(),
    reason="the example plugin is not installed; run "
    "'pip install ./examples/allykit-example-plugin' (as .ci/run does)",
)


def _framework(framework_id: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": framework_id,
        "name": "A plugin framework",
        "summary": "Written for the tests.",
        "kind": "stage-model",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "stages": [{"id": "one", "name": "One", "position": 1, "summary": "One."}],
    }
    document.update(changes)
    return document


def _package(root: Path, name: str, documents: dict[str, Any]) -> EntryPoint:
    folder = root / name
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    for file_name, document in documents.items():
        text = document if isinstance(document, str) else json.dumps(document)
        (folder / file_name).write_text(text, encoding="utf-8")
    return EntryPoint(name=name, value=name)


def _instrument(instrument_id: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": instrument_id,
        "name": "A plugin instrument",
        "summary": "Written for the tests.",
        "intended_use": "Tests only; not a measure.",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "framework": "ally-model",
        "response_scale": {
            "choices": [{"value": 1, "label": "No"}, {"value": 2, "label": "Yes"}],
            "min": 1,
            "max": 2,
        },
        "items": [{"id": "a", "text": "A."}, {"id": "b", "text": "B."}],
        "scales": [
            {"id": "act", "name": "Act", "items": ["a", "b"], "stage": "action"}
        ],
    }
    document.update(changes)
    return document


def _crosswalk(crosswalk_id: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": crosswalk_id,
        "name": "A plugin crosswalk",
        "summary": "Written for the tests.",
        "source": "ally-model",
        "target": "spectrum-of-allies",
        "licence": {"spdx": None, "note": "Written for the tests."},
        "links": [
            {
                "source": "action",
                "target": "active-support",
                "relation": "related",
                "rationale": "Both are about acting.",
            }
        ],
    }
    document.update(changes)
    return document


@pytest.fixture(name="fake_groups")
def _fake_groups(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, list[EntryPoint]]]:
    """Replace the installed entry points, per group, with ones the test builds."""
    groups: dict[str, list[EntryPoint]] = {
        "allykit.frameworks": [],
        "allykit.instruments": [],
        "allykit.crosswalks": [],
    }
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(
        _plugins, "_entry_points", lambda group: (list(groups.get(group, [])), [])
    )
    allykit.clear_cache()
    yield groups
    allykit.clear_cache()


@pytest.fixture(name="fake_plugins")
def _fake_plugins(fake_groups: dict[str, list[EntryPoint]]) -> list[EntryPoint]:
    """The entry points of the group allykit.frameworks, built by the test."""
    return fake_groups["allykit.frameworks"]


@pytest.fixture(name="fake_instruments")
def _fake_instruments(fake_groups: dict[str, list[EntryPoint]]) -> list[EntryPoint]:
    """The entry points of the group allykit.models.instrument, built by the test."""
    return fake_groups["allykit.instruments"]


class TestExamplePlugin:
    @needs_example
    def test_discovered(self) -> None:
        """The installed example package's framework is listed and sourced."""
        assert EXAMPLE_ID in allykit.available_frameworks()
        source = allykit.catalog.framework_sources()[EXAMPLE_ID]
        assert source.startswith("allykit-example-plugin 0.1.0")
        assert source.endswith(f"{EXAMPLE_ID}.json")

    @needs_example
    def test_loads_validated(self) -> None:
        """The example framework loads, equal to validating its text directly."""
        framework = allykit.load_framework(EXAMPLE_ID)

        assert [stage.id for stage in framework.stages] == ["pause", "ask", "act"]
        assert allykit.load_framework(EXAMPLE_ID) is framework

    @needs_example
    def test_sorted_with_bundled(self) -> None:
        """Plugin ids are merged into the sorted list of ids."""
        ids = allykit.available_frameworks()

        assert list(ids) == sorted(ids)
        assert "ally-model" in ids


class TestExamplePluginInstrument:
    @needs_example
    def test_discovered(self) -> None:
        """The example package's instrument is listed and sourced."""
        assert EXAMPLE_INSTRUMENT in allykit.available_instruments()
        source = allykit.catalog.instrument_sources()[EXAMPLE_INSTRUMENT]
        assert source.startswith("allykit-example-plugin 0.1.0")
        assert source.endswith(f"instruments/{EXAMPLE_INSTRUMENT}.json")

    @needs_example
    def test_honest_and_scores_against_its_framework(self) -> None:
        """It is cited, licensed, not validated, and scores onto its framework."""
        instrument = allykit.load_instrument(EXAMPLE_INSTRUMENT)
        answers = {"pause-before-reacting": 3, "pause-rush-in": "Rarely"}

        report = allykit.score(instrument, answers)

        assert instrument.citations
        assert instrument.licence.spdx == "CC-BY-4.0"
        assert instrument.validated is False
        assert instrument.framework == EXAMPLE_ID
        assert report.profile_by_stage()["pause"] == 100.0
        assert allykit.catalog.get_instrument(EXAMPLE_INSTRUMENT) is instrument


class TestDiscovery:
    def test_lazy(self) -> None:
        """Importing allykit does not import importlib.metadata for plugins."""
        import subprocess
        import sys

        code = "import sys, allykit; print('allykit.catalog._plugins' in sys.modules)"
        out = subprocess.run(  # noqa: S603 -- our own interpreter, fixed code
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()

        assert out == "False"

    def test_fake_plugin_listed(
        self, tmp_path: Path, fake_plugins: list[EntryPoint]
    ) -> None:
        """A package named by an entry point contributes its <id>.json files."""
        fake_plugins.append(
            _package(tmp_path, "pkg_a", {"plug-a.json": _framework("plug-a")})
        )

        assert "plug-a" in allykit.available_frameworks()
        assert allykit.load_framework("plug-a").name == "A plugin framework"

    def test_non_json_files_ignored(
        self, tmp_path: Path, fake_plugins: list[EntryPoint]
    ) -> None:
        """Files that do not end in .json are not frameworks."""
        fake_plugins.append(_package(tmp_path, "pkg_b", {"notes.txt": "hello"}))

        sources = allykit.catalog.framework_sources()

        assert set(sources.values()) == {"bundled"}

    def test_unknown_still_suggests(self, fake_plugins: list[EntryPoint]) -> None:
        """An unknown id still raises UnknownFrameworkError."""
        del fake_plugins
        with pytest.raises(UnknownFrameworkError):
            allykit.load_framework("no-such-plugin-framework")


class TestValidation:
    def test_invalid_file_reports_every_problem(
        self, tmp_path: Path, fake_plugins: list[EntryPoint]
    ) -> None:
        """A plugin file goes through the full user-file validation."""
        bad = _framework("bad-one", kind="ladder", citations=[])
        fake_plugins.append(_package(tmp_path, "pkg_c", {"bad-one.json": bad}))

        with pytest.raises(DataFileError) as caught:
            allykit.load_framework("bad-one")

        paths = {problem.path for problem in caught.value.problems}
        assert {"kind", "citations"} <= paths
        assert "pkg_c/bad-one.json" in caught.value.source

    def test_id_must_match_file_name(
        self, tmp_path: Path, fake_plugins: list[EntryPoint]
    ) -> None:
        """The id inside the file must equal the file name."""
        fake_plugins.append(
            _package(tmp_path, "pkg_d", {"named.json": _framework("other-id")})
        )

        with pytest.raises(DataFileError, match="file name"):
            allykit.load_framework("named")

    def test_invalid_json(self, tmp_path: Path, fake_plugins: list[EntryPoint]) -> None:
        """Broken JSON in a plugin file is a DataFileError with a location."""
        fake_plugins.append(_package(tmp_path, "pkg_e", {"broken.json": "{"}))

        with pytest.raises(DataFileError, match="line 1"):
            allykit.load_framework("broken")

    def test_attribute_entry_point_refused(
        self, fake_plugins: list[EntryPoint]
    ) -> None:
        """An entry point naming an object (pkg:attr) is refused with a warning."""
        fake_plugins.append(EntryPoint(name="x", value="os:getcwd"))

        with pytest.warns(PluginWarning, match="no ':attribute' part"):
            allykit.available_frameworks()

    def test_missing_package_warns(self, fake_plugins: list[EntryPoint]) -> None:
        """An entry point whose package cannot be imported is reported, not raised."""
        fake_plugins.append(EntryPoint(name="y", value="no_such_pkg_xyz"))

        with pytest.warns(PluginWarning, match="cannot be used"):
            ids = allykit.available_frameworks()

        assert "ally-model" in ids


class TestShared:
    def test_plugin_shares_from_another_plugin(
        self, tmp_path: Path, fake_plugins: list[EntryPoint]
    ) -> None:
        """A plugin framework uses a prompt another plugin keeps."""
        keeper = _framework("keeper", prompts=[{"id": "p", "text": "Kept."}])
        user = _framework("user", shared=[{"framework": "keeper", "prompts": ["p"]}])
        fake_plugins.append(
            _package(tmp_path, "pkg_s", {"keeper.json": keeper, "user.json": user})
        )

        framework = allykit.load_framework("user")

        assert framework.prompts == allykit.load_framework("keeper").prompts

    def test_sharing_in_a_circle(
        self, tmp_path: Path, fake_plugins: list[EntryPoint]
    ) -> None:
        """Two plugins sharing from each other: reported, not recursed for ever."""
        one = _framework(
            "one",
            prompts=[{"id": "p1", "text": "One."}],
            shared=[{"framework": "two", "prompts": ["p2"]}],
        )
        two = _framework(
            "two",
            prompts=[{"id": "p2", "text": "Two."}],
            shared=[{"framework": "one", "prompts": ["p1"]}],
        )
        fake_plugins.append(
            _package(tmp_path, "pkg_c", {"one.json": one, "two.json": two})
        )

        with pytest.raises(DataFileError) as caught:
            allykit.load_framework("one")

        assert "share in a circle (one -> two -> one)" in str(caught.value)

    def test_sharing_chain_too_deep(
        self, tmp_path: Path, fake_plugins: list[EntryPoint]
    ) -> None:
        """120 frameworks each sharing from the next: an error, never RecursionError.

        The frameworks whose chain is too long fail to load (DataFileError);
        the short ones load; search() and `allykit list` skip the broken with a
        warning and keep everything else, bundled frameworks included.
        """
        from typer.testing import CliRunner

        from allykit.catalog._shared import MAX_DEPTH
        from allykit.cli._app import app

        length = 120
        documents = {
            f"chain-{n}.json": _framework(
                f"chain-{n}",
                prompts=[{"id": f"p{n}", "text": f"Prompt {n}."}],
                shared=[{"framework": f"chain-{n + 1}", "prompts": [f"p{n + 1}"]}]
                if n + 1 < length
                else [],
            )
            for n in range(length)
        }
        fake_plugins.append(_package(tmp_path, "pkg_chain", documents))

        with pytest.raises(DataFileError) as caught:
            allykit.load_framework("chain-0")
        assert f"more than {MAX_DEPTH} frameworks" in str(caught.value)
        # One message at the framework's own path, not one wrapper per level.
        (problem,) = caught.value.problems
        assert problem.path == "shared[0].framework"
        assert "cannot be loaded" not in problem.message
        assert problem.message.count("sharing goes through") == 1
        # The rule holds whatever was loaded before: the deepest loadable
        # framework loads; one more level is refused, keeper cached or not.
        n = length - MAX_DEPTH
        deepest = allykit.load_framework(f"chain-{n}")
        assert [p.id for p in deepest.prompts] == [f"p{n}", f"p{n + 1}"]
        with pytest.raises(DataFileError, match=f"more than {MAX_DEPTH}"):
            allykit.load_framework(f"chain-{n - 1}")
        with warnings.catch_warnings(record=True) as caught_warnings:
            warnings.simplefilter("always")
            hits = allykit.search("prompt", kind="framework")
        skipped = " ".join(str(w.message) for w in caught_warnings)
        assert "'chain-0'" in skipped
        assert f"'chain-{n}'" not in skipped
        assert "chain-0" not in {hit.framework for hit in hits}
        listed = CliRunner().invoke(app, ["list", "--json"], env={"COLUMNS": "200"})
        assert listed.exit_code == 0, listed.output
        ids = {entry["id"] for entry in json.loads(listed.stdout)}
        assert {"ally-model", f"chain-{length - 1}"} <= ids
        assert "chain-0" not in ids


class TestConflicts:
    def test_bundled_wins(self, tmp_path: Path, fake_plugins: list[EntryPoint]) -> None:
        """A plugin cannot replace a bundled framework; the warning names both."""
        fake_plugins.append(
            _package(tmp_path, "pkg_f", {"ally-model.json": _framework("ally-model")})
        )

        with pytest.warns(PluginWarning) as record:
            sources = allykit.catalog.framework_sources()

        message = str(record[0].message)
        assert record[0].filename == __file__  # points at the caller
        assert "'ally-model'" in message
        assert "pkg_f/ally-model.json" in message
        assert "bundled" in message
        assert sources["ally-model"] == "bundled"
        assert allykit.load_framework("ally-model").name == "The ally model"

    def test_first_plugin_wins(
        self, tmp_path: Path, fake_plugins: list[EntryPoint]
    ) -> None:
        """Between plugins, the first in entry-point order wins; both are named."""
        fake_plugins.append(
            _package(tmp_path, "pkg_g", {"same.json": _framework("same", name="G")})
        )
        fake_plugins.append(
            _package(tmp_path, "pkg_h", {"same.json": _framework("same", name="H")})
        )

        with pytest.warns(PluginWarning) as record:
            framework = allykit.load_framework("same")

        message = str(record[0].message)
        assert record[0].filename == __file__  # points at the caller
        assert "pkg_h/same.json" in message
        assert "pkg_g/same.json" in message
        assert framework.name == "G"

    def test_warned_once(self, tmp_path: Path, fake_plugins: list[EntryPoint]) -> None:
        """A conflict is reported once per discovery, not on every call."""
        fake_plugins.append(
            _package(tmp_path, "pkg_i", {"ally-model.json": _framework("ally-model")})
        )
        with pytest.warns(PluginWarning):
            allykit.available_frameworks()

        with warnings.catch_warnings():
            warnings.simplefilter("error")
            allykit.available_frameworks()


class TestThroughImportlibMetadata:
    def test_same_as_importlib_metadata(self) -> None:
        """The safe reads find what importlib.metadata's own reads find."""
        for group in ("allykit.frameworks", "console_scripts"):
            found, notes = _distribution.entry_points_of(group)

            assert notes == []
            ours = sorted((p.name, p.value) for p in found)
            theirs = sorted((p.name, p.value) for p in entry_points(group=group))
            assert ours == theirs

    def test_zip_on_the_path_is_read_alike(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A distribution in a zip archive on sys.path is found and its files read."""
        archive = tmp_path / "plugins.zip"
        document = json.dumps(_framework("plug-zipped"))
        with zipfile.ZipFile(archive, "w") as written:
            written.writestr("zipped_pkg/__init__.py", "")
            written.writestr("zipped_pkg/data/__init__.py", "")
            written.writestr("zipped_pkg/data/plug-zipped.json", document)
            info = "zipped-1.0.dist-info"
            written.writestr(
                f"{info}/METADATA",
                "Metadata-Version: 2.1\nName: zipped\nVersion: 1.0\n",
            )
            written.writestr(
                f"{info}/entry_points.txt",
                "[allykit.frameworks]\nz = zipped_pkg.data\n",
            )
            written.writestr(
                f"{info}/RECORD",
                "zipped_pkg/__init__.py,,\nzipped_pkg/data/plug-zipped.json,,\n",
            )
        monkeypatch.syspath_prepend(str(archive))
        allykit.clear_cache()
        try:
            found, notes = _distribution.entry_points_of("allykit.frameworks")
            assert notes == []
            assert [(p.distribution, p.value) for p in found if p.name == "z"] == [
                ("zipped 1.0", "zipped_pkg.data")
            ]
            assert "plug-zipped" in allykit.available_frameworks()
            assert allykit.load_framework("plug-zipped").name == "A plugin framework"
        finally:
            allykit.clear_cache()

    def test_not_an_archive_on_the_path(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file on sys.path that is no zip archive is passed over, silently."""
        archive = tmp_path / "some.zip"
        archive.write_bytes(b"PK")
        monkeypatch.syspath_prepend(str(archive))

        _, notes = _distribution.entry_points_of("allykit.frameworks")

        assert notes == []


class TestInstrumentPlugins:
    def test_listed_loaded_and_sourced(
        self, tmp_path: Path, fake_instruments: list[EntryPoint]
    ) -> None:
        """A package in allykit.models.instrument contributes its <id>.json files."""
        fake_instruments.append(
            _package(tmp_path, "inst_a", {"plug-inv.json": _instrument("plug-inv")})
        )

        assert "plug-inv" in allykit.available_instruments()
        assert allykit.catalog.instrument_sources()["plug-inv"].endswith(
            "inst_a/plug-inv.json"
        )
        instrument = allykit.load_instrument("plug-inv")
        assert instrument.scale("act").stage == "action"
        assert allykit.load_instrument("plug-inv") is instrument
        assert allykit.catalog.get_instrument("plug-inv") is instrument

    def test_groups_are_separate(
        self, tmp_path: Path, fake_groups: dict[str, list[EntryPoint]]
    ) -> None:
        """A framework package is not read as instruments, nor the other way."""
        fake_groups["allykit.frameworks"].append(
            _package(tmp_path, "frm_b", {"only-frm.json": _framework("only-frm")})
        )
        fake_groups["allykit.instruments"].append(
            _package(tmp_path, "inst_b", {"only-inst.json": _instrument("only-inst")})
        )

        assert "only-frm" not in allykit.available_instruments()
        assert "only-inst" not in allykit.available_frameworks()
        with pytest.raises(allykit.UnknownDocumentError, match="instrument"):
            allykit.load_instrument("only-frm")

    def test_bundled_wins(
        self, tmp_path: Path, fake_instruments: list[EntryPoint]
    ) -> None:
        """A plugin cannot replace a bundled instrument; the warning names both."""
        same = "ally-model-reflection"
        fake_instruments.append(
            _package(tmp_path, "inst_c", {f"{same}.json": _instrument(same)})
        )

        with pytest.warns(PluginWarning) as record:
            sources = allykit.catalog.instrument_sources()

        message = str(record[0].message)
        assert record[0].filename == __file__  # points at the caller
        assert f"instruments id '{same}'" in message
        assert f"inst_c/{same}.json" in message
        assert "bundled" in message
        assert sources[same] == "bundled"
        assert len(allykit.load_instrument(same).items) == 20

    def test_first_plugin_wins(
        self, tmp_path: Path, fake_instruments: list[EntryPoint]
    ) -> None:
        """Between plugins, the first in entry-point order wins; both are named."""
        fake_instruments.append(
            _package(tmp_path, "inst_d", {"dup.json": _instrument("dup", name="D")})
        )
        fake_instruments.append(
            _package(tmp_path, "inst_e", {"dup.json": _instrument("dup", name="E")})
        )

        with pytest.warns(PluginWarning) as record:
            instrument = allykit.load_instrument("dup")

        message = str(record[0].message)
        assert record[0].filename == __file__  # points at the caller
        assert "inst_e/dup.json" in message
        assert "inst_d/dup.json" in message
        assert instrument.name == "D"

    def test_invalid_file_reports_every_problem(
        self, tmp_path: Path, fake_instruments: list[EntryPoint]
    ) -> None:
        """A plugin instrument gets the checks of load_instrument_file."""
        bad = _instrument(
            "bad-inv",
            citations=[],
            scales=[{"id": "act", "name": "Act", "items": ["a", "zz"]}],
        )
        fake_instruments.append(_package(tmp_path, "inst_f", {"bad-inv.json": bad}))
        file_problems = _problems_of_file(tmp_path / "inst_f" / "bad-inv.json")

        with pytest.raises(DataFileError) as caught:
            allykit.load_instrument("bad-inv")

        paths = [problem.path for problem in caught.value.problems]
        assert "citations" in paths
        assert "scales[0].items[1]" in paths
        assert paths == file_problems
        assert "inst_f/bad-inv.json" in caught.value.source

    def test_checked_against_its_framework(
        self, tmp_path: Path, fake_instruments: list[EntryPoint]
    ) -> None:
        """Stage ids are checked against the framework the instrument names."""
        bad = _instrument(
            "bad-stage",
            scales=[{"id": "act", "name": "Act", "items": ["a"], "stage": "actoin"}],
        )
        fake_instruments.append(_package(tmp_path, "inst_g", {"bad-stage.json": bad}))

        with pytest.raises(DataFileError) as caught:
            allykit.load_instrument("bad-stage")

        assert "scales[0].stage" in [p.path for p in caught.value.problems]

    def test_id_must_match_file_name(
        self, tmp_path: Path, fake_instruments: list[EntryPoint]
    ) -> None:
        """The id inside the file must equal the file name."""
        fake_instruments.append(
            _package(tmp_path, "inst_h", {"named.json": _instrument("other")})
        )

        with pytest.raises(DataFileError, match="file name") as caught:
            allykit.load_instrument("named")

        assert caught.value.problems[0].path == "id"

    def test_invalid_json_has_location(
        self, tmp_path: Path, fake_instruments: list[EntryPoint]
    ) -> None:
        """Broken JSON in a plugin instrument names its line and column."""
        fake_instruments.append(
            _package(tmp_path, "inst_i", {"broken.json": '{"id": "broken",'})
        )

        with pytest.raises(DataFileError) as caught:
            allykit.load_instrument("broken")

        assert caught.value.problems[0].path.startswith("line 1, column")

    def test_loading_bundled_reads_no_entry_points(self) -> None:
        """Importing the modules and loading bundled data never scans plugins."""
        import subprocess
        import sys

        code = (
            "import sys, allykit, allykit.models.instrument, allykit.crosswalks\n"
            "allykit.load_instrument('ally-model-reflection')\n"
            "allykit.catalog.load_crosswalk('ally-model-to-becoming-an-ally')\n"
            "print('allykit.catalog._plugins' in sys.modules)"
        )
        out = subprocess.run(  # noqa: S603 -- our own interpreter, fixed code
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()

        assert out == "False"

    def test_thread_safe_single_instance(
        self, tmp_path: Path, fake_instruments: list[EntryPoint]
    ) -> None:
        """Many threads discovering and loading at once get the one object."""
        fake_instruments.append(
            _package(tmp_path, "inst_j", {"shared.json": _instrument("shared")})
        )
        barrier = threading.Barrier(8)
        results: list[object] = []

        def worker() -> None:
            barrier.wait()
            results.append(allykit.load_instrument("shared"))

        threads = [threading.Thread(target=worker) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert len(results) == 8
        assert all(result is results[0] for result in results)


class TestCrosswalkPlugins:
    def test_listed_loaded_and_used(
        self, tmp_path: Path, fake_groups: dict[str, list[EntryPoint]]
    ) -> None:
        """A package in allykit.crosswalks adds links that the queries use."""
        fake_groups["allykit.crosswalks"].append(
            _package(tmp_path, "walk_a", {"plug-walk.json": _crosswalk("plug-walk")})
        )

        assert allykit.catalog.crosswalk_sources()["plug-walk"].endswith(
            "walk_a/plug-walk.json"
        )
        walks = allykit.crosswalks.crosswalks_between(
            "spectrum-of-allies", "ally-model"
        )
        assert [walk.id for walk in walks] == ["plug-walk"]
        mapped = allykit.map_stage("ally-model", "action", "spectrum-of-allies")
        assert [m.stage for m in mapped] == ["active-support"]

    def test_invalid_one_skipped_by_queries(
        self, tmp_path: Path, fake_groups: dict[str, list[EntryPoint]]
    ) -> None:
        """A broken plugin crosswalk raises when loaded and is skipped by queries."""
        bad = _crosswalk("bad-walk", links=[])
        fake_groups["allykit.crosswalks"].append(
            _package(tmp_path, "walk_b", {"bad-walk.json": bad})
        )

        with pytest.raises(DataFileError) as caught:
            allykit.catalog.load_crosswalk("bad-walk")
        assert "links" in [p.path for p in caught.value.problems]
        with pytest.warns(PluginWarning, match="'bad-walk' is skipped") as record:
            walks = allykit.crosswalks.crosswalks_between(
                "ally-model", "becoming-an-ally"
            )
        assert [walk.id for walk in walks] == ["ally-model-to-becoming-an-ally"]
        assert record[0].filename == __file__  # points at the caller


def _problems_of_file(path: Path) -> list[str]:
    """The problem paths that load_instrument_file reports for *path*."""
    with pytest.raises(DataFileError) as caught:
        allykit.load_instrument_file(path)
    return [problem.path for problem in caught.value.problems]


class TestBrokenPluginInTheCommand:
    def test_list_shows_the_valid_and_names_the_broken(
        self, tmp_path: Path, fake_plugins: list[EntryPoint]
    ) -> None:
        """One invalid plugin file never hides the rest of `allykit list`."""
        from typer.testing import CliRunner

        from allykit.cli._app import app

        fake_plugins.append(
            _package(
                tmp_path,
                "pkg_mixed",
                {
                    "good-one.json": _framework("good-one"),
                    "bad-one.json": _framework("bad-one", kind="ladder"),
                },
            )
        )

        result = CliRunner().invoke(
            app, ["list", "--json"], env={"COLUMNS": "200"}, catch_exceptions=False
        )

        assert result.exit_code == 0
        ids = [row["id"] for row in json.loads(result.stdout)]
        assert "good-one" in ids
        assert "ally-model" in ids
        assert "bad-one" not in ids
        assert "skipped" in result.stderr
        assert "pkg_mixed/bad-one.json" in result.stderr
