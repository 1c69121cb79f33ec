"""Plugins are data: real ``*.dist-info`` folders in a temporary site folder.

Each test installs distributions the way pip leaves them on disk (package
files, ``METADATA``, ``entry_points.txt``, ``RECORD``) in a folder put on
:data:`sys.path`, so discovery reads them exactly as it reads installed
packages. Nothing a plugin package holds may ever run: packages whose
``__init__`` writes a marker file, raises ``SystemExit`` or hangs are found
and read without being imported.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import allykit
from allykit import catalog
from allykit.catalog import _plugins, _store
from allykit.errors import DataFileError, PluginWarning

GROUP = "allykit.frameworks"


def _framework(framework_id: str) -> dict[str, Any]:
    return {
        "id": framework_id,
        "name": "A plugin framework",
        "summary": "Written for the tests.",
        "kind": "stage-model",
        "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "stages": [{"id": "one", "name": "One", "position": 1, "summary": "One."}],
    }


def _install(  # noqa: PLR0913 -- one argument per part of an installed distribution
    site: Path,
    name: str,
    *,
    files: Mapping[str, str | bytes],
    entry_points: str | bytes,
    metadata: str | bytes | None = None,
    extra_record: tuple[str, ...] = (),
) -> Path:
    """Write distribution *name* 1.0 into *site* as pip would; return its dist-info."""
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    record = []
    for relative, content in files.items():
        path = site / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        record.append(f"{relative},,")
    if metadata is None:
        metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\n"
    for file_name, content in (
        ("METADATA", metadata),
        ("entry_points.txt", entry_points),
    ):
        if isinstance(content, bytes):
            (info / file_name).write_bytes(content)
        else:
            (info / file_name).write_text(content, encoding="utf-8")
    record.extend(extra_record)
    record.extend(f"{info.name}/{part},," for part in ("METADATA", "RECORD"))
    (info / "RECORD").write_text("\n".join(record) + "\n", encoding="utf-8")
    return info


def _editable(info: Path, project: Path) -> None:
    """Record *info*'s distribution as an editable install of *project* (PEP 610)."""
    (info / "direct_url.json").write_text(
        json.dumps({"url": project.as_uri(), "dir_info": {"editable": True}}),
        encoding="utf-8",
    )


def _plain_package(package: str, ids: tuple[str, ...] = ()) -> dict[str, str]:
    files = {f"{package}/__init__.py": "", f"{package}/data/__init__.py": ""}
    for item_id in ids:
        files[f"{package}/data/{item_id}.json"] = json.dumps(_framework(item_id))
    return files


@pytest.fixture(name="site")
def _site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    allykit.clear_cache()
    yield folder
    allykit.clear_cache()


