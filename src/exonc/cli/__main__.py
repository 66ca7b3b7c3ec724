"""``python -m exonc.cli`` runs the ``exonc`` command."""

from exonc.cli import main

main()
