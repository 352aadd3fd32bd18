"""Coded case facts that statistics group by (stored in Case.extra_facts).

The codes follow the thesis tables the product reports against (FACTS.md §5.2, §5.3), so an
NGO's numbers can be set beside the published survey.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Case.extra_facts["migration_card"] — Table 4.2 (Florinskaya 2009:8; AKF survey 2008, N=500).
MIGRATION_CARD = [
    ("valid", _("Valid migration card")),
    ("expired", _("Expired migration card")),
    ("forged", _("Forged migration card")),
    ("lost", _("Had one, lost or damaged it")),
    ("never", _("Never had a migration card")),
]
# Case.extra_facts["registration_obstacle"] — Table 4.3 (CMR survey 2008-2009, N=318): why a
# migrant did not register.
REGISTRATION_OBSTACLES = [
    ("not_aware", _("Not aware of registration")),
    ("did_not_know_how", _("Did not know how to register")),
    ("employer_refused", _("Employer refused to register")),
    ("landlord_refused", _("Landlord refused to register")),
    ("no_valid_card", _("No valid migration card")),
    ("agency_not_found", _("Could not find the agency")),
]
# Case.extra_facts["assistance_given"] and ["sought_help_before"] — Table 4.1, multi-response:
# the kind of help the NGO gave, and where the migrant had sought help before coming.
ASSISTANCE_GIVEN = [
    ("consultation", _("Legal consultation")),
    ("documents", _("Help with documents")),
    ("representation", _("Representation (court, authority, employer)")),
    ("referral", _("Referral to another organisation")),
    ("humanitarian", _("Humanitarian help (food, shelter, ticket)")),
]
SOUGHT_HELP_BEFORE = [
    ("nobody", pgettext_lazy("sought help from", "Nobody")),
    ("relatives", _("Relatives or friends")),
    ("diaspora", _("Diaspora organisation")),
    ("ngo", _("Another NGO")),
    ("police", _("Police")),
    ("migration_service", _("Migration service")),
    ("embassy", _("Embassy or consulate")),
    ("lawyer", _("Paid lawyer or intermediary")),
]
# Published shares (%) for the codes above, as printed in the thesis.
MIGRATION_CARD_PUBLISHED = {
    "valid": 54.3,
    "expired": 10.2,
    "forged": 31.7,
    "lost": 1.6,
    "never": 2.0,
}
REGISTRATION_OBSTACLES_PUBLISHED = {
    "not_aware": 11.6,
    "did_not_know_how": 22.0,
    "employer_refused": 8.8,
    "landlord_refused": 6.6,
    "no_valid_card": 14.8,
    "agency_not_found": 39.0,
}
CITIZENSHIPS = {
    "TJ": _("Tajikistan"),
    "UZ": _("Uzbekistan"),
    "KG": _("Kyrgyzstan"),
    "KZ": _("Kazakhstan"),
    "AZ": _("Azerbaijan"),
    "AM": _("Armenia"),
    "MD": _("Moldova"),
    "UA": _("Ukraine"),
    "TM": _("Turkmenistan"),
}
