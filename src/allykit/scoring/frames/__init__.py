"""Score DataFrames on any engine, with exactly the rules of ``score``.

:func:`score_frame` turns a frame of answers (one row per respondent, one
column per item; or long: respondent, item, value) into a frame of scale
scores *of the same library*: pandas in, pandas out; polars eager or lazy,
pyarrow, Dask and DuckDB relations likewise (any backend narwhals
supports). Every rule of :func:`allykit.scoring.score` is written as
column expressions, not a Python loop over rows, so lazy engines stay lazy
and distributed ones stay distributed:

- a number must equal a choice value, text must be a choice label or alias
  (trimmed, white space collapsed, case ignored); N/A codes and labels
  count as "does not apply", blanks (null, and NaN, which is how pandas
  writes a missing number) as missing;
- reverse-keyed items are scored ``min + max - value`` with the scale's
  declared bounds; weights apply to sums and means;
- a score needs ``max(min_answered, ceil(min_answered_share * applicable))``
  answered items, else it is null (withheld); fewer than all items means
  it is prorated; ``sum`` is prorated to all items, ``pomp`` is 0-100,
  ``median`` is the middle answer.

The frame is read as :func:`allykit.scoring.answers.read_answers` reads
one, with the same problems for the same table: columns are checked by the
same rules (``columns``, ``id_column``, ``ignore``, the housekeeping
columns of REDCap and Qualtrics exports set aside, a did-you-mean for a
misspelt column), and each unusable answer is named by row and column in
the reader's words (only the count and the first 20 offending rows are
collected, never the whole frame). A Qualtrics export read as it is (its
question-text and ImportId rows as the first data rows) is recognised and
those rows left out, in eager frames and lazy polars ones; other lazy
engines refuse it with what to do.

Needs the ``frames`` extra (``pip install "allykit-frameworks[frames]"``,
which installs narwhals); narwhals is imported only when these functions run.

>>> import polars as pl
>>> from allykit.catalog import load_instrument
>>> inventory = load_instrument("ally-model-reflection")
>>> answers = pl.DataFrame(
...     {
...         "who": ["a", "b"],
...         "ac-speak-up": [5, 4],
...         "ac-practical-support": ["Agree", "Does not apply"],
...         "ac-use-influence": [4, 4],
...         "ac-act-with-others": [4, 5],
...         "ac-keep-the-peace": [2, None],
...         "ac-leave-it-to-others": [3, 2],
...     }
... )
>>> scores = score_frame(inventory, answers, id_column="who")
>>> scores.select("who", "action", "action_answered", "action_prorated").rows()
[('a', 4.0, 6, False), ('b', 4.25, 4, True)]
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from allykit.errors import InvalidArgumentError, short_repr
from allykit.scoring.frames._checks import (
    MISSING_COLUMN,
    column_map,
    load_narwhals,
    nan_is_null_columns,
    offenders,
    resolve_items,
    schema_of,
    settle_objects,
    skip_qualtrics_rows,
    wrap,
)
from allykit.scoring.frames._long import long_to_wide
from allykit.scoring.frames._rules import (
    ANSWERED,
    NOT_APPLICABLE,
    PRORATED,
    ItemExprs,
    bad_flag,
    flag,
    staged,
)

if TYPE_CHECKING:
    from allykit.models.instrument import Instrument
    from allykit.scoring._plan import Plan
    from allykit.scoring._reliability import MissingPolicy, ReliabilityReport

__all__ = ["reliability_frame", "score_columns", "score_frame"]


def score_columns(instrument: Instrument) -> tuple[str, ...]:
    """Return the names of the columns :func:`score_frame` writes, in order.

    For each scale: ``<scale>`` (the headline score, null when withheld),
    ``<scale>_answered``, ``<scale>_not_applicable`` and ``<scale>_prorated``.

    >>> from allykit.catalog import load_instrument
    >>> score_columns(load_instrument("ally-model-reflection"))[:2]
    ('self-examination', 'self-examination_answered')

    Raises:
        InvalidArgumentError: If *instrument* is not an Instrument.
    """
    from allykit.models.instrument import Instrument

    if not isinstance(instrument, Instrument):
        msg = (
            f"expected an Instrument (from allykit.load_instrument or "
            f"load_instrument_file), got {short_repr(instrument)}"
        )
        raise InvalidArgumentError(msg)
    names: list[str] = []
    for scale in instrument.scales:
        names.extend(
            (
                scale.id,
                scale.id + ANSWERED,
                scale.id + NOT_APPLICABLE,
                scale.id + PRORATED,
            )
        )
    return tuple(names)


def score_frame(  # noqa: PLR0913 -- keyword-only options, as score() has
    instrument: Instrument,
    frame: Any,
    *,
    columns: Mapping[str, str] | str | os.PathLike[str] | None = None,
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    labels: bool = True,
    invalid: Literal["raise", "missing"] = "raise",
    long: bool = False,
    item_column: str = "item",
    value_column: str = "value",
) -> Any:
    """Score every row of a DataFrame, returning a frame of the same library.

    The result has the id column (if named) and, for each scale,
    ``<scale>`` (headline score by the scale's method; null when withheld),
    ``<scale>_answered``, ``<scale>_not_applicable`` and ``<scale>_prorated``
    (see :func:`score_columns`). Values equal :func:`allykit.scoring.score`
    row by row. Eager frames come back eager, lazy ones lazy (nothing is
    collected but the small checks below).

    Args:
        instrument: The instrument answered.
        frame: A pandas, polars (eager or lazy), pyarrow, Dask, DuckDB or
            other narwhals-supported frame.
        columns: Item id -> column name, for columns not named after items;
            None means every column but the id column is an item id.
        id_column: Column identifying the respondent, copied to the result
            and named in errors. Required with *long*.
        ignore: Other columns to set aside (names or :mod:`fnmatch`
            patterns such as ``"note_*"``), as for ``read_answers``; the
            housekeeping columns of REDCap and Qualtrics exports are set
            aside unasked.
        labels: Accept text columns as choice labels (default). With False,
            every answer column must be numeric.
        invalid: ``"raise"`` (default) checks every answer first and raises
            one error naming each unusable answer by row and column, as
            ``read_answers`` does; ``"missing"`` scores them as missing.
        long: Read long input: one row per (respondent, item, value).
        item_column: With *long*, the column naming the item.
        value_column: With *long*, the column holding the answer.

    Returns:
        A frame of the input's library with the score columns. A pandas
        frame names the instrument (id, version, ``validated``,
        ``content_hash``) in ``attrs["allykit.instrument"]``, a pyarrow
        table in its schema metadata under the same key.

    Raises:
        AnswersError: The problems ``read_answers`` gives for the same
            table, in its words: unknown or misspelt columns (with a
            did-you-mean), a missing id column, and (with
            ``invalid="raise"``) each unusable answer at ``row N, column
            'c'`` (1-based), the first 20 and a count of the rest. Rows of
            lazy engines that keep no order (DuckDB, Dask, Spark) are named
            by their id instead. It is a :class:`~allykit.errors.ResponseError`.
        ResponseError: A column of mixed Python objects in a lazy frame
            (Dask; in an eager pandas frame they are read value by value),
            or, with ``labels=False``, a column of text.
        InvalidArgumentError: Bad arguments, an instrument that cannot be
            scored (metadata only), or narwhals not installed.

    Warns:
        UnvalidatedInstrumentWarning: Once per call when the instrument is
            not a validated measure, naming its id, version and content hash.

    >>> import warnings
    >>> from allykit.errors import UnvalidatedInstrumentWarning
    >>> warnings.simplefilter("ignore", UnvalidatedInstrumentWarning)
    >>> import pandas as pd
    >>> from allykit.catalog import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> answers = pd.DataFrame(
    ...     {
    ...         "who": ["a", "a", "a", "a"],
    ...         "item": [
    ...             "ac-speak-up", "ac-use-influence", "ac-act-with-others",
    ...             "ac-keep-the-peace",
    ...         ],
    ...         "value": [5, 4, 4, 2],
    ...     }
    ... )
    >>> score_frame(inventory, answers, id_column="who", long=True)[["who", "action"]]
      who  action
    0   a    4.25
    """
    nw, plan, source, items = _prepare(
        instrument,
        frame,
        columns=columns,
        id_column=id_column,
        ignore=ignore,
        labels=labels,
        invalid=invalid,
        long=long,
        item_column=item_column,
        value_column=value_column,
    )
    if not instrument.validated:
        _warn_unvalidated(instrument)
    keep = [id_column] if id_column is not None else []
    return _labelled(staged(nw, source, plan, items, keep).to_native(), instrument)


def _labelled(native: Any, instrument: Instrument) -> Any:
    """Name the instrument in the result, where its library has a place.

    A pandas frame gets ``attrs["allykit.instrument"]``; a pyarrow table the
    same key in its schema metadata (as JSON). Other libraries have no
    frame-level metadata; the warning and the docs say what the scores rest
    on there.
    """
    from allykit.scoring._score import instrument_record

    library = type(native).__module__.partition(".")[0]
    if library == "pandas" and isinstance(getattr(native, "attrs", None), dict):
        native.attrs["allykit.instrument"] = instrument_record(instrument)
    elif library == "pyarrow" and hasattr(native, "replace_schema_metadata"):
        import json

        metadata = dict(native.schema.metadata or {})
        metadata[b"allykit.instrument"] = json.dumps(
            instrument_record(instrument), sort_keys=True
        ).encode("utf-8")
        native = native.replace_schema_metadata(metadata)
    return native


def _warn_unvalidated(instrument: Instrument) -> None:
    from allykit.errors import UnvalidatedInstrumentWarning, warn
    from allykit.scoring._score import instrument_hash, instrument_status

    warn(
        f"{instrument.id} {instrument.version} (content hash "
        f"{instrument_hash(instrument)[:12]}) is {instrument_status(instrument)}; "
        "these scores describe answers, not people",
        UnvalidatedInstrumentWarning,
    )


def reliability_frame(  # noqa: PLR0913 -- the options of reliability and score_frame
    instrument: Instrument,
    frame: Any,
    *,
    missing: MissingPolicy = "listwise",
    invalid: Literal["raise", "missing"] = "raise",
    columns: Mapping[str, str] | str | os.PathLike[str] | None = None,
    id_column: str | None = None,
    ignore: Iterable[str] = (),
    labels: bool = True,
    long: bool = False,
    item_column: str = "item",
    value_column: str = "value",
    omega: bool = False,
) -> ReliabilityReport:
    """Return :func:`allykit.scoring.reliability` of the answers in a DataFrame.

    :func:`~allykit.scoring.reliability` calls this when given a frame,
    so ``reliability(instrument, frame)`` works too. Answers are resolved
    with exactly the rules of :func:`score_frame` (choice values, labels,
    N/A, blanks and NaN as missing; the problems of ``read_answers``, cell
    by cell), as column expressions on the frame's own
    engine; then only the resolved item columns of the instrument's scales
    are collected (lazy and distributed frames are collected once, to
    ``rows x items`` floats) and the statistics are computed by the same
    code as for response mappings, so the report is the same.

    Args:
        instrument: The instrument answered.
        frame: A pandas, polars (eager or lazy), pyarrow, Dask, DuckDB,
            PySpark or other narwhals-supported frame.
        missing: ``"listwise"`` (complete rows only) or ``"pairwise"``.
        invalid: ``"raise"`` or ``"missing"``, as for :func:`score_frame`.
        columns: Item id -> column name (or, with *long*, -> name in the
            item column); None means columns are named by item id.
        id_column: Column identifying the respondent; named in errors.
            Required with *long*.
        ignore: Other columns to set aside, as for :func:`score_frame`.
        labels: Accept text columns as choice labels (default).
        long: Read long input: one row per (respondent, item, value).
        item_column: With *long*, the column naming the item.
        value_column: With *long*, the column holding the answer.
        omega: Also give omega total and loadings (extra ``stats``).

    Returns:
        The report; ``n_rows`` counts the frame's rows (respondents, when
        *long*).

    Raises:
        AnswersError: As for :func:`score_frame`: the problems of
            ``read_answers`` for the same table.
        ResponseError: A column of mixed Python objects in a lazy frame,
            or of text with ``labels=False``.
        InvalidArgumentError: Bad arguments, an instrument that cannot be
            scored, or narwhals not installed.

    >>> import pandas as pd
    >>> from allykit.catalog import load_instrument
    >>> inventory = load_instrument("ally-model-reflection")
    >>> answers = pd.DataFrame(
    ...     {"ac-speak-up": [1, 3, 4, 2, 5], "ac-use-influence": [2, 3, 5, 1, 4]}
    ... )
    >>> report = reliability_frame(inventory, answers, missing="pairwise")
    >>> action = report.scale("action")
    >>> action.n_used, action.items[0].mean, action.items[1].n  # item 1 not asked
    (5, 3.0, 0)
    """
    from allykit.scoring._answer_file import frame_value
    from allykit.scoring._reliability import _check_missing, _report_from_columns

    _check_missing(missing)
    nw, plan, source, items = _prepare(
        instrument,
        frame,
        columns=columns,
        id_column=id_column,
        ignore=ignore,
        labels=labels,
        invalid=invalid,
        long=long,
        item_column=item_column,
        value_column=value_column,
    )
    needed = sorted({index for sp in plan.scales for index, _, _, _ in sp.members})
    table = source.select(*[items[i].value.alias(f"__v{i}") for i in needed])
    if isinstance(table, nw.LazyFrame):
        table = table.collect()
    # A pandas nullable column lists its blanks as pd.NA: None, as for rows.
    by_item = {
        i: [frame_value(v) for v in table.get_column(f"__v{i}").to_list()]
        for i in needed
    }
    return _report_from_columns(
        instrument, by_item, n_rows=len(table), missing=missing, omega=omega
    )


def _check_options(
    invalid: object, id_column: object, item_column: object, value_column: object
) -> None:
    from allykit.scoring._score import _check_policy

    _check_policy(invalid)
    for name, argument in (
        ("id_column", id_column),
        ("item_column", item_column),
        ("value_column", value_column),
    ):
        if argument is not None and not isinstance(argument, str):
            msg = f"{name} must be a column name, got {short_repr(argument)}"
            raise InvalidArgumentError(msg)


def _prepare(  # noqa: PLR0913 -- score_frame()'s options, passed on
    instrument: Instrument,
    frame: Any,
    *,
    columns: Mapping[str, str] | str | os.PathLike[str] | None,
    id_column: str | None,
    ignore: Iterable[str],
    labels: bool,
    invalid: str,
    long: bool,
    item_column: str,
    value_column: str,
) -> tuple[Any, Plan, Any, list[ItemExprs]]:
    """Check the options and the frame of score_frame() and reliability_frame().

    Returns narwhals, the instrument's plan, the frame (wide, with resolved
    columns) and the expressions of its items.
    """
    from allykit.scoring._plan import plan_for
    from allykit.scoring.answers import _columns_of

    _check_options(invalid, id_column, item_column, value_column)
    plan = plan_for(instrument)
    nw = load_narwhals()
    mapping_given = _columns_of(columns, "<frame>")
    wrapped = wrap(nw, frame)
    wrapped, numeric_text = skip_qualtrics_rows(nw, wrapped)
    schema = schema_of(wrapped)
    if long:
        if id_column is None:
            msg = "long input needs id_column= naming the respondent column"
            raise InvalidArgumentError(msg)
        source, items = long_to_wide(
            nw,
            wrapped,
            plan,
            columns=mapping_given,
            id_column=id_column,
            item_column=item_column,
            value_column=value_column,
            labels=labels,
            raise_on_problems=invalid == "raise",
        )
        return nw, plan, source, items
    mapping = column_map(plan, mapping_given, schema, id_column, ignore)
    wrapped, coded = settle_objects(nw, wrapped, plan, mapping)
    resolved = resolve_items(
        nw,
        plan,
        mapping,
        schema,
        labels=labels,
        nan_is_null=nan_is_null_columns(nw, wrapped),
        numeric_text=numeric_text,
        coded=coded,
    )
    source = wrapped
    refused = any(
        not (schema[c].is_numeric() or schema[c] == nw.String)
        or schema[c] == nw.Boolean
        for c in mapping.values()
    )
    if len(mapping) < len(plan.items) or refused:
        # The all-null column of items the frame lacks, and of refused columns.
        source = wrapped.with_columns(
            nw.lit(None, dtype=nw.Float64).alias(MISSING_COLUMN)
        )
    # Resolve each item once, as columns: the check and the scores read them.
    source = source.with_columns(
        *[item.value.alias(f"__v{p}") for p, item in enumerate(resolved)],
        *[
            flag(nw, item.na).alias(f"__na{p}")
            for p, item in enumerate(resolved)
            if not item.na_never
        ],
    )
    checked = []
    if invalid == "raise":
        checked = [p for p, item in enumerate(plan.items) if item.id in mapping]
        source = source.with_columns(
            *[bad_flag(nw, p, resolved[p]).alias(f"__bad{p}") for p in checked]
        )
    items = [
        ItemExprs(
            nw.col(f"__v{p}"),
            nw.lit(value=False) if item.na_never else nw.col(f"__na{p}") == 1,
            nw.col(f"__bad{p}") == 1 if p in checked else nw.lit(value=False),
            na_never=item.na_never,
        )
        for p, item in enumerate(resolved)
    ]
    if invalid == "raise":
        error = offenders(
            nw, source, plan, mapping, id_column, numeric_text=numeric_text
        )
        if error is not None:
            raise error
    return nw, plan, source, items
