"""The law's vocabulary that casework shares: the kinds of problem a rule can apply to."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProblemType(models.TextChoices):
    UNPAID_WAGES = "unpaid_wages", _("Unpaid wages")
    DOCUMENTS_CONFISCATED = "documents_confiscated", _("Passport or documents confiscated")
    REENTRY_BAN = "reentry_ban", _("Re-entry ban")
    REGISTRATION = "registration", _("Registration problem")
    PATENT = "patent", _("Patent / work permit")
    TRAFFICKING = "trafficking", _("Trafficking or forced labour")
    DETENTION = "detention", _("Police detention or extortion")
    OTHER = "other", _("Other")
