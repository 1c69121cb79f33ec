"""The bundle as a web developer's tools see it: tsc, ajv, npm pack and install.

These tests need Node, npm and a ``node_modules`` folder holding typescript,
ajv, ajv-formats, json-schema-to-typescript and @types/node, named by the
environment variable ``ALLYKIT_NODE_MODULES`` (``.ci/run`` installs them
into a scratch folder); without them they skip with a reason. Nothing is
fetched from the network here: the packed bundle has no dependencies.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from allykit.bundle import write_bundle
from allykit.catalog import load_framework

#: Runs a reference tool (see .ci/run); the reference step runs it.
pytestmark = pytest.mark.reference

_ROOT = Path(__file__).resolve().parent.parent
_CONSUMER = _ROOT / "examples" / "typescript-consumer"
_VALIDATE = _ROOT / "scripts" / "validate_bundle.cjs"
_NEEDED = ("typescript", "ajv", "ajv-formats", "json-schema-to-typescript")


def _tools() -> tuple[str, Path]:
    """Return Node's path and the node_modules folder, or skip with the reason."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH; .ci/run uses the Node of the machine")
    found = os.environ.get("ALLYKIT_NODE_MODULES")
    if not found:
        pytest.skip(
            "ALLYKIT_NODE_MODULES is not set: .ci/run installs typescript, ajv, "
            "ajv-formats, json-schema-to-typescript and @types/node with npm "
            "and sets it"
        )
    folder = Path(found)
    missing = [name for name in _NEEDED if not (folder / name).is_dir()]
    if missing:
        pytest.skip(f"{', '.join(missing)} not installed in {folder}")
    return node, folder


