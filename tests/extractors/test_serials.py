"""A recall notice's serial range against the pump's serial (b95q-04: a form ticked "recalled"
for a pump whose serial the notice's range does not cover)."""

from __future__ import annotations

import hashlib

import pytest

from extractors.documents import Document
from extractors.facts import Assertion
from extractors.serials import serial_check

NOTICE = ("URGENT FIELD SAFETY NOTICE\nAffected devices\nModel: QX-4 infusion pump\n"
          "Serial range: QXP100000 to QXP149999\nOther serials are not part of this action.\n")


def _doc(name: str, text: str) -> Document:
    return Document(name=name, text=text, sha256=hashlib.sha256(text.encode()).hexdigest())


@pytest.mark.parametrize(("printout", "assertion"), [
    pytest.param("PUMP INTERROGATION\nSERIAL ........ QXP151220\nBattery OK\n", Assertion.NEGATED, id="outside"),
    pytest.param("Device clinic: her pump (S/N QXP120004) was refilled today.\n", Assertion.AFFIRMED, id="inside"),
    pytest.param("PUMP INTERROGATION\nSerial number: AB151220\n", None, id="another maker's prefix"),
    pytest.param("PUMP INTERROGATION\nBattery OK, no alarms.\n", None, id="no serial given"),
    # Blind batch 100: a maker's letter suffix, and the serial after the model under "Model / serial".
    pytest.param("PUMP INTERROGATION\n  Model / serial ............. 8637-40 / QXP151220H\n", Assertion.NEGATED,
                 id="suffix, model / serial"),
    pytest.param("Advisory check: Pt serial QXP120004B -- in affected range.\n", Assertion.AFFIRMED,
                 id="suffix inside"),
])
def test_serial_check_compares_the_pump_with_the_notice(printout, assertion):
    facts = serial_check([_doc("notice.txt", NOTICE), _doc("pump.txt", printout)])
    if assertion is None:
        assert facts == []
        return
    [fact] = facts
    assert fact.name == "device_recalled" and fact.assertion is assertion
    docs = {"notice.txt": NOTICE, "pump.txt": printout}
    for ev in fact.evidence:
        assert docs[ev.document][ev.start:ev.end] == ev.text
    # The range is cited; the serial, an identifier, is named in the value the reason shows.
    assert [ev.document for ev in fact.evidence] == ["notice.txt"]
    assert isinstance(fact.value, str) and "pump.txt" in fact.value


def test_serial_check_needs_a_notice():
    assert serial_check([_doc("pump.txt", "SERIAL ........ QXP151220\n")]) == []


def test_serial_check_reads_a_list_of_ranges_and_skips_another_devices_serial():
    """Review 27 (R4): ranges listed one per line under their heading were dropped after the first
    80 characters, and a programmer's serial was taken for the pump's."""
    notice = ("FIELD SAFETY NOTICE\nAffected serial number ranges:\n  QXP100000 through QXP119999\n"
              "  QXP120000 through QXP139999\n  QXP140000 through QXP159999\n  QXP160000 through QXP179999\n")
    [fact] = serial_check([_doc("notice.txt", notice), _doc("pump.txt", "Serial ...... QXP171234\n")])
    assert fact.assertion is Assertion.AFFIRMED
    programmer = "Clinician programmer SN QXP204411 used for the session.\n"
    assert serial_check([_doc("notice.txt", notice), _doc("pump.txt", programmer)]) == []


@pytest.mark.parametrize(("notice", "printout", "assertion"), [
    # Blind batch 101: a printout and a notice that print a serial's parts apart ("NLP 771204 H").
    ("Affected serial range .... NLP 810000 H through NLP 845999 H\n", "Patient serial ........... NLP 771204 H\n",
     Assertion.NEGATED),
    ("Affected serial range .... NLP 810000 H through NLP 845999 H\n", "Patient serial ........... NLP 812000 H\n",
     Assertion.AFFIRMED),
    # ... and "TO" between two serials is the range's, not a suffix.
    ("Recall: serials NLP 810000 TO NLP 845999\n", "Pump serial: NLP 812000\n", Assertion.AFFIRMED),
])
def test_serial_check_reads_serials_printed_in_parts(notice, printout, assertion):
    [fact] = serial_check([_doc("notice.txt", "FIELD SAFETY NOTICE\n" + notice), _doc("pump.txt", printout)])
    assert fact.assertion is assertion


@pytest.mark.parametrize(("serial", "assertion"), [
    pytest.param("HM2-20-55871", Assertion.NEGATED, id="model, size and number: outside"),
    pytest.param("HM2-20-21007", Assertion.AFFIRMED, id="model, size and number: inside"),
    pytest.param("HM2-40-21007", None, id="another size: another product"),
])
def test_a_serial_with_the_models_code_and_size_is_compared_by_its_number(serial, assertion):
    """Blind batch 144 (b144t-06): "SN HM2-20-55871" against "HM2-20-10000 through HM2-20-34999" was
    never read, so a letter's "affected by the recall" stood alone."""
    notice = ("FIELD SAFETY NOTICE\nAFFECTED DEVICES\n  Model          Serial number range\n"
              "  InfuSure 20    HM2-20-10000 through HM2-20-34999\n")
    facts = serial_check([_doc("notice.txt", notice), _doc("pump.txt", f"Device: InfuSure 20 pump, SN {serial}\n")])
    assert [fact.assertion for fact in facts] == ([] if assertion is None else [assertion])


def test_a_range_wrapped_over_two_lines_is_cited_whole():
    """Audit 63 (0-052): "covers serial range KTR-100000 to" was cited without the line that ends the range."""
    note = ("ITB CLINIC NOTE\nAdvisory check: manufacturer field-safety notice 2023-11 covers serial range "
            "KTR-100000 to\n"
            " KTR-150000 (motor corrosion). This pump is outside the affected range - not recalled.\n"
            "Pump serial: KTR-188417\n")
    [fact] = serial_check([_doc("note.txt", note)])
    [ev] = fact.evidence
    assert fact.assertion is Assertion.NEGATED and "KTR-150000" in ev.text and note[ev.start:ev.end] == ev.text
