"""The plain renderer of `today`: layout at any width, colour only where it belongs."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from rugcoach.coach import plan as coach
from rugcoach.content import load as content
from rugcoach.diary import edits as diary
from rugcoach.diary import store as storage
from rugcoach.i18n import set_language
from rugcoach.term import canvas
from rugcoach.term import today as render_today

DAY = date(2026, 11, 21)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _plan(symptoms: list[str], profile: str = "general") -> tuple[coach.Plan, object]:
    loaded = content.load()
    made = diary.new_diary(start=DAY - timedelta(days=10), version=storage.VERSION, profile=profile)
    made = diary.add_entry(made, diary.make_entry("e1", DAY, pain=5, symptoms=symptoms))
    return coach.plan(loaded, made, DAY), loaded


@pytest.mark.parametrize("columns", [40, 60, 80, 100, 200])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_no_line_is_wider_than_the_terminal(
    monkeypatch: pytest.MonkeyPatch, columns: int, lang: str
) -> None:
    monkeypatch.setenv("COLUMNS", str(columns))
    set_language(lang)
    plan, loaded = _plan(["fever", "radiating-leg-pain"])
    text = render_today.today_text(plan, loaded)  # type: ignore[arg-type]
    width = min(columns, canvas.MAX_WIDTH)
    assert max(len(line) for line in text.splitlines()) <= width
    # Every routine exercise is on the page, however narrow.
    for item in plan.routine:
        assert item.exercise["id"] in text


def test_warnings_come_first_most_serious_on_top() -> None:
    plan, loaded = _plan(["radiating-leg-pain", "saddle-numbness"])
    lines = render_today.today_text(plan, loaded).splitlines()  # type: ignore[arg-type]
    assert lines[1].startswith("╭─ URGENT")
    titles = [line for line in lines if line.startswith("╭─ ")]
    assert len(titles) == 1 and "URGENT" in titles[0]  # the others follow as one line each
    assert plan.routine == ()
    text = "\n".join(lines)
    assert "112" in text and text.index("112") < text.index("Pain radiating into one leg")


def test_colour_only_on_a_terminal_without_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    plan, loaded = _plan(["fever"])
    monkeypatch.setattr(canvas, "color", lambda: True)
    coloured = render_today.today_text(plan, loaded)  # type: ignore[arg-type]
    assert ANSI.search(coloured)
    # Colour never changes the words or the layout.
    monkeypatch.setattr(canvas, "color", lambda: False)
    plain = render_today.today_text(plan, loaded)  # type: ignore[arg-type]
    assert ANSI.sub("", coloured) == plain
    assert not ANSI.search(plain)


def test_colour_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    class Tty:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(canvas.sys, "stdout", Tty())
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    assert canvas.color()
    monkeypatch.setenv("NO_COLOR", "1")
    assert not canvas.color()
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "dumb")
    assert not canvas.color()


def test_reduced_items_are_marked_and_explained() -> None:
    plan, loaded = _plan(["radiating-leg-pain"], profile="nerve")
    text = render_today.today_text(plan, loaded)  # type: ignore[arg-type]
    assert plan.load == "reduced"
    assert " * " in text or "* " in text
    assert "easier variant or fewer sets" in text
