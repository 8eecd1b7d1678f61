"""A one-person company's public profile: sectors, capabilities, AI tools, track record."""
