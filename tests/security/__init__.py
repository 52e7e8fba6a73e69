"""Hostile input: fuzzing, injection, upload attacks, import bombs, XSS in a real browser."""
