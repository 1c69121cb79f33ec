"""No other distribution's code runs, nor its metadata is read, when allykit validates.

pydantic imports every entry point of its ``pydantic`` group (and reads every
distribution's ``entry_points.txt`` to find them) whenever it builds a
validator for a model or ``TypeAdapter``. allykit validates with
pydantic-core's ``SchemaValidator`` on core schemas of its own, so that hook
is never on its path, with no private flag and no environment variable.
Each subprocess test here runs a fresh interpreter with a site folder holding
a package declaring such an entry point (its ``__init__`` leaves a marker
file and its object is no pydantic plugin), beside one distribution whose
``entry_points.txt`` has a Latin-1 byte and one whose ``entry_points.txt`` is
a named pipe (reading it would block for ever). Validation of a user file, a
plugin framework, every JSON Schema, and the commands ``validate``, ``score``,
``report``, ``list`` and ``schema`` must neither import the package, nor
fail, nor hang; validation does not import pydantic at all. The environment
is never written, and a caller's own pydantic models keep their plugins.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from allykit import catalog

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")

_FRAMEWORK = {
    "id": "plug-hooked",
    "name": "A plugin framework",
    "summary": "Written for the tests.",
    "kind": "stage-model",
    "licence": {"spdx": "CC-BY-4.0", "note": "Written for the tests."},
    "citations": [{"id": "me", "authors": ["Me"], "year": 2026, "title": "T"}],
    "stages": [{"id": "one", "name": "One", "position": 1, "summary": "One."}],
}


def _dist(site: Path, name: str, entry_points: bytes | None) -> Path:
    info = site / f"{name}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\n", encoding="utf-8"
    )
    if entry_points is None:
        os.mkfifo(info / "entry_points.txt")
    else:
        (info / "entry_points.txt").write_bytes(entry_points)
    (info / "RECORD").write_text(
        f"{info.name}/METADATA,,\n{info.name}/RECORD,,\n", encoding="utf-8"
    )
    return info


@pytest.fixture(name="site")
def _site(tmp_path: Path) -> Path:
    """A site folder with the tracer, the Latin-1 and the FIFO distributions."""
    site = tmp_path / "site"
    site.mkdir()
    marker = tmp_path / "imported.txt"
    package = site / "tracerpkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        f"open({str(marker)!r}, 'a').write('ran\\n')\nplugin = object()\n",
        encoding="utf-8",
    )
    info = _dist(site, "tracerpkg", b"[pydantic]\nt = tracerpkg:plugin\n")
    with (info / "RECORD").open("a", encoding="utf-8") as record:
        record.write("tracerpkg/__init__.py,,\n")
    _dist(site, "latinpkg", b"# caf\xe9 \xab\n[console_scripts]\nlatin = x:y\n")
    _dist(site, "fifopkg", None)
    # A plugin framework, so that `list` and load_framework read one.
    data = site / "hookedplug" / "data"
    data.mkdir(parents=True)
    (site / "hookedplug" / "__init__.py").write_text("", encoding="utf-8")
    (data / "__init__.py").write_text("", encoding="utf-8")
    (data / "plug-hooked.json").write_text(json.dumps(_FRAMEWORK), encoding="utf-8")
    plug = _dist(site, "hookedplug", b"[allykit.frameworks]\nmine = hookedplug.data\n")
    with (plug / "RECORD").open("a", encoding="utf-8") as record:
        for part in ("__init__.py", "data/__init__.py", "data/plug-hooked.json"):
            record.write(f"hookedplug/{part},,\n")
    return site


def _run(site: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(site)}
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    return subprocess.run(  # noqa: S603 -- our own interpreter, our own code
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # a hang guard, not a timing assertion
        check=False,
        cwd=site.parent,
    )


def _assert_untouched(site: Path, done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 0, done.stdout + done.stderr
    assert "internal error" not in done.stdout + done.stderr
    assert "tracerpkg" not in done.stderr
    assert not (site.parent / "imported.txt").exists()


def test_library_calls_import_nothing(site: Path, tmp_path: Path) -> None:
    """load_framework_file, a plugin framework, an instrument file: nothing runs."""
    framework = tmp_path / "mine.json"
    framework.write_text(json.dumps({**_FRAMEWORK, "id": "mine"}), encoding="utf-8")
    source = catalog.load_instrument("ally-model-reflection").to_dict()
    instrument = tmp_path / "inst.json"
    instrument.write_text(json.dumps({**source, "id": "inst-copy"}), encoding="utf-8")
    script = f"""
import sys, warnings
warnings.simplefilter("error", UserWarning)  # pydantic's plugin warning
from allykit import catalog
assert catalog.load_framework_file({str(framework)!r}).id == "mine"
assert catalog.load_framework("plug-hooked").id == "plug-hooked"
assert catalog.load_instrument_file({str(instrument)!r}).id == "inst-copy"
assert "plug-hooked" in catalog.available_frameworks()
assert "tracerpkg" not in sys.modules
# Validation needs only pydantic_core: pydantic itself is not even imported.
assert "pydantic" not in sys.modules, "pydantic imported by validation"
for kind in ("framework", "instrument", "crosswalk", "scale"):
    assert catalog.json_schema(kind)["additionalProperties"] is False
