from django.urls import path

from cases import checklist_views, views

app_name = "cases"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path(
        "cases/<int:pk>/checklist/<int:item_pk>/",
        checklist_views.set_checklist_state,
        name="checklist_item",
    ),
]
