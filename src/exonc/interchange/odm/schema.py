"""Validating an ODM document against CDISC's official ODM 1.3.2 XML schema.

The schema files ship in ``schema/`` (MIT licence, provenance in ``schema/README.md``) and
are loaded once, from the package, with the network disabled. Validation uses libxml2
through lxml (decision record ``docs/decisions/0005-odm-validation-with-lxml.md``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from lxml import etree

from exonc.errors import InterchangeError

__all__ = ["ODM_NAMESPACE", "check_odm", "odm_schema"]

ODM_NAMESPACE = "http://www.cdisc.org/ns/odm/v1.3"


@cache
def odm_schema() -> etree.XMLSchema:
    """CDISC's ``ODM1-3-2.xsd`` with the files it includes, read from the package."""
    folder = resources.files("exonc.interchange.odm") / "schema"
    with resources.as_file(folder) as path:
        parser = etree.XMLParser(no_network=True, resolve_entities=False)
        document = etree.parse(str(path / "ODM1-3-2.xsd"), parser)
        return etree.XMLSchema(document)


def check_odm(document: etree._ElementTree, *, file: str) -> None:
    """Raise :class:`InterchangeError` naming the first schema violation of *document*."""
    schema = odm_schema()
    if schema.validate(document):
        return
    first = schema.error_log[0]
    element = next(
        (etree.QName(e).localname for e in document.iter() if e.sourceline == first.line),
        "?",
    )
    raise InterchangeError(
        f"does not follow CDISC ODM 1.3.2 (line {first.line}: {_message(first.message)})",
        file=file,
        element=element,
        hint="the file must validate against ODM1-3-2.xsd",
    )


def _message(text: str) -> str:
    return text.replace(f"{{{ODM_NAMESPACE}}}", "").rstrip(".")
