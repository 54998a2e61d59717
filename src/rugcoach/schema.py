"""The shapes of rugcoach's content and diary, as typed dictionaries.

Why TypedDicts and not pydantic models: `rugcoach today` must start in well under 100 ms,
and importing pydantic and building its models costs ~90 ms on its own. These types cost
nothing at run time; the hot path reads already-validated JSON straight into them. The
cold paths (`validate`, rebuilding the content cache, reading a diary that was not written
by rugcoach) validate the very same types with pydantic v2, `extra="forbid"` — see
`content/validation.py`. One definition, two speeds.
"""

from __future__ import annotations

from typing import Annotated, Literal

from annotated_types import Ge, Le, MaxLen, MinLen
from typing_extensions import NotRequired, TypedDict

Lang = Literal["nl", "en"]

Category = Literal[
    "mobility",
    "motor-control",
    "strength",
    "strength-power",
    "cardio",
    "walking",
    "breathing",
    "nerve-glide",
]

Profile = Literal["general", "acute", "nerve", "degenerative", "chronic", "recurrent"]

Level = Literal["urgent", "consult", "adjust"]

# How soon to act on a warning (SPEC §10): now (urgent), within a few days, or at a coming
# appointment within weeks.
When = Literal["now", "days", "weeks"]

PhaseNumber = Literal[1, 2, 3, 4]
Id = Annotated[str, MinLen(1), MaxLen(60)]
Minutes = Annotated[int, Ge(0), Le(24 * 60)]
Score = Annotated[int, Ge(0), Le(10)]


class Text(TypedDict):
    """A user-facing text in every language."""

    nl: Annotated[str, MinLen(1)]
    en: Annotated[str, MinLen(1)]


# --------------------------------------------------------------------------- phases.yaml


class ProfileReadiness(TypedDict):
    """The readiness values that differ for one profile; the rest are the phase's own."""

    min_days: NotRequired[Annotated[int, Ge(1)]]
    min_pain_scores: NotRequired[Annotated[int, Ge(0)]]
    # None: no pain ceiling (chronic pain: move on by the calendar; pain only guards).
    max_mean_pain: NotRequired[Annotated[float, Ge(0), Le(10)] | None]
    min_exercise_days: NotRequired[Annotated[int, Ge(0)]]
    # Warning levels that hold the phase back (default: urgent and consult).
    blocking_levels: NotRequired[Annotated[list[Level], MinLen(1)]]


class Readiness(TypedDict):
    """When a phase is done (SPEC §5), judged over the last `window_days` days."""

    min_days: Annotated[int, Ge(1)]
    max_days: Annotated[int, Ge(1)]
    window_days: Annotated[int, Ge(1)]
    min_pain_scores: Annotated[int, Ge(0)]
    max_mean_pain: Annotated[float, Ge(0), Le(10)]
    min_exercise_days: Annotated[int, Ge(0)]
    # A profile whose readiness differs (SPEC §11): its own values replace these.
    profiles: NotRequired[dict[Profile, ProfileReadiness]]


class Phase(TypedDict):
    number: PhaseNumber
    name: Text
    short: Text
    goals: Annotated[list[Text], MinLen(1)]
    focus: Annotated[list[Category], MinLen(1)]
    typical_duration: Text
    # None for the final phase: it has no exit.
    readiness: Readiness | None
    notice: list[Text]
    mistakes: list[Text]


class PainRising(TypedDict):
    recent_days: Annotated[int, Ge(1)]
    before_days: Annotated[int, Ge(1)]
    margin: Annotated[float, Ge(0)]


class NoImprovement(TypedDict):
    min_days_since_start: Annotated[int, Ge(1)]
    window_days: Annotated[int, Ge(1)]
    min_pain_scores: Annotated[int, Ge(1)]
    min_recent_mean: Annotated[float, Ge(0), Le(10)]


class ExercisePainHigh(TypedDict):
    above: Annotated[int, Ge(0), Le(10)]
    window_days: Annotated[int, Ge(1)]


class PainFlare(TypedDict):
    rise: Annotated[float, Ge(0)]
    baseline_days: Annotated[int, Ge(1)]
    min_baseline_scores: Annotated[int, Ge(1)]


class MorningStiffness(TypedDict):
    above_minutes: Annotated[int, Ge(0)]
    min_days: Annotated[int, Ge(1)]
    window_days: Annotated[int, Ge(1)]


class PainUncontrolled(TypedDict):
    """Day pain scores of at least `min_pain` on each of the last `days` days (SPEC §10)."""

    min_pain: Annotated[int, Ge(0), Le(10)]
    days: Annotated[int, Ge(1)]


class PhaseOverdue(TypedDict):
    """`phase-overdue` only without clear improvement: the last `window_days` days' mean is
    not at least `min_improvement` below the phase's first `window_days` days' mean, each
    with at least `min_pain_scores` scores (SPEC §10)."""

    window_days: Annotated[int, Ge(1)]
    min_pain_scores: Annotated[int, Ge(1)]
    min_improvement: Annotated[float, Ge(0), Le(10)]


