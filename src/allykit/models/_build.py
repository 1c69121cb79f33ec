"""How a model's ``from_dict`` reaches validation without importing the catalogue.

Models sit below the catalogue (:mod:`allykit.catalog`), which owns the
file format's validation (pydantic at the border, cross-reference checks).
The catalogue registers its validating builder here when it is imported,
which ``import allykit`` always does first, so ``Framework.from_dict`` and
its siblings validate untrusted data exactly as ``load_framework_file``
does, and no model module imports anything above it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

__all__ = ["build", "register"]

_T = TypeVar("_T")
Builder = Callable[[type[Any], Any, str], Any]
_builders: list[Builder] = []


def register(builder: Builder) -> None:
    """Install the validating builder (called once, by :mod:`allykit.catalog`)."""
    _builders[:] = [builder]


def build(cls: type[_T], data: Mapping[str, Any] | str | bytes, source: str) -> _T:
    """Validate *data* (a mapping, or JSON text) and build a *cls* from it."""
    (builder,) = _builders
    return builder(cls, data, source)  # type: ignore[no-any-return]
