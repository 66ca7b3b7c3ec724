"""Interchange: REDCap projects, CDISC ODM 1.3.2 and FHIR R4, out of exonc and back in.

The supported API (``docs/concepts/interchange.md``)::

    default_forms() -> Forms;  build_forms(protocol, text_pack=None) -> Forms
    read_data_dir(folder, forms, tracker_days=False) -> tables
    export_redcap(tables, forms, out);  import_redcap(folder, forms, mapping=None) -> Imported
    export_odm(tables, forms, out, created=...);  import_odm(path, forms) -> Imported
    export_fhir(tables, forms, out);  import_fhir(folder, forms) -> Imported
    write_imported(imported, out)       # tables + import-report.json, atomically

Exports take exonc's tidy tables (the layout ``exonc synth`` writes) as a mapping of
table name to DataFrame; imports give them back with an :class:`InterchangeReport`.
"""

from __future__ import annotations

from exonc.interchange.crf import Forms, build_forms, default_forms
from exonc.interchange.exchange import (
    Imported,
    export_fhir,
    export_odm,
    export_redcap,
    import_fhir,
    import_odm,
    import_redcap,
    read_data_dir,
    write_imported,
)
from exonc.interchange.report import InterchangeReport

__all__ = [
    "Forms",
    "Imported",
    "InterchangeReport",
    "build_forms",
    "default_forms",
    "export_fhir",
    "export_odm",
    "export_redcap",
    "import_fhir",
    "import_odm",
    "import_redcap",
    "read_data_dir",
    "write_imported",
]
