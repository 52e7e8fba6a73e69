"""Signals of the report domain for other apps, so gis_core need not know them."""

from django.dispatch import Signal

# Sent after commit when reports were written outside the ORM's save() (the submission's SQL
# function, the bulk import): map layers drop what they cached.
reports_written = Signal()
