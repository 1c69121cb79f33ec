"""Plugin discovery reads other distributions' metadata through importlib.metadata.

:mod:`allykit.catalog._distribution` gives :mod:`importlib.metadata` the files
(capped, regular files only, strict UTF-8) and lets it parse them. These
tests build distributions the way pip leaves them on disk in a temporary
folder and ask for the entry points of that folder alone
(``entry_points_of(group, path=[folder])``), or of :data:`sys.path` with the
folder first when the whole catalogue takes part.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allykit.catalog import _metadata
from allykit.catalog._distribution import SafeDistribution, SafeFinder, entry_points_of

GROUP = "allykit.frameworks"


def _framework(framework_id: str) -> str:
    return json.dumps(
        {
            "id": framework_id,
            "name": "A plugin framework",
            "summary": "Written for the tests.",
            "kind": "stage-model",
            "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
            "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
            "stages": [{"id": "one", "name": "One", "position": 1, "summary": "One."}],
        }
    )


def _install(
    site: Path,
    name: str,
    *,
    entry_points: bytes | None = None,
    metadata: bytes | None = None,
    record: bytes | None = None,
) -> Path:
    """Write distribution *name* 1.0 with package ``<name>_pkg.data`` into *site*.

    Each metadata file may be given as raw bytes; by default it is what pip
    writes. Returns the dist-info folder.
    """
    package = f"{name}_pkg"
    files = {
        f"{package}/__init__.py": "",
        f"{package}/data/__init__.py": "",
        f"{package}/data/plug-{name}.json": _framework(f"plug-{name}"),
    }
    for relative, content in files.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(content, encoding="utf-8")
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    defaults = {
        "METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\n".encode(),
        "entry_points.txt": f"[{GROUP}]\nmain = {package}.data\n".encode(),
        "RECORD": "".join(f"{relative},,\n" for relative in files).encode(),
    }
    given_files = {
        "METADATA": metadata,
        "entry_points.txt": entry_points,
        "RECORD": record,
    }
    for file_name, default in defaults.items():
        raw = given_files[file_name]
        (info / file_name).write_bytes(default if raw is None else raw)
    return info


def _values(site: Path) -> tuple[list[tuple[str, str]], list[str]]:
    found, notes = entry_points_of(GROUP, path=[str(site)])
    return [(p.distribution, p.value) for p in found], notes


@pytest.fixture(name="site")
def _site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    _install(folder, "sound")
    return folder


class TestParsedByImportlibMetadata:
    def test_a_sound_distribution(self, site: Path) -> None:
        """A distribution as pip writes it: its entry point, labelled, no note."""
        assert _values(site) == ([("sound 1.0", "sound_pkg.data")], [])

    def test_importlib_metadata_reads_never_used(
        self, site: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Discovery never calls PathDistribution.read_text (no cap, no pipe check)."""

        def refuse(_self: object, filename: str) -> str | None:
            raise AssertionError(filename)

        monkeypatch.setattr(importlib.metadata.PathDistribution, "read_text", refuse)

        assert _values(site) == ([("sound 1.0", "sound_pkg.data")], [])

    def test_the_distribution_api(self, site: Path) -> None:
        """A SafeDistribution answers importlib.metadata's questions."""
        context = SafeFinder.Context(name="Sound", path=[str(site)])
        (dist,) = SafeFinder().find_distributions(context)

        assert isinstance(dist, SafeDistribution)
        assert dist.version == "1.0"
        assert dist.metadata["Name"] == "sound"
        assert [p.value for p in dist.entry_points.select(group=GROUP)] == [
            "sound_pkg.data"
        ]
        files = dist.files or []
        assert "sound_pkg/data/plug-sound.json" in {str(f) for f in files}
        assert Path(dist.locate_file("sound_pkg")).is_dir()

    def test_egg_info_found(self, site: Path) -> None:
        """An ``*.egg-info`` folder (setuptools' layout) is a distribution too."""
        info = site / "eggy.egg-info"
        info.mkdir()
        (info / "PKG-INFO").write_text("Name: eggy\nVersion: 2.0\n", encoding="utf-8")
        (info / "entry_points.txt").write_text(
            f"[{GROUP}]\ne = sound_pkg.data\n", encoding="utf-8"
        )
        (info / "top_level.txt").write_text("eggy_pkg\n", encoding="utf-8")

        values, notes = _values(site)

        assert ("eggy 2.0", "sound_pkg.data") in values
        assert notes == []

    def test_first_of_a_name_on_the_path_counts(self, tmp_path: Path) -> None:
        """As for importlib.metadata.entry_points(): one distribution per name."""
        first, second = tmp_path / "first", tmp_path / "second"
        first.mkdir()
        second.mkdir()
        _install(first, "twice")
        _install(second, "twice", entry_points=f"[{GROUP}]\nx = y\n".encode())

        found, _ = entry_points_of(GROUP, path=[str(first), str(second)])

        assert [p.value for p in found] == ["twice_pkg.data"]


