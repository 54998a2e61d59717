"""The html export as a page a clinic opens (SPEC §14): a Content-Security-Policy that allows
nothing from outside and matches its own stylesheet, line breaks in notes kept (html and
md), chart colours with at least 3:1 contrast, and chart labels inside the chart.
(The page was also looked at in headless Chromium; see the note of task h15.)
"""

from __future__ import annotations

import base64
import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rugcoach.diary.edits import add_entry, make_entry
from rugcoach.reports import html as export_html
from rugcoach.reports import html_charts as export_html_charts
from test_cli_diary import fast_content  # noqa: F401 - an autouse fixture, active by import
from test_export_formats import PERIOD, export
from test_report import save, small_diary, ten_year_diary

NOTE = "slept badly\nstiff in the morning\r\n- walked anyway\n1. then rested"


@pytest.fixture
def small(home: Path) -> None:
    save(home, add_entry(small_diary(), make_entry("n1", date(2025, 3, 14), note=NOTE)))


def _meta_csp(page: str) -> str:
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', page)
    assert len(found) == 1
    return found[0]


def test_the_csp_allows_nothing_from_outside(runner: CliRunner, small: None) -> None:
    page = export(runner, "html", *PERIOD)
    policy = dict(
        (part.split()[0], part.split()[1:]) for part in _meta_csp(page).split("; ") if part
    )
    assert policy["default-src"] == ["'none'"]
    for directive in ("img-src", "base-uri", "form-action"):
        assert policy[directive] == ["'none'"], directive
    assert "script-src" not in policy  # falls back to default-src: none
    # The one stylesheet is allowed by its hash, and it is the page's own.
    (css,) = re.findall(r"<style>(.*?)</style>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert policy["style-src"] == [f"'sha256-{digest}'"]
    assert "unsafe-inline" not in page
    # The policy comes before anything it governs.
    assert page.index("Content-Security-Policy") < page.index("<style>")
    assert "style=" not in page  # no inline style attribute (the hash does not cover those)


def test_html_keeps_line_breaks_in_notes(runner: CliRunner, small: None) -> None:
    page = export(runner, "html", *PERIOD)
    assert "slept badly<br>stiff in the morning<br>- walked anyway<br>1. then rested" in page


def test_md_keeps_line_breaks_in_notes(runner: CliRunner, small: None) -> None:
    from markdown_it import MarkdownIt

    text = export(runner, "md", *PERIOD)
    html = MarkdownIt("commonmark").render(text)
    assert (
        "slept badly<br />\nstiff in the morning<br />\n- walked anyway<br />\n1. then rested"
        in (html)
    )
    # The note's own "- " and "1. " start no list of their own.
    assert html.count("<ol") == 0


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_contrast_helper() -> None:
    assert round(contrast("#6a9fd4", "#ffffff"), 2) == 2.79  # the old bars: too pale
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0


def test_chart_colours_have_3_to_1_contrast() -> None:
    rules = dict(re.findall(r"svg ([.\w ]+?) \{ ([^}]*)\}", export_html.CSS))
    checked = 0
    for selector, body in rules.items():
        if selector.strip() == ".grid":  # gridlines only help the eye; the labels carry values
            continue
        for colour in re.findall(r"(?:fill|stroke): (#[0-9a-f]{6})", body):
            assert contrast(colour, "#ffffff") >= 3, (selector, colour)
            checked += 1
    assert checked >= 6


def _labels(page: str) -> list[tuple[float, str, str]]:
    return [
        (float(x), anchor, text)
        for x, anchor, text in re.findall(
            r'<text (?:class="\w+" )?x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)">([^<]*)</text>',
            page,
        )
    ]


def _inside(page: str) -> int:
    labels = _labels(page)
    assert labels
    for x, anchor, text in labels:
        width = export_html_charts.text_width(text)
        lo = {"start": x, "middle": x - width / 2, "end": x - width}[anchor]
        assert lo >= 0 and lo + width <= export_html_charts.W, (x, anchor, text)
    return len(labels)


def test_labels_fit_in_the_chart(runner: CliRunner, small: None) -> None:
    assert _inside(export(runner, "html", *PERIOD)) > 10
    # A week: the last tick is on the chart's right end, and its label keeps inside.
    page = export(runner, "html", "--from", "2025-03-03", "--to", "2025-03-10")
    last_tick = [label for label in _labels(page) if label[2] == "10 Mar"]
    assert last_tick[0][1] == "end"
    assert _inside(page)


@pytest.mark.parametrize(
    "period", [("--from", "2025-03-15", "--to", "2025-03-16"), ("--to", "2025-03-13")]
)
def test_labels_fit_for_short_periods_and_phase_starts_at_the_end(
    runner: CliRunner, small: None, period: tuple[str, ...]
) -> None:
    _inside(export(runner, "html", *period))


def test_labels_fit_over_ten_years(runner: CliRunner, home: Path) -> None:
    save(home, ten_year_diary(date(2025, 6, 30)))
    _inside(export(runner, "html"))
    _inside(export(runner, "html", "--from", "2024-01-01"))