class Rules(TypedDict):
    """Thresholds of the diary rules of SPEC §4–5; data, not code."""

    symptom_window_days: Annotated[int, Ge(1)]
    pain_rising: PainRising
    no_improvement: NoImprovement
    exercise_pain_high: ExercisePainHigh
    pain_flare: PainFlare
    morning_stiffness: MorningStiffness
    pain_uncontrolled: PainUncontrolled
    phase_overdue: PhaseOverdue
    # A cleared consult or rule warning stays silent this many days (SPEC §10).
    quiet_days: Annotated[int, Ge(1)]


class Walking(TypedDict):
    """Time-contingent walking goal: start, +step every step_days, up to max."""

    start_minutes: Annotated[int, Ge(0)]
    step_minutes: Annotated[int, Ge(0)]
    step_days: Annotated[int, Ge(1)]
    max_minutes: Annotated[int, Ge(0)]


class Session(TypedDict):
    min_minutes: Annotated[int, Ge(1)]
    max_minutes: Annotated[int, Ge(1)]


class DoseStep(TypedDict):
    """How one unit of a dose grows per step: +`step` up to `top`; then, with `sets_top`,
    one set more per step up to that many sets."""

    step: Annotated[int, Ge(1), Le(60)]
    top: Annotated[int, Ge(1), Le(600)]
    sets_top: NotRequired[Annotated[int, Ge(1), Le(10)]]


class DoseSteps(TypedDict):
    reps: DoseStep
    seconds: DoseStep
    minutes: DoseStep


class Progression(TypedDict):
    """Graded activity by programme weeks (SPEC §11)."""

    # The top of every dose: at most this many steps above where it starts.
    max_steps: Annotated[int, Ge(0), Le(20)]
    steps: DoseSteps
    # A week with an adjust warning on at least this many of its days adds no step.
    adjust_days: Annotated[int, Ge(1), Le(7)]
    # "Too easy" on at least this many days of a week: a harder variant or a step next week.
    easy_days: Annotated[int, Ge(1), Le(7)]


class Fitting(TypedDict):
    """Who gets nerve glides (SPEC §11): these profiles, or anyone who noted one of these
    symptoms in the last `nerve_glide_days` days."""

    nerve_glide_profiles: list[Profile]
    nerve_glide_symptoms: list[Id]
    nerve_glide_days: Annotated[int, Ge(1), Le(365)]


class PhasesFile(TypedDict):
    phases: Annotated[list[Phase], MinLen(1)]
    rules: Rules
    walking: Walking
    session: Session
    # Without these (an older custom file): doses do not step, glides suit everyone.
    progression: NotRequired[Progression]
    fitting: NotRequired[Fitting]


# ------------------------------------------------------------------------ exercises.yaml


class Dose(TypedDict):
    """How much, in one phase: `reps`, or `seconds` (a hold or a timed bout), or `minutes`."""

    phase: PhaseNumber
    sets: Annotated[int, Ge(1), Le(10)]
    reps: NotRequired[Annotated[int, Ge(1), Le(100)]]
    seconds: NotRequired[Annotated[int, Ge(1), Le(600)]]
    minutes: NotRequired[Annotated[int, Ge(1), Le(120)]]
    per_side: NotRequired[bool]
    rest_seconds: NotRequired[Annotated[int, Ge(0), Le(600)]]


class Exercise(TypedDict):
    id: Id
    name: Text
    category: Category
    # One dose per phase the exercise belongs to; its phases are read from here.
    dose: Annotated[list[Dose], MinLen(1)]
    minutes: Annotated[int, Ge(1), Le(60)]
    # Seconds one repetition takes, for the session's timers (a long-exhale breath ~10 s,
    # a slow controlled rep 5-6 s); without it, the session's default pace.
    rep_seconds: NotRequired[Annotated[int, Ge(1), Le(60)]]
    summary: Text
    steps: Annotated[list[Text], MinLen(1)]
    cues: list[Text]
    stop_when: Annotated[list[Text], MinLen(1)]
    cautions: dict[Profile, Text]
    # Profiles for whom this exercise is left out of the plan altogether.
    not_for: NotRequired[list[Profile]]
    easier: NotRequired[Id | None]
    harder: NotRequired[Id | None]
    equipment: list[Text]


class ExercisesFile(TypedDict):
    exercises: Annotated[list[Exercise], MinLen(1)]


# ------------------------------------------------------------------------- coaching.yaml


class Tip(TypedDict):
    id: Id
    text: Text


class DailyRoutine(TypedDict):
    """One of the morning / afternoon / evening mini-routines."""

    exercises: list[Id]
    advice: list[Text]


