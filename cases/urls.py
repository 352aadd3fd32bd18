from django.urls import path

from cases import views
from cases.deadline_views import (
    case_deadlines_ics,
    case_stop_messages,
    deadline_add,
    deadline_met,
    deadline_waive,
    optout,
)

app_name = "cases"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/deadlines.ics", case_deadlines_ics, name="deadlines_ics"),
    path("cases/<int:pk>/deadlines/add/", deadline_add, name="deadline_add"),
    path("cases/<int:pk>/stop-messages/", case_stop_messages, name="stop_messages"),
    path("deadlines/<int:pk>/met/", deadline_met, name="deadline_met"),
    path("deadlines/<int:pk>/waive/", deadline_waive, name="deadline_waive"),
    path("optout/<str:token>/", optout, name="optout"),
]
