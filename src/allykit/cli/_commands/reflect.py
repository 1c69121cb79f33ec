"""``allykit reflect``: a guided reflection driven by the sequencer.

Each prompt comes from :func:`allykit.next_step`, so the order is the
documented one (stages in turn, or a whole reflective cycle per stage),
deterministic for a seed, and the reason for each prompt is shown. The
journal file the user names is the only place answers are written.

Journal format (``kind: allykit-journal``), version 2::

    {"kind": "allykit-journal", "version": 2, "framework": "ally-model",
     "seed": 0,
     "entries": [{"prompt": "...", "text": "...", "answer": "...",
                  "stage": "action", "cycle": null, "cycle_step": null}]}

Version 1 journals (entries of ``prompt`` and ``answer`` only) are read as
they are and saved as version 2 with the next answer; every entry is kept.

No answer is lost: each answer is saved at once, by re-reading the journal
and appending to what is there, under a lock on the journal's folder (an
advisory ``flock`` where the system has one; nothing is written for it), so
two sessions on one journal keep both sets of answers. A journal is read
up to :data:`MAX_JOURNAL_BYTES`, and allykit refuses to save one larger than
that, so whatever it writes it reads back.
"""

import contextlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from allykit.cli._console import (
    JsonOption,
    _err,
    _friendly,
    _out,
    _plural,
    _print_json,
    _read_json_file,
    _typed_answer,
    escape,
    escape_name,
)

if TYPE_CHECKING:
    from rich.console import Console

    from allykit.errors import Problem
    from allykit.models.framework import Framework
    from allykit.reflection import Step
    from allykit.reflection.history import History

__all__ = ["reflect"]

JOURNAL_KIND = "allykit-journal"
JOURNAL_VERSION = 2
#: Largest journal read or written, in bytes (64 MiB: tens of thousands of
#: long answers). Data files of the catalogue have their own, smaller cap.
MAX_JOURNAL_BYTES = 64 * 1024 * 1024
_OPTIONAL_IDS = ("stage", "cycle", "cycle_step", "text")


class Journal:
    """A journal file's content: entries (oldest first), seed and format version."""

    def __init__(
        self, entries: list[dict[str, Any]], *, seed: int | None, version: int
    ) -> None:
        self.entries = entries
        self.seed = seed
        self.version = version


def _problem(path: str, message: str, **extra: str) -> "Problem":
    from allykit import errors

    return errors.Problem(path=path, message=message, **extra)


def _entry_problems(entries: object) -> "list[Problem]":
    if not isinstance(entries, list):
        return [_problem("entries", "expected a list of {prompt, answer}")]
    problems = []
    for number, entry in enumerate(entries):
        where = f"entries[{number}]"
        if not (
            isinstance(entry, Mapping)
            and isinstance(entry.get("prompt"), str)
            and isinstance(entry.get("answer"), str)
        ):
            problems.append(_problem(where, "expected {prompt, answer} text"))
            continue
        problems.extend(
            _problem(f"{where}.{key}", "expected text or null")
            for key in _OPTIONAL_IDS
            if entry.get(key) is not None and not isinstance(entry.get(key), str)
        )
    return problems


