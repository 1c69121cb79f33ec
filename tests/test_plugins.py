"""Tests for frameworks contributed by installed packages through entry points."""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pytest

import allykit
from allykit import DataFileError, PluginWarning, UnknownFrameworkError, _plugins
from allykit._plugins import EntryPointInfo as EntryPoint

EXAMPLE_ID = "example-pause-ask-act"


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


@pytest.fixture(name="fake_plugins")
def _fake_plugins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[list[EntryPoint]]:
    """Replace the installed entry points with ones the test builds."""
    points: list[EntryPoint] = []
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(_plugins, "_entry_points", lambda _group: list(points))
    allykit.clear_cache()
    yield points
    allykit.clear_cache()


class TestExamplePlugin:
    @needs_example
    def test_discovered(self) -> None:
        """The installed example package's framework is listed and sourced."""
        assert EXAMPLE_ID in allykit.available_frameworks()
        source = allykit.framework_sources()[EXAMPLE_ID]
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


class TestDiscovery:
    def test_lazy(self) -> None:
        """Importing allykit does not import importlib.metadata for plugins."""
        import subprocess
        import sys

        code = "import sys, allykit; print('allykit._plugins' in sys.modules)"
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

        sources = allykit.framework_sources()

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


class TestConflicts:
    def test_bundled_wins(self, tmp_path: Path, fake_plugins: list[EntryPoint]) -> None:
        """A plugin cannot replace a bundled framework; the warning names both."""
        fake_plugins.append(
            _package(tmp_path, "pkg_f", {"ally-model.json": _framework("ally-model")})
        )

        with pytest.warns(PluginWarning) as record:
            sources = allykit.framework_sources()

        message = str(record[0].message)
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


class TestFastScan:
    def test_same_as_importlib_metadata(self) -> None:
        """Reading dist-info folders finds what importlib.metadata finds."""
        for group in ("allykit.frameworks", "console_scripts"):
            fast = _plugins._scan_path(group)

            assert fast is not None
            key = sorted((p.distribution, p.name, p.value) for p in fast)
            slow = _plugins._metadata_scan(group)
            assert key == sorted((p.distribution, p.name, p.value) for p in slow)

    def test_zip_on_path_falls_back(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A file (such as a zip) on sys.path makes the scan defer to importlib."""
        archive = tmp_path / "some.zip"
        archive.write_bytes(b"PK")
        monkeypatch.syspath_prepend(str(archive))

        assert _plugins._scan_path("allykit.frameworks") is None
