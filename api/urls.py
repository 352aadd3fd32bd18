from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from api import views

router = SimpleRouter()
router.register("auth/tokens", views.ApiTokenViewSet, basename="api-token")
router.register("migrants", views.MigrantViewSet, basename="migrant")
router.register("cases", views.CaseViewSet, basename="case")
router.register("checklist-items", views.ChecklistItemViewSet, basename="checklist-item")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("reminders", views.ReminderViewSet, basename="reminder")
router.register("deliveries", views.DeliveryViewSet, basename="delivery")
router.register("rules", views.RuleViewSet, basename="rule")
router.register("deadline-rules", views.DeadlineRuleViewSet, basename="deadline-rule")

v1 = [
    path("ping/", views.ping, name="ping"),
    path("auth/token/", views.TokenObtainView.as_view(), name="token-obtain"),
    path("me/", views.MeView.as_view(), name="me"),
    path("rules/preview/", views.RulesPreviewView.as_view(), name="rules-preview"),
    path("document-types/", views.DocumentTypeListView.as_view(), name="document-types"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
    path("document-types/<str:code>/", views.DocumentTypeView.as_view(), name="document-type"),
    *router.urls,
]

app_name = "api"
urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    # Anything else under /api/ answers in the API's error shape, not with an HTML page.
    re_path(r"^.*$", views.not_found),
]
