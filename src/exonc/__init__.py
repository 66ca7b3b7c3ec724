"""exonc — run, monitor and evaluate supervised exercise programmes in metastatic cancer.

The supported library API is re-exported here; everything else is internal.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("exonc")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = ["__version__"]
