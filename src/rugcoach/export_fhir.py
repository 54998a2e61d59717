"""`export --format fhir`: an HL7 FHIR R4 `Bundle` of `type: collection` (SPEC §7).

- One `Observation` per entry with a pain score: LOINC 72514-3 "Pain severity - 0-10 verbal
  numeric rating [Score] - Reported", `valueInteger`, category `survey` (the person reports
  it; the vital-signs profile has no pain code), `status: final`.
- One `Observation` per entry with walking minutes: LOINC 55411-3 "Exercise duration" in
  UCUM minutes, category `activity` (as the HL7 Physical Activity IG, an R4 guide, records
  the duration of an activity), with `code.text` saying it is walking.
- One `Observation` per score of a patient-specific activity (PSK / PSFS, SPEC §9), with a
  note giving the change since the first rating: see `report_activities.fhir_entries`.
- Exercise pain and morning stiffness are left out: there is no LOINC code that says
  exactly "pain during exercise (0-10)" or "duration of morning back stiffness", and a code
  that almost fits would mislead whoever reads the bundle.
- `effectiveDateTime`: the entry's date, or date and time with the UTC offset of this
  computer's time zone on that day (FHIR requires an offset whenever a time is given).
- Every Observation carries the self-management disclaimer as a `note` (SPEC §1).
- `fullUrl` is `urn:uuid:` + a UUID 5 of the entry id and the measure, and the resource id is
  the same UUID, so exporting the same diary twice gives the same bundle.
- No `subject`: the diary names no one.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rugcoach.i18n import pick, t

if TYPE_CHECKING:
    from rugcoach.export import Report
    from rugcoach.schema import Entry

# uuid5(NAMESPACE_DNS, "rugcoach.invalid"): fixed, so ids are reproducible across versions.
NAMESPACE = uuid.UUID("8560cb99-79f3-57d7-a3dd-71b46e797e39")
LOINC = "http://loinc.org"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"
PAIN_CODE = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
EXERCISE_DURATION_CODE = ("55411-3", "Exercise duration")


def resource_id(entry_id: str, measure: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"rugcoach-entry:{entry_id}:{measure}"))


def effective(entry: Entry) -> str:
    if not entry["time"]:
        return entry["date"]
    moment = datetime.fromisoformat(f"{entry['date']}T{entry['time']}:00").astimezone()
    return moment.isoformat(timespec="seconds")


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY_SYSTEM, "code": code, "display": display}]}]


def _code(code: tuple[str, str], text: str) -> dict[str, Any]:
    return {"coding": [{"system": LOINC, "code": code[0], "display": code[1]}], "text": text}


def _observation(
    entry: Entry, measure: str, body: dict[str, Any], disclaimer: str
) -> dict[str, Any]:
    rid = resource_id(entry["id"], measure)
    resource = {
        "resourceType": "Observation",
        "id": rid,
        "status": "final",
        **body,
        "effectiveDateTime": effective(entry),
        "note": [{"text": disclaimer}],
    }
    return {"fullUrl": f"urn:uuid:{rid}", "resource": resource}


def observations(entry: Entry, disclaimer: str) -> list[dict[str, Any]]:
    out = []
    if entry["pain"] is not None:
        body = {
            "category": _category("survey", "Survey"),
            "code": _code(PAIN_CODE, t("export.fhir.pain")),
            "valueInteger": entry["pain"],
        }
        out.append(_observation(entry, "pain", body, disclaimer))
    if entry["walk_minutes"] is not None:
        body = {
            "category": _category("activity", "Activity"),
            "code": _code(EXERCISE_DURATION_CODE, t("export.fhir.walk")),
            "valueQuantity": {
                "value": entry["walk_minutes"],
                "unit": "min",
                "system": UCUM,
                "code": "min",
            },
        }
        out.append(_observation(entry, "walk", body, disclaimer))
    return out


def render(report: Report) -> str:
    """One bundle entry a line. Ten years are some 15,000 Observations (11 MB of text), so
    the lines are joined in blocks as they are made: no tree of objects, and no heap of
    small strings beside the result (SPEC §8, peak memory)."""
    disclaimer = pick(report.content["coaching"]["disclaimer"])
    blocks: list[str] = []
    lines: list[str] = []
    for entry in report.entries:
        for item in observations(entry, disclaimer):
            lines.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        if len(lines) >= 500:
            blocks.append(",\n".join(lines))
            lines = []
    # The patient-specific activities' scores (SPEC §9): see report_activities.fhir_entries.
    from rugcoach.report_activities import fhir_entries

    for item in fhir_entries(report, disclaimer):
        lines.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
    if lines:
        blocks.append(",\n".join(lines))
    head = '{"resourceType":"Bundle","type":"collection"'
    if not blocks:  # FHIR JSON allows no empty arrays: no "entry" at all
        return head + "}\n"
    # Head and tail go into the first and last block: adding them to the joined text would
    # copy it twice more.
    blocks[0] = head + ',"entry":[\n' + blocks[0]
    blocks[-1] += "\n]}\n"
    return ",\n".join(blocks)
