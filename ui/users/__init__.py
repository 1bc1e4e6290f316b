"""The Users area (administrators): accounts, roles, unlocking, password resets."""