def _discover() -> tuple[tuple[str, ...], list[str]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ids = catalog.available_frameworks()
    return ids, [str(w.message) for w in caught if w.category is PluginWarning]


class TestNothingRuns:
    def test_marker_package_is_read_never_imported(
        self, site: Path, tmp_path: Path
    ) -> None:
        """Listing and loading never import the package (its __init__ leaves a file)."""
        marker = tmp_path / "imported.txt"
        write = f"open({str(marker)!r}, 'w').write('ran')\n"
        _install(
            site,
            "marker-plugin",
            files={
                "marker_pkg/__init__.py": write,
                "marker_pkg/data/__init__.py": write,
                "marker_pkg/data/plug-marker.json": json.dumps(
                    _framework("plug-marker")
                ),
            },
            entry_points=f"[{GROUP}]\nmine = marker_pkg.data\n",
        )

        ids, notes = _discover()
        loaded = catalog.load_framework("plug-marker")
        catalog.framework_sources()

        assert "plug-marker" in ids
        assert loaded.id == "plug-marker"
        assert notes == []
        assert not marker.exists()
        assert "marker_pkg" not in sys.modules

    def test_system_exit_package_is_not_run(self, site: Path) -> None:
        """A package whose __init__ raises SystemExit is read, not run."""
        files = _plain_package("exiting_pkg", ("plug-exit",))
        files["exiting_pkg/__init__.py"] = "raise SystemExit(3)\n"
        files["exiting_pkg/data/__init__.py"] = "raise SystemExit(4)\n"
        _install(
            site,
            "exiting",
            files=files,
            entry_points=f"[{GROUP}]\nx = exiting_pkg.data\n",
        )

        ids, _ = _discover()

        assert "plug-exit" in ids
        assert catalog.load_framework("plug-exit").id == "plug-exit"

    def test_hanging_package_is_not_run(self, site: Path) -> None:
        """A package whose __init__ would hang is read, not run (in a subprocess)."""
        files = _plain_package("hanging_pkg", ("plug-hang",))
        files["hanging_pkg/__init__.py"] = "import time\ntime.sleep(3600)\n"
        _install(
            site,
            "hanging",
            files=files,
            entry_points=f"[{GROUP}]\nh = hanging_pkg.data\n",
        )
        code = (
            "import sys; sys.path.insert(0, sys.argv[1]); import allykit.catalog as c; "
            "print(c.load_framework('plug-hang').id)"
        )

        done = subprocess.run(  # noqa: S603 -- our own interpreter, our own code
            [sys.executable, "-c", code, str(site)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == "plug-hang"


class TestOwnPackagesOnly:
    def test_standard_library_module_refused(self, site: Path) -> None:
        """An entry point naming a standard-library module is refused with a warning."""
        _install(
            site,
            "stdlib-thief",
            files=_plain_package("thief_pkg"),
            entry_points=f"[{GROUP}]\nj = json\nx = xmlrpc\n",
        )
        before = "xmlrpc" in sys.modules

        ids, notes = _discover()

        assert "ally-model" in ids
        assert len([n for n in notes if n.startswith("stdlib-thief 1.0")]) == 2
        assert all("not one its distribution installs" in n for n in notes)
        assert ("xmlrpc" in sys.modules) == before

    def test_another_distributions_package_refused(self, site: Path) -> None:
        """An entry point may not name a package of another distribution."""
        _install(
            site,
            "owner",
            files=_plain_package("owned_pkg", ("plug-owned",)),
            entry_points="[console_scripts]\nnothing = owned_pkg:main\n",
        )
        _install(
            site,
            "borrower",
            files=_plain_package("borrower_pkg"),
            entry_points=f"[{GROUP}]\nb = owned_pkg.data\n",
        )

        ids, notes = _discover()

        assert "plug-owned" not in ids
        assert any(n.startswith("borrower 1.0") and "owned_pkg" in n for n in notes)

    def test_editable_install_through_a_pth_folder(
        self, site: Path, tmp_path: Path
    ) -> None:
        """An editable install's package, in a folder its .pth adds, is its own."""
        source = tmp_path / "project" / "src"
        for relative, content in _plain_package("edit_pkg", ("plug-edit",)).items():
            (source / relative).parent.mkdir(parents=True, exist_ok=True)
            (source / relative).write_text(content, encoding="utf-8")
        (site / "_edit.pth").write_text(f"{source}\n", encoding="utf-8")
        _install(
            site,
            "edit",
            files={},
            entry_points=f"[{GROUP}]\ne = edit_pkg.data\n",
            extra_record=("_edit.pth,,",),
        )

        _editable(site / "edit-1.0.dist-info", tmp_path / "project")

        ids, notes = _discover()

        assert "plug-edit" in ids, notes

    def test_editable_flat_project_holding_the_environment(
        self, site: Path, tmp_path: Path
    ) -> None:
        """A flat project whose .pth names its own root counts, venv inside or not.

        The site folder lies inside the project (a ``.venv`` in the project
        folder is common); the project's packages are still its own.
        """
        for relative, content in _plain_package("flat_pkg", ("plug-flat",)).items():
            (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / relative).write_text(content, encoding="utf-8")
        (site / "_flat.pth").write_text(f"{tmp_path}\n", encoding="utf-8")
        info = _install(
            site,
            "flat",
            files={},
            entry_points=f"[{GROUP}]\nf = flat_pkg.data\n",
            extra_record=("_flat.pth,,",),
        )
        _editable(info, tmp_path)

        ids, notes = _discover()

        assert "plug-flat" in ids, notes

    @pytest.mark.parametrize(
        "where",
        ["stdlib", "site", "other", "not-editable", "root-project", "stdlib-parent"],
    )
    def test_pth_folder_outside_the_install_location(
        self, site: Path, tmp_path: Path, where: str
    ) -> None:
        """A .pth folder gives no claim outside the distribution's install location.

        Not the standard library, not the site folder itself (every
        package installed there), not another project's folder, and not
        for an install that is not editable.
        """
        other = tmp_path / "other-project" / "src"
        for relative, content in _plain_package("other_pkg", ("plug-other",)).items():
            (other / relative).parent.mkdir(parents=True, exist_ok=True)
            (other / relative).write_text(content, encoding="utf-8")
        _install(
            site,
            "neighbour",
            files=_plain_package("neighbour_pkg", ("plug-neighbour",)),
            entry_points="[console_scripts]\nnothing = neighbour_pkg:main\n",
        )
        folder, value = {
            "stdlib": (Path(os.__file__).parent, "json"),
            "site": (site, "neighbour_pkg.data"),
            "other": (other, "other_pkg.data"),
            "not-editable": (other, "other_pkg.data"),
            "root-project": (Path(os.__file__).parent, "json"),
            "stdlib-parent": (Path(os.__file__).parent, "json"),
        }[where]
        (site / "_claim.pth").write_text(f"{folder}\n", encoding="utf-8")
        info = _install(
            site,
            "claimer",
            files={},
            entry_points=f"[{GROUP}]\nc = {value}\n",
            extra_record=("_claim.pth,,",),
        )
        if where == "root-project":
            _editable(info, Path(Path(os.__file__).anchor))
        elif where == "stdlib-parent":
            _editable(info, Path(os.__file__).parent.parent)
        elif where != "not-editable":
            (tmp_path / "claimer-project").mkdir()
            _editable(info, tmp_path / "claimer-project")

        ids, notes = _discover()

        assert not {"plug-other", "plug-neighbour"} & set(ids)
        assert any(n.startswith("claimer 1.0") and "cannot be used" in n for n in notes)


class TestOddMetadataNeverFails:
    def test_undecodable_entry_points(self, site: Path) -> None:
        """An entry_points.txt that is not UTF-8 is reported; the rest keeps working."""
        _install(
            site,
            "garbled",
            files=_plain_package("garbled_pkg", ("plug-garbled",)),
            entry_points=f"[{GROUP}]\ng = garbled_pkg.data\n\xff\xfe".encode("latin-1"),
        )
        _install(
            site,
            "fine",
            files=_plain_package("fine_pkg", ("plug-fine",)),
            entry_points=f"[{GROUP}]\nf = fine_pkg.data\n",
        )

        ids, notes = _discover()

        assert "plug-fine" in ids
        assert "plug-garbled" not in ids
        assert any(n.startswith("garbled 1.0") and "not UTF-8" in n for n in notes)

    def test_undecodable_metadata(self, site: Path) -> None:
        """A METADATA that is not UTF-8 is reported; the plugin keeps its name."""
        _install(
            site,
            "oddmeta",
            files=_plain_package("oddmeta_pkg", ("plug-oddmeta",)),
            entry_points=f"[{GROUP}]\no = oddmeta_pkg.data\n",
            metadata=b"Metadata-Version: 2.1\nName: \xff\xfe\nVersion: 1.0\n\n",
        )

        ids, notes = _discover()

        assert "plug-oddmeta" in ids
        assert any(n.startswith("oddmeta 1.0") and "METADATA" in n for n in notes)

    def test_comment_mentioning_the_group(self, site: Path) -> None:
        """A comment that mentions the group is a comment, not a section."""
        _install(
            site,
            "commented",
            files=_plain_package("commented_pkg", ("plug-commented",)),
            entry_points=(
                f"# [{GROUP}] would add frameworks\n[console_scripts]\nc = a:b\n"
            ),
        )

        ids, notes = _discover()

        assert "ally-model" in ids
        assert "plug-commented" not in ids
        assert notes == []

    def test_repeated_entry_name(self, site: Path) -> None:
        """A repeated entry point name is reported, and the first is used."""
        _install(
            site,
            "repeated",
            files=_plain_package("repeated_pkg", ("plug-repeated",)),
            entry_points=(
                f"[{GROUP}]\nsame = repeated_pkg.data\nsame = repeated_pkg.other\n"
            ),
        )

        ids, notes = _discover()

        assert "plug-repeated" in ids
        assert any(
            n.startswith("repeated 1.0") and "more than once" in n for n in notes
        )
        bundled = _store.bundled_ids("frameworks")
        assert _plugins.problems("frameworks", bundled) == tuple(notes)
        assert _store.plugin_problems("frameworks") == tuple(notes)

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
    def test_special_files_never_hang(self, site: Path) -> None:
        """Named pipes among the metadata or data files are skipped, never opened."""
        info = _install(
            site,
            "piped",
            files=_plain_package("piped_pkg", ("plug-piped",)),
            entry_points=f"[{GROUP}]\np = piped_pkg.data\n",
        )
        os.mkfifo(site / "piped_pkg" / "data" / "plug-fifo.json")
        fifo_info = info.parent / "fifo-1.0.dist-info"
        fifo_info.mkdir()
        os.mkfifo(fifo_info / "entry_points.txt")

        ids, _ = _discover()

        assert "plug-piped" in ids
        assert "plug-fifo" not in ids


class TestPluginFilesAreCapped:
    def test_big_file_refused_at_the_cap(self, site: Path) -> None:
        """A plugin file past the cap is refused, and never read past it."""
        files = _plain_package("big_pkg")
        document = _framework("plug-big")
        document["summary"] = "x" * (3 * 1024 * 1024)
        files["big_pkg/data/plug-big.json"] = json.dumps(document)
        _install(
            site, "big", files=files, entry_points=f"[{GROUP}]\nb = big_pkg.data\n"
        )
        reads: list[int] = []
        original = _plugins._File.read_bytes

        def spy(self: Any, limit: int) -> bytes:
            reads.append(limit)
            return original(self, limit)

        ids, _ = _discover()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(_plugins._File, "read_bytes", spy)
            with pytest.raises(DataFileError, match="larger than the limit"):
                catalog.load_framework("plug-big")

        assert "plug-big" in ids
        assert reads == [2 * 1024 * 1024 + 1]


class TestOneBrokenFileHidesNothing:
    def _install_mixed(self, site: Path) -> None:
        files = _plain_package("mixed_pkg", ("plug-good",))
        bad = _framework("plug-bad")
        bad["kind"] = "ladder"
        files["mixed_pkg/data/plug-bad.json"] = json.dumps(bad)
        _install(
            site, "mixed", files=files, entry_points=f"[{GROUP}]\nm = mixed_pkg.data\n"
        )

    def test_search_keeps_the_valid(self, site: Path) -> None:
        """search() skips the invalid plugin framework (warning), keeps the rest."""
        self._install_mixed(site)

        with pytest.warns(PluginWarning, match="plug-bad"):
            hits = allykit.search("plugin framework", kind="framework")

        frameworks = [hit.framework for hit in hits]
        assert "plug-good" in frameworks
        assert "plug-bad" not in frameworks

    def test_search_and_list_commands_exit_zero(self, site: Path) -> None:
        """`allykit search` and `allykit list` list the valid, name the broken."""
        from typer.testing import CliRunner

        from allykit.cli._app import app

        self._install_mixed(site)
        runner = CliRunner()
        env = {"COLUMNS": "200"}

        found = runner.invoke(app, ["search", "plugin framework", "--json"], env=env)
        listed = runner.invoke(app, ["list", "--json"], env=env)

        assert found.exit_code == 0, found.output
        frameworks = [hit["framework"] for hit in json.loads(found.stdout)]
        assert "plug-good" in frameworks
        assert "plug-bad" not in frameworks
        assert "warning" in found.stderr
        assert "plug-bad" in found.stderr
        assert listed.exit_code == 0, listed.output
        ids = [row["id"] for row in json.loads(listed.stdout)]
        assert "plug-good" in ids
        assert "plug-bad" not in ids
        assert "plug-bad" in listed.stderr
