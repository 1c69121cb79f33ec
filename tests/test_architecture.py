"""The package tree keeps its layers: imports point down, never in a cycle.

Every import in allykit's source is read (module level and inside
functions, which hide cycles just as well; imports under ``if
TYPE_CHECKING`` are left out, since they never run). The layers, from the
bottom:

errors (and the private helpers beside it) -> models -> catalog ->
scoring, reflection, crosswalks, changes -> surveys, worksheets, testing ->
cli. A module may import its own layer or lower ones; ``scoring``'s core
never imports ``scoring.frames``; nothing but ``cli`` imports typer or rich.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import allykit

_PACKAGE = Path(allykit.__file__).resolve().parent

#: Layer of each top-level part of the package (the first name after
#: ``allykit.``). The root ``__init__`` is the public face: it serves any
#: name lazily, and the command (which uses only the public API) may import
#: it; ``__main__`` stands above all.
_LAYERS = {
    "errors": 0,
    "_printable": 0,
    "_userfiles": 0,
    "_numbers": 0,
    "_normalise": 0,
    "_suggest": 0,
    "outputs": 0,
    "models": 1,
    "catalog": 2,
    "scoring": 3,
    "reflection": 3,
    "crosswalks": 3,
    "changes": 3,
    "surveys": 4,
    "worksheets": 4,
    "testing": 4,
    "bundle": 4,
    "cli": 5,
}
_TOP = 6
_ROOT = 5


def _module_name(path: Path) -> str:
    """Return the dotted name of the module in *path*."""
    parts = path.relative_to(_PACKAGE.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


_MODULES = frozenset(_module_name(p) for p in _PACKAGE.rglob("*.py"))


def _imports(tree: ast.AST, module: str, *, is_package: bool) -> set[str]:
    """Every allykit module (or package) that *tree* imports at run time."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for branch in node.orelse:
                visit(branch)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("allykit"))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor if is_package else anchor[:-1]
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.startswith("allykit"):
                # ``from allykit.x import y`` imports the submodule y when
                # there is one; only the other names come from x itself.
                subs = {f"{base}.{a.name}" for a in node.names} & _MODULES
                found.update(subs)
                if len(subs) < len(node.names):
                    found.add(base)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


#: The models' one dependency on the catalogue, by name: ``from_dict`` and
#: ``from_json`` validate through it. Imported inside the methods only (a
#: test below checks), so importing a model never imports the catalogue.
_MODELS_TO_CATALOGUE = frozenset(
    {
        ("allykit.models._document", "allykit.catalog._store"),
        ("allykit.models._result", "allykit.catalog._loading"),
    }
)


def _graph() -> dict[str, set[str]]:
    paths = sorted(_PACKAGE.rglob("*.py"))
    modules = {_module_name(p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        wanted = _imports(tree, name, is_package=path.name == "__init__.py")
        graph[name] = {
            m
            for m in wanted
            if m in modules and m != name and (name, m) not in _MODELS_TO_CATALOGUE
        }
    return graph


def test_models_reach_the_catalogue_only_lazily() -> None:
    """The named models -> catalogue imports sit inside functions, never at the top."""
    for module, target in _MODELS_TO_CATALOGUE:
        tree = ast.parse(_source(module))
        statements: list[ast.stmt] = [
            n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))
        ]
        top = _imports(
            ast.Module(body=statements, type_ignores=[]), module, is_package=False
        )
        assert target not in top
        functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        assert any(
            target in _imports(f, module, is_package=False) for f in functions
        ), f"{module} no longer imports {target}: drop it from the allowed list"


_GRAPH = _graph()


def _layer(module: str) -> int:
    parts = module.split(".")
    if len(parts) == 1:
        return _ROOT
    if parts[1] == "__main__":
        return _TOP
    return _LAYERS[parts[1]]


def test_every_part_has_a_layer() -> None:
    """A new top-level module must be given its place in the layers."""
    assert {m.split(".")[1] for m in _GRAPH if "." in m} - {"__main__"} <= set(_LAYERS)


@pytest.mark.parametrize("module", sorted(_GRAPH))
def test_imports_point_down(module: str) -> None:
    """A module imports only its own layer or lower layers."""
    upward = sorted(m for m in _GRAPH[module] if _layer(m) > _layer(module))
    assert upward == [], f"{module} imports a higher layer: {upward}"


