"""The therapist's programme (SPEC §12): where its file is, and loading it.

A physiotherapist writes `programme.yaml` (or edits one from `rugcoach programme template`);
while it is in force the day's routine is the programme's exercises at its doses, on its days.

This module is on the `rugcoach today` hot path, so it is standard library only: without a
programme file it costs one `stat`; with one, the validated programme comes from the cache
(keyed by the file's bytes and the exercise library it was checked against), and the file
is parsed and checked (`programme_file`, PyYAML + pydantic) only when it changed.

A programme is the normalised, validated file as a plain dict (its shape, and what it asks
for a day: `coach/prescribed.py`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from rugcoach import paths
from rugcoach.coach.prescribed import FORMAT, UNITS, planned_on, review_due, week_of

if TYPE_CHECKING:
    from rugcoach.schema import Content

    Programme = Mapping[str, Any]

FILE_NAME = "programme.yaml"
# A programme is a page of YAML: anything much larger is not one.
MAX_BYTES = 200_000


# ------------------------------------------------------------------------------- finding


def location() -> Path | None:
    """The programme file in force: the first config folder holding one (SPEC §12)."""
    for folder in paths.config_dirs():
        path = folder / FILE_NAME
        if path.is_file():
            return path
    return None


def install_path() -> Path:
    """Where `programme set` puts a programme: the folder it is looked for in first."""
    return paths.config_dirs()[0] / FILE_NAME


def library_signature(content: Content) -> str:
    """What a programme's validity depends on in the content: exercise ids, their units and
    the phase numbers. Part of the cache key, so a changed library re-checks the programme."""
    parts = [str(p["number"]) for p in content["phases"]["phases"]]
    for ex in content["exercises"]["exercises"]:
        units = sorted({u for d in ex["dose"] for u in UNITS if u in d})
        parts.append(f"{ex['id']}={','.join(units)}")
    return " ".join(parts)


def load(content: Content, *, use_cache: bool = True) -> Programme | None:
    """The validated programme, or None when there is no programme file.

    A broken file is a `ContentError` naming file and line (exit 1), never ignored.
    """
    path = location()
    if path is None:
        return None
    return load_file(path, content, use_cache=use_cache)


def load_file(path: Path, content: Content, *, use_cache: bool = True) -> Programme:
    from rugcoach import __version__
    from rugcoach.content import cache
    from rugcoach.i18n import t

    try:
        # The size is checked before reading, so a huge file is refused without reading it.
        too_big = path.stat().st_size > MAX_BYTES
        data = b"" if too_big else path.read_bytes()
    except OSError as exc:
        _refuse(path, t("content.unreadable", why=exc.strerror))
    if too_big:
        _refuse(path, t("content.too_big"))
    key = cache.checksum(
        f"rugcoach-{__version__}|{path}|{library_signature(content)}|".encode() + data
    )
    if use_cache:
        cached = cache.read("programme", key)
        if isinstance(cached, dict) and cached.get("format") == FORMAT:
            return cached
    from rugcoach.programme import file as programme_file

    checked = programme_file.check(path, data, content)
    if use_cache:
        cache.remember("programme", key, checked)
    return checked


def _refuse(path: Path, message: str) -> NoReturn:
    from rugcoach.content.validation import ContentError, Problem

    raise ContentError([Problem(str(path), 1, "", message)])


# ------------------------------------------------------------------------------- showing


def note_text(note: Any, lang: str) -> str | None:
    """The therapist's note in the person's language; a note in one language only (or a
    plain string) is shown as written."""
    if note is None:
        return None
    if isinstance(note, str):
        return note
    if lang in note:
        return str(note[lang])
    return str(next(iter(note.values()))) if note else None


def label(programme: Programme) -> str:
    """ "Your therapist's programme, by …": how `today` and `session` head the prescription."""
    from rugcoach.i18n import t

    by, since = programme.get("by"), programme["from"]
    return t("today.programme.by", by=by, date=since) if by else t("today.programme", date=since)


def summary_json(programme: Programme, day: date) -> dict[str, Any]:
    """`today --json`'s `programme`: who, from when, the review, and whether it is due."""
    return {
        "by": programme.get("by"),
        "from": programme["from"],
        "review": programme.get("review"),
        "review_due": review_due(programme, day),
        "phase": programme.get("phase"),
        "walk_minutes": programme.get("walk_minutes"),
        "progress": bool(programme.get("progress")),
        "week": week_of(programme, day),
        "planned_today": [i["id"] for i in programme["exercises"] if planned_on(i, day)],
    }


__all__: Sequence[str] = [
    "FILE_NAME",
    "install_path",
    "label",
    "load",
    "load_file",
    "location",
    "note_text",
    "summary_json",
]
