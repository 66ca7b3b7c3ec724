"""The Study element of an ODM document: exonc's forms as ODM 1.3.2 metadata.

GlobalVariables name the study; BasicDefinitions hold a MeasurementUnit per unit a field
uses; the MetaDataVersion holds the Protocol (the events in order), a StudyEventDef per
event (Scheduled visits and the Common end-of-study event), a FormDef and one
ItemGroupDef per form, an ItemDef per field (a ``multi`` field becomes one yes/no item per
option, as REDCap's ODM export does), and a CodeList per distinct list of options.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from exonc.interchange.crf import END_OF_STUDY, Choice, Field, FieldKind, Forms
from exonc.interchange.odm.schema import ODM_NAMESPACE

__all__ = ["OIDS", "study_element"]

E = f"{{{ODM_NAMESPACE}}}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
YES_NO = (Choice("1", "Yes", "1"), Choice("0", "No", "0"))
_DATA_TYPES: dict[FieldKind, str] = {
    "text": "text",
    "notes": "text",
    "integer": "integer",
    "number": "float",
    "date": "date",
    "yesno": "integer",
    "multi": "integer",
}


class OIDS:
    """How exonc names ODM objects (the reader relies on the same names)."""

    @staticmethod
    def study(forms: Forms) -> str:
        return f"S.{forms.study}"

    @staticmethod
    def version(forms: Forms) -> str:
        return f"MDV.{forms.version}"

    @staticmethod
    def event(code: str) -> str:
        return f"SE.{code}"

    @staticmethod
    def form(name: str) -> str:
        return f"F.{name}"

    @staticmethod
    def group(name: str) -> str:
        return f"IG.{name}"

    @staticmethod
    def item(name: str, option: str | None = None) -> str:
        return f"I.{name}" if option is None else f"I.{name}___{option}"

    @staticmethod
    def location(centre: str) -> str:
        return f"LOC.{centre}"

    @staticmethod
    def unit(unit: str) -> str:
        return "MU." + unit.replace(" ", "_")


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, E + tag)
    translated = etree.SubElement(element, E + "TranslatedText", {XML_LANG: "en"})
    translated.text = text
    return element


def study_element(forms: Forms) -> etree._Element:
    """The ``Study`` element describing *forms*."""
    study = etree.Element(E + "Study", OID=OIDS.study(forms))
    variables = etree.SubElement(study, E + "GlobalVariables")
    for tag, text in (
        ("StudyName", forms.study),
        ("StudyDescription", forms.title),
        ("ProtocolName", forms.registration or forms.study),
    ):
        etree.SubElement(variables, E + tag).text = text
    units = sorted({f.unit for f in forms.fields if f.unit})
    if units:
        basic = etree.SubElement(study, E + "BasicDefinitions")
        for unit in units:
            measure = etree.SubElement(basic, E + "MeasurementUnit", OID=OIDS.unit(unit), Name=unit)
            _text(measure, "Symbol", unit)
    study.append(_metadata_version(forms))
    return study


def _metadata_version(forms: Forms) -> etree._Element:
    name = f"{forms.study} protocol {forms.version}"
    version = etree.Element(E + "MetaDataVersion", OID=OIDS.version(forms), Name=name)
    protocol = etree.SubElement(version, E + "Protocol")
    for number, event in enumerate(forms.events, start=1):
        etree.SubElement(
            protocol, E + "StudyEventRef", StudyEventOID=OIDS.event(event.code),
            OrderNumber=str(number), Mandatory="No",
        )  # fmt: skip
    for event in forms.events:
        version.append(_event_def(forms, event.code, event.name))
    for form in forms.forms:
        definition = etree.SubElement(
            version, E + "FormDef", OID=OIDS.form(form.name), Name=form.label, Repeating="No"
        )
        etree.SubElement(
            definition, E + "ItemGroupRef", ItemGroupOID=OIDS.group(form.name), Mandatory="Yes"
        )
    for form in forms.forms:
        group = etree.SubElement(
            version, E + "ItemGroupDef", OID=OIDS.group(form.name), Name=form.label, Repeating="No"
        )
        for number, (oid, field) in enumerate(_items(form.fields), start=1):
            mandatory = "Yes" if field.required else "No"
            etree.SubElement(
                group, E + "ItemRef", ItemOID=oid, OrderNumber=str(number), Mandatory=mandatory
            )
    lists = _code_lists(forms)
    for form in forms.forms:
        for oid, field in _items(form.fields):
            version.append(_item_def(oid, field, lists))
    for oid, (data_type, choices) in _distinct(lists).items():
        version.append(_code_list(oid, data_type, choices))
    return version


def _event_def(forms: Forms, code: str, name: str) -> etree._Element:
    kind = "Common" if code == END_OF_STUDY else "Scheduled"
    event = etree.Element(
        E + "StudyEventDef", OID=OIDS.event(code), Name=name, Repeating="No", Type=kind
    )
    for number, form in enumerate((f for f in forms.forms if code in f.events), start=1):
        etree.SubElement(
            event, E + "FormRef", FormOID=OIDS.form(form.name), OrderNumber=str(number),
            Mandatory="No",
        )  # fmt: skip
    return event


def _items(fields: tuple[Field, ...]) -> Iterator[tuple[str, Field]]:
    """(ItemOID, field) of every item: one per field, one per option of a multi field."""
    for field in fields:
        if field.kind == "multi":
            yield from ((OIDS.item(field.name, c.value), field) for c in field.choices)
        else:
            yield OIDS.item(field.name), field


CodeLists = dict[str, tuple[str, str, tuple[Choice, ...]]]  # field name -> (OID, type, options)


def _code_lists(forms: Forms) -> CodeLists:
    """One code list per distinct (data type, options), named after its first field."""
    lists: CodeLists = {}
    seen: dict[tuple[str, tuple[Choice, ...]], str] = {}
    for field in forms.fields:
        choices = YES_NO if field.kind in ("yesno", "multi") else field.choices
        if not choices:
            continue
        data_type = _data_type(field)
        key = (data_type, choices)
        oid = seen.setdefault(key, f"CL.{field.name}")
        lists[field.name] = (oid, data_type, choices)
    return lists


def _distinct(lists: CodeLists) -> dict[str, tuple[str, tuple[Choice, ...]]]:
    return {oid: (data_type, choices) for oid, data_type, choices in lists.values()}


def _data_type(field: Field) -> str:
    if field.kind == "choice":
        numeric = all(c.value.lstrip("-").isdigit() for c in field.choices)
        return "integer" if numeric else "text"
    return _DATA_TYPES[field.kind]


def _item_def(oid: str, field: Field, lists: CodeLists) -> etree._Element:
    item = etree.Element(
        E + "ItemDef", OID=oid, Name=oid.removeprefix("I."), DataType=_data_type(field)
    )
    label = field.label
    if field.kind == "multi":
        option = next(c for c in field.choices if OIDS.item(field.name, c.value) == oid)
        label = f"{field.label}: {option.label}"
    _text(item, "Question", label)
    if field.unit:
        etree.SubElement(item, E + "MeasurementUnitRef", MeasurementUnitOID=OIDS.unit(field.unit))
    for comparator, bound in (("GE", field.minimum), ("LE", field.maximum)):
        if bound is not None:
            check = etree.SubElement(item, E + "RangeCheck", Comparator=comparator, SoftHard="Hard")
            etree.SubElement(check, E + "CheckValue").text = str(bound)
    if field.name in lists:
        etree.SubElement(item, E + "CodeListRef", CodeListOID=lists[field.name][0])
    return item


def _code_list(oid: str, data_type: str, choices: tuple[Choice, ...]) -> etree._Element:
    code_list = etree.Element(
        E + "CodeList", OID=oid, Name=oid.removeprefix("CL."), DataType=data_type
    )
    for choice in choices:
        item = etree.SubElement(code_list, E + "CodeListItem", CodedValue=choice.value)
        _text(item, "Decode", choice.label)
    return code_list
