"""Pages that belong to no domain: home, errors, template filters, security headers."""
