# Tajik dates the Tajik way, "16 декабри соли 2026", not Django's "16 декабр 2026 г." with the
# Russian "г." (year). E is the month's izofat form from the catalogue ("декабри").
# Formats not given here fall back to django.conf.locale.tg.formats.
DATE_FORMAT = r"j E \с\о\л\и Y"
DATETIME_FORMAT = r"j E \с\о\л\и Y, G:i"
YEAR_MONTH_FORMAT = r"F\и \с\о\л\и Y"
MONTH_DAY_FORMAT = "j E"
