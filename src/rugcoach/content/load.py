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
from rugcoach.vocab import LANGS

if TYPE_CHECKING:
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


# Ids that other parts of rugcoach (and the SPEC) rely on: a replacement file must keep them.
REQUIRED_SYMPTOMS = (
    "saddle-numbness",
    "bladder-bowel",
    "both-legs",
    "progressive-weakness",
    "trauma",
    "radiating-leg-pain",
    "leg-weakness",
    "numbness",
    "fever",
    "weight-loss",
    "night-pain",
)
REQUIRED_RULE_WARNINGS = (
    "no-improvement",
    "phase-overdue",
    "pain-uncontrolled",
    "exercise-pain-high",
    "pain-flare",
    "morning-stiffness",
    "screening",
)


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


def _where(loc: tuple[str | int, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def cross_check(content: Content) -> list[tuple[str, tuple[str | int, ...], str, str]]:
    """Problems that no single file shows: ids that must exist, coverage, both languages.

    Each problem is (kind of file, location in it, field, message).
    """
    out: list[tuple[str, tuple[str | int, ...], str, str]] = []

    def add(kind: str, loc: tuple[str | int, ...], message: str) -> None:
        out.append((kind, loc, _where(loc), message))

    phases = content["phases"]["phases"]
    exercises = content["exercises"]["exercises"]
    coaching = content["coaching"]

    numbers = [p["number"] for p in phases]
    if numbers != list(range(1, len(numbers) + 1)):
        add("phases", ("phases",), t("check.phase_numbers"))
    for i, phase in enumerate(phases):
        final = i == len(phases) - 1
        ready = phase["readiness"]
        if final and ready is not None:
            add("phases", ("phases", i, "readiness"), t("check.final_readiness"))
        if not final and ready is None:
            add("phases", ("phases", i, "readiness"), t("check.readiness_missing"))
        if ready is not None and ready["min_days"] > ready["max_days"]:
            add("phases", ("phases", i, "readiness"), t("check.min_max_days"))
        for profile, own in ((ready.get("profiles") if ready else None) or {}).items():
            if ready is not None and own.get("min_days", 0) > ready["max_days"]:
                add(
                    "phases",
                    ("phases", i, "readiness", "profiles", profile),
                    t("check.profile_min_days", profile=profile),
                )
    session = content["phases"]["session"]
    if session["min_minutes"] > session["max_minutes"]:
        add("phases", ("session",), t("check.min_max_minutes"))
    progression = content["phases"].get("progression")
    steps: dict[str, Any] = dict(progression["steps"]) if progression else {}
    for unit, grow in steps.items():
        if grow["step"] > grow["top"]:
            add("phases", ("progression", "steps", unit, "step"), t("check.step_over_top"))
    known = {s["id"] for s in content["coaching"]["symptoms"]}
    fitting = content["phases"].get("fitting")
    for j, sign in enumerate(fitting["nerve_glide_symptoms"] if fitting else ()):
        if sign not in known:
            add(
                "phases",
                ("fitting", "nerve_glide_symptoms", j),
                t("check.unknown_symptom", id=sign),
            )

    ids: dict[str, int] = {}
    for i, ex in enumerate(exercises):
        if ex["id"] in ids:
            add("exercises", ("exercises", i, "id"), t("check.duplicate_id", id=ex["id"]))
        ids[ex["id"]] = i
    for i, ex in enumerate(exercises):
        seen: set[int] = set()
        for j, dose in enumerate(ex["dose"]):
            if dose["phase"] in seen:
                add("exercises", ("exercises", i, "dose", j, "phase"), t("check.dose_twice"))
            if dose["phase"] not in numbers:
                add("exercises", ("exercises", i, "dose", j, "phase"), t("check.no_such_phase"))
            if sum(k in dose for k in ("reps", "seconds", "minutes")) != 1:
                add("exercises", ("exercises", i, "dose", j), t("check.dose_amount"))
            seen.add(dose["phase"])
        if "rep_seconds" in ex and not any("reps" in dose for dose in ex["dose"]):
            # A pace for repetitions that no dose counts is a slip (seconds meant?).
            add("exercises", ("exercises", i, "rep_seconds"), t("check.rep_seconds_unused"))
        for link in ("easier", "harder"):
            target = ex.get(link)
            if target is not None and (target not in ids or target == ex["id"]):
                add("exercises", ("exercises", i, link), t("check.unknown_exercise", id=target))

    for i, phase in enumerate(phases):
        for category in phase["focus"]:
            if not any(
                ex["category"] == category and phase["number"] in phases_of(ex) for ex in exercises
            ):
                add(
                    "phases",
                    ("phases", i, "focus"),
                    t("check.focus_uncovered", category=category, phase=phase["number"]),
                )

    for part in ("morning", "afternoon", "evening"):
        for j, ex_id in enumerate(coaching["daily_routines"][part]["exercises"]):
            if ex_id not in ids:
                add(
                    "coaching",
                    ("daily_routines", part, "exercises", j),
                    t("check.unknown_exercise", id=ex_id),
                )

    for problem in _check_sign_words(coaching):
        add("coaching", *problem)
    for kind, listed, required in (
        ("symptoms", coaching["symptoms"], REQUIRED_SYMPTOMS),
        ("rule_warnings", coaching["rule_warnings"], REQUIRED_RULE_WARNINGS),
    ):
        have = {item["id"] for item in listed}
        for missing in required:
            if missing not in have:
                add("coaching", (kind,), t("check.required_missing", id=missing))
    tip_ids = [tip["id"] for tip in coaching["tips"]]
    for i, tip_id in enumerate(tip_ids):
        if tip_ids.index(tip_id) != i:
            add("coaching", ("tips", i, "id"), t("check.duplicate_id", id=tip_id))

    for kind in ("phases", "exercises", "coaching"):
        for loc in _blank_texts(content[kind], ()):  # type: ignore[literal-required]
            add(kind, loc, t("check.blank_text"))
    return out


# SPEC §10: at least this many words per language for a sign of each level.
MIN_ALIASES = {"urgent": 6, "consult": 4, "adjust": 0}


def _check_sign_words(coaching: Any) -> Iterable[tuple[tuple[str | int, ...], str]]:
    """Every sign has enough words in each language, and no word names two signs (after
    folding case, accents and spaces versus hyphens, as matching does); escalations name
    a screening question."""
    from rugcoach.content.signs import words_of
    from rugcoach.words import normalise

    owner: dict[str, str] = {}
    risks = {q["id"] for q in coaching["screening"]}
    for i, symptom in enumerate(coaching["symptoms"]):
        need = MIN_ALIASES.get(symptom["level"], 0)
        for lang in LANGS:
            have = len({normalise(a) for a in symptom["aliases"][lang]})
            if have < need:
                yield (
                    ("symptoms", i, "aliases", lang),
                    t("check.too_few_aliases", have=have, need=need, level=symptom["level"]),
                )
        for word in dict.fromkeys(normalise(w) for w in words_of(symptom)):
            other = owner.setdefault(word, symptom["id"])
            if other != symptom["id"]:
                yield (("symptoms", i, "aliases"), t("check.shared_alias", word=word, other=other))
        for j, escalation in enumerate(symptom.get("escalations") or ()):
            if escalation["risk"] not in risks:
                yield (
                    ("symptoms", i, "escalations", j, "risk"),
                    t("check.unknown_risk", id=escalation["risk"]),
                )


def _blank_texts(node: Any, loc: tuple[str | int, ...]) -> Iterable[tuple[str | int, ...]]:
    """Locations of {nl, en} texts where a language holds only white space."""
    if isinstance(node, dict):
        if set(node) == set(LANGS) and all(isinstance(v, str) for v in node.values()):
            for lang in LANGS:
                if not str(node[lang]).strip():
                    yield (*loc, lang)
            return
        for key, value in node.items():
            yield from _blank_texts(value, (*loc, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _blank_texts(value, (*loc, i))


def phases_of(exercise: Exercise) -> list[int]:
    """The phases an exercise belongs to: those it has a dose for."""
    return sorted(dose["phase"] for dose in exercise["dose"])