def test_no_cycles() -> None:  # noqa: C901 -- Tarjan's algorithm, kept whole
    """No chain of imports (function-level ones included) leads back to its start.

    A package importing its own submodules is not a cycle by itself; a
    submodule importing back into its package's ``__init__`` is, when that
    ``__init__`` imports it too.
    """
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def connect(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in sorted(_GRAPH[node]):
            if target not in index:
                connect(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(_GRAPH):
        if node not in index:
            connect(node)

    assert cycles == []


#: The one place that hands a DataFrame given to ``reliability`` to frames.
_FACADE = "allykit.scoring._dispatch"


def test_scoring_core_never_imports_frames() -> None:
    """scoring.frames builds on the core; the core does not know frames exist."""
    core = [
        m
        for m in _GRAPH
        if m.startswith("allykit.scoring.")
        and ".frames" not in m
        and m != _FACADE
        and m not in _FACADES
    ]
    for module in core:
        assert not any(m.startswith("allykit.scoring.frames") for m in _GRAPH[module])


def test_models_import_no_pydantic_or_io_layers() -> None:
    """Models depend on errors and each other only; never on pydantic."""
    for module in (m for m in _GRAPH if m.startswith("allykit.models")):
        assert "pydantic" not in _third_party(module)
        assert all(_layer(m) <= 1 for m in _GRAPH[module])


def _source(module: str) -> str:
    path = _PACKAGE.parent.joinpath(*module.split("."))
    file = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    return file.read_text(encoding="utf-8")


@pytest.mark.parametrize("module", sorted(_GRAPH))
def test_only_the_command_imports_typer_or_rich(module: str) -> None:
    """Typer and rich are the cli extra's: no other module imports them."""
    if module.startswith("allykit.cli"):
        return
    assert not _third_party(module) & {"typer", "rich"}


def _third_party(module: str) -> set[str]:
    """The top-level names of every package *module* imports."""
    tree = ast.parse(_source(module))
    return {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {
        (node.module or "").split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
    }


def _all_imports(path: Path) -> set[str]:
    """Every allykit module named by an import in *path*, type-only ones too."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("allykit"))
        elif isinstance(node, ast.ImportFrom) and not node.level:
            base = node.module or ""
            if base.startswith("allykit"):
                subs = {f"{base}.{a.name}" for a in node.names} & _MODULES
                found.update(subs or {base})
    return found


def _is_private(module: str) -> bool:
    return any(part.startswith("_") for part in module.split(".")[1:])


@pytest.mark.parametrize(
    "path",
    sorted((_PACKAGE / "cli").rglob("*.py")),
    ids=_module_name,
)
def test_command_uses_public_library_names_only(path: Path) -> None:
    """No module under cli/ imports a private library module (cli's own are fine).

    The command is a door like any program using allykit: what it needs
    from the library is public, documented and kept stable.
    """
    private = sorted(
        m
        for m in _all_imports(path)
        if not m.startswith("allykit.cli") and _is_private(m)
    )

    assert private == [], f"{_module_name(path)} imports private modules: {private}"


#: Modules of the scoring core that hand work to scoring.frames (lazily).
_FACADES = frozenset(
    {
        "allykit.scoring._dispatch",
        "allykit.scoring._batches",
        "allykit.scoring.scorefile",
    }
)


@pytest.mark.parametrize("command", ["score", "report"])
def test_commands_that_read_answers_are_argument_handling(command: str) -> None:
    """Reading, checking, scoring and writing live in the library, not the command.

    ``allykit score`` is argument handling around ``scoring.scorefile``;
    ``allykit report`` around ``read_answers`` and ``html_report``.
    """
    path = _PACKAGE / "cli" / "_commands" / f"{command}.py"
    lines = len(path.read_text(encoding="utf-8").splitlines())

    assert lines <= 300, f"{path.name} has {lines} lines: move library code out"


#: Most lines a module may have: past this, it mixes concerns and is split
#: along its seams (issue 25).
_MAX_LINES = 700


@pytest.mark.parametrize("path", sorted(_PACKAGE.rglob("*.py")), ids=_module_name)
def test_modules_stay_small(path: Path) -> None:
    """No module grows past about 700 lines: small modules by concept."""
    lines = len(path.read_text(encoding="utf-8").splitlines())

    assert lines <= _MAX_LINES, (
        f"{_module_name(path)} has {lines} lines: split it along its seams"
    )
