"""Output: the Rich consoles, JSON on stdout, and the exercise library views.

Rich is imported inside the functions that draw, so commands that print JSON or nothing
never pay for it.
"""

from __future__ import annotations

import json
import sys
from functools import cache
from typing import TYPE_CHECKING, Any

from rugcoach.content.load import phases_of
from rugcoach.doses import dose_text as dose_text  # the views say doses as the exports do
from rugcoach.i18n import pick, t
from rugcoach.safe_text import clean

if TYPE_CHECKING:
    from rich.console import Console

    from rugcoach.schema import Content, Entry, Exercise


def console() -> Console:
    """A console that respects NO_COLOR, COLUMNS and pipes (Rich reads them itself), and
    shows control characters in what it prints escaped, never raw (safe_text, SPEC §13)."""
    return _safe_console()(highlight=False, soft_wrap=False)


@cache
def _safe_console() -> type[Console]:
    from rich.console import Console

    class SafeConsole(Console):
        """Text is cleaned where Rich turns a string into text, so that the escaped form is
        what gets measured and laid out; and once more where segments become output, for
        text that reached Rich another way (a `Text` built directly, a panel's title)."""

        def render_str(self, text: str, **kwargs: Any) -> Any:
            return super().render_str(clean(text), **kwargs)

        def _render_buffer(self, buffer: Any) -> str:
            from rich.segment import Segment

            safe = (
                seg if seg.control else Segment(clean(seg.text), seg.style, seg.control)
                for seg in buffer
            )
            return super()._render_buffer(safe)

    return SafeConsole


def say(message: str) -> None:
    """A message for the person (not data): standard error, one line, controls escaped; on
    a terminal it wraps at word boundaries rather than where the screen ends (SPEC §15)."""
    text = clean(message.rstrip("\n"))
    if sys.stderr.isatty():
        from rugcoach.term.columns import fit

        text = fit(text)
    sys.stderr.write(text + "\n")


