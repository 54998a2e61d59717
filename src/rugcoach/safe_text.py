"""Text for people's eyes with the characters that steer a terminal made visible (SPEC §13).

A note, an activity name, an imported id or an option value can hold an escape sequence
(set the window title, clear the screen, a hidden hyperlink, the answer-back `ESC[6n` that
makes the terminal type), a C1 control, or a bidi override that shows text in another order
than it is stored. Every output meant for people goes through `clean`: the Rich consoles
(render.console), the plain `today` text, messages on standard error and the `md` export.
JSON keeps the exact text (its encoder escapes controls); HTML escapes it as HTML.

Kept as they are: newline and tab (layout), and every printable character of any script.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline; DEL and the C1 controls; the bidi embeddings, overrides
# and isolates; the invisible direction marks; the line and paragraph separators (a line
# break the person cannot see in the file); a byte order mark in the middle of text.
_UNSAFE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean(text: str) -> str:
    """`text` with every control character written out visibly, as `\\x1b` or `\\u202e`."""
    if _UNSAFE.search(text) is None:
        return text  # the usual case: no copy
    return _UNSAFE.sub(_escape, text)


def html_refs(text: str) -> str:
    """`text` (already HTML) with every control character as a character reference
    (`&#x1b;`): the page shows the same, and the file holds no raw escape sequence."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: f"&#x{ord(m.group()):x};", text)


def has_unsafe(text: str) -> bool:
    """Whether `text` holds a character `clean` would escape (ids may not, SPEC §13)."""
    return _UNSAFE.search(text) is not None
