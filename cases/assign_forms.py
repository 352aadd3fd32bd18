"""Choosing who carries a case: one case (the case page), several (the team view)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import member_cache
from cases.forms import FastBoundField, FastSelect, Labelled


class AssignForm(Labelled, forms.Form):
    """The assignee among the organisation's active members, offered as plain values from the
    members cache (no User rows to render the page); the chosen user is read on submit."""

    bound_field_class = FastBoundField
    assignee = forms.TypedChoiceField(
        label=_("assignee"), required=False, coerce=int, empty_value=None, widget=FastSelect
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["assignee"].choices = [
            ("", _("Nobody")),
            *[(m.user_id, m.name) for m in member_cache.active_members(organisation.pk)],
        ]

    def clean_assignee(self):
        from accounts.models import User

        user_id = self.cleaned_data["assignee"]
        if user_id is None:
            return None
        user = User.objects.filter(
            pk=user_id,
            memberships__organisation=self.organisation,
            memberships__is_active=True,
        ).first()
        if user is None:  # left the organisation since the page was cached
            raise ValidationError(
                self.fields["assignee"].error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": user_id},
            )
        return user


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
