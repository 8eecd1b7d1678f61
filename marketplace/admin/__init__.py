"""Platform administration: verify organisations, allow-listed domains, user accounts."""
