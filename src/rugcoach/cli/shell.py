"""The command line: parse options, call the core, render. Nothing else lives here.

Errors of every kind are caught once, in `Group.main`, and printed as one sentence on
standard error; typer's pretty exceptions stay off because their locals may hold health data.
"""

from __future__ import annotations

import contextlib
import os
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from rugcoach import __version__, i18n
from rugcoach.cli import runtime as runtimes
from rugcoach.dates import local_offset as local_offset  # edit and tests take them here
from rugcoach.dates import utc_offset as utc_offset
from rugcoach.errors import USAGE, RugcoachError, UsageError
from rugcoach.i18n import t

if TYPE_CHECKING:
    from collections.abc import Sequence

# Help texts are read when this module is imported, so they follow RUGCOACH_LANG or the
# locale; `--lang` (parsed later) sets the language of everything the command prints.
i18n.set_language(i18n.detect())


# The variable through which a shell's completion script asks rugcoach for completions.
COMPLETE_VAR = "_RUGCOACH_COMPLETE"


class Group(TyperGroup):
    """Catches every error once, at the top, and turns it into one line and an exit code."""

    def main(self, *args: Any, **kwargs: Any) -> NoReturn:
        kwargs["standalone_mode"] = False
        if os.environ.get(COMPLETE_VAR):
            # The shell asks for completions (`rugcoach completion`): typer answers them
            # once its completion classes are known. Only then is anything imported.
            from typer._completion_classes import completion_init

            completion_init()
        debug = os.environ.get("RUGCOACH_DEBUG") == "1"
        # typer reports an unknown command before the global options are handled: take
        # `--lang` from the arguments now, so that message is in the person's language too.
        argv = kwargs.get("args", args[0] if args else None)
        words = sys.argv[1:] if argv is None else list(argv)
        early = _lang_in(words)
        if early in i18n.LANGS:
            i18n.set_language(early)  # type: ignore[arg-type]
        if _wants_help(words):
            # Help is drawn while the options are parsed: put it in the person's language
            # first. Only help pays for this (SPEC §15: without slowing `today`).
            from rugcoach.cli import help as cli_help

            cli_help.prepare(self, early)
        try:
            result = super().main(*args, **kwargs)
            code = result if isinstance(result, int) else 0
            if code == 0 and "rugcoach.content.cache" in sys.modules:
                # Derived data is written only once the command succeeded: a refused
                # command must leave no new file behind (SPEC §3). (Nothing can be queued
                # if the cache module was never imported.)
                from rugcoach.content import cache

                cache.flush()
            sys.exit(code)
        except RugcoachError as exc:
            _fail(exc.message, exc.code)
        except (KeyboardInterrupt, typer.Abort):
            # Ctrl-C, or Ctrl-D at a question: stop without a word more.
            _fail(t("error.interrupted"), 130)
        except BrokenPipeError:
            # `rugcoach history | head`: the reader left; that is not an error.
            sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - silence the flush at exit
            sys.exit(0)
        except SystemExit:
            raise
        except OSError as exc:
            # rugcoach's own files report their errors as RugcoachError; what reaches here
            # is the output (stdout redirected to a full disk, say).
            if debug:
                raise
            _fail(t("error.output", why=exc.strerror or str(exc)), 1)
        except Exception as exc:
            # typer's own usage errors carry an exit code and a message (duck-typed, because
            # the exception classes live in a private module of typer).
            exit_code = getattr(exc, "exit_code", None)
            if isinstance(exit_code, int) and hasattr(exc, "format_message"):
                if exc.__class__.__name__ == "Abort":
                    _fail(t("error.interrupted"), 130)
                from rugcoach.cli import help as cli_help

                if exc.__class__.__name__ == "NoArgsIsHelpError":
                    _fail(exc.format_message(), exit_code)  # the help itself, prepared above
                ctx = getattr(exc, "ctx", None)
                if ctx is not None and str(getattr(exc, "message", "")).startswith(
                    "Missing command"
                ):
                    _fail(
                        ctx.get_help(), exit_code
                    )  # `rugcoach --lang nl`: the help says what to add
                cli_help.settle_language(early)
                detail = cli_help.usage_detail(exc)
                _fail(t("error.usage", detail=detail, command=_command_path(exc, words)), exit_code)
            if debug:
                raise
            _fail(t("error.internal", kind=type(exc).__name__), 1)
        finally:
            _discard_cache()


def _discard_cache() -> None:
    # Nothing queued by a failed command may be written by a later one in this process.
    if "rugcoach.content.cache" in sys.modules:
        from rugcoach.content import cache

        cache.discard()


def _command_path(exc: Exception, argv: Sequence[str]) -> str:
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        return str(ctx.command_path)
    # The option parser raises without a context: name the command from the arguments.
    name = _command_name(argv)
    return f"rugcoach {name}" if name in COMMANDS else "rugcoach"


