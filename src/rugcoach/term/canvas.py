"""Plain text at the terminal's width, drawn without Rich: the `Canvas` that `today`,
`history` and the library table write their lines on.

Styling (bold, colours) only on a terminal, and never with NO_COLOR or TERM=dumb. Standard
library only: `rugcoach today` draws with it (SPEC §8).
"""

from __future__ import annotations

import os
import shutil
import sys
import textwrap
from typing import TYPE_CHECKING

from rugcoach.safe_text import clean

if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_WIDTH = 100
STYLES = {
    "bold": "1",
    "dim": "2",
    "green": "1;32",
    "urgent": "1;97;41",
    "consult": "1;30;43",
    "adjust": "1",
    "urgent-border": "31",
    "consult-border": "33",
    "adjust-border": "34",
}


class Canvas:
    """Lines of text at a fixed width, styled only when the output can show it."""

    def __init__(self, width: int, color: bool) -> None:
        self.width = width
        self.color = color
        self.lines: list[str] = []

    def style(self, text: str, name: str) -> str:
        return f"\x1b[{STYLES[name]}m{text}\x1b[0m" if self.color and text else text

    def add(self, text: str = "") -> None:
        # Without colour no escape code of ours is in the text: every control character is
        # someone else's, and is shown escaped (SPEC §13). With colour, the text passed to
        # `para`, `box` and the table was cleaned before it was styled.
        self.lines.append(text if self.color else clean(text))

    def para(self, text: str, label: str = "", style: str = "bold", emphasis: bool = False) -> None:
        """`label text`, wrapped to the width, continuation lines indented under the text;
        the label is styled, or with `emphasis` the whole paragraph."""
        text, label = clean(text), clean(label)
        first = f"{label} " if label else ""
        indent = "  " if label else ""
        wrapped = textwrap.wrap(
            first + text, self.width, break_on_hyphens=False, subsequent_indent=indent
        ) or [first.rstrip()]
        if label:
            wrapped[0] = self.style(label, style) + wrapped[0][len(label) :]
        elif emphasis:
            wrapped = [self.style(line, style) for line in wrapped]
        self.lines.extend(wrapped)

    def box(self, title: str, body: str | Sequence[str], level: str, corner: str) -> None:
        """A framed box; `body` is one paragraph or several (an empty one is a blank line)."""
        inner = self.width - 4
        title, corner = clean(title), clean(corner)
        if len(title) > self.width - 6:
            title = title[: self.width - 7] + "…"
        if len(corner) > self.width - 8:
            corner = ""
        border = f"{level}-border"
        top_fill = self.width - 5 - len(title)
        self.add(
            self.style("╭─ ", border)
            + self.style(title, level)
            + self.style(" " + "─" * max(top_fill, 0) + "╮", border)
        )
        paragraphs = [clean(p) for p in ([body] if isinstance(body, str) else body)]
        for paragraph in paragraphs:
            for line in textwrap.wrap(paragraph, inner, break_on_hyphens=False) or [""]:
                self.add(self.style("│ ", border) + line.ljust(inner) + self.style(" │", border))
        if corner:
            bottom = "─" * max(self.width - 5 - len(corner), 0) + " " + corner + " ─╯"
        else:
            bottom = "─" * (self.width - 2) + "╯"
        self.add(self.style("╰" + bottom, border))

    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.lines) + "\n"


def width() -> int:
    """The terminal's width, kept between 40 and MAX_WIDTH columns."""
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, MAX_WIDTH))


def color() -> bool:
    """Whether to style: on a terminal, without NO_COLOR or TERM=dumb."""
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


def screen() -> Canvas:
    """A canvas for standard output: its width, styled when it can show it."""
    return Canvas(width(), color())
