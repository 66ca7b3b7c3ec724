"""Writing a casebook as a CDISC ODM 1.3.2 document: metadata, sites, data, audit records.

Without an audit trail the document is a Snapshot: each value once. With one (the
platform's history, :mod:`exonc.interchange.audit`) it is Transactional: every recorded
value of a cell appears in order — an ``Insert`` and then ``Update`` ItemData — each with
an AuditRecord (who, at which centre, when, why). The last one is the current value.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping

from lxml import etree

from exonc import __version__
from exonc.errors import InterchangeError
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
    head = etree.tostring(root, encoding="unicode").removesuffix("</ODM>")
    clinical = "".join(_clinical_data(book, centres, audit))
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
    try:
        return etree.ElementTree(etree.fromstring(f"{head}{clinical}</ODM>".encode(), parser))
    except etree.XMLSyntaxError as exc:
        raise InterchangeError(
            f"a value holds a character XML cannot carry ({exc})",
            hint="remove control characters from the tables",
        ) from None


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
) -> Iterator[str]:
    """ClinicalData as XML text: the large, regular part of the document is written
    directly (values escaped), then parsed and validated with the rest."""
    forms = book.forms
    users = {user: f"USR.{n}" for n, user in enumerate(audit.users if audit else (), start=1)}
    insert = ' TransactionType="Insert"' if audit else ""
    yield (
        f'<ClinicalData StudyOID="{_a(OIDS.study(forms))}" '
        f'MetaDataVersionOID="{_a(OIDS.version(forms))}">\n'
    )
    fields = {form.name: form.fields for form in forms.forms}
    subject = event_open = None
    for participant, event, form, values in book.each_form():
        if participant != subject:
            if subject is not None:
                yield "</StudyEventData>\n</SubjectData>\n"
            yield f'<SubjectData SubjectKey="{_a(participant)}"{insert}>\n'
            if participant in centres:
                yield f'<SiteRef LocationOID="{_a(OIDS.location(centres[participant]))}"/>\n'
            subject, event_open = participant, None
        if event != event_open:
            if event_open is not None:
                yield "</StudyEventData>\n"
            yield f'<StudyEventData StudyEventOID="{_a(OIDS.event(event))}"{insert}>\n'
            event_open = event
        yield (
            f'<FormData FormOID="{_a(OIDS.form(form))}"{insert}>\n'
            f'<ItemGroupData ItemGroupOID="{_a(OIDS.group(form))}"{insert}>\n'
        )
        site = OIDS.location(centres.get(participant, ""))
        for target in fields[form]:
            if target.name in values:
                yield from _item_data(target, values, audit, (participant, event), users, site)
        yield "</ItemGroupData>\n</FormData>\n"
    if subject is not None:
        yield "</StudyEventData>\n</SubjectData>\n"
    yield "</ClinicalData>\n"


_SPECIAL = re.compile(r'[&<>"\n\r\t]')
_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
}


def _a(text: str) -> str:
    """*text* escaped for an XML attribute value or element content."""
    if not _SPECIAL.search(text):
        return text
    return _SPECIAL.sub(lambda match: _ESCAPES[match.group()], text)


def _item_data(
    target: Field,
    values: Values,
    audit: AuditTrail | None,
    where: tuple[str, str],
    users: Mapping[str, str],
    site: str,
) -> Iterator[str]:
    value = values[target.name]
    insert = ' TransactionType="Insert"' if audit else ""
    if target.kind == "multi":
        chosen = set(value.split(MULTI_SEPARATOR))
        for choice in target.choices:
            flag = "1" if choice.value in chosen else "0"
            oid = _a(OIDS.item(target.name, choice.value))
            yield f'<ItemData ItemOID="{oid}" Value="{flag}"{insert}/>\n'
        return
    oid = _a(OIDS.item(target.name))
    entries = audit.of(*where, target.name) if audit else ()
    if not entries:
        yield f'<ItemData ItemOID="{oid}" Value="{_a(value)}"{insert}/>\n'
        return
    for number, entry in enumerate(entries):
        kind = "Insert" if number == 0 else "Update"
        yield (
            f'<ItemData ItemOID="{oid}" Value="{_a(entry.value)}" TransactionType="{kind}">'
            f"{_audit_record(entry, users, site)}</ItemData>\n"
        )


def _audit_record(entry: AuditEntry, users: Mapping[str, str], site: str) -> str:
    reason = f"<ReasonForChange>{_a(entry.reason)}</ReasonForChange>" if entry.reason else ""
    return (
        f'<AuditRecord><UserRef UserOID="{_a(users[entry.changed_by])}"/>'
        f'<LocationRef LocationOID="{_a(site)}"/>'
        f"<DateTimeStamp>{_a(entry.changed_at)}</DateTimeStamp>{reason}</AuditRecord>"
    )
