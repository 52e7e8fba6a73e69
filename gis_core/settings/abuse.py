"""Settings fragment (abuse), star-imported at the end of base.py."""

import os  # noqa: F401
