"""Writing a casebook as a CDISC ODM 1.3.2 document: metadata, sites, data, audit records.

Without an audit trail the document is a Snapshot: each value once. With one (the
platform's history, :mod:`exonc.interchange.audit`) it is Transactional: every recorded
value of a cell appears in order — an ``Insert`` and then ``Update`` ItemData — each with
an AuditRecord (who, at which centre, when, why). The last one is the current value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from lxml import etree

from exonc import __version__
from exonc.interchange.audit import AuditEntry, AuditTrail, check_current
from exonc.interchange.casebook import Casebook, Values
from exonc.interchange.crf import Field, Forms
from exonc.interchange.odm.metadata import OIDS, E, study_element
from exonc.interchange.values import MULTI_SEPARATOR

__all__ = ["odm_bytes", "odm_document"]

ODM_ATTRIBUTES = {"ODMVersion": "1.3.2", "Originator": "exonc", "SourceSystem": "exonc"}


def odm_document(book: Casebook, *, created: dt.datetime) -> etree._ElementTree:
    """*book* as an ODM document created at *created* (a time-zone-aware moment)."""
    forms = book.forms
    audit = book.audit
    if audit is not None:
        check_current(audit, _cells(book))
    root = etree.Element(
        E + "ODM",
        nsmap={None: E.strip("{}")},
        FileType="Transactional" if audit else "Snapshot",
        FileOID=f"exonc.{forms.study}.{created.strftime('%Y%m%dT%H%M%S')}",
        CreationDateTime=created.isoformat(timespec="seconds"),
        SourceSystemVersion=__version__,
        **ODM_ATTRIBUTES,
    )
    root.append(study_element(forms))
    centres = _centres(book)
    root.append(_admin_data(forms, sorted(set(centres.values())), audit, created))
    root.append(_clinical_data(book, centres, audit))
    return etree.ElementTree(root)


def odm_bytes(document: etree._ElementTree) -> bytes:
    text: bytes = etree.tostring(
        document, xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return text


def _cells(book: Casebook) -> list[tuple[tuple[str, str, str], str | None]]:
    return [
        ((participant, event, name), value)
        for participant, event, _form, values in book.each_form()
        for name, value in values.items()
    ]


def _centres(book: Casebook) -> dict[str, str]:
    centre = book.forms.form("enrolment")
    key = next(f.name for f in centre.fields if f.column == "centre")
    first = book.forms.events[0].code
    return {
        participant: events[first]["enrolment"][key]
        for participant, events in book.records.items()
        if key in events.get(first, {}).get("enrolment", {})
    }


def _admin_data(
    forms: Forms, centres: list[str], audit: AuditTrail | None, created: dt.datetime
) -> etree._Element:
    admin = etree.Element(E + "AdminData", StudyOID=OIDS.study(forms))
    for number, user in enumerate(audit.users if audit else (), start=1):
        element = etree.SubElement(admin, E + "User", OID=f"USR.{number}")
        etree.SubElement(element, E + "LoginName").text = user
    for centre in centres:
        location = etree.SubElement(
            admin, E + "Location", OID=OIDS.location(centre), Name=centre, LocationType="Site"
        )
        etree.SubElement(
            location, E + "MetaDataVersionRef", StudyOID=OIDS.study(forms),
            MetaDataVersionOID=OIDS.version(forms), EffectiveDate=created.date().isoformat(),
        )  # fmt: skip
    return admin


def _clinical_data(
    book: Casebook, centres: Mapping[str, str], audit: AuditTrail | None
) -> etree._Element:
    forms = book.forms
    clinical = etree.Element(
        E + "ClinicalData", StudyOID=OIDS.study(forms), MetaDataVersionOID=OIDS.version(forms)
    )
    users = {user: f"USR.{n}" for n, user in enumerate(audit.users if audit else (), start=1)}
    insert = {"TransactionType": "Insert"} if audit else {}
    subjects: dict[str, etree._Element] = {}
    events: dict[tuple[str, str], etree._Element] = {}
    for participant, event, form, values in book.each_form():
        subject = subjects.get(participant)
        if subject is None:
            subject = etree.SubElement(
                clinical, E + "SubjectData", SubjectKey=participant, **insert
            )
            if participant in centres:
                etree.SubElement(
                    subject, E + "SiteRef", LocationOID=OIDS.location(centres[participant])
                )
            subjects[participant] = subject
        study_event = events.get((participant, event))
        if study_event is None:
            study_event = etree.SubElement(
                subject, E + "StudyEventData", StudyEventOID=OIDS.event(event), **insert
            )
            events[(participant, event)] = study_event
        form_data = etree.SubElement(study_event, E + "FormData", FormOID=OIDS.form(form), **insert)
        group = etree.SubElement(
            form_data, E + "ItemGroupData", ItemGroupOID=OIDS.group(form), **insert
        )
        site = OIDS.location(centres.get(participant, ""))
        for target in forms.form(form).fields:
            if target.name in values:
                _item_data(group, target, values, audit, (participant, event), users, site)
    return clinical


def _item_data(
    group: etree._Element,
    target: Field,
    values: Values,
    audit: AuditTrail | None,
    where: tuple[str, str],
    users: Mapping[str, str],
    site: str,
) -> None:
    value = values[target.name]
    if target.kind == "multi":
        chosen = set(value.split(MULTI_SEPARATOR))
        for choice in target.choices:
            flag = "1" if choice.value in chosen else "0"
            etree.SubElement(
                group, E + "ItemData", ItemOID=OIDS.item(target.name, choice.value), Value=flag,
                **({"TransactionType": "Insert"} if audit else {}),
            )  # fmt: skip
        return
    entries = audit.of(*where, target.name) if audit else ()
    if not entries:
        attributes = {"TransactionType": "Insert"} if audit else {}
        etree.SubElement(
            group, E + "ItemData", ItemOID=OIDS.item(target.name), Value=value, **attributes
        )
        return
    for number, entry in enumerate(entries):
        kind = "Insert" if number == 0 else "Update"
        item = etree.SubElement(
            group, E + "ItemData", ItemOID=OIDS.item(target.name), Value=entry.value,
            TransactionType=kind,
        )  # fmt: skip
        item.append(_audit_record(entry, users, site))


def _audit_record(entry: AuditEntry, users: Mapping[str, str], site: str) -> etree._Element:
    record = etree.Element(E + "AuditRecord")
    etree.SubElement(record, E + "UserRef", UserOID=users[entry.changed_by])
    etree.SubElement(record, E + "LocationRef", LocationOID=site)
    etree.SubElement(record, E + "DateTimeStamp").text = entry.changed_at
    if entry.reason:
        etree.SubElement(record, E + "ReasonForChange").text = entry.reason
    return record
