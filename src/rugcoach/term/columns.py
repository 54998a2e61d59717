"""Plain-text tables that fit the terminal without cutting a word (SPEC §15).

Rich shrinks a table to the width by cutting cells (`sciatic-ne…`) or dropping columns;
here an id column is never narrowed, text columns wrap at word boundaries, and when even
that does not fit the text columns move onto lines of their own under each row.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

GAP = "  "
MIN_TEXT = 12


def table(
    heads: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    *,
    wrap: frozenset[int] = frozenset(),
    right: frozenset[int] = frozenset(),
    indent: str = "  ",
) -> list[str]:
    """Lines of a table of `rows` under `heads`, at most `width` wide where the cells allow.

    Columns in `wrap` may wrap (at spaces only); the others are kept whole; those in `right`
    are right-aligned. Control characters in a cell are shown escaped (SPEC §13): the lines
    may be written out as they are."""
    from rugcoach.safe_text import clean

    heads = [clean(h) for h in heads]
    rows = [[clean(c) for c in row] for row in rows]
    count = len(heads)
    natural = [max([len(heads[i]), *(len(r[i]) for r in rows)]) for i in range(count)]
    if sum(natural) + len(indent) + len(GAP) * (count - 1) > width:
        # First let the headings wrap at their spaces ("wandel min" over two lines).
        natural = [max([_longest_word(heads[i]), *(len(r[i]) for r in rows)]) for i in range(count)]
    fixed = [i for i in range(count) if i not in wrap]
    avail = width - len(indent) - sum(natural[i] for i in fixed) - len(GAP) * (count - 1)
    widths = list(natural)
    wrapping = [i for i in range(count) if i in wrap]
    if wrapping and avail < sum(natural[i] for i in wrapping):
        share = avail // len(wrapping)
        for i in wrapping:
            widths[i] = max(min(natural[i], share), 1)
        narrow = any(widths[i] < min(natural[i], MIN_TEXT) for i in wrapping)
        if narrow or any(_longest_word(r[i]) > widths[i] for r in rows for i in wrapping):
            return _stacked(heads, rows, width, natural, fixed, wrapping, right, indent)
    return _side_by_side(heads, rows, widths, wrap, right, indent)


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def _cell_lines(text: str, width: int, wraps: bool) -> list[str]:
    if not wraps:
        return [text]
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


def _join(
    cells: Sequence[str], widths: Sequence[int], right: frozenset[int], cols: Sequence[int]
) -> str:
    parts = [
        cells[k].rjust(widths[k]) if col in right else cells[k].ljust(widths[k])
        for k, col in enumerate(cols)
    ]
    return GAP.join(parts).rstrip()


def _head_lines(
    heads: Sequence[str],
    widths: Sequence[int],
    right: frozenset[int],
    cols: Sequence[int],
    indent: str,
) -> list[str]:
    """The heading row; a heading wider than its column wraps at its spaces, bottom-aligned
    so the last line sits on the rule."""
    cells = [_cell_lines(h, w, len(h) > w) for h, w in zip(heads, widths, strict=True)]
    depth = max(len(c) for c in cells)
    cells = [[""] * (depth - len(c)) + c for c in cells]
    return [indent + _join([c[n] for c in cells], widths, right, cols) for n in range(depth)]


def _side_by_side(
    heads: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: list[int],
    wrap: frozenset[int],
    right: frozenset[int],
    indent: str,
) -> list[str]:
    cols = list(range(len(heads)))
    lines = _head_lines(heads, widths, right, cols, indent)
    lines.append(indent + GAP.join("─" * w for w in widths))
    for row in rows:
        cells = [_cell_lines(row[i], widths[i], i in wrap) for i in cols]
        for n in range(max(len(c) for c in cells)):
            lines.append(
                indent + _join([c[n] if n < len(c) else "" for c in cells], widths, right, cols)
            )
    return lines


def _stacked(
    heads: Sequence[str],
    rows: Sequence[Sequence[str]],
    width: int,
    natural: list[int],
    fixed: list[int],
    wrapping: list[int],
    right: frozenset[int],
    indent: str,
) -> list[str]:
    under = indent + "  "
    widths = [natural[i] for i in fixed]
    lines = _head_lines([heads[i] for i in fixed], widths, right, fixed, indent)
    lines.append(under + " · ".join(heads[i] for i in wrapping))
    lines.append(indent + GAP.join("─" * w for w in widths))
    for row in rows:
        lines.append(indent + _join([row[i] for i in fixed], widths, right, fixed))
        text = " · ".join(row[i] for i in wrapping if row[i])
        lines.extend(
            textwrap.wrap(
                text,
                max(width, len(under) + 10),
                initial_indent=under,
                subsequent_indent=under,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return lines


def fit(text: str, width: int | None = None) -> str:
    """`text` wrapped at spaces to the terminal's width, each line hanging under its own
    text: under the second column of an aligned list (`  nerve   Zenuwpijn ...`), else
    under its indentation. Ids and other long words are never split."""
    import re
    import shutil

    width = width or shutil.get_terminal_size((80, 24)).columns
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        column = re.match(r"\s*\S+\s{2,}", line)
        hang = column.end() if column and column.end() <= width // 2 else 0
        hang = hang or len(line) - len(line.lstrip())
        out.extend(
            textwrap.wrap(
                line,
                width,
                subsequent_indent=" " * hang,
                break_long_words=False,
                break_on_hyphens=False,
            )
        )
    return "\n".join(out)
