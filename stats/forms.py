from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Organisation
from stats import vocab
from stats.models import ExportJob
from stats.queries import DIMENSIONS


def _default_start():
    today = timezone.localdate()
    return (today.replace(day=1) - timedelta(days=330)).replace(day=1)


class FilterForm(forms.Form):
    INTERNAL, OUTSIDE = "internal", "outside"

    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    problem = forms.ChoiceField(
        label=_("Problem"), required=False, choices=[("", _("All"))] + Case.ProblemType.choices
    )
    citizenship = forms.ChoiceField(
        label=_("Citizenship"),
        required=False,
        choices=[("", _("All"))] + list(vocab.CITIZENSHIPS.items()),
    )
    region = forms.CharField(label=_("Region of stay"), required=False, max_length=64)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        required=False,
        queryset=Organisation.objects.all(),
        empty_label=_("All organisations"),
    )
    audience = forms.ChoiceField(
        label=_("Numbers"),
        required=False,
        choices=[
            (INTERNAL, _("Exact (internal use)")),
            (OUTSIDE, _("For sharing outside the organisation (small counts hidden)")),
        ],
    )

    def __init__(self, *args, network: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.network = network
        if network:
            # Anything across organisations leaves each organisation: always suppressed.
            del self.fields["audience"]
        else:
            del self.fields["organisation"]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["date_to"] = data.get("date_to") or today
        data["date_from"] = data.get("date_from") or _default_start()
        if data["date_from"] > data["date_to"]:
            self.add_error("date_from", _("The start must be before the end."))
        elif (data["date_to"] - data["date_from"]).days > 366 * 20:
            self.add_error("date_from", _("Choose a period of at most twenty years."))
        return data

    def params(self) -> dict[str, str]:
        """Filter values as strings (dates ISO), for export jobs and notes."""
        data = self.cleaned_data
        out = {
            "date_from": data["date_from"].isoformat(),
            "date_to": data["date_to"].isoformat(),
        }
        for key in ("problem", "citizenship", "region"):
            if data.get(key):
                out[key] = data[key]
        return out


def _dimension_choices(network: bool):
    return [(key, dim.label) for key, dim in DIMENSIONS.items() if network or not dim.network_only]


class TableExportForm(forms.Form):
    rows = forms.ChoiceField(label=_("Rows"))
    cols = forms.ChoiceField(label=_("Columns"), required=False)
    fmt = forms.ChoiceField(label=_("Format"), choices=ExportJob.Format.choices)

    def __init__(self, *args, network: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _dimension_choices(network)
        self.fields["rows"].choices = choices
        self.fields["cols"].choices = [("", _("(none)"))] + choices

    def clean(self):
        data = super().clean()
        if data.get("rows") and data.get("rows") == data.get("cols"):
            self.add_error("cols", _("Choose a different dimension for the columns."))
        return data


class CaseExportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Export"), choices=ExportJob.Kind.choices, widget=forms.RadioSelect
    )
    fmt = forms.ChoiceField(label=_("Format"), choices=ExportJob.Format.choices)
    reason = forms.CharField(
        label=_("Why are identifiers needed?"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only for the full export. Recorded in the audit log."),
    )

    def __init__(self, *args, allow_full: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not allow_full:
            self.fields["kind"].choices = [
                c for c in ExportJob.Kind.choices if c[0] != ExportJob.Kind.FULL
            ]
            del self.fields["reason"]
        self.fields["kind"].initial = ExportJob.Kind.RESEARCH

    def clean(self):
        data = super().clean()
        if data.get("kind") == ExportJob.Kind.FULL and len((data.get("reason") or "").strip()) < 10:
            self.add_error("reason", _("Say why identifiers are needed (at least 10 characters)."))
        return data
