"""The organisation's members page: add people, change roles and field-level flags."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import forms, memberships, permissions
from cases.models import Membership
from cases.views.access import member_required


def _members_context(request, *, add_form=None, failed=None) -> dict:
    """The members page; `failed` is a MembershipForm with errors to show in its row."""
    organisation = request.membership.organisation
    rows = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_active", "user__username")
    )

    def form_for(membership):
        if failed is not None and failed.instance.pk == membership.pk:
            return failed
        return forms.MembershipForm(instance=membership, prefix=f"m{membership.pk}")

    return {
        "memberships": [(membership, form_for(membership)) for membership in rows],
        "add_form": add_form or forms.MemberAddForm(),
    }


@member_required
def members(request: HttpRequest) -> HttpResponse:
    organisation = request.membership.organisation
    permissions.require(request.user, organisation, permissions.Action.MANAGE_MEMBERS)
    if request.method == "POST":
        form = forms.MemberAddForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                memberships.add_member(
                    organisation=organisation,
                    by=request.user,
                    role=data["role"],
                    existing_user=data.get("existing_user"),
                    new_username=data["new_username"],
                    new_email=data["new_email"],
                    new_password=data["new_password"],
                )
            except ValidationError as exc:
                forms.add_service_errors(form, exc)
            else:
                messages.success(request, _("Member added."))
                return redirect("cases:members")
        return render(
            request, "cases/members.html", _members_context(request, add_form=form), status=400
        )
    return render(request, "cases/members.html", _members_context(request))


@member_required
@require_POST
def member_update(request: HttpRequest, membership_pk: int) -> HttpResponse:
    organisation = request.membership.organisation
    permissions.require(request.user, organisation, permissions.Action.MANAGE_MEMBERS)
    membership = get_object_or_404(Membership, organisation=organisation, pk=membership_pk)
    form = forms.MembershipForm(
        request.POST, instance=Membership(pk=membership.pk), prefix=f"m{membership.pk}"
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            memberships.update_membership(
                membership=membership,
                by=request.user,
                role=data["role"],
                is_active=data["is_active"],
                **{name: data[name] for name in memberships.MEMBERSHIP_FLAGS},
            )
        except ValidationError as exc:
            forms.add_service_errors(form, exc)
        else:
            messages.success(request, _("Member updated."))
            return redirect("cases:members")
    return render(
        request,
        "cases/members.html",
        _members_context(request, failed=form),
        status=400,
    )
