"""The command line: parse options, call the core, render. Nothing else lives here.

Errors of every kind are caught once, in `Group.main`, and printed as one sentence on
standard error; typer's pretty exceptions stay off because their locals may hold health data.
"""

from __future__ import annotations

import os
import sys
from datetime import date
from difflib import get_close_matches
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from rugcoach import __version__, i18n
from rugcoach.errors import USAGE, RugcoachError, UsageError
from rugcoach.i18n import t

# Help texts are read when this module is imported, so they follow RUGCOACH_LANG or the
# locale; `--lang` (parsed later) sets the language of everything the command prints.
i18n.set_language(i18n.detect())


class Group(TyperGroup):
    """Catches every error once, at the top, and turns it into one line and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:  # type: ignore[override]
        kwargs["standalone_mode"] = False
        debug = os.environ.get("RUGCOACH_DEBUG") == "1"
        try:
            result = super().main(*args, **kwargs)
            sys.exit(result if isinstance(result, int) else 0)
        except RugcoachError as exc:
            _fail(exc.message, exc.code)
        except KeyboardInterrupt:
            _fail(t("error.interrupted"), 130)
        except BrokenPipeError:
            # `rugcoach history | head`: the reader left; that is not an error.
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            sys.exit(0)
        except SystemExit:
            raise
        except Exception as exc:
            # typer's own usage errors carry an exit code and a message (duck-typed, because
            # the exception classes live in a private module of typer).
            code = getattr(exc, "exit_code", None)
            if isinstance(code, int) and hasattr(exc, "format_message"):
                if exc.__class__.__name__ == "Abort":
                    _fail(t("error.interrupted"), 130)
                _fail(
                    t("error.usage", detail=exc.format_message(), command=_command_path(exc)), code
                )
            if debug:
                raise
            _fail(t("error.internal", kind=type(exc).__name__), 1)


def _command_path(exc: Exception) -> str:
    ctx = getattr(exc, "ctx", None)
    return ctx.command_path if ctx is not None else "rugcoach"


def _fail(message: str, code: int) -> NoReturn:
    sys.stderr.write(message.rstrip("\n") + "\n")
    sys.exit(code)


app = typer.Typer(
    cls=Group,
    help=t("help.app"),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)

# Options used by several commands, declared once.
JsonOption = Annotated[bool, typer.Option("--json", help=t("help.opt.json"))]
DateOption = Annotated[
    str | None, typer.Option("--date", metavar="DATE", help=t("help.opt.date"), show_default=False)
]
PhaseOption = Annotated[
    int | None, typer.Option("--phase", metavar="N", help=t("help.opt.phase"), show_default=False)
]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"rugcoach {__version__}\n")
        raise typer.Exit()


@app.callback()
def _global(
    lang: Annotated[
        str | None,
        typer.Option("--lang", metavar="nl|en", help=t("help.opt.lang"), show_default=False),
    ] = None,
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=t("help.opt.version")),
    ] = False,
) -> None:
    if lang is not None and lang.lower() not in i18n.LANGS:
        raise UsageError(t("error.bad_lang", value=lang))
    i18n.set_language(i18n.detect(lang))


def _today() -> date:
    """The one place the clock is read: everything below gets the date passed in."""
    return date.today()


def _did_you_mean(value: str, valid: list[str]) -> str:
    close = get_close_matches(value, valid, n=1)
    return (
        t("error.did_you_mean", guess=close[0])
        if close
        else t("error.valid", values=", ".join(valid))
    )


# --------------------------------------------------------------------------- exercises

exercises_app = typer.Typer(cls=TyperGroup, help=t("help.exercises"), no_args_is_help=False)
app.add_typer(exercises_app, name="exercises")


@exercises_app.callback(invoke_without_command=True)
def exercises_list(
    ctx: typer.Context,
    phase: PhaseOption = None,
    category: Annotated[
        str | None,
        typer.Option("--category", metavar="C", help=t("help.opt.category"), show_default=False),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from rugcoach import content, render
    from rugcoach.schema import CATEGORIES

    loaded = content.load()
    numbers = [p["number"] for p in loaded["phases"]["phases"]]
    if phase is not None and phase not in numbers:
        raise UsageError(t("error.bad_phase", value=phase, last=numbers[-1]))
    if category is not None and category not in CATEGORIES:
        raise UsageError(
            t("error.bad_category", value=category)
            + " "
            + _did_you_mean(category, list(CATEGORIES))
        )
    chosen = [
        ex
        for ex in loaded["exercises"]["exercises"]
        if (phase is None or phase in content.phases_of(ex))
        and (category is None or ex["category"] == category)
    ]
    if as_json:
        render.emit_json([render.exercise_summary(ex) for ex in chosen])
    else:
        render.exercise_table(chosen)


@exercises_app.command("show", help=t("help.exercises.show"))
def exercises_show(
    exercise_id: Annotated[str, typer.Argument(metavar="ID", help=t("help.arg.exercise"))],
    as_json: JsonOption = False,
) -> None:
    from rugcoach import content, render

    loaded = content.load()
    by_id = {ex["id"]: ex for ex in loaded["exercises"]["exercises"]}
    if exercise_id not in by_id:
        raise UsageError(
            t("error.unknown_exercise", value=exercise_id)
            + " "
            + _did_you_mean(exercise_id, list(by_id))
        )
    if as_json:
        render.emit_json(render.exercise_detail(by_id[exercise_id], loaded))
    else:
        render.exercise_card(by_id[exercise_id], loaded)


# ---------------------------------------------------------------------------- validate


@app.command("validate", help=t("help.validate"))
def validate(
    files: Annotated[
        list[str] | None,
        typer.Argument(metavar="[FILE]...", help=t("help.arg.files"), show_default=False),
    ] = None,
) -> None:
    from pathlib import Path

    from rugcoach import content
    from rugcoach.validation import ContentError, Problem, load_yaml

    in_force = content.sources()
    if files:
        chosen = {s.kind: s for s in in_force}
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise RugcoachError(t("error.no_file", file=name))
            try:
                data, _ = load_yaml(path)
            except ContentError as exc:
                _report_problems(exc.problems)
            kind = content.kind_of(path, data)
            if kind is None:
                _report_problems([Problem(name, 1, "", t("validate.unknown_kind"))])
            chosen[kind] = content.Source(kind, path, True)
        in_force = list(chosen.values())
    try:
        loaded = content.load(in_force)
    except ContentError as exc:
        _report_problems(exc.problems)
    for source in in_force:
        if not files or source.custom:
            sys.stdout.write(t("validate.ok", file=str(source.path)) + "\n")
    sys.stdout.write(
        t(
            "validate.summary",
            phases=len(loaded["phases"]["phases"]),
            exercises=len(loaded["exercises"]["exercises"]),
            tips=len(loaded["coaching"]["tips"]),
        )
        + "\n"
    )


def _report_problems(problems: list[Any]) -> NoReturn:
    for problem in problems:
        sys.stdout.write(f"{problem}\n")
    raise RugcoachError(t("validate.failed", count=len(problems)))


def main() -> None:
    app()


__all__ = ["USAGE", "app", "main"]
