"""The forms of the stays panel: an entry, an exit, a move (cases.stays does the checking)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import DATE, Labelled


class EntryForm(Labelled, forms.Form):
    entry_date = forms.DateField(label=_("entered on"), widget=DATE)
    entry_point = forms.CharField(label=_("entry point"), max_length=100, required=False)
    exit_date = forms.DateField(label=_("left on (for a past trip)"), widget=DATE, required=False)


class ExitForm(Labelled, forms.Form):
    exit_date = forms.DateField(label=_("left the country on"), widget=DATE)


class MoveForm(Labelled, forms.Form):
    address = forms.CharField(label=_("new address"), max_length=300)
    arrival_date = forms.DateField(label=_("arrived at the address on"), widget=DATE)
