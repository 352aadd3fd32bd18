from django.urls import path

from cases import checklist_views, views
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
    path("cases/", views.case_list, name="list"),
    path("cases/search/", views.case_search, name="search"),
    path("cases/new/", views.intake, name="intake"),
    path("cases/new/duplicates/", views.intake_duplicates, name="intake_duplicates"),
    path("cases/<int:pk>/", views.case_detail, name="detail"),
    path("cases/<int:pk>/facts/", views.case_facts, name="facts"),
    path("cases/<int:pk>/migrant/", views.migrant_edit, name="migrant_edit"),
    path("cases/<int:pk>/notes/", views.case_note, name="note"),
    path("cases/<int:pk>/status/", views.case_status, name="status"),
    path("cases/<int:pk>/close/", views.case_close, name="close"),
    path("cases/<int:pk>/reopen/", views.case_reopen, name="reopen"),
    path("cases/<int:pk>/assign/", views.case_assign, name="assign"),
    path("cases/<int:pk>/tasks/", views.task_add, name="task_add"),
    path("cases/<int:pk>/tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path("cases/<int:pk>/passport/", views.reveal_passport, name="reveal_passport"),
    path("organisation/switch/", views.organisation_switch, name="switch_organisation"),
    path("language/", views.language_switch, name="switch_language"),
    path("members/", views.members, name="members"),
    path("members/<int:membership_pk>/", views.member_update, name="member_update"),
    path(
        "cases/<int:pk>/checklist/<int:item_pk>/",
        checklist_views.set_checklist_state,
        name="checklist_item",
    ),
    path("cases/<int:pk>/deadlines.ics", case_deadlines_ics, name="deadlines_ics"),
    path("cases/<int:pk>/deadlines/add/", deadline_add, name="deadline_add"),
    path("cases/<int:pk>/stop-messages/", case_stop_messages, name="stop_messages"),
    path("deadlines/<int:pk>/met/", deadline_met, name="deadline_met"),
    path("deadlines/<int:pk>/waive/", deadline_waive, name="deadline_waive"),
    path("optout/<str:token>/", optout, name="optout"),
]
