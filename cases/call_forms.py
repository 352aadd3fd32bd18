"""The call log's form: one screen, every field with a default, so a call is logged in seconds.

The caller is chosen from the search results as `migrant:<id>` or `case:<id>` (empty: the
caller gave no name); the ids are resolved among what the user may see, nothing else.
"""

from __future__ import annotations

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import calls
from cases.forms import DATE, SubmissionTokenMixin
from cases.models import Call, Case, Migrant

_CALLER = re.compile(r"^(migrant|case):(\d{1,18})$")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class CallForm(SubmissionTokenMixin, forms.Form):
    caller = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    line = forms.ChoiceField(
        label=_("line"), choices=Call.Line.choices, initial=Call.Line.HOTLINE,
        widget=forms.RadioSelect,
    )  # fmt: skip
    language = forms.ChoiceField(label=_("language"), choices=Call.Language.choices)
    topics = forms.MultipleChoiceField(
        label=_("topics"),
        choices=Case.ProblemType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # "Case opened" is what "Save and open a case" records, once the case exists.
    outcome = forms.ChoiceField(
        label=_("outcome"),
        choices=[c for c in Call.Outcome.choices if c[0] != Call.Outcome.CASE_OPENED],
        initial=Call.Outcome.ADVICE,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note"),
        max_length=calls.NOTE_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Up to %(limit)s characters.") % {"limit": calls.NOTE_LIMIT},
    )
    follow_up = forms.CharField(
        label=_("follow-up task"),
        max_length=200,
        required=False,
        help_text=_("Becomes a task on the caller's case, once the call has one."),
    )
    follow_up_due = forms.DateField(label=_("follow-up due"), required=False, widget=DATE)
    received_at = forms.DateTimeField(
        label=_("time of the call"),
        widget=DATETIME,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
    )
    # Set by the "Save and open a case" button.
    open_case = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.organisation = user, organisation
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("received_at", now)
            self.initial.setdefault("language", calls.default_language(organisation))
        self.fields["note"].widget.attrs["maxlength"] = calls.NOTE_LIMIT

    def clean_caller(self) -> tuple[Migrant | None, Case | None]:
        raw = self.cleaned_data["caller"].strip()
        if not raw:
            return None, None
        match = _CALLER.match(raw)
        if match is None:
            raise forms.ValidationError(_("Choose the caller from the search results."))
        kind, pk = match.group(1), int(match.group(2))
        if kind == "case":
            case = (
                Case.objects.visible_to(self.user)
                .filter(organisation=self.organisation, pk=pk)
                .select_related("migrant")
                .first()
            )
            if case is None:
                raise forms.ValidationError(_("Choose the caller from the search results."))
            return case.migrant, case
        migrant = (
            Migrant.objects.visible_to(self.user)
            .filter(organisation=self.organisation, pk=pk)
            .first()
        )
        if migrant is None:
            raise forms.ValidationError(_("Choose the caller from the search results."))
        return migrant, None

    def service_values(self) -> dict:
        data = self.cleaned_data
        migrant, case = data["caller"]
        return {
            "migrant": migrant,
            "case": case,
            "received_at": data["received_at"],
            "line": data["line"],
            "language": data["language"],
            "topics": data["topics"],
            "outcome": data["outcome"],
            "note": data["note"],
            "follow_up": data["follow_up"],
            "follow_up_due": data["follow_up_due"],
        }


class CallerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, phone or case number"), max_length=200, required=False)
