"""Vietnamese short dates as people write them ("02/12/2026", "14:05 02/12/2026"), not
Django's "02-12-2026", and numbers grouped by thousands ("1.234,5": Django's vi sets the
separators but no grouping); the long formats and separators stay Django's."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
NUMBER_GROUPING = 3
