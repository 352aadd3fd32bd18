"""The case list with its filters, and the search box.

Personal data stays out of URLs: the search box POSTs to `case_search`, which keeps the text
in the session under a random id and redirects to the list with only that id (`?s=…`). Filters
(status, problem, assignee id, citizenship) and the keyset cursor are not personal and are
ordinary query parameters, so the back button and bookmarks work.
"""

from __future__ import annotations

import hashlib
import secrets
from functools import cache as memoize

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from cases import forms, member_cache, queries
from cases.views.access import member_required

SEARCH_SESSION_KEY = "case_searches"
SEARCHES_KEPT = 20
FILTERS_CACHE_SECONDS = 10 * 60


@memoize
def _static_choices_digest(language: str) -> str:
    """What the filter form shows besides the members, in this language: fixed per process
    (code and catalogues), part of the cache key so a deploy never serves old labels."""
    form = forms.FilterForm.base_fields
    labels = [
        (name, [(str(value), str(label)) for value, label in getattr(field, "choices", [])])
        for name, field in form.items()
    ]
    labels.append(("labels", [str(field.label) for field in form.values()]))
    return hashlib.sha256(repr(labels).encode()).hexdigest()[:16]


def _filter_fields_html(filter_form: forms.FilterForm, organisation, request) -> str:
    """The filter form's fields as the template renders them. Unfiltered, the form is the same
    for every member of the organisation in a language: rendered once and cached, under the
    members version (a membership or a name change renders it afresh)."""
    if filter_form.is_bound and any(name in request.GET for name in filter_form.fields):
        return ""  # shows the member's own choices: the template renders it
    language = get_language() or ""
    key = ":".join(
        (
            "case-list-filters",
            str(organisation.pk),
            language,
            member_cache.version(organisation.pk),
            _static_choices_digest(language),
        )
    )
    html = cache.get(key)
    if html is None:
        html = format_html_join(
            "", '<div class="field">{}</div>', ((field.as_field_group(),) for field in filter_form)
        )
        cache.set(key, str(html), FILTERS_CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - rendered above by the form's widgets, escaped


def _saved_search(request: HttpRequest, token: str) -> str:
    return request.session.get(SEARCH_SESSION_KEY, {}).get(token, "") if token else ""


@member_required
@require_POST
def case_search(request: HttpRequest) -> HttpResponse:
    """Keep the search text out of the URL: store it in the session, redirect with an id."""
    form = forms.SearchForm(request.POST)
    params = request.GET.copy()
    params.pop("s", None)
    params.pop("after", None)
    if form.is_valid() and form.cleaned_data["q"].strip():
        searches = request.session.get(SEARCH_SESSION_KEY, {})
        token = secrets.token_urlsafe(6)
        searches[token] = form.cleaned_data["q"].strip()
        # Keep the newest few (dicts keep insertion order).
        request.session[SEARCH_SESSION_KEY] = dict(list(searches.items())[-SEARCHES_KEPT:])
        params["s"] = token
    elif not form.is_valid():
        return case_list(request, search_form=form, status=400)
    query = params.urlencode()
    return HttpResponseRedirect(reverse("cases:list") + (f"?{query}" if query else ""))


def _filters(filter_form: forms.FilterForm) -> queries.CaseFilters:
    if not (filter_form.is_bound and filter_form.is_valid()):
        return queries.CaseFilters()
    data = filter_form.cleaned_data
    return queries.CaseFilters(
        status=data["status"],
        problem_type=data["problem_type"],
        assignee=data["assignee"],
        citizenship=data["citizenship"],
        overdue=data["overdue"],
        due_soon=data["due_soon"],
        sort=data["sort"] or "newest",
    )


@member_required
def case_list(request: HttpRequest, search_form=None, status: int = 200) -> HttpResponse:
    organisation = request.membership.organisation
    filter_form = forms.FilterForm(request.GET or None, organisation=organisation)
    filters = _filters(filter_form)
    if filter_form.is_bound and not filter_form.is_valid():
        status = 400
    token = request.GET.get("s", "")
    filters.text = _saved_search(request, token)
    if token and not filters.text:
        token = ""  # an expired or foreign search id: show everything
    cases = queries.filter_cases(
        queries.org_cases(request.user, organisation), filters, request.user
    )
    page = queries.keyset_page(cases, sort=filters.sort, cursor=request.GET.get("after", ""))
    similar = []
    if filters.text and not page.rows and not request.GET.get("after"):
        similar = queries.similar_cases(
            queries.org_cases(request.user, organisation), filters, request.user
        )
    params = request.GET.copy()
    params.pop("after", None)
    next_params = params.copy()
    if page.next_cursor:
        next_params["after"] = page.next_cursor
    context = {
        "filter_form": filter_form,
        "filter_fields_html": _filter_fields_html(filter_form, organisation, request),
        "search_form": search_form or forms.SearchForm(initial={"q": filters.text}),
        "page": page,
        "similar_rows": similar,
        "search_text": filters.text,
        "search_token": token,
        "query_string": params.urlencode(),
        "next_query": next_params.urlencode() if page.next_cursor else "",
        "is_later_page": bool(request.GET.get("after")),
        "count_cap": queries.COUNT_CAP,
    }
    return render(request, "cases/case_list.html", context, status=status)
