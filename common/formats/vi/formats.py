"""Vietnamese short dates as people write them ("02/12/2026", "14:05 02/12/2026"), not
Django's "02-12-2026"; the long formats and separators stay Django's."""

SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
