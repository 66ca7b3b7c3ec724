"""Reading an ODM 1.3.2 document's ClinicalData back into a casebook.

The document is first validated against the official schema (nothing is read from a file
that fails it). ClinicalData must use exonc's OIDs (``SE.<visit>``, ``F.<form>``,
``I.<field>``, as :mod:`exonc.interchange.odm.metadata` names them): an OID exonc does not
know, or a value its field does not allow, stops the import with one line naming the
element. Transactions apply in document order (``Insert``/``Update`` set a value,
``Remove`` clears it); AuditRecords become the casebook's audit trail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from exonc.errors import InterchangeError
from exonc.interchange.audit import AuditEntry, AuditTrail
from exonc.interchange.casebook import Casebook, Values, tables_from_casebook
from exonc.interchange.crf import Field, Forms
from exonc.interchange.odm.metadata import OIDS, E
from exonc.interchange.odm.schema import check_odm
from exonc.interchange.report import InterchangeReport, interchange_report
from exonc.interchange.values import MULTI_SEPARATOR, check_value

__all__ = ["read_odm"]


def read_odm(path: Path, forms: Forms) -> tuple[Casebook, InterchangeReport]:
    """The casebook (with its audit trail, if the file has AuditRecords) of an ODM file."""
    document = _parse(path)
    check_odm(document, file=str(path))
    reader = _Reader(forms, str(path), _users(document))
    for clinical in document.getroot().iter(E + "ClinicalData"):
        reader.clinical_data(clinical)
    book = reader.book
    if reader.audit:
        book.audit = AuditTrail({cell: tuple(es) for cell, es in reader.audit.items()})
    read = {"subjects": len(book.records), "item values": reader.items}
    return book, interchange_report(str(path), "CDISC ODM 1.3.2", read, tables_from_casebook(book))


def _parse(path: Path) -> etree._ElementTree:
    if not path.is_file():
        raise InterchangeError("file not found", file=str(path), hint="check the path")
    parser = etree.XMLParser(no_network=True, resolve_entities=False, huge_tree=True)
    try:
        return etree.parse(str(path), parser)
    except etree.XMLSyntaxError as exc:
        raise InterchangeError(f"is not well-formed XML ({exc})", file=str(path)) from exc


def _users(document: etree._ElementTree) -> dict[str, str]:
    users = {}
    for user in document.getroot().iter(E + "User"):
        login = user.find(E + "LoginName")
        users[str(user.get("OID"))] = (
            login.text or "" if login is not None else str(user.get("OID"))
        )
    return users


@dataclass(frozen=True)
class _Item:
    field: Field
    option: str | None = None


def _item_index(forms: Forms) -> dict[str, _Item]:
    """Every ItemOID exonc writes: one per field, one per option of a multi field."""
    index = {}
    for target in forms.fields:
        if target.kind == "multi":
            for choice in target.choices:
                index[OIDS.item(target.name, choice.value)] = _Item(target, choice.value)
        else:
            index[OIDS.item(target.name)] = _Item(target)
    return index


class _Reader:
    def __init__(self, forms: Forms, file: str, users: Mapping[str, str]) -> None:
        self.forms = forms
        self.file = file
        self.users = users
        self.book = Casebook(forms)
        self.audit: dict[tuple[str, str, str], list[AuditEntry]] = {}
        self.items = 0
        self.events = {OIDS.event(e.code): e.code for e in forms.events}
        self.form_oids = {OIDS.form(f.name): f.name for f in forms.forms}
        self.item_oids = _item_index(forms)

    def error(self, element: etree._Element, problem: str, **details: Any) -> InterchangeError:
        tag = etree.QName(element).localname
        oid = next((str(v) for k, v in element.attrib.items() if str(k).endswith("OID")), "")
        where = f"{tag} {oid}" if oid else tag
        return InterchangeError(
            problem, file=self.file, element=f"{where} (line {element.sourceline})", **details
        )

    def clinical_data(self, clinical: etree._Element) -> None:
        if clinical.get("StudyOID") != OIDS.study(self.forms):
            study = clinical.get("StudyOID")
            raise self.error(
                clinical,
                f"is data of study {study}, not {OIDS.study(self.forms)}",
                hint="exonc reads ODM files of its own protocol",
            )
        for subject in clinical.iter(E + "SubjectData"):
            participant = str(subject.get("SubjectKey"))
            for event in subject.iter(E + "StudyEventData"):
                code = self.events.get(str(event.get("StudyEventOID")))
                if code is None:
                    raise self.error(event, "names an event exonc does not know")
                for form in event.iter(E + "FormData"):
                    self.form_data(form, participant, code)

    def form_data(self, element: etree._Element, participant: str, event: str) -> None:
        name = self.form_oids.get(str(element.get("FormOID")))
        if name is None:
            raise self.error(element, "names a form exonc does not know")
        if event not in self.forms.form(name).events:
            raise self.error(element, f"exonc does not collect {name} at {event}")
        values = self.book.values(participant, event, name)
        options: dict[str, dict[str, str]] = {}
        for item in element.iter(E + "ItemData"):
            self.items += 1
            self.item_data(item, participant, event, values, options)
        for field_name, flags in options.items():
            chosen = [option for option, flag in flags.items() if flag == "1"]
            if chosen:
                values[field_name] = MULTI_SEPARATOR.join(chosen)

    def item_data(
        self,
        element: etree._Element,
        participant: str,
        event: str,
        values: Values,
        options: dict[str, dict[str, str]],
    ) -> None:
        item = self.item_oids.get(str(element.get("ItemOID")))
        if item is None:
            raise self.error(element, "names an item exonc does not know")
        target, value = item.field, element.get("Value")
        if element.get("TransactionType") == "Remove" or value is None:
            values.pop(target.name, None)
            return
        if item.option is not None:
            if value not in ("0", "1"):
                raise self.error(
                    element, "an option of a multiple-choice item is 1 or 0", value=value
                )
            options.setdefault(target.name, {c.value: "0" for c in target.choices})[item.option] = (
                value
            )
            return
        try:
            values[target.name] = check_value(target, value)
        except ValueError as problem:
            raise self.error(
                element, str(problem), value=value, record=f"{participant} (event {event})"
            ) from None
        self._audit(element, participant, event, target, value)

    def _audit(
        self, element: etree._Element, participant: str, event: str, target: Field, value: str
    ) -> None:
        record = element.find(E + "AuditRecord")
        if record is None:
            return
        user = record.find(E + "UserRef")
        stamp = record.findtext(E + "DateTimeStamp") or ""
        reason = record.findtext(E + "ReasonForChange") or ""
        who = self.users.get(str(user.get("UserOID")), "") if user is not None else ""
        entry = AuditEntry(participant, event, target.name, value, stamp, who, reason)
        self.audit.setdefault((participant, event, target.name), []).append(entry)
