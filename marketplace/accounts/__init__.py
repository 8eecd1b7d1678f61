"""Users, organisations (agencies and one-person companies), roles and API tokens."""
