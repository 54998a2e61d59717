"""The coaching content: which files are in force, loading them, and checking them together.

`phases.yaml`, `exercises.yaml` and `coaching.yaml` ship with rugcoach; a file of the same
name in RUGCOACH_HOME (or the user config folder) replaces the packaged one (SPEC §3). A
replacement goes through the same checks; an invalid file is an error, never a fallback.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rugcoach import paths
from rugcoach.i18n import t

if TYPE_CHECKING:
    from rugcoach.content.crosscheck import CrossProblem
    from rugcoach.schema import Content, Exercise

# The content files, by kind, with the name of their shape in schema.py. The shapes are
# imported only to validate (`shape`), never on the cached start-up path.
KINDS: dict[str, str] = {
    "phases": "PhasesFile",
    "exercises": "ExercisesFile",
    "coaching": "CoachingFile",
}


def shape(kind: str) -> Any:
    from rugcoach import schema

    return getattr(schema, KINDS[kind])


@dataclass(frozen=True)
class Source:
    kind: str
    path: Path
    custom: bool


def sources() -> list[Source]:
    """The content file in force for each kind: a person's own, else the packaged one."""
    found = []
    for kind in KINDS:
        name = f"{kind}.yaml"
        own = next((d / name for d in paths.config_dirs() if _is_file(d / name)), None)
        found.append(Source(kind, own or paths.packaged_data() / name, own is not None))
    return found


def _is_file(path: Path) -> bool:
    """Whether there is a person's own content file at `path`. A folder that cannot be
    opened is an error saying so (SPEC §13): what it holds cannot be known, and quietly
    using the packaged content instead could hide a therapist's file."""
    try:
        return path.is_file()
    except PermissionError as exc:
        from rugcoach.errors import RugcoachError

        why = exc.strerror or str(exc)
        raise RugcoachError(t("storage.home_unreadable", folder=path.parent, why=why)) from None


def kind_of(path: Path, data: Any) -> str | None:
    """Which content file this is: by its name, else by its top-level keys."""
    stem = path.name.split(".")[0]
    if stem in KINDS:
        return stem
    if isinstance(data, dict):
        for kind in KINDS:
            if set(data) == set(shape(kind).__annotations__):
                return kind
    return None


def load(files: Iterable[Source] | None = None, *, use_cache: bool = True) -> Content:
    """The validated content; from the cache when the files are unchanged (no YAML parsing).

    `ContentError` lists every problem of every file, with its line.
    """
    chosen = list(files or sources())
    blobs: list[tuple[Source, bytes]] = []
    for source in chosen:
        try:
            blobs.append((source, source.path.read_bytes()))
        except OSError as exc:
            from rugcoach.content.validation import ContentError, Problem

            problem = Problem(str(source.path), 1, "", t("content.unreadable", why=exc.strerror))
            raise ContentError([problem]) from None
    key = _cache_key(blobs)
    if use_cache:
        from rugcoach.content import cache

        cached = cache.read("content", key)
        if isinstance(cached, dict) and set(cached) == set(KINDS):
            return cached  # type: ignore[return-value]
    loaded = _parse_and_check(blobs)
    if use_cache:
        cache.remember("content", key, loaded)
    return loaded


def _cache_key(blobs: list[tuple[Source, bytes]]) -> str:
    """Which content (and which rugcoach) the cache was built from."""
    from rugcoach import __version__
    from rugcoach.content.cache import checksum

    parts = [f"rugcoach-{__version__}"]
    parts += [f"{s.kind}:{checksum(str(s.path).encode())}:{checksum(data)}" for s, data in blobs]
    return checksum(" ".join(parts).encode())


def _parse_and_check(blobs: list[tuple[Source, bytes]]) -> Content:
    from rugcoach.content.validation import ContentError, Problem, load_yaml, validate

    parsed: dict[str, Any] = {}
    located: dict[str, tuple[str, Any]] = {}
    problems: list[Problem] = []
    for source, data in blobs:
        try:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                problem = Problem(str(source.path), 1, "", t("content.not_utf8"))
                raise ContentError([problem]) from None
            tree, lines = load_yaml(source.path, text)
            parsed[source.kind] = validate(shape(source.kind), tree, str(source.path), lines)
            located[source.kind] = (str(source.path), lines)
        except ContentError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ContentError(problems)
    content: Content = {
        "phases": parsed["phases"],
        "exercises": parsed["exercises"],
        "coaching": parsed["coaching"],
    }
    problems = [
        Problem(located[kind][0], located[kind][1].line(loc), field, message)
        for kind, loc, field, message in cross_check(content)
    ]
    if problems:
        raise ContentError(problems)
    return content


def cross_check(content: Content) -> list[CrossProblem]:
    """Problems that no single file shows: ids that must exist, coverage, both languages.

    Each problem is (kind of file, location in it, field, message). The checks live in
    `content.crosscheck`, imported here only when content is checked, not on every start.
    """
    from rugcoach.content import crosscheck

    return crosscheck.cross_check(content)


def phases_of(exercise: Exercise) -> list[int]:
    """The phases an exercise belongs to: those it has a dose for."""
    return sorted(dose["phase"] for dose in exercise["dose"])
