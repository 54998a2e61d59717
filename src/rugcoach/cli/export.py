"""Commands that move the diary in and out: export (every format) and import."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from rugcoach.cli.checks import shown
from rugcoach.cli.runtime import runtime
from rugcoach.cli.shell import app, did_you_mean, today
from rugcoach.dates import parse_day, parse_time
from rugcoach.errors import RugcoachError, UsageError
from rugcoach.i18n import t
from rugcoach.term.output import say

if TYPE_CHECKING:
    from rugcoach.schema import Diary


# ------------------------------------------------------------------------------- import


@app.command("import", help=t("help.import"))
def import_(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=t("help.arg.import_file"))],
) -> None:
    from rugcoach.diary import edits as diaries
    from rugcoach.diary import store as storage
    from rugcoach.reports import export

    rt = runtime()
    from rugcoach.diary.rules import MAX_ENTRIES

    incoming = export.read_export(file, today())  # checked completely before the diary is touched
    counts: dict[str, int] = {}

    def merge(current: Diary | None) -> Diary:
        from rugcoach.coach import activities

        base = current or export.diary_from_export(incoming, storage.VERSION, today())
        result = diaries.merge_entries(base, incoming["entries"])
        counts.update(added=result.added, skipped=result.skipped)
        if len(result.diary["entries"]) > MAX_ENTRIES:
            raise RugcoachError(t("storage.too_many", most=MAX_ENTRIES))
        if current is None:  # a new diary took the file's activities as they are
            return result.diary
        # Into an existing diary: activities are matched by name, scores by date, cleared
        # warnings by (id, date).
        merged = activities.merge(result.diary, incoming["activities"])
        counts.update(activities=merged.added, scores=merged.scores)
        diary, counts["clearances"] = export.merge_clearances(merged.diary, incoming["clearances"])
        return diary

    rt.update(merge)
    say(
        t(
            "import.done",
            added=counts["added"],
            skipped=counts["skipped"],
            file=str(rt.store().path),
        )
    )
    if counts.get("activities") or counts.get("scores"):
        say(t("import.activities", added=counts["activities"], scores=counts["scores"]))
    if counts.get("clearances"):
        say(t("import.clearances", added=counts["clearances"]))
    rt.report_conflicts()


# ------------------------------------------------------------------------------- export


@app.command("export", help=t("help.export"))
def export_(
    fmt: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help=t("help.opt.format"))
    ] = "json",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help=t("help.opt.output"))
    ] = None,
    first: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help=t("help.opt.from"))
    ] = None,
    last: Annotated[str | None, typer.Option("--to", metavar="DATE", help=t("help.opt.to"))] = None,
    weeks: Annotated[
        str | None, typer.Option("--weeks", metavar="N", help=t("help.opt.ics_weeks"))
    ] = None,
    at: Annotated[
        str | None, typer.Option("--time", metavar="HH:MM", help=t("help.opt.ics_time"))
    ] = None,
    bundle: Annotated[
        str | None, typer.Option("--bundle", metavar="TYPE", help=t("help.opt.bundle"))
    ] = None,
    patient_name: Annotated[
        str | None, typer.Option("--patient-name", metavar="NAME", help=t("help.opt.patient_name"))
    ] = None,
) -> None:
    from rugcoach.diary import files
    from rugcoach.reports import export
    from rugcoach.reports.report import build_report

    now = today()
    if fmt not in export.FORMATS:
        raise UsageError(
            t("error.bad_format", value=fmt) + " " + did_you_mean(fmt, list(export.FORMATS))
        )
    calendar = _calendar_options(fmt, weeks, at)
    fhir = _fhir_options(fmt, bundle, patient_name)
    lo = parse_day(first, now, "--from") if first else None
    hi = parse_day(last, now, "--to") if last else None
    if lo and hi and lo > hi:
        raise UsageError(t("error.from_after_to"))
    to_stdout = output is None or str(output) == "-"
    if fmt in export.BINARY_RENDERERS and to_stdout and _terminal():
        raise UsageError(t("export.binary_terminal"))
    rt = runtime()
    if output is not None and not to_stdout:
        _refuse_what_rugcoach_reads(rt, output)
    from rugcoach.programme import prescription as programme

    content = rt.content()
    report = build_report(content, rt.diary(), lo, hi, now, programme.load(content))
    data: bytes
    if calendar is not None:
        from datetime import datetime, timezone

        from rugcoach.reports import ics as export_ics

        stamp = datetime.now(timezone.utc).replace(microsecond=0)
        data = export_ics.render(report, weeks=calendar[0], at=calendar[1], stamp=stamp).encode()
    elif fhir is not None:
        from rugcoach.reports import fhir as export_fhir

        data = export_fhir.render(report, bundle=fhir[0], patient_name=fhir[1]).encode()
    elif fmt in export.BINARY_RENDERERS:
        data = export.BINARY_RENDERERS[fmt](report)
    else:
        text = export.RENDERERS[fmt](report)
        if fmt in ("md", "html"):
            # Read by people, in a terminal (`cat`, `less`) as often as in a viewer: no raw
            # control characters (SPEC §13). JSON escapes them itself.
            from rugcoach import safe_text

            text = safe_text.clean(text) if fmt == "md" else safe_text.html_refs(text)
        data = text.encode("utf-8")
    if output is None or to_stdout:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        files.write_atomic(output, data)
        say(t("export.written", file=str(output)))


def _terminal() -> bool:
    """Whether standard output is a terminal (a test replaces this)."""
    return sys.stdout.isatty()


def _only_for(fmt: str, owner: str, options: tuple[tuple[str, str | None], ...]) -> None:
    """Options of one format are a usage error with any other."""
    if fmt == owner:
        return
    for option, value in options:
        if value is not None:
            raise UsageError(t("export.only_for", option=option, format=owner))


def _fhir_options(
    fmt: str, bundle: str | None, patient_name: str | None
) -> tuple[str, str | None] | None:
    """--bundle and --patient-name, checked: (bundle type, name) for `--format fhir`, else None."""
    from rugcoach.reports import fhir as export_fhir

    _only_for(fmt, "fhir", (("--bundle", bundle), ("--patient-name", patient_name)))
    if fmt != "fhir":
        return None
    kind = "collection" if bundle is None else bundle.strip().lower()
    if kind not in export_fhir.BUNDLE_TYPES:
        hint = did_you_mean(kind, list(export_fhir.BUNDLE_TYPES), show_all=False)
        raise UsageError(f"{t('export.bad_bundle', value=shown(bundle or ''))} {hint}".rstrip())
    name = " ".join((patient_name or "").split()) or None
    return kind, name


def _calendar_options(fmt: str, weeks: str | None, at: str | None) -> tuple[int, str] | None:
    """--weeks and --time, checked: (weeks, HH:MM) for `--format ics`, else None (and then
    neither may be given)."""
    from rugcoach.reports import ics as export_ics

    if fmt != "ics":
        for option, value in (("--weeks", weeks), ("--time", at)):
            if value is not None:
                raise UsageError(t("ics.only_ics", option=option))
        return None
    count = export_ics.DEFAULT_WEEKS
    if weeks is not None:
        text = weeks.strip()
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= export_ics.MAX_WEEKS):
            raise UsageError(t("ics.bad_weeks", value=shown(weeks), most=export_ics.MAX_WEEKS))
        count = int(text)
    return count, parse_time(at) if at is not None else export_ics.DEFAULT_TIME


def _refuse_what_rugcoach_reads(rt: Any, output: Path) -> None:
    """An export must not replace a file rugcoach reads (SPEC §13), even one not there yet."""
    from rugcoach import paths
    from rugcoach.diary import files

    store = rt.store()
    kind = files.reads_it(output, store.home, paths.config_dirs(), store.path, paths.cache_dir())
    if kind == "diary":
        raise RugcoachError(t("export.is_diary", file=str(output)))
    if kind is not None:
        raise RugcoachError(t("export.read_by_rugcoach", file=str(output)))
