"""`export --format fhir` for the clinic's systems (SPEC §14): plain R4 (fhir.resources' R4B
models) *and* the rules of the Dutch nl-core-PainScore profile, written out below as
assertions (Nictiz-R4-zib2020, fsh-input/zib/nl-base-PainScore.fsh and nl-core-PainScore.fsh);
the Patient and subjects, the Composition with the disclaimer once, `--bundle transaction`,
the UTC offset recorded at logging time, and the refusals.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from rugcoach.diary.edits import add_entry, make_entry
from rugcoach.reports import fhir as export_fhir
from test_cli_diary import (
    fast_content,  # noqa: F401 - an autouse fixture, active by import
    ok,
    refused,
)
from test_export_formats import DISCLAIMER_EN, PERIOD, export, validate_bundle
from test_report import save, small_diary

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
PROFILE = "http://nictiz.nl/fhir/StructureDefinition/nl-core-PainScore"
METHOD_SYSTEM = "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.9.1"  # PijnMeetmethodeCodelijst
METHOD_CODES = {"NRS", "VAS10", "VAS100"}
# FHIR R4 dateTime: a time needs seconds and an offset (or Z).
DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2}))?"
)


def nl_core_pain_score_problems(obs: dict[str, Any]) -> list[str]:
    """What in `obs` breaks nl-core-PainScore (and its parent nl-base-PainScore)."""
    problems = []
    if obs.get("resourceType") != "Observation":
        problems.append("not an Observation")
    if PROFILE not in obs.get("meta", {}).get("profile", []):
        problems.append("meta.profile does not name nl-core-PainScore")
    codings = obs.get("code", {}).get("coding", [])
    # nl-base: `code = http://snomed.info/sct#225908003` (a pattern: this coding must be there).
    if not any(c.get("system") == SNOMED and c.get("code") == "225908003" for c in codings):
        problems.append("code lacks SNOMED CT 225908003")
    # nl-base: `effectiveDateTime only dateTime`; `value[x]`: `valueInteger only integer`.
    if any(k.startswith("effective") and k != "effectiveDateTime" for k in obs):
        problems.append("effective[x] is not a dateTime")
    if "effectiveDateTime" in obs and not DATE_TIME.fullmatch(obs["effectiveDateTime"]):
        problems.append("effectiveDateTime is not an R4 dateTime")
    values = [k for k in obs if k.startswith("value")]
    if values and values != ["valueInteger"]:
        problems.append("value[x] is not an integer")
    value = obs.get("valueInteger")
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        problems.append("valueInteger is not an integer")
    # zib-PainScore-2: value >= 0.
    if isinstance(value, int) and value < 0:
        problems.append("zib-PainScore-2: the value is below 0")
    # nl-core: method bound (required) to PijnMeetmethodeCodelijst.
    method = [c.get("code") for c in obs.get("method", {}).get("coding", [])]
    for coding in obs.get("method", {}).get("coding", []):
        if coding.get("system") != METHOD_SYSTEM or coding.get("code") not in METHOD_CODES:
            problems.append("method is not from PijnMeetmethodeCodelijst")
    # zib-PainScore-1: NRS or VAS10 -> at most 10; VAS100 -> at most 100.
    if isinstance(value, int):
        if {"NRS", "VAS10"} & set(method) and value > 10:
            problems.append("zib-PainScore-1: above 10 for NRS / VAS10")
        if "VAS100" in method and value > 100:
            problems.append("zib-PainScore-1: above 100 for VAS100")
    # nl-core: `note ..1`.
    if len(obs.get("note", [])) > 1:
        problems.append("more than one note")
    if obs.get("status") not in ("registered", "preliminary", "final", "amended"):
        problems.append("status is not a result status")
    return problems


def resources(text: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in json.loads(text)["entry"]]


def of_type(text: str, kind: str) -> list[dict[str, Any]]:
    return [r for r in resources(text) if r["resourceType"] == kind]


def pain_observations(text: str) -> list[dict[str, Any]]:
    return [
        r
        for r in of_type(text, "Observation")
        if any(c["code"] == "72514-3" for c in r["code"].get("coding", []))
    ]


@pytest.fixture
def small(home: Path) -> None:
    save(home, small_diary())


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Set this process's time zone (TZ + tzset), and put it back afterwards."""

    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


# ---------------------------------------------------------------------- the rule checker


def test_the_profile_checker_finds_what_breaks_the_profile() -> None:
    good = export_fhir.pain_body(7) | {"resourceType": "Observation"}
    assert nl_core_pain_score_problems(good) == []
    broken = [
        {**good, "meta": {}},
        {**good, "code": {"coding": [good["code"]["coding"][1]]}},
        {**good, "valueInteger": 11},
        {**good, "valueInteger": -1},
        {**good, "valueInteger": True},
        {**good, "method": {"coding": [{"system": METHOD_SYSTEM, "code": "VAS"}]}},
        {**good, "note": [{"text": "a"}, {"text": "b"}]},
        {**good, "effectiveDateTime": "2025-03-03T08:00:00"},  # no offset
        {**{k: v for k, v in good.items() if k != "valueInteger"}, "valueQuantity": {"value": 1}},
    ]
    for obs in broken:
        assert nl_core_pain_score_problems(obs), obs