def _run(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(  # noqa: S603 -- fixed tools on our own files
            command,
            cwd=cwd,
            env={**os.environ, **(env or {})},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.skip(f"{Path(command[0]).name} did not finish within 300 s")


def _tsc(folder: Path) -> list[str]:
    return [str(folder / ".bin" / "tsc")]


def _npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not on PATH")
    return npm


def _generator_script() -> ModuleType:
    path = _ROOT / "scripts" / "generate_types.py"
    spec = importlib.util.spec_from_file_location("generate_types", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_declarations_are_generated_not_written() -> None:
    """A fresh run of json-schema-to-typescript gives the committed files."""
    _node, folder = _tools()
    generator = _generator_script()
    try:
        node, node_modules = generator.find_tools(str(folder))
    except generator.GeneratorMissingError as error:
        pytest.skip(str(error))

    assert generator.differences(node, node_modules) == []


def test_drift_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The comparison is not blind: a hand edit and a missing file are named."""
    _node, folder = _tools()
    generator = _generator_script()
    try:
        node, node_modules = generator.find_tools(str(folder))
    except generator.GeneratorMissingError as error:
        pytest.skip(str(error))
    copy = tmp_path / "types"
    shutil.copytree(generator.TYPES, copy)
    edited = copy / "framework.d.ts"
    edited.write_text(edited.read_text("utf-8").replace("name: string", "name: any"))
    (copy / "scale.d.ts").unlink()
    monkeypatch.setattr(generator, "TYPES", copy)

    assert generator.differences(node, node_modules) == ["framework.d.ts", "scale.d.ts"]


def test_ajv_strict_accepts_every_document(tmp_path: Path) -> None:
    """The ajv validator (strict, draft 2020-12) accepts every schema and file."""
    node, folder = _tools()
    own = tmp_path / "own.json"
    own.write_text(
        json.dumps(
            {
                "id": "my-model",
                "name": "Mine",
                "summary": "Written for the tests.",
                "kind": "stage-model",
                "licence": {"spdx": None, "note": "Mine."},
                "citations": [
                    {"id": "me", "authors": ["Me"], "year": None, "title": "T"}
                ],
                "stages": [
                    {"id": "one", "name": "One", "position": 1, "summary": "One."}
                ],
            }
        ),
        encoding="utf-8",
    )
    bundle = write_bundle(tmp_path / "bundle", files=[own])
    done = _run(
        [node, str(_VALIDATE), str(tmp_path / "bundle")],
        cwd=tmp_path,
        env={"NODE_PATH": str(folder)},
    )

    assert done.returncode == 0, done.stdout + done.stderr
    count = len(bundle.documents)
    assert done.stdout.strip().endswith(f"{count} documents, 7 schemas, 0 failures")


def test_ajv_catches_a_broken_document(tmp_path: Path) -> None:
    """The check is not blind: a wrong type and a changed byte are reported."""
    node, folder = _tools()
    write_bundle(tmp_path)
    path = tmp_path / "frameworks" / "ally-model.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["stages"][0]["position"] = "first"
    path.write_text(json.dumps(data), encoding="utf-8")
    done = _run(
        [node, str(_VALIDATE), str(tmp_path)],
        cwd=tmp_path,
        env={"NODE_PATH": str(folder)},
    )

    assert done.returncode == 1
    assert "frameworks/ally-model.json: SHA-256" in done.stdout
    assert "/stages/0/position must be integer" in done.stdout


def test_tsc_strict_accepts_the_declarations(tmp_path: Path) -> None:
    """``tsc --strict --noEmit`` on every shipped declaration file."""
    _node, folder = _tools()
    write_bundle(tmp_path)
    files = sorted(str(p) for p in (tmp_path / "types").glob("*.d.ts"))
    done = _run(
        [*_tsc(folder), "--strict", "--noEmit", "--types", "", *files],
        cwd=tmp_path,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    assert len(files) == 8


def _install_packed(tmp_path: Path, bundle_dir: Path) -> Path:
    """``npm pack`` the bundle and install the tarball into a scratch project."""
    npm = _npm()
    packs = tmp_path / "packs"
    packs.mkdir()
    packed = _run(
        [npm, "pack", "--silent", "--pack-destination", str(packs)], cwd=bundle_dir
    )
    assert packed.returncode == 0, packed.stderr
    (tarball,) = packs.glob("*.tgz")
    project = tmp_path / "project"
    project.mkdir()
    (project / "package.json").write_text(
        '{"name": "scratch", "version": "0.0.0", "private": true, "type": "module"}\n',
        encoding="utf-8",
    )
    installed = _run(
        [
            npm,
            "install",
            "--offline",
            "--no-audit",
            "--no-fund",
            "--silent",
            str(tarball),
        ],
        cwd=project,
    )
    assert installed.returncode == 0, installed.stderr
    return project


def test_packed_bundle_installs_and_the_example_compiles_and_runs(
    tmp_path: Path,
) -> None:
    """Pack, install the tarball, tsc --strict and a run of the example program."""
    node, folder = _tools()
    bundle = write_bundle(tmp_path / "bundle")
    project = _install_packed(tmp_path, tmp_path / "bundle")
    manifest = project / "node_modules" / "allykit-catalogue" / "package.json"
    installed = json.loads(manifest.read_text(encoding="utf-8"))
    assert installed["license"] == bundle.licence
    shutil.copytree(_CONSUMER / "src", project / "src")
    shutil.copy(_CONSUMER / "tsconfig.json", project / "tsconfig.json")
    (project / "tsconfig.ci.json").write_text(
        json.dumps(
            {
                "extends": "./tsconfig.json",
                "compilerOptions": {"typeRoots": [str(folder / "@types")]},
            }
        ),
        encoding="utf-8",
    )
    checked = _run(
        [*_tsc(folder), "-p", "tsconfig.ci.json", "--strict", "--noEmit"], cwd=project
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    built = _run([*_tsc(folder), "-p", "tsconfig.ci.json"], cwd=project)
    assert built.returncode == 0, built.stdout + built.stderr
    ran = _run([node, "dist/main.js", "ally-model"], cwd=project)

    assert ran.returncode == 0, ran.stderr
    model = load_framework("ally-model")
    for stage in model.stages:
        assert f"{stage.position}. {stage.name}: " in ran.stdout
    assert model.prompts[0].text in ran.stdout


def test_a_custom_version_packs(tmp_path: Path) -> None:
    """Build metadata after + (a bundle with one's own files) is a version npm takes."""
    _tools()
    own = tmp_path / "own.json"
    own.write_text(
        json.dumps(
            {
                "id": "my-model",
                "name": "Mine",
                "summary": "Written for the tests.",
                "kind": "stage-model",
                "licence": {"spdx": "MIT", "note": "Mine."},
                "citations": [{"id": "me", "authors": ["Me"], "year": 1, "title": "T"}],
            }
        ),
        encoding="utf-8",
    )
    bundle = write_bundle(tmp_path / "bundle", files=[own])
    project = _install_packed(tmp_path, tmp_path / "bundle")
    manifest = project / "node_modules" / "allykit-catalogue" / "package.json"

    assert "+custom." in bundle.version
    installed = json.loads(manifest.read_text(encoding="utf-8"))
    assert installed["version"] == bundle.version
    assert (project / "node_modules" / "allykit-catalogue" / "frameworks").is_dir()
