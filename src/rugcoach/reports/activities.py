"""The patient-specific activities (PSK / PSFS) in `summary` and the exports (SPEC §9): each
activity's scores over the period and the change since its first rating in it (2 points or
more is a meaningful change).

Shared by the terminal summary and the md, html and fhir exports, so they say the same thing;
the json export carries `activities.progress_json` itself; `term/summary.py` draws the
terminal's section.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING, Any

from rugcoach.coach import activities
from rugcoach.i18n import t
from rugcoach.reports import format as fmt

if TYPE_CHECKING:
    from rugcoach.coach.activities import Progress
    from rugcoach.reports.report import Report
    from rugcoach.schema import Diary

# uuid5(NAMESPACE_DNS, "rugcoach.invalid"), as export_fhir: reproducible resource ids.
NAMESPACE = uuid.UUID("8560cb99-79f3-57d7-a3dd-71b46e797e39")
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"


def items(diary: Diary | None, first: date | None, last: date | None) -> list[Progress]:
    return activities.progress(diary, first, last)


def of_report(report: Report) -> list[Progress]:
    return items(report.diary, report.first, report.last)


def scores_text(item: Progress) -> str:
    """'3 (5 Jan) → 4 (12 Jan) → 6 (19 Jan)', or that it was not rated in the period."""
    if not item.scores:
        return t("report.activities.not_rated")
    return " → ".join(
        f"{s['score']} ({fmt.day_month(date.fromisoformat(s['date']))})" for s in item.scores
    )


def change_text(item: Progress) -> str:
    """'+3: better (a meaningful change)', '-1: about the same', '–' before a second rating."""
    if item.change is None or item.direction is None:
        return "–"
    direction = t("activities.direction." + item.direction)
    if item.meaningful:
        return t("report.activities.meaningful", change=f"{item.change:+d}", direction=direction)
    return f"{item.change:+d}: {direction}"


def header() -> list[str]:
    return [
        t("report.activities.col.name"),
        t("report.activities.col.scores"),
        t("report.activities.col.change"),
    ]


def rows(found: list[Progress]) -> list[list[str]]:
    """Plain text cells (the caller escapes them for its format)."""
    return [[item.name, scores_text(item), change_text(item)] for item in found]


def fhir_entries(report: Report) -> list[dict[str, Any]]:
    """One Observation per activity score: `code.text` names the activity (there is no LOINC
    code for one PSFS item, and a near one would mislead), `valueInteger` 0-10, category
    `survey`; from the second rating on, a note gives the change since the first. The
    disclaimer is the bundle's Composition (export_fhir)."""
    out = []
    for item in of_report(report):
        for n, score in enumerate(item.scores):
            rid = str(
                uuid.uuid5(NAMESPACE, f"rugcoach-activity:{item.id}:{item.name}:{score['date']}")
            )
            resource: dict[str, Any] = {
                "resourceType": "Observation",
                "id": rid,
                "status": "final",
                "category": [
                    {"coding": [{"system": CATEGORY_SYSTEM, "code": "survey", "display": "Survey"}]}
                ],
                "code": {"text": t("report.activities.fhir_code", name=item.name)},
                "valueInteger": score["score"],
                "effectiveDateTime": score["date"],
            }
            if n > 0 and item.first is not None:
                change = score["score"] - item.first["score"]
                text = t(
                    "report.activities.fhir_change", change=f"{change:+d}", date=item.first["date"]
                )
                resource["note"] = [{"text": text}]
            out.append({"fullUrl": f"urn:uuid:{rid}", "resource": resource})
    return out