def _fail(message: str, code: int) -> NoReturn:
    from rugcoach.safe_text import clean  # an echoed option value may hold escape codes

    text = clean(message.rstrip("\n"))
    if sys.stderr.isatty():
        from rugcoach.term.columns import fit

        text = fit(text)  # at word boundaries, not where the screen ends (SPEC §15)
    sys.stderr.write(text + "\n")
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
# The measures of an entry, shared by `log` and `edit`. Numbers are taken as text and
# checked by the command, so that "--pain abc" gets the same one sentence, in the person's
# language, as "--pain 11".
TimeOption = Annotated[str | None, typer.Option("--time", metavar="HH:MM", help=t("help.opt.time"))]
PainOption = Annotated[str | None, typer.Option("--pain", metavar="0-10", help=t("help.opt.pain"))]
ExercisePainOption = Annotated[
    str | None,
    typer.Option("--exercise-pain", metavar="0-10", help=t("help.opt.exercise_pain")),
]
StiffnessOption = Annotated[
    str | None, typer.Option("--stiffness", metavar="MIN", help=t("help.opt.stiffness"))
]
WalkOption = Annotated[str | None, typer.Option("--walk", metavar="MIN", help=t("help.opt.walk"))]
NoteOption = Annotated[str | None, typer.Option("--note", metavar="TEXT", help=t("help.opt.note"))]


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
        from rugcoach.cli import help as cli_help

        cli_help.settle_language(None)  # say so in the language the person would get
        raise UsageError(t("error.bad_lang", value=lang))
    rt = runtimes.start()
    i18n.set_language(i18n.detect(lang))
    if lang is None and not os.environ.get("RUGCOACH_LANG"):
        # The profile's language outranks the locale; it is looked up when the first
        # message is rendered, by which time most commands have read the diary anyway.
        i18n.defer(rt.profile_language)


def clock() -> datetime:
    """The one place the clock is read: the local time, with its UTC offset. Everything
    below gets the date (or time) passed in; tests replace this function."""
    return datetime.now().astimezone()


def today() -> date:
    return clock().date()


def entry_clock(day: date, time_text: str | None) -> tuple[str | None, str | None]:
    """The (time, utc_offset) of a new entry for `day`: the time typed, with the offset the
    zone had then; else, for an entry about today, the clock's time now; else neither (the
    time of a past day is not known)."""
    from rugcoach.dates import parse_time

    if time_text:
        time = parse_time(time_text)
        return time, local_offset(day, time)
    moment = clock()
    if moment.date() != day:
        return None, None
    return moment.strftime("%H:%M"), utc_offset(moment)


def clock_time() -> str:
    """The local clock time as HH:MM."""
    return clock().strftime("%H:%M")


def did_you_mean(
    value: str, candidates: list[str], shown: list[str] | None = None, *, show_all: bool = True
) -> str:
    """'Did you mean X?' for a near miss, else the valid values (SPEC §3)."""
    from difflib import get_close_matches

    close = get_close_matches(value, candidates, n=1)
    if close:
        return t("error.did_you_mean", guess=close[0])
    return t("error.valid", values=", ".join(shown or candidates)) if show_all else ""


def main() -> None:
    """The `rugcoach` console script (and `python -m rugcoach`).

    One command is one short process, so two costs that only matter at its end are skipped:
    the cycle collector re-scanning the tens of thousands of objects of a long diary as
    they are made, and CPython freeing them one by one at exit (~20 ms for ten years). The
    process ends with `os._exit` once standard output and error are flushed; every file
    rugcoach writes is complete and fsynced before that. (Tests call `app` in-process and
    keep the normal collector and exit.)
    """
    import errno
    import gc

    gc.disable()
    code = 1
    try:
        register(sys.argv[1:])
        app()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        # Only with RUGCOACH_DEBUG=1 does an error get past Group.main: show it in full,
        # since os._exit below would end the process before Python could.
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
        except OSError as exc:
            # A reader that left (`| head`) is fine; a full disk behind `> file` is not.
            if exc.errno != errno.EPIPE:
                sys.stderr.write(t("error.output", why=exc.strerror or str(exc)) + "\n")
                code = code or 1
        except ValueError:
            pass  # stdout was closed
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.flush()
        os._exit(code)


# Which module registers each command, in the order of `rugcoach --help`. The console
# script imports only the module of the command it runs, because typer builds the options
# of every registered command on each run (~15 ms for all of them, SPEC §8 budgets);
# `register()` without arguments loads them all (help, tests, an unknown command).
COMMANDS: dict[str, str] = {
    "today": "cli.coach",
    "phase": "cli.coach",
    "init": "cli.init",
    "log": "cli.diary",
    "history": "cli.entries",
    "undo": "cli.entries",
    "delete": "cli.entries",
    "symptoms": "cli.warnings",
    "cleared": "cli.warnings",
    "edit": "cli.edit",
    "profile": "cli.profile",
    "summary": "cli.report",
    "export": "cli.export",
    "import": "cli.export",
    "session": "cli.session",
    "activities": "cli.activities",
    "programme": "cli.programme",
    "exercises": "cli.content",
    "validate": "cli.content",
    "completion": "cli.completion",
}


def register(argv: Sequence[str] | None = None) -> None:
    """Register the commands `argv` needs on `app` (all of them when argv is None)."""
    from importlib import import_module

    name = _command_name(argv) if argv is not None else None
    wanted = [COMMANDS[name]] if name in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for module in wanted:
        import_module(f"rugcoach.{module}")


def _lang_in(argv: Sequence[str]) -> str | None:
    """The value of a global `--lang` before the command word, if any."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1].lower()
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1].lower()
        if not arg.startswith("-"):
            return None
    return None


def _wants_help(argv: Sequence[str]) -> bool:
    """Whether this command line shows help: `-h`/`--help` anywhere before `--`, or no
    command word at all (`rugcoach`, `rugcoach --lang nl`)."""
    words = []
    for arg in argv:
        if arg == "--":
            break
        if arg in ("-h", "--help"):
            return True
        words.append(arg)
    if "--version" in words:
        return False
    skip = 0
    for arg in words:
        if skip:
            skip -= 1
        elif arg == "--lang":
            skip = 1
        elif not arg.startswith("--lang="):
            return False
    return True


def _command_name(argv: Sequence[str]) -> str | None:
    """The command word of a command line, after the global options; None if there is none
    or a global option we cannot skip (help, version, a typo): then everything is loaded."""
    args = list(argv)
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--lang":
            i += 2
        elif arg.startswith("--lang="):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


__all__ = ["COMMANDS", "USAGE", "app", "main", "register"]
