"""`export --format fhir`: an HL7 FHIR R4 `Bundle`, `collection` or `transaction` (SPEC §7, §14).

- One `Patient`, pseudonymous: its only identifier is `urn:uuid:` + a UUID 5 of the diary's
  first entry id and its start date (the diary has no id of its own, and the schema gets no
  new field for one), so the same diary gives the same Patient in every export and every
  period, and nothing in it names the person. A name only with `--patient-name`.
- One `Composition` carrying the self-management disclaimer (SPEC §1) once, for the whole
  bundle: R4 `Bundle` has no `note`, and a `note` on every Observation was a quarter of the file.
- One `Observation` per entry with a pain score, conforming to the Dutch zib profile
  nl-core-PainScore (Nictiz, zib PainScore 4.0, 2020) as well as to plain R4:
  `meta.profile` names it; `code` carries SNOMED CT 225908003 "Pain score" (fixed by the
  profile) and LOINC 72514-3 "Pain severity - 0-10 verbal numeric rating [Score] -
  Reported"; `method` NRS from the zib's PijnMeetmethodeCodelijst (the person gives a
  number: a numeric rating scale; with NRS invariant zib-PainScore-1 caps the value at 10);
  `valueInteger` 0-10 (zib-PainScore-2: at least 0); at most one `note` (nl-core: `note ..1`,
  and we give none); category `survey` (the person reports it).
- One `Observation` per entry with walking minutes: LOINC 55411-3 "Exercise duration" in
  UCUM minutes, category `activity` (as the HL7 Physical Activity IG records the duration
  of an activity), `code.text` saying it is walking.
- One `Observation` per score of a patient-specific activity (PSK / PSFS, SPEC §9): see
  `report_activities.fhir_entries`.
- Exercise pain and morning stiffness are left out: no LOINC code says exactly "pain during
  exercise (0-10)" or "duration of morning back stiffness", and a code that almost fits
  would mislead whoever reads the bundle.
- Every resource has `subject` (the Composition also `author`) referencing the Patient.
- `effectiveDateTime`: the entry's date, or date and time with the UTC offset the diary
  recorded when the entry was logged; an entry logged before the diary recorded it uses the
  offset of its date and time in this computer's time zone.
- `fullUrl` is `urn:uuid:` + the resource id, a UUID 5 of what the resource is about, and
  every resource has that URN as an identifier, so exporting twice gives the same bundle and
  a `transaction` (`POST`, `ifNoneExist` on that identifier) posted twice creates nothing new.
"""

from __future__ import annotations

import json
import uuid
from html import escape
from typing import TYPE_CHECKING, Any

from rugcoach.dates import local_offset
from rugcoach.i18n import pick, t

if TYPE_CHECKING:
    from rugcoach.reports.report import Report
    from rugcoach.schema import Diary, Entry

# uuid5(NAMESPACE_DNS, "rugcoach.invalid"): fixed, so ids are reproducible across versions.
NAMESPACE = uuid.UUID("8560cb99-79f3-57d7-a3dd-71b46e797e39")
BUNDLE_TYPES = ("collection", "transaction")
LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
URI = "urn:ietf:rfc:3986"
CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category"
UCUM = "http://unitsofmeasure.org"
PAIN_PROFILE = "http://nictiz.nl/fhir/StructureDefinition/nl-core-PainScore"
PAIN_CODE = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
PAIN_SNOMED = ("225908003", "Pain score")
# PijnMeetmethodeCodelijst (zib PainScore, NL-CM:12.9.4), code system OID as Nictiz writes it.
METHOD_SYSTEM = "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.9.1"
METHOD_NRS = ("NRS", "NRS")
EXERCISE_DURATION_CODE = ("55411-3", "Exercise duration")


def resource_id(entry_id: str, measure: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"rugcoach-entry:{entry_id}:{measure}"))


def patient_id(diary: Diary | None) -> str:
    """The pseudonym: stable for a diary (its first entry is the oldest one kept; the start
    date is fixed at `init`), and it says nothing about the person."""
    if diary is None:
        return str(uuid.uuid5(NAMESPACE, "rugcoach-patient:"))
    first = diary["entries"][0]["id"] if diary["entries"] else ""
    return str(uuid.uuid5(NAMESPACE, f"rugcoach-patient:{first}:{diary['profile']['start_date']}"))


def effective(entry: Entry) -> str:
    if not entry["time"]:
        return entry["date"]
    from datetime import date

    offset = (
        entry["utc_offset"]
        or local_offset(date.fromisoformat(entry["date"]), entry["time"])
        or "+00:00"  # a date the zone data cannot place: UTC rather than no offset
    )
    return f"{entry['date']}T{entry['time']}:00{offset}"


def _category(code: str, display: str) -> list[dict[str, Any]]:
    return [{"coding": [{"system": CATEGORY_SYSTEM, "code": code, "display": display}]}]


def _observation(entry: Entry, measure: str, body: dict[str, Any]) -> dict[str, Any]:
    rid = resource_id(entry["id"], measure)
    resource = {
        "resourceType": "Observation",
        "id": rid,
        **body,
        "effectiveDateTime": effective(entry),
    }
    return {"fullUrl": f"urn:uuid:{rid}", "resource": resource}


