"""Reports: the trial report (CONSORT flow, Table 1, outcomes, figures, cost-effectiveness)
as HTML, PDF and JSON, and the figures of exonc.

* :func:`read_folder`, :func:`load_plan` (:mod:`~exonc.reports.data`): a trial's tables and
  the analysis plan;
* :func:`build_report` (:mod:`~exonc.reports.report`): every number and figure;
* :func:`report_html`, :func:`report_pdf` (:mod:`~exonc.reports.render`) and
  :func:`write_report` (:mod:`~exonc.reports.files`);
* :mod:`~exonc.reports.figures`: every figure of exonc, matplotlib in one style;
* ``exonc.reports.pdf.html_to_pdf`` turns one self-contained HTML document into PDF bytes
  (WeasyPrint); the reports and the hub's printable guides both print through it.

See ``docs/concepts/reports.md``.
"""

from exonc.reports.data import PlanSource, TrialTables, load_plan, read_folder
from exonc.reports.files import write_report
from exonc.reports.render import report_html, report_pdf
from exonc.reports.report import Report, build_report

__all__ = [
    "PlanSource",
    "Report",
    "TrialTables",
    "build_report",
    "load_plan",
    "read_folder",
    "report_html",
    "report_pdf",
    "write_report",
]
