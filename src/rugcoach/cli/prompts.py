"""Questions on a terminal that check each answer at once (SPEC §15).

Every prompt asks again, naming the choices, until the answer is usable, so nothing typed
earlier is lost at the end; Ctrl-D or Ctrl-C raises `typer.Abort` for the caller to handle.
Yes/no takes `y`, `yes`, `j`, `ja`, `n`, `no`, `nee` in either language, and defaults are
shown in the person's language (`[vandaag]`, `[j/N]`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import typer

from rugcoach.errors import RugcoachError
from rugcoach.i18n import t
from rugcoach.words import normalise

T = TypeVar("T")

__all__ = [
    "ask_choice",
    "ask_optional",
    "ask_value",
    "ask_yes_no",
    "asking",
    "interactive",
    "normalise",
]

YES = frozenset({"y", "yes", "j", "ja"})
NO = frozenset({"n", "no", "nee"})


def _read(question: str, shown_default: str | None) -> str:
    suffix = f" [{shown_default}]" if shown_default else ""
    text = f"{question}{suffix}"
    if sys.stdin.isatty():
        from rugcoach.term.columns import fit

        text = fit(text + ":")[:-1]  # wrapped at words on a narrow terminal (SPEC §15)
    answer: str = typer.prompt(text, default="", show_default=False, prompt_suffix=": ")
    return answer.strip()


def _complain(message: str) -> None:
    from rugcoach.safe_text import clean  # the message may echo what was typed

    typer.echo(clean(message), err=True)


def ask_yes_no(question: str, default: bool = False) -> bool:
    """A yes/no question; Enter takes the default."""
    shown = t("prompt.yes_no_default_yes") if default else t("prompt.yes_no_default_no")
    while True:
        answer = _read(question, shown).lower()
        if not answer:
            return default
        if answer in YES:
            return True
        if answer in NO:
            return False
        _complain(t("prompt.yes_no_again"))


def ask_value(
    question: str,
    parse: Callable[[str], T],
    *,
    default: str | None = None,
    shown_default: str | None = None,
) -> T:
    """A question whose answer `parse` turns into a value or refuses with a RugcoachError
    (its message is shown, and the question asked again). Enter gives `default` (which is
    parsed too); `shown_default` is how the default is written in the person's language."""
    while True:
        answer = _read(question, shown_default if shown_default is not None else default)
        if not answer and default is not None:
            answer = default
        try:
            return parse(answer)
        except RugcoachError as exc:
            _complain(exc.message)


def ask_choice(
    question: str,
    choices: Mapping[str, T],
    *,
    listed: Sequence[str],
    default: str | None = None,
    shown_default: str | None = None,
) -> T:
    """One of `choices` (answer word -> value, already normalised by `normalise`); an unknown
    answer lists `listed` and asks again."""

    def parse(answer: str) -> T:
        key = normalise(answer)
        if key in choices:
            return choices[key]
        raise RugcoachError(t("prompt.choose_from", choices=", ".join(listed)))

    return ask_value(question, parse, default=default, shown_default=shown_default)


def ask_optional(question: str) -> str:
    """A free question that may be skipped with Enter (returns "")."""
    return _read(question, None)


def interactive() -> bool:
    """Whether standard input and output are a terminal: only then are questions asked."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def asking(questions: Callable[..., T], *args: Any) -> T:
    """Run a set of questions; Ctrl-D or Ctrl-C at a prompt stops without writing anything."""
    try:
        return questions(*args)
    except typer.Abort:
        raise RugcoachError(t("error.interrupted"), 130) from None
