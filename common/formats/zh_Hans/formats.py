"""Simplified Chinese dates and numbers as mainland readers write them: "2026年12月2日",
short "2026/12/02", and "1,234.5" (Django's zh_Hans leaves the thousands separator empty
and groups by four digits, which readers in China do not use for everyday numbers)."""

DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y/m/d"
SHORT_DATETIME_FORMAT = "Y/m/d H:i"
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
