"""Settings fragment (serving), star-imported at the end of base.py."""

import os  # noqa: F401
