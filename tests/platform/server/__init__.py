"""The served platform: safe defaults, the production server, lockout, admin rules."""
