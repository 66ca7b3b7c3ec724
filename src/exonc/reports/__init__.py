"""Reports: tables, figures and HTML/PDF rendering of trial results.

``exonc.reports.pdf`` turns one self-contained HTML document into PDF bytes (WeasyPrint);
the reports and the hub's printable guides both print through it.
"""
