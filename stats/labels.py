"""Russian fallbacks for the casework labels that statistics print (problem, status, ...).

The labels belong to cases/models.py; the root locale/ translates them. These markers put
them into the stats app's own catalogue too, so statistics pages and exports are complete in
Russian even before the root catalogue is. The root catalogue wins where both exist.
"""

from django.utils.translation import gettext_noop

LABELS = [
    gettext_noop("Unpaid wages"),
    gettext_noop("Passport or documents confiscated"),
    gettext_noop("Re-entry ban"),
    gettext_noop("Registration problem"),
    gettext_noop("Patent / work permit"),
    gettext_noop("Trafficking or forced labour"),
    gettext_noop("Police detention or extortion"),
    gettext_noop("Other"),
    gettext_noop("New"),
    gettext_noop("In progress"),
    gettext_noop("Waiting on migrant"),
    gettext_noop("Waiting on authority"),
    gettext_noop("Waiting on employer"),
    gettext_noop("Resolved"),
    gettext_noop("Closed"),
    gettext_noop("Partly resolved"),
    gettext_noop("Not resolved"),
    gettext_noop("Referred elsewhere"),
    gettext_noop("Lost contact"),
    gettext_noop("Low"),
    gettext_noop("Normal"),
    gettext_noop("High"),
    gettext_noop("Urgent"),
    gettext_noop("Employer"),
    gettext_noop("Intermediary / recruiter"),
    gettext_noop("Landlord"),
    gettext_noop("Police"),
    gettext_noop("Female"),
    gettext_noop("Male"),
    gettext_noop("Other / not stated"),
    gettext_noop("Construction"),
    gettext_noop("Trade and markets"),
    gettext_noop("Services, catering, cleaning"),
    gettext_noop("Housing and utilities"),
    gettext_noop("Transport and delivery"),
    gettext_noop("Agriculture"),
    gettext_noop("Industry"),
    gettext_noop("Domestic work"),
    gettext_noop("Unknown"),
]
