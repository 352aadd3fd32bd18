# Kyrgyz dates with the ordinal hyphen and the Kyrgyz "ж." (жыл, year): "16-декабрь 2026-ж.".
# Formats not given here fall back to django.conf.locale.ky.formats.
DATE_FORMAT = r"j-E Y-\ж."
DATETIME_FORMAT = r"j-E Y-\ж. G:i"
YEAR_MONTH_FORMAT = r"F Y-\ж."
MONTH_DAY_FORMAT = "j-E"
