"""Interchange: REDCap projects, CDISC ODM 1.3.2 and FHIR R4, out of exonc and back in."""
