"""The team view's form: several cases to one member."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms import AssignForm


class CaseIdsField(forms.Field):
    """The ticked case boxes: ids only; whether they are this organisation's is the service's."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        if not value:
            return []
        try:
            return [int(pk) for pk in value]
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose cases from the list.")) from None


class BulkAssignForm(AssignForm):
    """Several cases to one member, from the team view."""

    cases = CaseIdsField(
        label=_("cases"), error_messages={"required": _("Choose at least one case.")}
    )
