from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import date_bounds

REQUIRED = {"required": _("Please fill this in.")}


class CodeLoginForm(forms.Form):
    code = forms.CharField(
        label=_("Case code"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    secret = forms.CharField(
        label=_("PIN"),
        max_length=20,
        error_messages=REQUIRED,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


CITIZENSHIPS = [
    ("TJ", _("Tajikistan")),
    ("UZ", _("Uzbekistan")),
    ("KG", _("Kyrgyzstan")),
    ("KZ", _("Kazakhstan")),
    ("AM", _("Armenia")),
]
# The migrant's words for the problem types of cases.Case.ProblemType (same keys).
PROBLEMS = [
    ("registration", _("Registering my stay")),
    ("patent", _("Patent: permission to work")),
    ("unpaid_wages", _("My employer has not paid me")),
    ("documents_confiscated", _("Someone is keeping my passport")),
    ("reentry_ban", _("Ban on entering Russia")),
    ("detention", _("Police stopped or detained me")),
    ("other", _("Something else")),
]


class RulesForm(forms.Form):
    citizenship = forms.ChoiceField(
        label=_("Your citizenship"),
        choices=CITIZENSHIPS,
        error_messages={
            "required": _("Please fill this in."),
            "invalid_choice": _("Choose from the list."),
        },
    )
    arrival_date = forms.DateField(
        label=_("Date you arrived in Russia"),
        required=False,
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Write the date like 31.12.2025.")},
    )
    problem = forms.ChoiceField(
        label=_("What do you need help with?"),
        choices=PROBLEMS,
        error_messages={
            "required": _("Please fill this in."),
            "invalid_choice": _("Choose from the list."),
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        date_bounds.bound_date_fields(self.fields)  # a year 9999 is a field error, not a 500