def emit_json(data: Any) -> None:
    """Data for programs: standard output, UTF-8, stable key order as built."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def phase_span(numbers: list[int]) -> str:
    """[1, 2, 3] as '1–3', [2, 4] as '2, 4': short enough for a narrow column."""
    if len(numbers) > 2 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"{numbers[0]}–{numbers[-1]}"
    return ", ".join(str(n) for n in numbers)


def exercise_summary(ex: Exercise) -> dict[str, Any]:
    """The `exercises --json` object (SPEC §3)."""
    return {
        "id": ex["id"],
        "name": pick(ex["name"]),
        "category": ex["category"],
        "phases": phases_of(ex),
        "minutes": ex["minutes"],
        "summary": pick(ex["summary"]),
    }


def exercise_detail(ex: Exercise, content: Content) -> dict[str, Any]:
    """The `exercises show ID --json` object: everything on the instruction card."""
    names = {e["id"]: pick(e["name"]) for e in content["exercises"]["exercises"]}
    return {
        **exercise_summary(ex),
        "steps": [pick(s) for s in ex["steps"]],
        "dose": [
            {
                "phase": d["phase"],
                "text": dose_text(d),
                **{k: v for k, v in d.items() if k != "phase"},
            }
            for d in ex["dose"]
        ],
        "cues": [pick(c) for c in ex["cues"]],
        "stop_when": [pick(s) for s in ex["stop_when"]],
        "cautions": {profile: pick(text) for profile, text in ex["cautions"].items()},
        "not_for": ex.get("not_for", []),
        "easier": _link(ex.get("easier"), names),
        "harder": _link(ex.get("harder"), names),
        "equipment": [pick(e) for e in ex["equipment"]],
    }


def _link(ex_id: str | None, names: dict[str, str]) -> dict[str, str] | None:
    return {"id": ex_id, "name": names[ex_id]} if ex_id else None


def exercise_table(exercises: list[Exercise]) -> None:
    """The library as a table that keeps every id whole, at any width (SPEC §15)."""
    import textwrap

    from rugcoach.term.canvas import screen
    from rugcoach.term.columns import table

    canvas = screen()
    canvas.add(canvas.style(t("exercises.title"), "bold"))
    heads = [t("col.id"), t("col.name"), t("col.category"), t("col.phases"), t("col.minutes")]
    rows = [
        [
            ex["id"],
            pick(ex["name"]),
            t(f"category.{ex['category']}"),
            phase_span(phases_of(ex)),
            str(ex["minutes"]),
        ]
        for ex in exercises
    ]
    canvas.lines.extend(table(heads, rows, canvas.width, wrap=frozenset({1}), right=frozenset({4})))
    canvas.add()
    canvas.lines.extend(textwrap.wrap(t("exercises.hint"), canvas.width, break_on_hyphens=False))
    sys.stdout.write(canvas.text())


def exercise_card(ex: Exercise, content: Content) -> None:
    """A readable instruction card: what, how, how much, when to stop, variants."""
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    detail = exercise_detail(ex, content)
    out = console()
    head = f"[bold]{escape(detail['name'])}[/bold]  ({t('category.' + ex['category'])})"
    out.print(Panel(escape(detail["summary"]), title=head, title_align="left", expand=True))

    out.print(f"[bold]{t('card.steps')}[/bold]")
    for i, step in enumerate(detail["steps"], 1):
        bullet_line(out, f" {i}. ", step)

    doses = Table(show_header=True, box=None, padding=(0, 2, 0, 1))
    doses.add_column(t("col.phase"))
    doses.add_column(t("col.dose"))
    phases = {p["number"]: pick(p["short"]) for p in content["phases"]["phases"]}
    for d in ex["dose"]:
        rest = t("card.rest", seconds=d["rest_seconds"]) if d.get("rest_seconds") else ""
        doses.add_row(f"{d['phase']} {escape(phases.get(d['phase'], ''))}", dose_text(d) + rest)
    out.print()
    out.print(f"[bold]{t('card.dose')}[/bold]  ({t('card.about_minutes', minutes=ex['minutes'])})")
    out.print(doses)

    for key, items in (("card.cues", detail["cues"]), ("card.stop_when", detail["stop_when"])):
        if items:
            out.print()
            out.print(f"[bold]{t(key)}[/bold]")
            for item in items:
                bullet_line(out, " • ", item)
    if detail["cautions"]:
        out.print()
        out.print(f"[bold]{t('card.cautions')}[/bold]")
        for profile, text in detail["cautions"].items():
            bullet_line(out, " • ", f"{t('profile.' + profile)}: {text}")
    if detail["not_for"]:
        profiles = ", ".join(t("profile." + p) for p in detail["not_for"])
        out.print(f"\n{t('card.not_for', profiles=profiles)}")
    variants = [
        t(f"card.{link}", name=detail[link]["name"], id=detail[link]["id"])
        for link in ("easier", "harder")
        if detail[link]
    ]
    if variants:
        out.print()
        for line in variants:
            out.print(escape(line))
    if detail["equipment"]:
        out.print(f"\n{t('card.equipment')}: {escape(', '.join(detail['equipment']))}")


def bullet_line(out: Console, bullet: str, text: str) -> None:
    """A numbered or bulleted line, wrapped at word boundaries under its own text."""
    import textwrap

    from rich.markup import escape

    lines = textwrap.wrap(
        text,
        max(out.width, 20),
        initial_indent=bullet,
        subsequent_indent=" " * len(bullet),
        break_on_hyphens=False,
        break_long_words=False,
    )
    for line in lines:
        out.print(escape(line), overflow="ignore", crop=False)


def feedback_parts(entry: Entry) -> list[str]:
    """The person's feedback on exercises (SPEC §11): 'too hard: …', 'too easy: …'."""
    out = []
    for kind in ("hard", "easy"):
        ids: list[str] = entry.get(kind) or []  # type: ignore[assignment]
        if ids:
            out.append(t(f"history.{kind}", ids=", ".join(ids)))
    return out


def entry_line(entry: Entry) -> str:
    """One entry as a short line: '2026-11-21 08:30 pain 4, walk 20 min, done: bird-dog'."""
    parts = []
    for key, label in (
        ("pain", "entry.pain"),
        ("exercise_pain", "entry.exercise_pain"),
        ("stiffness_minutes", "entry.stiffness"),
        ("walk_minutes", "entry.walk"),
    ):
        if entry[key] is not None:  # type: ignore[literal-required]
            parts.append(t(label, value=entry[key]))  # type: ignore[literal-required]
    if entry["done"]:
        parts.append(t("entry.done", ids=", ".join(entry["done"])))
    if entry["symptoms"]:
        parts.append(t("entry.symptoms", ids=", ".join(entry["symptoms"])))
    parts.extend(feedback_parts(entry))
    when = f"{entry['date']} {entry['time'] or ''}".strip()
    return f"{when}: " + "; ".join(parts) if parts else when
