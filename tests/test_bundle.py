"""The catalogue bundle for npm projects: contents, reproducibility, refusals.

The Node tools' own checks (tsc, ajv, npm pack) are in test_bundle_node.py;
these need Python only.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterator
from importlib.metadata import version as dist_version
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings

import allykit
from allykit import DataFileError, Framework
from allykit.bundle import (
    DEFAULT_NAME,
    SCHEMA_FILES,
    TYPE_FILES,
    build_bundle,
    index_json_schema,
    write_bundle,
)
from allykit.catalog import KINDS, _plugins, _resources
from allykit.catalog._plugins import EntryPointInfo as EntryPoint
from allykit.catalog._store import bundled_ids, load
from allykit.errors import InvalidArgumentError
from allykit.outputs import write_text_atomic
from allykit.testing import frameworks

_ALLYKIT_VERSION = dist_version("allykit-frameworks")


def _framework(framework_id: str, **changes: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": framework_id,
        "name": "My own framework",
        "summary": "Written for the tests.",
        "kind": "stage-model",
        "licence": {"spdx": "MIT", "note": "Written for the tests."},
        "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
        "stages": [{"id": "one", "name": "One", "position": 1, "summary": "One."}],
    }
    document.update(changes)
    return document


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def _tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module", name="default")
def _default() -> allykit.bundle.Bundle:
    return build_bundle()


class TestContents:
    def test_every_bundled_document_once(self, default: allykit.bundle.Bundle) -> None:
        """One file per bundled document of every kind, and an index entry each."""
        expected = {
            f"{kind.folder}/{item_id}.json"
            for kind in KINDS.values()
            for item_id in bundled_ids(kind.folder)
        }
        paths = [entry["path"] for entry in default.documents]

        assert sorted(paths) == sorted(expected)
        assert len(paths) == len(set(paths))
        assert expected <= set(default.files)

    def test_index_matches_each_document(self, default: allykit.bundle.Bundle) -> None:
        """Hash, SHA-256, version, licence and citations agree with the library."""
        for entry in default.documents:
            kind = KINDS[entry["kind"]]
            document = load(kind, entry["id"])
            data = document.to_dict()
            raw = default.files[entry["path"]]

            assert entry["content_hash"] == document.content_hash
            assert entry["sha256"] == hashlib.sha256(raw).hexdigest()
            assert entry["version"] == data.get("data_version", data.get("version"))
            assert entry["licence"] == data["licence"]
            cited = data.get("citations", [data.get("citation")])
            assert entry["citations"] == cited
            assert entry["source"] == "bundled"
            assert entry["name"] == data["name"]

    def test_documents_rebuild_equal(self, default: allykit.bundle.Bundle) -> None:
        """Each file is the document's file format: it loads back to an equal object."""
        for entry in default.documents:
            kind = KINDS[entry["kind"]]
            data = json.loads(default.files[entry["path"]])

            assert data["$schema"] == f"../schemas/{SCHEMA_FILES[kind.name]}"
            assert kind.cls().from_dict(data) == load(kind, entry["id"])

    def test_documents_match_their_schemas(
        self, default: allykit.bundle.Bundle
    ) -> None:
        """Every document, and the index, is valid under the schema it ships with."""
        schemas = {
            kind: json.loads(default.files[path])
            for kind, path in default.index["schemas"].items()
        }
        for schema in schemas.values():
            jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(default.index, schemas["bundle-index"])
        for entry in default.documents:
            document = json.loads(default.files[entry["path"]])
            jsonschema.validate(document, schemas[entry["kind"]])

    def test_schemas_and_types_are_the_committed_files(
        self, default: allykit.bundle.Bundle
    ) -> None:
        """The bundle ships the package's committed schemas and declarations."""
        for name in SCHEMA_FILES.values():
            committed = _resources.read_schema(name).encode()
            assert default.files[f"schemas/{name}"] == committed
        for name in TYPE_FILES:
            committed = _resources.read_package_file("types", name).encode()
            assert default.files[f"types/{name}"] == committed
        assert "export type { AllykitFramework }" in default.files[
            "types/index.d.ts"
        ].decode("utf-8")

    def test_committed_index_schema(self) -> None:
        """The committed index schema is index_json_schema() (generate_schemas.py)."""
        committed = json.loads(_resources.read_schema("bundle-index.schema.json"))

        assert committed == index_json_schema()

    def test_index_schema_shares_the_document_formats(self) -> None:
        """The index schema's Citation and Licence are the file formats' own."""
        index = json.loads(_resources.read_schema("bundle-index.schema.json"))
        for name in ("framework", "instrument", "crosswalk", "scale"):
            schema = json.loads(_resources.read_schema(SCHEMA_FILES[name]))
            for definition in ("Citation", "Licence"):
                assert index["$defs"][definition] == schema["$defs"][definition]
        kinds = index["$defs"]["BundleDocument"]["properties"]["kind"]["enum"]
        assert kinds == list(KINDS)
        assert sorted(index["properties"]["schemas"]["required"]) == sorted(
            SCHEMA_FILES
        )

    def test_package_json(self, default: allykit.bundle.Bundle) -> None:
        """Name, version, licence and the declarations' entry point."""
        package = json.loads(default.files["package.json"])
        spdx = sorted({e["licence"]["spdx"] for e in default.documents})

        assert package["name"] == DEFAULT_NAME
        assert package["version"] == _ALLYKIT_VERSION
        assert package["license"] == " AND ".join(spdx)
        assert package["license"] == default.licence == default.index["licence"]
        assert package["types"].removeprefix("./") in default.files
        assert package["exports"]["."]["types"] == package["types"]
        assert "dependencies" not in package  # nothing fetched at run time
        for listed in package["files"]:
            assert any(path.split("/")[0] == listed for path in default.files)

    def test_licence_file_names_every_document(
        self, default: allykit.bundle.Bundle
    ) -> None:
        """LICENCE.md gives each document's licence and attribution."""
        text = default.files["LICENCE.md"].decode("utf-8")
        for entry in default.documents:
            assert f"`{entry['path']}`" in text

    def test_plain_portable_bytes(self, default: allykit.bundle.Bundle) -> None:
        """UTF-8, LF line ends, a final newline, and no path of this machine."""
        here = re.escape(str(Path(allykit.__file__).parent.parent))
        for path, data in default.files.items():
            text = data.decode("utf-8")

            assert "\r" not in text, path
            assert text.endswith("\n"), path
            assert not re.search(here, text), path
            assert not path.startswith("/")
            assert ".." not in path.split("/")


