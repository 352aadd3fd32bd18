"""Data-protection actions for organisation admins: subject access, erasure, legal holds,
and the audited passport reveal. URLs carry ids only, never personal data."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import field_access
from cases.models import ErasureRecord, LegalHold, Membership, Migrant
from cases.permissions import role_in
from cases.privacy import erasure, holds, subject_access


def _migrant_for_admin(request: HttpRequest, pk: int) -> Migrant:
    migrant = get_object_or_404(
        Migrant.objects.visible_to(request.user).select_related("organisation"), pk=pk
    )
    if role_in(request.user, migrant.organisation) != Membership.Role.ADMIN:
        raise PermissionDenied
    return migrant


def _download(content: bytes | str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def subject_access_json(request: HttpRequest, pk: int) -> HttpResponse:
    migrant = _migrant_for_admin(request, pk)
    body = subject_access.subject_access_json(migrant, by=request.user)
    return _download(
        body, filename=f"subject-access-{migrant.pk}.json", content_type="application/json"
    )


@login_required
def subject_access_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    migrant = _migrant_for_admin(request, pk)
    body = subject_access.subject_access_pdf(migrant, by=request.user)
    return _download(
        body, filename=f"subject-access-{migrant.pk}.pdf", content_type="application/pdf"
    )


class ErasureForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Request reference"), max_length=100)
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."), required=True
    )


class LegalHoldForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea, max_length=2000)


@login_required
def privacy_panel(request: HttpRequest, pk: int) -> HttpResponse:
    migrant = _migrant_for_admin(request, pk)
    form = ErasureForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                erasure.erase_migrant(
                    migrant=migrant,
                    by=request.user,
                    basis=ErasureRecord.Basis.REQUEST,
                    reference=form.cleaned_data["reference"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("The person's data has been erased."))
                return redirect("privacy:panel", pk=migrant.pk)
        status = 400
    context = {
        "migrant": migrant,
        "form": form,
        "hold_form": LegalHoldForm(),
        "holds": migrant.legal_holds.order_by("-placed_at"),
        "erasure": getattr(migrant, "erasure", None),
    }
    return render(request, "privacy/panel.html", context, status=status)


@login_required
@require_POST
def place_legal_hold(request: HttpRequest, pk: int) -> HttpResponse:
    migrant = _migrant_for_admin(request, pk)
    form = LegalHoldForm(request.POST)
    if form.is_valid():
        holds.place_legal_hold(migrant=migrant, reason=form.cleaned_data["reason"], by=request.user)
        messages.success(request, _("Legal hold recorded."))
        return redirect("privacy:panel", pk=migrant.pk)
    context = {
        "migrant": migrant,
        "form": ErasureForm(),
        "hold_form": form,
        "holds": migrant.legal_holds.order_by("-placed_at"),
        "erasure": getattr(migrant, "erasure", None),
    }
    return render(request, "privacy/panel.html", context, status=400)


@login_required
@require_POST
def release_legal_hold(request: HttpRequest, pk: int, hold_pk: int) -> HttpResponse:
    migrant = _migrant_for_admin(request, pk)
    hold = get_object_or_404(LegalHold, pk=hold_pk, migrant=migrant)
    holds.release_legal_hold(hold=hold, by=request.user)
    messages.success(request, _("Legal hold released."))
    return redirect("privacy:panel", pk=migrant.pk)


@login_required
@require_POST
def reveal_passport(request: HttpRequest, pk: int) -> HttpResponse:
    """Returns the full number as a tiny fragment (htmx swaps it in); audited, never cached."""
    migrant = get_object_or_404(Migrant.objects.visible_to(request.user), pk=pk)
    try:
        number = field_access.reveal_passport(user=request.user, migrant=migrant)
    except PermissionDenied:
        raise Http404 from None
    return render(request, "privacy/_passport.html", {"number": number})
