"""Users, roles and centre membership."""