class DailyRoutines(TypedDict):
    morning: DailyRoutine
    afternoon: DailyRoutine
    evening: DailyRoutine


class SymptomWords(TypedDict):
    """The words a person may type for a sign, per language (matching folds case, accents,
    and spaces versus hyphens)."""

    nl: list[Id]
    en: list[Id]


class Escalation(TypedDict):
    """A recorded risk factor that makes a sign more serious (SPEC §10)."""

    risk: Id  # a screening question id
    level: Level
    when: When
    message: Text


class Symptom(TypedDict):
    id: Id
    level: Level
    when: When
    # A profile for which this symptom is the known complaint, and so less alarming.
    profile_levels: NotRequired[dict[Profile, Level]]
    name: Text
    aliases: SymptomWords
    description: Text
    message: Text
    escalations: NotRequired[list[Escalation]]


class RuleWarning(TypedDict):
    """The text of a warning raised by a diary rule (its thresholds are in phases.yaml)."""

    id: Id
    level: Level
    when: When
    message: Text


class ProfileInfo(TypedDict):
    id: Profile
    name: Text
    description: Text
    advice: Text


class ScreeningQuestion(TypedDict):
    id: Id
    question: Text


class CoachingFile(TypedDict):
    profiles: Annotated[list[ProfileInfo], MinLen(1)]
    symptoms: Annotated[list[Symptom], MinLen(1)]
    rule_warnings: list[RuleWarning]
    screening: list[ScreeningQuestion]
    screening_warning: Text
    daily_routines: DailyRoutines
    tips: Annotated[list[Tip], MinLen(20)]
    disclaimer: Text


class Content(TypedDict):
    """Everything the coach reads, after validation and cross-checks."""

    phases: PhasesFile
    exercises: ExercisesFile
    coaching: CoachingFile


# --------------------------------------------------------------------------------- diary


class Entry(TypedDict):
    """One diary entry. Absent measures are None / empty lists, never missing keys."""

    id: Id
    date: str  # YYYY-MM-DD
    time: str | None  # HH:MM, local clock time
    # Since version 3: the UTC offset in force when the entry was logged ("+01:00"), so an
    # export can say when it happened; None for older entries and entries logged elsewhere.
    utc_offset: str | None
    pain: Score | None
    exercise_pain: Score | None
    stiffness_minutes: Minutes | None
    walk_minutes: Minutes | None
    done: list[Id]
    # Since version 3: exercises of the day's routine the person found too hard or
    # painful / too easy (SPEC §11 feedback).
    hard: list[Id]
    easy: list[Id]
    symptoms: list[Id]
    note: Annotated[str, MaxLen(2000)] | None


class PhaseStart(TypedDict):
    number: PhaseNumber
    start: str  # YYYY-MM-DD, day 1 of the phase
    how: Literal["init", "next", "forced", "set"]


class DiaryProfile(TypedDict):
    profile: Profile
    language: Lang | None
    start_date: str
    goals: list[Annotated[str, MaxLen(500)]]
    # Screening risk factors answered "yes" at intake, until cleared.
    screening_flags: list[Id]
    screening_cleared: bool


class ActivityScore(TypedDict):
    """How well the person can do an activity on a date: 0 = not at all, 10 = as before."""

    date: str  # YYYY-MM-DD
    score: Score


class Activity(TypedDict):
    """A patient-specific activity (PSK / PSFS): something the person finds hard because of
    the back, rated 0-10 from time to time. Scores are kept in date order, one per date."""

    id: Id
    name: Annotated[str, MinLen(1), MaxLen(200)]
    added: str  # YYYY-MM-DD
    scores: list[ActivityScore]


class Clearance(TypedDict):
    """A warning the person recorded as dealt with (SPEC §10): a doctor assessed an urgent
    sign, or a consult / rule warning was discussed. Since version 3."""

    id: Id  # the warning id (a symptom id, a rule id, or "screening")
    date: str  # YYYY-MM-DD, the day it was cleared
    # HH:MM when it was recorded on the day itself: a sign noted again later that day is
    # new. None (a clearance for an earlier day): it covers the whole day.
    time: str | None
    note: Annotated[str, MaxLen(2000)] | None


class Diary(TypedDict):
    format: Literal["rugcoach-diary"]
    version: Annotated[int, Ge(1)]
    profile: DiaryProfile
    phases: Annotated[list[PhaseStart], MinLen(1)]
    entries: list[Entry]
    # Since version 2.
    activities: list[Activity]
    # Since version 3.
    clearances: list[Clearance]


# pydantic reads a TypedDict's config from this attribute; TypedDict bodies cannot hold
# assignments, so it is set here, for every shape above: unknown keys are errors.
for _shape in list(globals().values()):
    if isinstance(_shape, type) and issubclass(_shape, dict) and hasattr(_shape, "__total__"):
        _shape.__pydantic_config__ = {"extra": "forbid"}  # type: ignore[attr-defined]