def pain_body(score: int) -> dict[str, Any]:
    return {
        "meta": {"profile": [PAIN_PROFILE]},
        "status": "final",
        "category": _category("survey", "Survey"),
        "code": {
            "coding": [
                {"system": SNOMED, "code": PAIN_SNOMED[0], "display": PAIN_SNOMED[1]},
                {"system": LOINC, "code": PAIN_CODE[0], "display": PAIN_CODE[1]},
            ],
            "text": t("export.fhir.pain"),
        },
        "valueInteger": score,
        "method": {
            "coding": [{"system": METHOD_SYSTEM, "code": METHOD_NRS[0], "display": METHOD_NRS[1]}]
        },
    }


def observations(entry: Entry) -> list[dict[str, Any]]:
    out = []
    if entry["pain"] is not None:
        out.append(_observation(entry, "pain", pain_body(entry["pain"])))
    if entry["walk_minutes"] is not None:
        body = {
            "status": "final",
            "category": _category("activity", "Activity"),
            "code": {
                "coding": [
                    {
                        "system": LOINC,
                        "code": EXERCISE_DURATION_CODE[0],
                        "display": EXERCISE_DURATION_CODE[1],
                    }
                ],
                "text": t("export.fhir.walk"),
            },
            "valueQuantity": {
                "value": entry["walk_minutes"],
                "unit": "min",
                "system": UCUM,
                "code": "min",
            },
        }
        out.append(_observation(entry, "walk", body))
    return out


def patient(pid: str, name: str | None) -> dict[str, Any]:
    resource: dict[str, Any] = {"resourceType": "Patient", "id": pid}
    if name:
        resource["name"] = [{"text": name}]
    return {"fullUrl": f"urn:uuid:{pid}", "resource": resource}


def composition(report: Report, pid: str) -> dict[str, Any]:
    """The bundle's one statement of what it is and what it is not (the disclaimer)."""
    period = f"{report.first or ''}:{report.last or ''}:{report.generated}"
    cid = str(uuid.uuid5(NAMESPACE, f"rugcoach-composition:{pid}:{period}"))
    disclaimer = pick(report.content["coaching"]["disclaimer"])
    person = {"reference": f"urn:uuid:{pid}", "type": "Patient"}
    div = f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{escape(disclaimer)}</p></div>'
    resource = {
        "resourceType": "Composition",
        "id": cid,
        "status": "final",
        # No document code says "a patient's self-management diary"; a near one would mislead.
        "type": {"text": t("export.fhir.composition")},
        "date": report.generated.isoformat(),
        "author": [person],
        "title": t("export.fhir.composition"),
        "section": [
            {
                "title": t("export.fhir.disclaimer"),
                "text": {"status": "generated", "div": div},
            }
        ],
    }
    return {"fullUrl": f"urn:uuid:{cid}", "resource": resource}


def _finish(item: dict[str, Any], pid: str, bundle: str) -> dict[str, Any]:
    """The subject, the identifier and, in a transaction, the request of one bundle entry."""
    resource = item["resource"]
    kind = resource["resourceType"]
    urn = f"urn:uuid:{resource['id']}"
    identifier = {"system": URI, "value": urn}
    # Composition.identifier is one Identifier in R4; Patient's and Observation's are lists.
    resource["identifier"] = identifier if kind == "Composition" else [identifier]
    if kind != "Patient":
        resource["subject"] = {"reference": f"urn:uuid:{pid}", "type": "Patient"}
    if bundle == "transaction":
        item["request"] = {
            "method": "POST",
            "url": kind,
            "ifNoneExist": f"identifier={URI}|{urn}",
        }
    return item


def render(report: Report, bundle: str = "collection", patient_name: str | None = None) -> str:
    """One bundle entry a line. Ten years are some 15,000 Observations (11 MB of text), so
    the lines are joined in blocks as they are made: no tree of objects, and no heap of
    small strings beside the result (SPEC §8, peak memory)."""
    from rugcoach.reports.activities import fhir_entries

    pid = patient_id(report.diary)
    blocks: list[str] = []
    lines: list[str] = []

    def add(item: dict[str, Any]) -> None:
        lines.append(
            json.dumps(_finish(item, pid, bundle), ensure_ascii=False, separators=(",", ":"))
        )

    for entry in report.entries:
        for item in observations(entry):
            add(item)
        if len(lines) >= 500:
            blocks.append(",\n".join(lines))
            lines = []
    for item in fhir_entries(report):  # the activities' scores (SPEC §9)
        add(item)
    if lines:
        blocks.append(",\n".join(lines))
    head = f'{{"resourceType":"Bundle","type":"{bundle}"'
    if not blocks:  # FHIR JSON allows no empty arrays: no "entry" at all
        return head + "}\n"
    # The Patient and the Composition lead; only a bundle with data has them.
    lines = []
    add(patient(pid, patient_name))
    add(composition(report, pid))
    # Head and tail go into the first and last block: adding them to the joined text would
    # copy it twice more.
    blocks[0] = head + ',"entry":[\n' + ",\n".join(lines) + ",\n" + blocks[0]
    blocks[-1] += "\n]}\n"
    return ",\n".join(blocks)
