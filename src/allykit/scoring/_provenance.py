"""What a result rests on: the instrument's content hash, status and record."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from allykit.errors import InvalidArgumentError, short_repr

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument

__all__ = ["instrument_hash", "instrument_record", "instrument_status", "status_note"]


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


#: The three statuses an instrument can have, in the words every output uses.
_STATUS_WORDS = {
    "validated": "a validated measure",
    "published": (
        "a published scale completed with items you supplied: allykit cannot "
        "confirm these items match the validated version"
    ),
    "own": "a reflective aid, not a validated measure",
}


def instrument_status(
    instrument: Instrument | None = None,
    *,
    validated: bool | None = None,
    published: bool = False,
) -> str:
    """Return the instrument's status in the words every output uses.

    Three statuses, from the instrument itself or from what a stored
    report or record kept of it (*validated*, *published*):

    - a validated measure (``validated``; none is bundled today);
    - a published scale whose items the user supplied with
      :func:`~allykit.catalog.merge_item_text` (the instrument carries
      ``published`` metadata): allykit cannot confirm those items match
      the validated version;
    - one of allykit's own inventories: a reflective aid, not a validated
      measure.

    Every summary, provenance record, reliability text, HTML report,
    survey export and :meth:`ScoreReport.explain` says the status through
    this function, so none can overclaim.

    Raises:
        InvalidArgumentError: If neither an instrument nor *validated* is
            given.

    >>> from allykit.catalog import load_instrument
    >>> instrument_status(load_instrument("ally-model-reflection"))
    'a reflective aid, not a validated measure'
    >>> instrument_status(validated=False, published=True)[:46]
    'a published scale completed with items you sup'

    .. versionchanged:: 0.2.0
       Takes the instrument, and tells published scales apart.
    """
    if instrument is not None:
        from allykit.models.instrument import Instrument

        if not isinstance(instrument, Instrument):
            msg = f"instrument must be an Instrument, not {short_repr(instrument)}"
            raise InvalidArgumentError(msg)
        validated = bool(instrument.validated)
        published = instrument.published is not None
    elif validated is None:
        msg = "instrument_status needs an instrument or validated=True/False"
        raise InvalidArgumentError(msg)
    if validated:
        return _STATUS_WORDS["validated"]
    return _STATUS_WORDS["published" if published else "own"]


def status_note(status: str) -> str:
    """Return the closing sentence of an explanation for a status.

    >>> print(status_note(instrument_status(validated=False)))
    This instrument is a reflective aid, not a validated measure: the numbers ...
    """
    joiner = ";" if ":" in status else ":"
    return (
        f"This instrument is {status}{joiner} the numbers describe these answers "
        "on this occasion, not the person."
    )


def instrument_record(instrument: Instrument) -> dict[str, Any]:
    """What a result rests on: the instrument's id, version, status and hash.

    ``status`` is :func:`instrument_status` in words; ``published`` says
    whether it is a published scale completed with the user's items.

    The one shape every output that has room for it carries (a pandas
    frame's ``attrs``, Parquet and Arrow metadata, ``allykit score``'s
    summary and provenance record) under the key ``allykit.instrument``.
    """
    return {
        "id": instrument.id,
        "version": instrument.version,
        "validated": instrument.validated,
        "published": instrument.published is not None,
        "status": instrument_status(instrument),
        "content_hash": instrument_hash(instrument),
    }