def load_journal(path: Path, framework_id: str) -> Journal:
    """Return the journal at *path* (empty for a new file), checking its shape.

    Raises:
        DataFileError: If the file is not a journal of *framework_id*.
    """
    from allykit.errors import DataFileError, short_repr

    if not path.exists():
        return Journal([], seed=None, version=JOURNAL_VERSION)
    from allykit.catalog import read_json_file

    data = read_json_file(path, limit=MAX_JOURNAL_BYTES)
    if not isinstance(data, Mapping) or data.get("kind") != JOURNAL_KIND:
        problem = _problem(
            "kind",
            f"not an allykit journal (expected kind {JOURNAL_KIND!r})",
            hint="name a new file, or one that allykit reflect wrote",
        )
        raise DataFileError(str(path), [problem])
    problems: list[Problem] = []
    version = data.get("version", 1)
    if version not in {1, JOURNAL_VERSION}:
        problems.append(
            _problem(
                "version",
                f"unknown journal version (this allykit reads 1 and {JOURNAL_VERSION})",
                value=short_repr(version),
                hint="upgrade allykit, or name a new journal file",
            )
        )
    if data.get("framework") != framework_id:
        problems.append(
            _problem(
                "framework",
                "the journal belongs to another framework",
                value=short_repr(data.get("framework")),
                hint=f"use --framework {data.get('framework')} or another journal",
            )
        )
    seed = data.get("seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        problems.append(_problem("seed", "expected an integer", value=short_repr(seed)))
    entries = data.get("entries")
    problems.extend(_entry_problems(entries))
    if problems or not isinstance(entries, list):
        raise DataFileError(str(path), problems)
    kept = [
        {
            key: entry[key]
            for key in ("prompt", *_OPTIONAL_IDS, "answer")
            if key in entry
        }
        for entry in entries
    ]
    return Journal(kept, seed=seed, version=version)


def save_journal(
    path: Path, framework_id: str, seed: int, entries: list[dict[str, Any]]
) -> None:
    """Write the journal (current format) to *path*, and nowhere else.

    The file is replaced all at once (see :mod:`allykit.outputs`): if the
    write is interrupted, the journal keeps its previous entries.

    Raises:
        DataFileError: If the journal would be larger than
            :data:`MAX_JOURNAL_BYTES` (it could not be read back).
    """
    from allykit.errors import DataFileError
    from allykit.outputs import write_text_atomic

    document: dict[str, Any] = {
        "kind": JOURNAL_KIND,
        "version": JOURNAL_VERSION,
        "framework": framework_id,
        "seed": seed,
        "entries": entries,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    size = len(text.encode("utf-8"))
    if size > MAX_JOURNAL_BYTES:
        problem = _problem(
            "",
            f"the journal would be larger than the limit of {MAX_JOURNAL_BYTES} bytes",
            value=f"{size} bytes",
            hint="start a new journal file with --journal",
        )
        raise DataFileError(str(path), [problem])
    write_text_atomic(path, text)


@contextlib.contextmanager
def _journal_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on the journal's folder (POSIX ``flock``).

    The folder of the resolved file is locked (links followed), not the
    file, because saving replaces the file;
    nothing is written for the lock. Where ``flock`` is missing, the
    re-read before each save still keeps other sessions' answers.
    """
    try:
        import fcntl
    except ImportError:  # Windows
        yield
        return
    # The folder of the file the journal resolves to: two sessions reaching
    # one journal through different links (or none) take the same lock.
    resolved = Path(os.path.realpath(path))
    try:
        handle = os.open(resolved.parent, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # closing releases the lock


def append_answer(
    path: Path, framework_id: str, seed: int, entry: dict[str, Any]
) -> int:
    """Add *entry* to the journal as it is on disk now; return its entry count.

    The journal is re-read under the lock, so answers another session saved
    meanwhile are kept, then written back with *entry* at the end.
    """
    from allykit.outputs import sweep_temporaries

    with _journal_lock(path):
        # Under the lock no other session is writing: any temporary of this
        # journal is left over from a killed one (and holds private answers).
        sweep_temporaries(path)
        current = load_journal(path, framework_id)
        entries = [*current.entries, entry]
        saved_seed = current.seed if current.seed is not None else seed
        save_journal(path, framework_id, saved_seed, entries)
        return len(entries)


def check_writable(path: Path) -> None:
    """Refuse a journal path that cannot be written, before anything is asked.

    Raises:
        DataFileError: If *path* is a folder, or it or its folder cannot be
            written.
    """
    from allykit.errors import DataFileError
    from allykit.outputs import OutputError, check_output

    folder = path.parent if str(path.parent) else Path()
    message = ""
    if path.is_dir():
        message = "the journal path is a folder"
    elif not folder.is_dir():
        message = f"the folder {folder} does not exist"
    elif path.exists() and not os.access(path, os.W_OK):
        message = "the journal file cannot be written (permission denied)"
    elif not os.access(folder, os.W_OK | os.X_OK):
        message = f"the folder {folder} cannot be written (permission denied)"
    if not message:
        try:  # the one guard: no other user's link in a shared folder
            check_output(path, force=True, journal=True)
        except OutputError as error:
            message = str(error)
    if message:
        problem = _problem("", message, hint="name a journal file you can write")
        raise DataFileError(str(path), [problem])


def history_of(framework_id: str, entries: Sequence[Mapping[str, Any]]) -> "History":
    """Return the sequencing history recorded by journal *entries*."""
    from allykit.models.framework import FrameworkId
    from allykit.reflection.history import History, HistoryEntry

    return History(
        entries=tuple(
            HistoryEntry(
                prompt=entry["prompt"],
                stage=entry.get("stage"),
                cycle_step=entry.get("cycle_step"),
                framework=FrameworkId(framework_id),
                cycle=entry.get("cycle"),
            )
            for entry in entries
        )
    )


def load_scripted_answers(
    path: Path, prompts: Sequence["Framework"] = ()
) -> dict[str, str] | list[str]:
    """Read an answers file: {prompt id: text}, or a list of texts in step order.

    Keys of an object must be prompt ids of *prompts* (the framework, then
    the cycle if any), when given.

    Raises:
        DataFileError: If the file has another shape, or a key is no prompt.
    """
    from allykit.errors import DataFileError, UnknownIdError, short_repr

    data = _read_json_file(path)
    if isinstance(data, Mapping) and all(isinstance(v, str) for v in data.values()):
        known = {p.id for framework in prompts for p in framework.prompts}
        where = " or ".join(
            f"{what} {f.id!r}"
            for what, f in zip(("framework", "cycle"), prompts, strict=False)
        )
        unknown = [
            _problem(
                f"[{short_repr(key)}]",
                str(UnknownIdError.for_id("prompt", key, known, where=where)),
            )
            for key in data
            if prompts and key not in known
        ]
        if unknown:
            raise DataFileError(str(path), unknown)
        return dict(data)
    if isinstance(data, list) and all(isinstance(v, str) for v in data):
        return list(data)
    problem = _problem(
        "",
        "expected an object of prompt id -> answer text, or a list of answers",
        value=short_repr(data),
    )
    raise DataFileError(str(path), [problem])


def _title(framework: "Framework", step: "Step") -> str:
    title = (
        f"{step.stage.position}. {step.stage.name}"
        if step.stage is not None
        else framework.name
    )
    if step.cycle_step is not None:
        title += f" · {step.cycle_step.name}"
    return title


def _scripted(answers: dict[str, str] | list[str], step: "Step", number: int) -> str:
    if isinstance(answers, list):
        return answers[number] if number < len(answers) else "q"
    return answers.get(step.prompt.id, "")


@_friendly
def reflect(  # noqa: PLR0913, PLR0917 -- one option per choice the person can make
    journal: Annotated[
        Path,
        typer.Option(
            "--journal",
            "-j",
            help="Your journal file (JSON); created if missing, resumed if it exists. "
            "Your answers are written here and nowhere else.",
        ),
    ],
    framework_id: Annotated[
        str, typer.Option("--framework", help="Framework whose stages to work through.")
    ] = "ally-model",
    stages: Annotated[
        list[str] | None,
        typer.Option(
            "--stage",
            help="Work on this stage (repeat for several, in order); "
            "default: every stage in the framework's order.",
        ),
    ] = None,
    cycle: Annotated[
        str | None,
        typer.Option(
            "--cycle",
            help="Walk a reflective cycle for each stage, such as "
            "gibbs-reflective-cycle.",
        ),
    ] = None,
    seed: Annotated[
        int | None,
        typer.Option(
            "--seed",
            help="Any integer; the same seed gives the same order "
            "(default: the journal's seed, 0 for a new journal).",
        ),
    ] = None,
    count: Annotated[
        int, typer.Option("--count", "-n", min=1, help="Prompts in this session.")
    ] = 3,
    answers: Annotated[
        Path | None,
        typer.Option(
            "--answers",
            help="Answer from this JSON file instead of asking: {prompt id: text}, "
            "or a list of answers in order ('' skips, 'q' stops).",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """A guided, resumable reflection; answers are saved to your journal file."""
    from allykit.catalog import load_framework
    from allykit.reflection import next_step

    framework = load_framework(framework_id)
    cycle_framework = _cycle(cycle) if cycle is not None else None
    found = load_journal(journal, framework.id)
    check_writable(journal)
    scripted = (
        load_scripted_answers(
            answers, [f for f in (framework, cycle_framework) if f is not None]
        )
        if answers is not None
        else None
    )
    session = _Session(
        framework=framework,
        cycle=cycle_framework,
        focus=list(stages) if stages else None,
        seed=seed if seed is not None else (found.seed or 0),
        journal=journal,
        entries=found.entries,
    )
    # Check the options once, before anything is asked or written.
    next_step(
        framework,
        session.history,
        focus=session.focus,
        cycle=cycle_framework,
        seed=session.seed,
    )
    # With --json, stdout is for the JSON only: the session goes to stderr.
    out = _err() if json_output else _out()
    if found.version != JOURNAL_VERSION and found.entries:
        _err().print(
            f"note: {escape_name(journal)} is a version 1 journal; it is saved as "
            f"version {JOURNAL_VERSION} with your next answer, keeping every entry."
        )
    out.print(
        f"[bold]{escape(framework.name)}[/]: "
        f"{_plural(len(found.entries), 'answer')} in your journal. "
        "Press Enter to skip a prompt, type q to stop."
    )
    if cycle_framework is not None:
        out.print(f"Each stage is taken through {escape(cycle_framework.name)}.")
    try:
        shown = session.run(count, scripted, out, to_stderr=json_output)
    except (KeyboardInterrupt, typer.Abort) as stop:
        # Ctrl-C, or the end of input while an answer was asked for.
        ended = isinstance(stop.__context__, EOFError) or isinstance(stop, EOFError)
        how = "End of input" if ended else "Interrupted"
        if not journal.exists():
            _err().print(f"{how}: {_not_created(journal)}")
        else:
            _err().print(
                f"{how}: {_plural(session.saved, 'answer')} from this session "
                f"{'is' if session.saved == 1 else 'are'} saved in "
                f"{escape_name(journal)}; every answer is saved as soon as it is "
                "given."
            )
        if ended and json_output:  # done (status 0): the JSON says how far
            _print_json(_session_json(session))
        raise typer.Exit(0 if ended else 130) from None
    if json_output:
        _print_json(_session_json(session))
        return
    saved = sum(1 for record in shown if record["answered"])
    if not journal.exists():
        out.print(_not_created(journal))
        return
    out.print(f"Saved {_plural(saved, 'answer')} to {escape_name(journal)}.")


def _session_json(session: "_Session") -> dict[str, Any]:
    """The session as --json prints it: each prompt shown, why, and if answered."""
    return {
        "journal": str(session.journal),
        "framework": session.framework.id,
        "cycle": session.cycle.id if session.cycle is not None else None,
        "seed": session.seed,
        "saved": sum(1 for record in session.shown if record["answered"]),
        "steps": session.shown,
    }


def _not_created(journal: Path) -> str:
    """What to say when no answer was given to a new journal (none is made)."""
    return f"No answers saved; {escape_name(journal)} was not created."


def _cycle(cycle_id: str) -> "Framework":
    # The API's own rule (next_step refuses the same ids with the same words).
    from allykit.reflection import load_cycle

    return load_cycle(cycle_id)


class _Session:
    """One sitting: the steps come from next_step, answers go to the journal."""

    def __init__(  # noqa: PLR0913 -- the session's whole state, by keyword
        self,
        *,
        framework: "Framework",
        cycle: "Framework | None",
        focus: list[str] | None,
        seed: int,
        journal: Path,
        entries: list[dict[str, Any]],
    ) -> None:
        self.framework = framework
        self.cycle = cycle
        self.focus = focus
        self.seed = seed
        self.journal = journal
        self.entries = entries
        self.history = history_of(framework.id, entries)
        self.saved = 0
        self.shown: list[dict[str, Any]] = []  # kept when input ends mid-way

    def run(
        self,
        count: int,
        scripted: dict[str, str] | list[str] | None,
        out: "Console",
        *,
        to_stderr: bool,
    ) -> list[dict[str, Any]]:
        """Offer up to *count* prompts; return what was shown, and why."""
        from rich.panel import Panel  # lazy: not for --help

        from allykit.reflection import next_step

        shown = self.shown
        for number in range(count):
            step = next_step(
                self.framework,
                self.history,
                focus=self.focus,
                cycle=self.cycle,
                seed=self.seed,
            )
            out.print(
                Panel(
                    escape(step.prompt.text),
                    title=escape(_title(self.framework, step)),
                    expand=False,
                )
            )
            out.print(f"[dim]Why this prompt: {escape(step.reason)}[/]")
            if scripted is not None:
                answer = _scripted(scripted, step, number)
            else:
                answer = _typed_answer(to_stderr=to_stderr)
            if answer.strip().lower() == "q":
                break
            # A skipped prompt moves the session on; only answers are saved.
            self.history = self.history.append(step)
            entry = step.entry()
            record: dict[str, Any] = {
                "prompt": entry.prompt,
                "text": step.prompt.text,
                "stage": entry.stage,
                "cycle": entry.cycle,
                "cycle_step": entry.cycle_step,
            }
            shown.append({**record, "reason": step.reason, "answered": False})
            if answer.strip():
                entry_saved = {**record, "answer": answer}
                append_answer(self.journal, self.framework.id, self.seed, entry_saved)
                self.entries.append(entry_saved)
                self.saved += 1
                shown[-1]["answered"] = True
        return shown
