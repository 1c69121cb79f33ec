"""Lazy attribute access for :mod:`allykit.models` (SPEC 1's ``lazy.attach``).

The one package besides the root that serves its names on first use, for a
measured reason: importing any model module (``allykit.models.framework``,
say) runs the package's ``__init__`` first, so an eager ``allykit.models``
would build every domain class (instruments, crosswalks, published scales)
for a first framework lookup; measured, that adds about 0.6x ``import
attrs`` to "import + first framework" (target 1.15x). Every other
subpackage imports what it names.

A package lists, for each public name, the submodule that defines it. The
submodule is imported on first access and the value is cached in the
package's namespace. Type checkers never see the returned ``__getattr__``:
the package imports the same names under ``if TYPE_CHECKING`` and defines
``__getattr__`` only at run time, so a misspelt name is an error for mypy
too.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["attach"]


def attach(
    package: str,
    names: Mapping[str, str],
    public: list[str],
    submodules: frozenset[str] = frozenset(),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``(__getattr__, __dir__)`` for *package*.

    Args:
        package: The package's ``__name__``.
        names: Each lazily served name and the module that defines it.
        public: The package's ``__all__``, which ``dir()`` lists.
        submodules: Public submodules, imported on first attribute access
            (``allykit.scoring.frames`` after ``import allykit.scoring``).
    """
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:  # noqa: N807 -- the module protocol's name
        if name in submodules:
            return importlib.import_module(f"{package}.{name}")
        module = names.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:  # noqa: N807 -- the module protocol's name
        return sorted(public)

    return __getattr__, __dir__
