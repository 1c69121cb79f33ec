"""What every kind of document shares: the file format in and out, and a content hash.

:class:`Document` is a mixin of the four kinds (framework, instrument,
crosswalk, published scale). It writes each conversion once; attrs still
generates every class's own ``__init__``, ``__eq__``, ``__hash__`` and
``__repr__``.

Validation lives in the catalogue (layer 2), above the models: ``from_dict``
and ``from_json`` import it by name when called, the one upward import the
layer test allows (``tests/test_architecture.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self from Python 3.11


__all__ = ["Document"]


class Document:
    """The file format in and out: ``to_dict``/``from_dict``, JSON, content hash."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the document as JSON-ready plain data (the file format).

        >>> from allykit import Framework, load_framework
        >>> model = load_framework("ally-model")
        >>> Framework.from_dict(model.to_dict()) == model
        True
        """
        from allykit.models._convert import document

        return document(self)

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the document as JSON text in the file format."""
        from allykit.models._convert import json_text

        return json_text(self.to_dict(), indent=indent)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, source: str = "<mapping>") -> Self:
        """Validate plain data in the file format and build the document.

        This is the one way to build a document from a mapping: the same
        schema and cross-reference checks as loading a file. *source* names
        the data in problems (a file name, say). The mapping is only read,
        never changed.

        Raises:
            DataFileError: Listing every problem, with its location.
        """
        from allykit.catalog._store import build_for_models  # models -> catalogue

        return build_for_models(cls, data, source)  # type: ignore[no-any-return]

    @classmethod
    def from_json(cls, text: str | bytes, *, source: str = "<string>") -> Self:
        """Validate JSON text in the file format and build the document.

        Raises:
            DataFileError: If the text is not strict UTF-8 JSON within the
                size limit, or does not match the format; lists every problem.
        """
        from allykit.catalog._store import build_for_models  # models -> catalogue

        return build_for_models(cls, text, source)  # type: ignore[no-any-return]

    @property
    def content_hash(self) -> str:
        """Return a SHA-256 hex digest of the canonical JSON of this document.

        Two documents with equal content have equal hashes, whatever the key
        order or white space of the files they came from.
        """
        from allykit.models._convert import content_hash

        return content_hash(self.to_dict())