@settings(deadline=None)  # the first example imports fhir.resources
@given(st.integers(0, 10))
def test_every_score_makes_a_conforming_observation(score: int) -> None:
    obs = export_fhir.pain_body(score) | {"resourceType": "Observation"}
    assert nl_core_pain_score_problems(obs) == []
    from fhir.resources.R4B.observation import Observation

    Observation.model_validate(obs)


# ------------------------------------------------------------------------- the bundle


def test_fhir_bundle(runner: CliRunner, small: None) -> None:
    text = export(runner, "fhir", *PERIOD)
    bundle = validate_bundle(text)
    assert bundle.type == "collection"
    found = resources(text)
    kinds = [r["resourceType"] for r in found]
    assert kinds[:2] == ["Patient", "Composition"]
    assert kinds.count("Patient") == 1 and kinds.count("Composition") == 1
    observations = of_type(text, "Observation")
    pain = pain_observations(text)
    walk = [r for r in observations if r["code"]["coding"][0]["code"] == "55411-3"]
    assert len(observations) == len(pain) + len(walk)
    assert [r["valueInteger"] for r in pain] == [6, 4, 5, 3, 4, 2, 3]
    assert [r["valueQuantity"]["value"] for r in walk] == [10, 15, 20, 30]
    for obs in pain:
        assert nl_core_pain_score_problems(obs) == [], obs
        assert obs["method"]["coding"][0]["code"] == "NRS"
        assert {c["system"] for c in obs["code"]["coding"]} == {SNOMED, LOINC}
    first = pain[0]
    assert first["status"] == "final"
    assert first["category"][0]["coding"][0]["code"] == "survey"
    assert first["effectiveDateTime"].startswith("2025-03-03T08:00:00")
    assert pain[2]["effectiveDateTime"] == "2025-03-04"
    entry = json.loads(text)["entry"][2]
    expected = export_fhir.resource_id("e01", "pain")
    assert entry["fullUrl"] == f"urn:uuid:{expected}"
    assert entry["resource"]["id"] == expected
    assert entry["resource"]["identifier"] == [
        {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{expected}"}
    ]
    urls = [e["fullUrl"] for e in json.loads(text)["entry"]]
    assert len(set(urls)) == len(urls)
    assert all("request" not in e for e in json.loads(text)["entry"])


def test_every_resource_points_at_the_patient(runner: CliRunner, small: None) -> None:
    text = export(runner, "fhir", *PERIOD)
    entries = json.loads(text)["entry"]
    (patient_entry,) = [e for e in entries if e["resource"]["resourceType"] == "Patient"]
    patient = patient_entry["resource"]
    assert "name" not in patient  # pseudonymous unless --patient-name
    assert patient["identifier"] == [
        {"system": "urn:ietf:rfc:3986", "value": patient_entry["fullUrl"]}
    ]
    assert set(patient) == {"resourceType", "id", "identifier"}
    for item in entries:
        resource = item["resource"]
        if resource["resourceType"] != "Patient":
            assert resource["subject"] == {"reference": patient_entry["fullUrl"], "type": "Patient"}


def test_the_pseudonym_is_stable_and_says_nothing(runner: CliRunner, small: None) -> None:
    whole = of_type(export(runner, "fhir"), "Patient")[0]
    part = of_type(export(runner, "fhir", "--from", "2025-03-10"), "Patient")[0]
    assert whole == part
    assert whole["id"] == export_fhir.patient_id(small_diary())
    other = small_diary()
    other["profile"]["start_date"] = "2025-03-02"
    assert export_fhir.patient_id(other) != whole["id"]


def test_a_name_only_when_asked(runner: CliRunner, small: None) -> None:
    plain = export(runner, "fhir")
    named = export(runner, "fhir", "--patient-name", "  Jan   de Vries ")
    validate_bundle(named)
    assert of_type(named, "Patient")[0]["name"] == [{"text": "Jan de Vries"}]
    assert "Vries" not in plain


def test_the_disclaimer_once_in_a_composition(runner: CliRunner, small: None) -> None:
    text = export(runner, "fhir", *PERIOD)
    assert text.count(DISCLAIMER_EN) == 1
    (composition,) = of_type(text, "Composition")
    assert composition["status"] == "final"
    assert composition["author"] == [composition["subject"]]
    div = composition["section"][0]["text"]["div"]
    assert DISCLAIMER_EN in div and div.startswith('<div xmlns="http://www.w3.org/1999/xhtml">')
    assert all("note" not in r for r in pain_observations(text))


def test_dutch_texts(runner: CliRunner, small: None) -> None:
    text = ok(runner, "--lang", "nl", "export", "--format", "fhir").stdout
    assert "stelt geen diagnose" in text
    assert of_type(text, "Composition")[0]["title"].startswith("rugcoach-rugdagboek")
    assert pain_observations(text)[0]["code"]["text"] == "Rugpijn (0-10)"


def test_transaction_bundle(runner: CliRunner, small: None) -> None:
    text = export(runner, "fhir", "--bundle", "transaction", *PERIOD)
    bundle = validate_bundle(text)
    assert bundle.type == "transaction"
    collection = json.loads(export(runner, "fhir", *PERIOD))["entry"]
    entries = json.loads(text)["entry"]
    assert [e["resource"] for e in entries] == [e["resource"] for e in collection]
    for item in entries:
        resource = item["resource"]
        request = item["request"]
        assert request["method"] == "POST"
        assert request["url"] == resource["resourceType"]
        # Posting the same export twice creates nothing new: conditional create on the
        # identifier, which is the fullUrl (bdl-7: fullUrl unique; transaction entries need one).
        assert request["ifNoneExist"] == f"identifier=urn:ietf:rfc:3986|{item['fullUrl']}"
        assert item["fullUrl"].startswith("urn:uuid:")
    # Every reference resolves inside the bundle (a server rewrites urn:uuid references).
    urls = {e["fullUrl"] for e in entries}
    refs = re.findall(r'"reference":"([^"]+)"', text)
    assert refs and set(refs) <= urls


@pytest.mark.parametrize("value", ["Transaction", " transaction "])
def test_bundle_type_is_read_leniently(runner: CliRunner, small: None, value: str) -> None:
    assert json.loads(export(runner, "fhir", "--bundle", value))["type"] == "transaction"


def test_no_entries_no_patient(runner: CliRunner, small: None) -> None:
    text = export(runner, "fhir", "--bundle", "transaction", "--from", "2025-04-01")
    assert json.loads(text) == {"resourceType": "Bundle", "type": "transaction"}
    validate_bundle(text)


# -------------------------------------------------------------------- the UTC offset


def test_the_offset_recorded_at_logging_wins(runner: CliRunner, home: Path, zone: Any) -> None:
    # Logged in Amsterdam (the diary keeps each entry's offset, SPEC §14), exported in New York.
    diary = small_diary()
    for entry_id, day, at, offset in (
        ("s1", date(2025, 7, 1), "09:15", "+02:00"),
        ("s2", date(2025, 1, 10), "21:00", "+01:00"),
        ("s3", date(2025, 1, 11), None, "+01:00"),
    ):
        entry = make_entry(entry_id, day, time=at, utc_offset=offset, pain=3)
        diary = add_entry(diary, entry)
    save(home, diary)
    zone("America/New_York")
    when = {p["id"]: p["effectiveDateTime"] for p in pain_observations(export(runner, "fhir"))}
    assert when[export_fhir.resource_id("s1", "pain")] == "2025-07-01T09:15:00+02:00"
    assert when[export_fhir.resource_id("s2", "pain")] == "2025-01-10T21:00:00+01:00"
    assert when[export_fhir.resource_id("s3", "pain")] == "2025-01-11"  # no time: a date
    # An entry from before the diary kept offsets: New York's offset on its own date.
    assert when[export_fhir.resource_id("e01", "pain")] == "2025-03-03T08:00:00-05:00"


def test_older_entries_use_the_zone_at_their_date(runner: CliRunner, home: Path, zone: Any) -> None:
    diary = small_diary()
    diary = add_entry(diary, make_entry("s1", date(2025, 7, 1), time="23:30", pain=2))
    diary = add_entry(
        diary, make_entry("s2", date(2025, 7, 2), time="06:00", utc_offset="+05:30", pain=1)
    )
    save(home, diary)
    zone("Europe/Amsterdam")
    when = {p["id"]: p["effectiveDateTime"] for p in pain_observations(export(runner, "fhir"))}
    assert when[export_fhir.resource_id("e01", "pain")] == "2025-03-03T08:00:00+01:00"  # winter
    assert when[export_fhir.resource_id("s1", "pain")] == "2025-07-01T23:30:00+02:00"  # summer
    assert when[export_fhir.resource_id("s2", "pain")] == "2025-07-02T06:00:00+05:30"


# ------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("--format", "fhir", "--bundle", "document"), "collection or transaction"),
        (("--format", "fhir", "--bundle", ""), "collection or transaction"),
        (("--format", "csv", "--bundle", "transaction"), "--format fhir"),
        (("--format", "json", "--patient-name", "Jan"), "--format fhir"),
    ],
)
def test_bad_fhir_options(
    runner: CliRunner, home: Path, small: None, args: tuple[str, ...], fragment: str
) -> None:
    refused(runner, home, ("export", *args), 2, fragment)
