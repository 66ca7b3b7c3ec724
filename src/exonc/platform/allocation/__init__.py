"""Allocation: concealed randomisation, append-only allocation records and corrections."""
