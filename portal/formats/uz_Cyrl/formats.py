# Uzbek in Cyrillic script: Django's `uz` formats, with the "year" suffix in Cyrillic.
# Formats not given here fall back to django.conf.locale.uz.formats.
DATE_FORMAT = r"j-E, Y-\й\и\л"
DATETIME_FORMAT = r"j-E, Y-\й\и\л G:i"
MONTH_DAY_FORMAT = "j-E"
YEAR_MONTH_FORMAT = r"F Y-\й\и\л"
