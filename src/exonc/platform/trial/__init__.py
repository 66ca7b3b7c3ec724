"""Centres, participants, screening, consent, visits and withdrawal."""
