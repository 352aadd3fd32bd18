from django.urls import path

from cases.deadline_views import (
    case_deadlines_ics,
    case_stop_messages,
    deadline_add,
    deadline_met,
    deadline_waive,
    optout,
)
from cases.views import (
    case_actions,
    case_edit,
    case_list,
    case_page,
    case_reopen,
    checklist,
    consent_panel,
    dashboard,
    intake,
    members,
    stays_panel,
    telegram_webhook,
)

app_name = "cases"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("cases/", case_list.case_list, name="list"),
    path("cases/search/", case_list.case_search, name="search"),
    path("cases/new/", intake.intake, name="intake"),
    path("cases/new/duplicates/", intake.intake_duplicates, name="intake_duplicates"),
    path("cases/<int:pk>/", case_page.case_detail, name="detail"),
    path("cases/<int:pk>/facts/", case_edit.case_facts, name="facts"),
    path("cases/<int:pk>/migrant/", case_edit.migrant_edit, name="migrant_edit"),
    path("cases/<int:pk>/notes/", case_actions.case_note, name="note"),
    path("cases/<int:pk>/status/", case_actions.case_status, name="status"),
    path("cases/<int:pk>/close/", case_actions.case_close, name="close"),
    path("cases/<int:pk>/reopen/", case_actions.case_reopen, name="reopen"),
    path("cases/<int:pk>/undo-close/", case_reopen.case_undo_close, name="undo_close"),
    path("cases/<int:pk>/request-reopen/", case_reopen.case_request_reopen, name="request_reopen"),
    path("cases/<int:pk>/assign/", case_actions.case_assign, name="assign"),
    path("cases/<int:pk>/tasks/", case_actions.task_add, name="task_add"),
    path("cases/<int:pk>/tasks/<int:task_pk>/done/", case_actions.task_done, name="task_done"),
    path("cases/<int:pk>/passport/", case_actions.reveal_passport, name="reveal_passport"),
    path("cases/<int:pk>/consent/", consent_panel.consent_record, name="consent_record"),
    path(
        "cases/<int:pk>/consent/withdraw/", consent_panel.consent_withdraw, name="consent_withdraw"
    ),
    path("cases/<int:pk>/stays/entry/", stays_panel.record_entry, name="stay_entry"),
    path("cases/<int:pk>/stays/exit/", stays_panel.record_exit, name="stay_exit"),
    path("cases/<int:pk>/stays/move/", stays_panel.record_move, name="stay_move"),
    path("organisation/switch/", dashboard.organisation_switch, name="switch_organisation"),
    path("language/", dashboard.language_switch, name="switch_language"),
    path("members/", members.members, name="members"),
    path("members/<int:membership_pk>/", members.member_update, name="member_update"),
    path(
        "cases/<int:pk>/checklist/<int:item_pk>/",
        checklist.set_checklist_state,
        name="checklist_item",
    ),
    path("cases/<int:pk>/deadlines.ics", case_deadlines_ics, name="deadlines_ics"),
    path("cases/<int:pk>/deadlines/add/", deadline_add, name="deadline_add"),
    path("cases/<int:pk>/stop-messages/", case_stop_messages, name="stop_messages"),
    path("deadlines/<int:pk>/met/", deadline_met, name="deadline_met"),
    path("deadlines/<int:pk>/waive/", deadline_waive, name="deadline_waive"),
    path("optout/<str:token>/", optout, name="optout"),
    path("telegram/webhook/", telegram_webhook.telegram_webhook, name="telegram_webhook"),
]
