"""What a result rests on: the instrument's content hash, status and record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument

__all__ = ["instrument_hash", "instrument_record", "instrument_status"]


# Content hashes by the id of their instrument, with a weak reference that
# tells a live instrument from a later one reusing its id (as plans do).
_hashes: dict[int, tuple[Any, str]] = {}


def instrument_hash(instrument: Instrument) -> str:
    """Return the instrument's ``content_hash``, worked out once per instrument.

    Reports carry it so that a result can be traced to the exact data.
    """
    key = id(instrument)
    found = _hashes.get(key)
    if found is not None and found[0]() is instrument:
        return found[1]
    import weakref

    digest = instrument.content_hash

    def forget(_ref: object) -> None:
        _hashes.pop(key, None)

    _hashes[key] = (weakref.ref(instrument, forget), digest)
    return digest


def instrument_status(*, validated: bool) -> str:
    """The instrument's status in words, as every summary and report says it."""
    return (
        "a validated measure"
        if validated
        else "a reflective aid, not a validated measure"
    )


def instrument_record(instrument: Instrument) -> dict[str, Any]:
    """What a result rests on: the instrument's id, version, status and hash.

    The one shape every output that has room for it carries (a pandas
    frame's ``attrs``, Parquet and Arrow metadata, ``allykit score``'s
    summary and provenance record) under the key ``allykit.instrument``.
    """
    return {
        "id": instrument.id,
        "version": instrument.version,
        "validated": instrument.validated,
        "content_hash": instrument_hash(instrument),
    }
