"""The command's words for the library's hints: options, never Python parameters.

The library's messages speak to Python callers ("pass form_name='my_form'",
"supply one with merge_item_text()"). Every message the command prints
(errors, problems, warnings) goes through :func:`cli_words`, which says the
same in the command's terms ("pass --form-name my_form"). One table, so a
new hint needs one new line here, and ``tests/cli/test_hints.py`` finds any
library message this table leaves speaking Python.
"""

from __future__ import annotations

import re

__all__ = ["PYTHON_SPEAK", "cli_words"]

_OWN_FILE = "a copy of the instrument file and pass its path in place of the id"

#: (pattern, replacement), applied in order. Kept as text: ``re`` compiles
#: each pattern the first time a message goes through (and caches it), so
#: that starting the command (``allykit --help``) compiles none of them.
_TABLE: tuple[tuple[str, str], ...] = (
    # A hint said for both ("columns= in Python, --columns FILE.json on the
    # command line", "ignore= / --ignore NAME"): the command's half.
    (r"\b[a-z_]+=(?:'[^']*')? in Python, (--[^;,)]+?) on the command line", r"\1"),
    (r"\b[a-z_]+=(?:'[^']*')? / (--)", r"\1"),
    (r"pass form_name='([^']*)'", r"pass --form-name \1"),
    (r"\bform_name '", "--form-name '"),
    (
        r"a shorter form_name=, such as '([^']*)'",
        r"a shorter --form-name, such as \1",
    ),
    (r"pass a shorter record_id=", "pass a shorter --form-name or --prefix"),
    (r"pass record_id='[^']*'", "use a field name of letters, digits and _"),
    (r"pass prefix='([^']*)'", r"pass --prefix \1"),
    (r"pass prefix= or record_id=", "pass --prefix"),
    (r"a shorter prefix=", "a shorter --prefix"),
    (r"pass prefix=", "pass --prefix"),
    (r"pass invalid='missing'", "pass --invalid missing"),
    (r"\bna_code must be", "--na-code must be"),
    (r"pass another na_code\b", "pass another --na-code"),
    (r"\bquestion_type must be", "--question-type must be"),
    (
        r"pass columns=\{item id: column name\} to map columns",
        "pass --columns MAP.json (item id -> column name) to map columns",
    ),
    (r"columns=\{item id: name\}", "--columns MAP.json (item id -> column name)"),
    (r"name id_column= when importing", "name the column with --id-column"),
    (r"needs id_column= naming", "needs --id-column naming"),
    (
        r"add it to fields= or ignore=, or pass strict=False",
        "check it against the export's header",
    ),
    (
        r"open it with open\(path, encoding='utf-8-sig', newline=''\)",
        "save it as UTF-8 text",
    ),
    (
        r"supply them from your own licensed copy with merge_item_text\(\)",
        f"supply them from your own licensed copy: add them to {_OWN_FILE}",
    ),
    (
        r"from your own licensed copy with merge_item_text\(\) first",
        f"from your own licensed copy to {_OWN_FILE}",
    ),
    (r"supply one with merge_item_text(\(\))?", f"add one to {_OWN_FILE}"),
    (r"see allykit\.available_frameworks\(\)", "see allykit list"),
    (
        r"store history\.migrate\(framework\) to update the history",
        "the journal keeps the old id, which is read the same way",
    ),
    # allykit bundle: --name, --version, --file, --plugins, --force.
    (r"wrap it: files=\[path\]", "name each file with a --file option of its own"),
    (r"(?<![\w-])name=", "--name "),
    (r"(?<![\w-])version=", "--version "),
    (r"(?<![\w-])files=", "--file "),
    (r"plugins=True \(--plugins\)", "--plugins"),
    (r"with overwrite=True \(--force\)", "with --force"),
    (r",? or pass strict=False", ""),
    (r"pass strict=False", "fix the header"),
)

#: What a Python parameter or call looks like in a message: ``name=``,
#: ``name()``. No message the command prints may match (the tests search
#: with it; a pattern, so that the command compiles it only when used).
PYTHON_SPEAK = r"(?<![\w\-.])[a-z][a-z0-9]*(?:_[a-z0-9]+)*=(?!=)|\b\w+\(\)"


def cli_words(text: str) -> str:
    """Return *text* with the library's Python hints said as command options.

    >>> cli_words("rename one, or pass prefix='q_'")
    'rename one, or pass --prefix q_'
    >>> cli_words("no response scale; supply one with merge_item_text()")[:40]
    'no response scale; add one to a copy of '
    """
    for pattern, replacement in _TABLE:
        text = re.sub(pattern, replacement, text)
    return text
