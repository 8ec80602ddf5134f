"""Accounts: passwords, sessions, reset tokens, rate limits, signed links."""
