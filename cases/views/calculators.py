"""The caseworkers' calculators page: compensation for late wages and the end of a ban, from
figures typed in (or filled from a case's panel). Read-only: nothing is saved."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from cases.calculations import BAN_COUNTS_FROM, ERROR_MESSAGES, work_calendar
from cases.date_bounds import DateBoundsValidator, bound_date_fields
from cases.forms import DATE
from cases.views.access import member_required
from content import calculators, facts, keyratedata


class WageCalculatorForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount owed (RUB)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    due_date = forms.DateField(label=_("Wages were due on"), widget=DATE)
    paid_on = forms.DateField(
        label=_("Paid on"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty if not paid yet: counted up to today."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        bound_date_fields(self.fields)


def _basis_choices() -> list[tuple[str, str]]:
    spec = facts.declarations().facts.get("ban_basis")
    labels = dict(spec.choice_labels(get_language() or "en")) if spec else {}
    return [("", "—")] + [(code, labels.get(code, code)) for code in calculators.BAN_BASES]


class BanCalculatorForm(forms.Form):
    ban_start = forms.DateField(label=_("Ban start date"), widget=DATE)
    ban_years = forms.IntegerField(
        label=_("Length (years)"), validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    ban_basis = forms.ChoiceField(label=_("Basis"), required=False, choices=())

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ban_basis"].choices = _basis_choices()
        # The ban start is a fact of a stay: the same plausible range as on the case.
        self.fields["ban_start"].validators.append(DateBoundsValidator("ban_start_date"))


def _wage_result(form: WageCalculatorForm) -> calculators.Compensation | None:
    data = form.cleaned_data
    try:
        return calculators.late_pay_compensation(
            data["amount"],
            due_date=data["due_date"],
            paid_on=data["paid_on"] or timezone.localdate(),
            rates=keyratedata.rates_from_db(),
        )
    except calculators.CalculationError as exc:
        form.add_error(None, ERROR_MESSAGES.get(exc.code, str(exc)))
        return None


def _ban_result(form: BanCalculatorForm) -> calculators.BanTerm | None:
    data = form.cleaned_data
    try:
        return calculators.ban_term(data["ban_start"], data["ban_years"], data["ban_basis"])
    except calculators.CalculationError as exc:
        form.add_error(None, ERROR_MESSAGES.get(exc.code, str(exc)))
        return None


@member_required
@require_GET
def calculators_page(request: HttpRequest) -> HttpResponse:
    """Each form is computed when its fields are in the query string; a bad value is a form
    error (status 400), never a crash."""
    wage_form = WageCalculatorForm(request.GET if "amount" in request.GET else None)
    ban_form = BanCalculatorForm(request.GET if "ban_start" in request.GET else None)
    compensation = _wage_result(wage_form) if wage_form.is_valid() else None
    ban = _ban_result(ban_form) if ban_form.is_valid() else None
    limitation = (
        calculators.wage_limitation(wage_form.cleaned_data["due_date"], work_calendar("RU"))
        if compensation
        else None
    )
    failed = bool(wage_form.errors or ban_form.errors)
    context = {
        "wage_form": wage_form,
        "ban_form": ban_form,
        "compensation": compensation,
        "paid_on": wage_form.cleaned_data.get("paid_on") if compensation else None,
        "limitation": limitation,
        "ban_term": ban,
        "ban_counts_from": BAN_COUNTS_FROM.get(ban.basis.code, "") if ban and ban.basis else "",
        "today": timezone.localdate(),
    }
    return render(request, "cases/calculators.html", context, status=400 if failed else 200)