from allykit.reflection import history_json_schema
assert history_json_schema()["title"] == "allykit history"
assert "tracerpkg" not in sys.modules
print("ok")
"""
    done = _run(site, "-c", script)
    _assert_untouched(site, done)
    assert done.stdout.strip().endswith("ok")


def test_commands_import_nothing(site: Path, tmp_path: Path) -> None:
    """validate, score, report on an instrument file, list, schema: nothing runs."""
    pytest.importorskip("typer")
    inventory = catalog.load_instrument("ally-model-reflection")
    instrument = tmp_path / "inst.json"
    instrument.write_text(
        json.dumps({**inventory.to_dict(), "id": "inst-copy"}), encoding="utf-8"
    )
    answers = tmp_path / "answers.csv"
    ids = [item.id for item in inventory.items]
    rows = [",".join(["id", *ids])]
    rows.extend(f"p{n}," + ",".join(["Agree"] * len(ids)) for n in range(3))
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    commands = [
        ["validate", str(instrument)],
        [
            "score",
            str(instrument),
            str(answers),
            "--id-column",
            "id",
            "-o",
            str(tmp_path / "s.csv"),
        ],
        ["list"],
        ["schema", "--kind", "instrument", "-o", str(tmp_path / "i.schema.json")],
    ]
    if _has("matplotlib"):
        commands.append(
            ["report", str(instrument), str(answers), "-o", str(tmp_path / "r.html")]
        )
    for command in commands:
        done = _run(site, "-m", "allykit", *command)
        _assert_untouched(site, done)
    assert "plug-hooked" in _run(site, "-m", "allykit", "list").stdout


def _has(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None


def test_environment_is_never_written(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Validating and writing schemas never sets or removes an environment variable.

    ``os.environ`` is replaced by a mapping that refuses writes, and
    ``os.putenv``/``os.unsetenv`` refuse too; the schemas are built afresh
    (new titles) under that guard.
    """
    from allykit.catalog import _schema
    from allykit.models.framework import Framework

    framework = tmp_path / "mine.json"
    framework.write_text(json.dumps({**_FRAMEWORK, "id": "mine"}), encoding="utf-8")
    # A context, not the fixture: pytest itself writes the environment between
    # a test's phases.
    with monkeypatch.context() as patch:
        patch.setattr(os, "environ", _ReadOnlyEnviron(dict(os.environ)))
        patch.setattr(os, "putenv", _refuse)
        patch.setattr(os, "unsetenv", _refuse)
        title = "Environment test framework"
        document = _schema.document_schema(Framework, title=title)
        assert _schema.validate(document, dict(_FRAMEWORK)) == []
        problems = _schema.validate(document, {**_FRAMEWORK, "stagez": []})
        assert [p.path for p in problems] == ["stagez"]
        schema = _schema.json_schema(Framework, title="Environment", description="x")
        assert schema["additionalProperties"] is False
        assert catalog.load_framework_file(framework).id == "mine"


class _ReadOnlyEnviron(Mapping[str, str]):
    """A stand-in for ``os.environ`` that fails the test on any write."""

    def __init__(self, values: dict[str, str]) -> None:
        self._values = values

    def __getitem__(self, key: str) -> str:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __setitem__(self, key: str, value: str) -> None:
        _refuse(key, value)

    def __delitem__(self, key: str) -> None:
        _refuse(key)


def _refuse(*args: object) -> None:
    msg = f"the environment was written: {args!r}"
    raise AssertionError(msg)


_PLUGIN = """
import json
calls = []

class Plugin:
    def new_schema_validator(self, schema, schema_type, schema_type_path,
                             schema_kind, config, plugin_settings):
        calls.append(getattr(schema_type, "__name__", repr(schema_type)))
        return None, None, None

plugin = Plugin()
"""


def test_callers_own_models_keep_their_plugins(tmp_path: Path) -> None:
    """A caller's pydantic models still get the caller's plugins after allykit's.

    A real pydantic plugin is installed (in a site folder of its own: pydantic
    itself would stumble on the Latin-1 and FIFO distributions above):
    allykit's validation does not import it; the caller's own model, built
    afterwards, goes through the plugin as pydantic promises.
    """
    site = tmp_path / "site"
    site.mkdir()
    package = site / "realplugin"
    package.mkdir()
    (package / "__init__.py").write_text(_PLUGIN, encoding="utf-8")
    info = _dist(site, "realplugin", b"[pydantic]\nreal = realplugin:plugin\n")
    with (info / "RECORD").open("a", encoding="utf-8") as record:
        record.write("realplugin/__init__.py,,\n")
    framework = tmp_path / "mine.json"
    framework.write_text(json.dumps({**_FRAMEWORK, "id": "mine"}), encoding="utf-8")
    script = f"""
import sys
from allykit import catalog
assert catalog.load_framework_file({str(framework)!r}).id == "mine"
assert "realplugin" not in sys.modules
import pydantic
class Mine(pydantic.BaseModel):
    x: int
assert Mine(x=1).x == 1
import realplugin
assert realplugin.calls == ["Mine"], realplugin.calls
print("ok")
"""
    done = _run(site, "-c", script)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("ok")
