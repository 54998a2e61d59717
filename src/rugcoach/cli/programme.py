"""`rugcoach programme`: the therapist's programme — show, set, clear, template (SPEC §12)."""

from __future__ import annotations

import contextlib
import os
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from rugcoach.cli.runtime import runtime
from rugcoach.cli.shell import DateOption, JsonOption, app, today
from rugcoach.dates import parse_day
from rugcoach.errors import RugcoachError
from rugcoach.i18n import pick, t
from rugcoach.term.output import emit_json, say

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rugcoach.schema import Content

programme_app = typer.Typer(cls=TyperGroup, help=t("help.programme"))
app.add_typer(programme_app, name="programme")

FileArgument = Annotated[
    Path, typer.Argument(metavar="FILE", help=t("help.arg.programme_file"), show_default=False)
]


@programme_app.callback(invoke_without_command=True)
def programme_show(ctx: typer.Context, as_json: JsonOption = False) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from rugcoach.programme import prescription as programme

    content = runtime().content()
    found = programme.load(content)
    if as_json:
        emit_json(dict(found) if found is not None else None)
        return
    if found is None:
        say(t("programme.none"))
        return
    path = programme.location()
    from rugcoach.safe_text import clean  # a therapist's notes, as written (SPEC §13)

    sys.stdout.write(clean(show_text(found, content, path, today())))


def show_text(prog: Mapping[str, Any], content: Content, path: Path | None, day: Any) -> str:
    """The programme for a person: who, when, and each exercise with dose, days and note."""
    from rugcoach.coach.prescribed import review_due
    from rugcoach.doses import dose_text
    from rugcoach.i18n import current
    from rugcoach.programme import prescription as programme
    from rugcoach.term import canvas

    width = canvas.width()
    lines: list[str] = []

    def para(text: str, indent: str = "") -> None:
        lines.extend(
            textwrap.wrap(
                text,
                width,
                initial_indent=indent,
                subsequent_indent=indent,
                break_on_hyphens=False,
            )
            or [indent]
        )

    by = prog.get("by")
    para(t("programme.title_by", by=by) if by else t("programme.title"))
    if path is not None:
        para(t("programme.file", file=str(path)))
    para(t("programme.from", date=prog["from"]))
    if prog.get("review"):
        para(t("programme.review", date=prog["review"]))
        if review_due(prog, day):
            para(t("programme.review_due"))
    if prog.get("phase"):
        para(t("programme.phase", phase=prog["phase"]))
    if prog.get("walk_minutes") is not None:
        para(t("programme.walk", minutes=prog["walk_minutes"]))
    if prog.get("progress"):
        para(t("programme.progress"))
    library = {e["id"]: e for e in content["exercises"]["exercises"]}
    phase = prog.get("phase") or 1
    for item in prog["exercises"]:
        exercise = library[item["id"]]
        lines.append("")
        para(f"{pick(exercise['name'])} ({item['id']})", "  ")
        written = item.get("dose")
        dose = (
            dose_text({"phase": phase, **written})  # type: ignore[typeddict-item]
            if written
            else t("programme.dose_own")
        )
        para(f"{dose} · {days_text(item['days'])}", "    ")
        note = programme.note_text(item.get("note"), current())
        if note:
            para(" ".join(note.split()), "    ")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def days_text(days: list[str]) -> str:
    from rugcoach.coach.prescribed import WEEKDAYS

    if len(days) == len(WEEKDAYS):
        return t("programme.days_all")
    return ", ".join(t(f"programme.day.{d}") for d in days)


@programme_app.command("set", help=t("help.programme.set"))
def programme_set(file: FileArgument) -> None:
    from rugcoach.programme import file as programme_file
    from rugcoach.programme import prescription as programme

    content = runtime().content()
    if file.is_dir():
        raise RugcoachError(t("programme.is_folder", file=str(file)))
    if not file.is_file():
        raise RugcoachError(t("error.no_file", file=str(file)))
    # Read once, check those bytes, install those bytes: what was checked is what is used.
    data = _read_limited(file)
    programme_file.check(file, data, content)
    target = programme.install_path()
    if target.is_file() and _same_file(file, target):
        say(t("programme.is_installed"))
        return
    backup = install(target, data)
    say(t("programme.installed", file=str(target)))
    if backup is not None:
        say(t("programme.backup", file=str(backup)))


@programme_app.command("clear", help=t("help.programme.clear"))
def programme_clear() -> None:
    from rugcoach.programme import prescription as programme

    path = programme.location()
    if path is None:
        raise RugcoachError(t("programme.nothing_to_clear"))
    backup = _move_to_backups(path)
    say(t("programme.cleared", file=str(backup)))


@programme_app.command("template", help=t("help.programme.template"))
def programme_template(day_text: DateOption = None) -> None:
    from rugcoach.programme import file as programme_file

    now = today()
    day = parse_day(day_text, now) if day_text else now
    rt = runtime()
    sys.stdout.write(programme_file.template(rt.content(), rt.diary(), day))


# ------------------------------------------------------------------------------ writing


def _read_limited(path: Path) -> bytes:
    from rugcoach.programme import prescription as programme

    try:
        if path.stat().st_size > programme.MAX_BYTES:
            programme._refuse(path, t("content.too_big"))
        return path.read_bytes()
    except OSError as exc:
        programme._refuse(path, t("content.unreadable", why=exc.strerror))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _backup_path(folder: Path) -> Path:
    from rugcoach.diary.store import BACKUP_DIR, _stamp

    return folder / BACKUP_DIR / f"programme-{_stamp()}.yaml"


def install(target: Path, data: bytes) -> Path | None:
    """Write `data` as the programme (0600, its folder 0700, atomically); the earlier
    programme, if any, is kept in backups/ first. Returns that backup."""
    from rugcoach.disk import fsync_dir as _fsync_dir
    from rugcoach.disk import make_dir as _make_dir
    from rugcoach.disk import replace_atomically as _replace_atomically
    from rugcoach.disk import why as _why

    folder = target.parent
    backup: Path | None = None
    try:
        _make_dir(folder)
        if target.is_file():
            old = target.read_bytes()
            backup = _backup_path(folder)
            _make_dir(backup.parent)
            _replace_atomically(backup, old)
            _fsync_dir(backup.parent)
        _replace_atomically(target, data)
        _fsync_dir(folder)
    except OSError as exc:
        if backup is not None and target.read_bytes() != data:
            with contextlib.suppress(OSError):
                os.unlink(backup)
        raise RugcoachError(t("storage.write_failed", file=str(target), why=_why(exc))) from None
    return backup


def _move_to_backups(path: Path) -> Path:
    """`path` renamed into backups/ (one atomic rename: it is either there or here)."""
    from rugcoach.disk import fsync_dir as _fsync_dir
    from rugcoach.disk import make_dir as _make_dir
    from rugcoach.disk import why as _why

    backup = _backup_path(path.parent)
    try:
        _make_dir(backup.parent)
        os.replace(path, backup)
        _fsync_dir(backup.parent)
        _fsync_dir(path.parent)
    except OSError as exc:
        raise RugcoachError(t("storage.write_failed", file=str(path), why=_why(exc))) from None
    return backup
