"""Security events (lockouts, unlocks, two-factor) and the login lockout's pages."""
