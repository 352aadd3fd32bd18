from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import SimpleRouter

from api.views import auth, calls, case_children, cases, content, migrants, public, statistics

router = SimpleRouter()
router.register("auth/tokens", auth.ApiTokenViewSet, basename="api-token")
router.register("migrants", migrants.MigrantViewSet, basename="migrant")
router.register("cases", cases.CaseViewSet, basename="case")
router.register("checklist-items", case_children.ChecklistItemViewSet, basename="checklist-item")
router.register("deadlines", case_children.DeadlineViewSet, basename="deadline")
router.register("tasks", case_children.TaskViewSet, basename="task")
router.register("reminders", case_children.ReminderViewSet, basename="reminder")
router.register("deliveries", case_children.DeliveryViewSet, basename="delivery")
router.register("calls", calls.CallViewSet, basename="call")
router.register("rules", content.RuleViewSet, basename="rule")
router.register("deadline-rules", content.DeadlineRuleViewSet, basename="deadline-rule")

v1 = [
    path("ping/", public.ping, name="ping"),
    path("auth/token/", auth.TokenObtainView.as_view(), name="token-obtain"),
    path("me/", auth.MeView.as_view(), name="me"),
    path("rules/preview/", public.RulesPreviewView.as_view(), name="rules-preview"),
    path("document-types/", content.DocumentTypeListView.as_view(), name="document-types"),
    path("statistics/", statistics.StatisticsView.as_view(), name="statistics"),
    path("document-types/<str:code>/", content.DocumentTypeView.as_view(), name="document-type"),
    *router.urls,
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            # Split: the set-up script is its own URL, so the CSP needs no inline script.
            url_name="api:schema",
            template_name="api/swagger_ui.html",
        ),
        name="docs",
    ),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Anything else under /api/ answers in the API's error shape, not with an HTML page.
    re_path(r"^.*$", public.not_found),
]
