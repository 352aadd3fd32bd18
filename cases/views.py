from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cases.models import Case
from cases.organisations import current_membership


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    membership = current_membership(request)
    cases = Case.objects.visible_to(request.user).open().select_related("migrant")
    if membership:
        cases = cases.filter(organisation=membership.organisation)
    my_cases = cases.filter(assignee=request.user)[:50]
    return render(request, "cases/dashboard.html", {"my_cases": my_cases})


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(
        Case.objects.visible_to(request.user).select_related("migrant", "assignee"), pk=pk
    )
    return render(request, "cases/case_detail.html", {"case": case})