class TestWrapped:
    def test_a_line_that_is_not_an_entry_point(self, site: Path) -> None:
        """What importlib.metadata raises on a bad line becomes a note."""
        _install(site, "badline", entry_points=f"[{GROUP}]\nno equals sign\n".encode())

        values, notes = _values(site)

        assert values == [("sound 1.0", "sound_pkg.data")]
        assert len(notes) == 1
        assert notes[0].startswith("badline 1.0: entry_points.txt cannot be parsed")

    @pytest.mark.parametrize(
        "line", ["a/b.py,,not-a-size", "a/b.py,,1,extra", "a/b.py,,1" + "9" * 5000]
    )
    def test_a_record_that_cannot_be_parsed(self, site: Path, line: str) -> None:
        """What importlib.metadata raises on a bad RECORD becomes a note."""
        _install(site, "badrecord", record=f"{line}\n".encode())

        values, notes = _values(site)

        assert values == [("sound 1.0", "sound_pkg.data")]
        assert len(notes) == 1
        assert notes[0].startswith("badrecord 1.0: its list of files (RECORD)")

    def test_a_record_that_is_not_utf8(self, site: Path) -> None:
        """A RECORD that is not UTF-8 is named, with the first bad byte."""
        _install(site, "latinrecord", record=b"latinrecord_pkg/caf\xe9.py,,\n")

        values, notes = _values(site)

        assert values == [("sound 1.0", "sound_pkg.data")]
        assert notes == [
            (
                "latinrecord 1.0: RECORD is not UTF-8 (byte 19 cannot be decoded); "
                "its entry points are ignored"
            )
        ]

    def test_latin1_elsewhere_is_no_concern(self, site: Path) -> None:
        """A Latin-1 byte in a distribution without the group is not read further."""
        _install(site, "latin", entry_points=b"# caf\xe9\n[console_scripts]\na = b:c\n")

        assert _values(site) == ([("sound 1.0", "sound_pkg.data")], [])

    def test_over_the_cap(self, site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        """A metadata file past the cap is refused, named, and not read past it."""
        padding = b"#" * 2000 + b"\n"
        _install(site, "huge", entry_points=padding + f"[{GROUP}]\nh = x\n".encode())
        monkeypatch.setattr(_metadata, "MAX_METADATA_BYTES", 1000)

        values, notes = _values(site)

        assert values == [("sound 1.0", "sound_pkg.data")]
        assert notes == [
            (
                "huge 1.0: entry_points.txt is larger than 1000 bytes; "
                "its entry points are ignored"
            )
        ]

    @pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
    @pytest.mark.parametrize("file_name", ["METADATA", "RECORD", "direct_url.json"])
    def test_pipes_are_never_opened(self, site: Path, file_name: str) -> None:
        """A named pipe as any metadata file is passed over (opening it would hang)."""
        info = _install(site, "piped")
        (info / file_name).unlink(missing_ok=True)
        os.mkfifo(info / file_name)

        found, _ = entry_points_of(GROUP, path=[str(site)])

        assert "sound 1.0" in {p.distribution for p in found}


class TestZipArchives:
    def _archive(self, tmp_path: Path, entry_points: str) -> Path:
        archive = tmp_path / "plugins.zip"
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as written:
            written.writestr("zipped_pkg/data/plug-zipped.json", _framework("z"))
            info = "zipped-1.0.dist-info"
            written.writestr(f"{info}/METADATA", "Name: zipped\nVersion: 1.0\n")
            written.writestr(f"{info}/entry_points.txt", entry_points)
            written.writestr(f"{info}/RECORD", "zipped_pkg/data/plug-zipped.json,,\n")
        return archive

    def test_found_in_an_archive(self, tmp_path: Path) -> None:
        """A distribution in a zip archive, with what it installs."""
        archive = self._archive(tmp_path, f"[{GROUP}]\nz = zipped_pkg.data\n")

        found, notes = entry_points_of(GROUP, path=[str(archive)])

        assert [(p.distribution, p.value) for p in found] == [
            ("zipped 1.0", "zipped_pkg.data")
        ]
        assert notes == []
        assert found[0].owner is not None
        assert found[0].owner.tops == {"zipped_pkg"}

    def test_capped_in_an_archive(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A member that inflates past the cap is refused, not inflated whole."""
        text = "#" * 5000 + f"\n[{GROUP}]\nz = zipped_pkg.data\n"
        archive = self._archive(tmp_path, text)
        monkeypatch.setattr(_metadata, "MAX_METADATA_BYTES", 1000)

        found, notes = entry_points_of(GROUP, path=[str(archive)])

        assert found == []
        assert notes == [
            (
                "zipped 1.0: entry_points.txt is larger than 1000 bytes; "
                "its entry points are ignored"
            )
        ]

    def test_a_corrupt_member(self, tmp_path: Path) -> None:
        """A member whose compressed data is damaged is a note, never an error."""
        text = "".join(f"# line {n}\n" for n in range(200))
        archive = self._archive(tmp_path, text + f"[{GROUP}]\nz = zipped_pkg.data\n")
        with zipfile.ZipFile(archive) as read:
            member = read.getinfo("zipped-1.0.dist-info/entry_points.txt")
        raw = bytearray(archive.read_bytes())
        name_length = int.from_bytes(
            raw[member.header_offset + 26 : member.header_offset + 28], "little"
        )
        extra_length = int.from_bytes(
            raw[member.header_offset + 28 : member.header_offset + 30], "little"
        )
        start = member.header_offset + 30 + name_length + extra_length
        raw[start : start + 8] = b"\xff" * 8
        archive.write_bytes(bytes(raw))

        found, notes = entry_points_of(GROUP, path=[str(archive)])

        assert found == []
        assert len(notes) == 1
        assert notes[0].startswith("zipped 1.0: entry_points.txt cannot be read")


_PARTS = st.sampled_from(
    [
        b"",
        f"[{GROUP}]\n".encode(),
        b"x = odd_pkg.data\n",
        b"no equals\n",
        b"\xff\xfe",
        b"caf\xe9",
        b"a,b,c,d\n",
        b'"unclosed,\n',
        b"\x00",
        b"Name: odd\n",
        b"[other]\n",
    ]
)
_FILES = st.one_of(
    st.none(), st.lists(_PARTS, max_size=6).map(b"".join), st.binary(max_size=64)
)


@given(entry_points=_FILES, metadata=_FILES, record=_FILES)
def test_any_metadata_is_a_note_never_an_exception(
    entry_points: bytes | None, metadata: bytes | None, record: bytes | None
) -> None:
    """Whatever bytes another distribution's metadata holds, discovery goes on.

    Its entry points are used or it is noted by name; a sound distribution
    beside it is always found.
    """
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder)
        _install(site, "sound")
        info = _install(site, "odd")
        for file_name, content in (
            ("entry_points.txt", entry_points),
            ("METADATA", metadata),
            ("RECORD", record),
        ):
            if content is not None:
                (info / file_name).write_bytes(content)

        found, notes = entry_points_of(GROUP, path=[folder])

    assert ("sound 1.0", "main", "sound_pkg.data") in {
        (p.distribution, p.name, p.value) for p in found
    }
    assert all(": " in note for note in notes)


def test_importlib_metadata_imported_by_discovery_only() -> None:
    """Loading bundled documents never imports importlib.metadata; listing does."""
    code = (
        "import sys, allykit\n"
        "allykit.load_framework('ally-model')\n"
        "before = 'importlib.metadata' in sys.modules\n"
        "allykit.available_frameworks()\n"
        "print(before, 'importlib.metadata' in sys.modules)"
    )
    done = subprocess.run(  # noqa: S603 -- our own interpreter, our own code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,  # a hang guard, not a timing assertion
    )

    assert done.stdout.split() == ["False", "True"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_swapped_in_after_the_check_never_hangs(tmp_path: Path) -> None:
    """The file is checked once opened (without blocking), not only before.

    Run in a fresh interpreter, with a hang guard: the check before opening
    is made to pass for a named pipe, as if the file had been swapped for
    one in between.
    """
    pipe = tmp_path / "entry_points.txt"
    os.mkfifo(pipe)
    code = (
        "from allykit.catalog import _metadata\n"
        "_metadata.is_regular_file = lambda path: True\n"
        f"print(_metadata.read_capped({str(pipe)!r}))"
    )
    done = subprocess.run(  # noqa: S603 -- our own interpreter, our own code
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,  # a hang guard, not a timing assertion
    )

    assert done.stdout.strip() == "None"
