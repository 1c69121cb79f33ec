"""One serialisation contract for every result type.

:class:`Result` is a mixin of the results allykit computes (the score,
reliability, change and waves reports, a history, an ally map, a profile
translation, a journey). Each gets the same four conversions, written once
(``tests/test_result_contract.py`` checks that every public type writing
JSON is a document or one of these, and that each round-trips)::

    to_dict()                               plain JSON-ready data
    to_json(*, indent=2)                    JSON text
    from_dict(data, *, source="<mapping>")  validate and build
    from_json(text, *, source="<string>")   parse, validate and build

``from_dict`` and ``from_json`` validate like a data file: every problem
is reported at once with its location, in a :class:`~allykit.errors.DataFileError`
naming *source*. attrs still generates every class's own ``__init__``,
``__eq__``, ``__hash__`` and ``__repr__``.

Validation lives in the catalogue (layer 2), above the models; the two
conversions that need it import it by name, when called, and the layer test
allows exactly that import (``tests/test_architecture.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11

__all__ = ["Result"]


class Result:
    """The four conversions, the same for every result."""

    __slots__ = ()

    #: The document's title in messages and its JSON Schema.
    _TITLE: ClassVar[str] = "allykit result"

    def to_dict(self) -> dict[str, Any]:
        """Return the result as JSON-ready plain data (``schema_version`` first)."""
        from allykit.models._convert import document

        return document(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the result as JSON text; indented text ends with a newline."""
        from allykit.models._convert import json_text

        return json_text(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<mapping>") -> Self:
        """Validate plain data (as :meth:`to_dict` writes it) and build the result.

        *source* names the data in problems (a file name, say). The mapping
        is only read, never changed.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        from allykit.catalog._loading import load_document  # models -> catalogue

        return load_document(cls, data, source=source, title=cls._TITLE)

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str = "<string>") -> Self:
        """Validate JSON text (as :meth:`to_json` writes it) and build the result.

        Raises:
            DataFileError: If the text is not strict UTF-8 JSON within the
                size limit, or does not match; lists every problem.
        """
        from allykit.catalog._loading import parse_json  # models -> catalogue

        return cls.from_dict(parse_json(text, source), source=source)
