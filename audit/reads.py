"""Read audit: who opened which record. Table-driven, so every listed route is logged the same
way without each view remembering to do it. Extend READ_ROUTES when a route shows a record.

A view that has loaded the record (with its organisation) may leave it on the request as
`request.audit_read_object`; the log then records it without reading it again."""

from __future__ import annotations

from audit import services as audit
from audit.actions import Action

# URL name → (audit action, model label, URL kwarg holding the record's id).
READ_ROUTES: dict[str, tuple[Action, str, str]] = {
    "cases:detail": (Action.CASE_VIEW, "cases.Case", "pk"),
    "privacy:panel": (Action.MIGRANT_PRIVACY_VIEW, "cases.Migrant", "pk"),
}


class ReadAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            match is not None
            and match.view_name in READ_ROUTES
            and request.method == "GET"
            and response.status_code == 200
            and request.user.is_authenticated
        ):
            self._record(request, *READ_ROUTES[match.view_name], match.kwargs)
        return response

    @staticmethod
    def _record(request, action: Action, label: str, kwarg: str, kwargs: dict) -> None:
        from django.apps import apps

        model = apps.get_model(label)
        obj = getattr(request, "audit_read_object", None)
        if not (isinstance(obj, model) and str(obj.pk) == str(kwargs.get(kwarg))):
            obj = (
                model._base_manager.filter(pk=kwargs.get(kwarg)).only("pk", "organisation").first()
            )
        if obj is None:
            return
        audit.record(actor=request.user, action=action, organisation=obj.organisation, obj=obj)
