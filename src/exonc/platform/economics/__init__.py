"""Health economics on the platform: resource-use questionnaires, programme delivery records
and the trial-based cost-utility analysis of the platform's own data (``exonc.economics``)."""
