"""The core of Depot: domain services, legal rules, read models and the CLI. No Qt here."""