class TestReproducible:
    def test_two_builds_write_the_same_bytes(self, tmp_path: Path) -> None:
        """Two folders written in turn are byte for byte the same."""
        write_bundle(tmp_path / "a")
        allykit.clear_cache()  # a fresh read of the data changes nothing
        write_bundle(tmp_path / "b")
        first, second = _tree(tmp_path / "a"), _tree(tmp_path / "b")

        assert first == second
        assert len(first) > 40

    def test_written_files_are_the_bundle(self, tmp_path: Path) -> None:
        """The folder holds exactly the bundle's files, nothing more."""
        bundle = write_bundle(tmp_path / "out")

        assert _tree(tmp_path / "out") == dict(bundle.files)

    def test_with_a_file_twice_the_same(self, tmp_path: Path) -> None:
        """A bundle with the caller's file is reproducible too."""
        mine = _write(tmp_path / "mine.json", _framework("my-model"))
        first = build_bundle(files=[mine])
        second = build_bundle(files=[mine])

        assert first.files == second.files
        assert first.version == second.version


class TestOwnFiles:
    def test_own_framework_joins_the_bundle(self, tmp_path: Path) -> None:
        """The caller's file joins its kind's folder, named by its file name only."""
        mine = _write(tmp_path / "mine.json", _framework("my-model"))
        bundle = build_bundle(files=[mine])
        entry = next(e for e in bundle.documents if e["id"] == "my-model")

        assert entry["source"] == "file: mine.json"
        assert entry["path"] == "frameworks/my-model.json"
        assert "frameworks/my-model.json" in bundle.files
        assert str(tmp_path) not in bundle.files["index.json"].decode()

    def test_version_and_licence_follow_the_content(self, tmp_path: Path) -> None:
        """Extra documents: build metadata on the version, their licence added."""
        mine = _write(tmp_path / "mine.json", _framework("my-model"))
        other = _write(
            tmp_path / "other.json", _framework("my-model", summary="Changed.")
        )
        first = build_bundle(files=[mine])
        second = build_bundle(files=[other])

        assert first.version.startswith(f"{_ALLYKIT_VERSION}+custom.")
        assert first.version != second.version
        catalogue = build_bundle().licence.split(" AND ")
        assert first.licence == " AND ".join(sorted({*catalogue, "MIT"}))

    def test_no_spdx_id_points_to_the_licence_file(self, tmp_path: Path) -> None:
        """A document without an SPDX id makes the licence field point to LICENCE.md."""
        licence = {"spdx": None, "note": "All rights reserved; ask me."}
        mine = _write(tmp_path / "mine.json", _framework("my-model", licence=licence))
        bundle = build_bundle(files=[mine])

        assert bundle.licence == "SEE LICENSE IN LICENCE.md"
        assert "All rights reserved; ask me." in bundle.files["LICENCE.md"].decode()

    def test_other_kinds_are_told_from_their_keys(self, tmp_path: Path) -> None:
        """A crosswalk file goes to crosswalks/ without being told its kind."""
        crosswalk = {
            "id": "my-walk",
            "name": "Mine",
            "summary": "Written for the tests.",
            "source": "ally-model",
            "target": "spectrum-of-allies",
            "licence": {"spdx": "CC0-1.0", "note": "Mine."},
            "links": [
                {
                    "source": "action",
                    "target": "active-support",
                    "relation": "related",
                    "rationale": "Both are about acting.",
                }
            ],
        }
        bundle = build_bundle(files=[_write(tmp_path / "walk.json", crosswalk)])

        assert "crosswalks/my-walk.json" in bundle.files

    def test_files_join_in_kind_and_id_order(self, tmp_path: Path) -> None:
        """The index lists frameworks first, then the other kinds, each by id."""
        mine = _write(tmp_path / "mine.json", _framework("aaa-my-model"))
        bundle = build_bundle(files=[mine])
        order = list(KINDS)
        keys = [(order.index(e["kind"]), e["id"]) for e in bundle.documents]

        assert keys == sorted(keys)
        assert bundle.documents[0]["id"] == "aaa-my-model"

    def test_a_reference_outside_the_bundle_is_refused(
        self, tmp_path: Path, fake_plugin: str
    ) -> None:
        """A crosswalk to a framework left out (a plugin's) says how to add it."""
        crosswalk = {
            "id": "to-plugin",
            "name": "Mine",
            "summary": "Written for the tests.",
            "source": "ally-model",
            "target": fake_plugin,
            "licence": {"spdx": "CC0-1.0", "note": "Mine."},
            "links": [
                {
                    "source": "action",
                    "target": "one",
                    "relation": "related",
                    "rationale": "Both are about acting.",
                }
            ],
        }
        walk = _write(tmp_path / "walk.json", crosswalk)
        with pytest.raises(InvalidArgumentError, match=r"plugins=True \(--plugins\)"):
            build_bundle(files=[walk])

        held = build_bundle(files=[walk], plugins=True)
        assert "crosswalks/to-plugin.json" in held.files

    def test_an_id_the_bundle_has_is_refused(self, tmp_path: Path) -> None:
        """A file may not replace a bundled document."""
        mine = _write(tmp_path / "mine.json", _framework("ally-model"))
        with pytest.raises(InvalidArgumentError, match="already has from bundled"):
            build_bundle(files=[mine])

    def test_the_same_id_twice_is_refused(self, tmp_path: Path) -> None:
        """Two files with one id: the message names the first file."""
        one = _write(tmp_path / "one.json", _framework("my-model"))
        two = _write(tmp_path / "two.json", _framework("my-model"))
        with pytest.raises(InvalidArgumentError, match=r"one\.json"):
            build_bundle(files=[one, two])

    def test_invalid_file_lists_its_problems(self, tmp_path: Path) -> None:
        """A file that breaks the format is reported as the loaders report it."""
        bad = _write(tmp_path / "bad.json", _framework("my-model", stages="none"))
        with pytest.raises(DataFileError, match="stages"):
            build_bundle(files=[bad])

    def test_not_json_is_a_data_file_error(self, tmp_path: Path) -> None:
        """A file that is not JSON is reported as the loaders report it."""
        bad = tmp_path / "bad.json"
        bad.write_text("{not json", encoding="utf-8")
        with pytest.raises(DataFileError):
            build_bundle(files=[bad])

    def test_missing_file(self, tmp_path: Path) -> None:
        """An unreadable file is named, as every user file is (catalogue rules)."""
        with pytest.raises(DataFileError, match=r"nope\.json(.|\n)*No such file"):
            build_bundle(files=[tmp_path / "nope.json"])

    def test_one_path_instead_of_a_list(self, tmp_path: Path) -> None:
        """files= takes a list; one path says how to wrap it."""
        mine = _write(tmp_path / "mine.json", _framework("my-model"))
        with pytest.raises(InvalidArgumentError, match=r"files=\[path\]"):
            build_bundle(files=str(mine))

    @settings(
        max_examples=25,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(framework=frameworks(min_stages=1))
    def test_any_valid_framework_round_trips(
        self, tmp_path: Path, framework: Framework
    ) -> None:
        """A valid framework of one's own lands in the bundle unchanged."""
        assume(framework.id not in bundled_ids("frameworks"))
        mine = tmp_path / "mine.json"
        mine.write_text(framework.to_json(), encoding="utf-8")
        bundle = build_bundle(files=[mine])
        entry = next(e for e in bundle.documents if e["source"] == "file: mine.json")
        data = json.loads(bundle.files[entry["path"]])

        assert entry["content_hash"] == framework.content_hash
        assert Framework.from_dict(data) == framework


@pytest.fixture(name="fake_plugin")
def _fake_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """One installed package offering the framework ``plug-model``."""
    folder = tmp_path / "bundle_test_plugin"
    folder.mkdir()
    (folder / "__init__.py").write_text("", encoding="utf-8")
    _write(folder / "plug-model.json", _framework("plug-model"))
    point = EntryPoint(name="bundle_test_plugin", value="bundle_test_plugin")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(
        _plugins,
        "_entry_points",
        lambda group: ([point] if group == "allykit.frameworks" else [], []),
    )
    allykit.clear_cache()
    yield "plug-model"
    allykit.clear_cache()


class TestPlugins:
    def test_left_out_unless_asked(self, fake_plugin: str) -> None:
        """Installed plugins do not change the default bundle."""
        bundle = build_bundle()

        assert all(e["id"] != fake_plugin for e in bundle.documents)
        assert bundle.version == _ALLYKIT_VERSION

    def test_held_when_asked(self, fake_plugin: str) -> None:
        """plugins=True holds them, named by their source, with build metadata."""
        bundle = build_bundle(plugins=True)
        entry = next(e for e in bundle.documents if e["id"] == fake_plugin)

        assert entry["source"].endswith("bundle_test_plugin/plug-model.json")
        assert bundle.version.startswith(f"{_ALLYKIT_VERSION}+custom.")
        assert "MIT" in bundle.licence


class TestArguments:
    @pytest.mark.parametrize(
        "name", ["Allykit", "my catalogue", "", "@scope/", "-lead", "a" * 215, 3]
    )
    def test_bad_name(self, name: Any) -> None:
        """A name npm would refuse is refused first."""
        with pytest.raises(InvalidArgumentError, match="not an npm package name"):
            build_bundle(name=name)

    @pytest.mark.parametrize(
        "version", ["1.0", "v1.0.0", "01.0.0", "1.0.0-", "1.0.0+", "latest", 1]
    )
    def test_bad_version(self, version: Any) -> None:
        """A version that is not semantic is refused first."""
        with pytest.raises(InvalidArgumentError, match="not a semantic version"):
            build_bundle(version=version)

    def test_name_and_version_chosen(self) -> None:
        """The caller's name and version go into package.json and the index."""
        bundle = build_bundle(name="@my-org/ally-data", version="2.1.0-rc.1+b7")
        package = json.loads(bundle.files["package.json"])

        assert (package["name"], package["version"]) == (
            "@my-org/ally-data",
            "2.1.0-rc.1+b7",
        )
        assert bundle.index["name"] == "@my-org/ally-data"


class TestFolder:
    def test_refuses_a_folder_with_files(self, tmp_path: Path) -> None:
        """A folder with files is left as it was."""
        (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
        with pytest.raises(InvalidArgumentError, match="not empty"):
            write_bundle(tmp_path)

        assert _tree(tmp_path) == {"notes.txt": b"mine"}

    def test_overwrite_refuses_a_folder_that_is_no_bundle(self, tmp_path: Path) -> None:
        """overwrite=True replaces a bundle only, never other files."""
        (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
        with pytest.raises(InvalidArgumentError, match="does not hold an allykit"):
            write_bundle(tmp_path, overwrite=True)

        assert _tree(tmp_path) == {"notes.txt": b"mine"}

    def test_overwrite_replaces_an_earlier_bundle(self, tmp_path: Path) -> None:
        """Documents of the earlier bundle that the new one lacks are gone."""
        mine = _write(tmp_path / "mine.json", _framework("my-model"))
        out = tmp_path / "out"
        write_bundle(out, files=[mine])
        again = write_bundle(out, overwrite=True)

        assert _tree(out) == dict(again.files)
        assert not (out / "frameworks" / "my-model.json").exists()

    def test_overwrite_never_deletes_a_stranger(self, tmp_path: Path) -> None:
        """A file the bundle did not write stops the overwrite before any change."""
        write_bundle(tmp_path)
        (tmp_path / "frameworks" / "notes.txt").write_text("mine", encoding="utf-8")
        before = _tree(tmp_path)
        with pytest.raises(InvalidArgumentError, match=r"did not write .*notes\.txt"):
            write_bundle(tmp_path, overwrite=True)

        assert _tree(tmp_path) == before

    @pytest.mark.skipif(os.name == "nt", reason="symbolic links need rights on Windows")
    def test_overwrite_never_follows_a_link_out(self, tmp_path: Path) -> None:
        """A link inside the folder is refused; nothing lands where it points."""
        out, elsewhere = tmp_path / "out", tmp_path / "elsewhere"
        elsewhere.mkdir()
        write_bundle(out)
        index = json.loads((out / "index.json").read_text(encoding="utf-8"))
        for entry in index["documents"]:
            (out / entry["path"]).unlink()
        (out / "frameworks").rmdir()
        (out / "frameworks").symlink_to(elsewhere, target_is_directory=True)
        with pytest.raises(InvalidArgumentError, match="link"):
            write_bundle(out, overwrite=True)

        assert list(elsewhere.iterdir()) == []

    def test_overwrite_never_deletes_outside(self, tmp_path: Path) -> None:
        """An index that names a path outside the folder removes nothing there."""
        out = tmp_path / "out"
        write_bundle(out)
        outside = tmp_path / "keep.json"
        outside.write_text("mine", encoding="utf-8")
        index = json.loads((out / "index.json").read_text(encoding="utf-8"))
        index["documents"].append({**index["documents"][0], "path": "../keep.json"})
        (out / "index.json").write_text(json.dumps(index), encoding="utf-8")
        write_bundle(out, overwrite=True)

        assert outside.read_text(encoding="utf-8") == "mine"
        assert _tree(out) == dict(build_bundle().files)

    def test_a_run_cut_short_can_be_replaced(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Interrupted after a few files: overwrite=True then writes it whole."""
        real = write_text_atomic
        calls: list[Path] = []

        def cut(path: Path, text: str) -> None:
            if len(calls) == 5:
                raise KeyboardInterrupt
            calls.append(path)
            real(path, text)

        monkeypatch.setattr(allykit.bundle, "write_text_atomic", cut)
        with pytest.raises(KeyboardInterrupt):
            write_bundle(tmp_path)
        monkeypatch.setattr(allykit.bundle, "write_text_atomic", real)
        assert len(_tree(tmp_path)) == 5
        bundle = write_bundle(tmp_path, overwrite=True)

        assert _tree(tmp_path) == dict(bundle.files)

    def test_refuses_a_file(self, tmp_path: Path) -> None:
        """The output must be a folder."""
        target = tmp_path / "file.json"
        target.write_text("{}", encoding="utf-8")
        with pytest.raises(InvalidArgumentError, match="is a file"):
            write_bundle(target)

    def test_nothing_written_when_an_input_fails(self, tmp_path: Path) -> None:
        """Arguments are checked before the folder is made."""
        with pytest.raises(InvalidArgumentError):
            write_bundle(tmp_path / "out", version="nope")

        assert not (tmp_path / "out").exists()

    def test_creates_missing_parents(self, tmp_path: Path) -> None:
        """Missing parent folders are made."""
        write_bundle(tmp_path / "a" / "b")

        assert (tmp_path / "a" / "b" / "package.json").is_file()
