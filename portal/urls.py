from django.urls import path

from portal import views

app_name = "portal"

urlpatterns = [
    path("m/", views.login, name="login"),
    path("m/sw.js", views.service_worker, name="service_worker"),
    path("m/exit/", views.quick_exit, name="exit"),
    path("m/<str:token>/", views.checklist, name="checklist"),
    path("m/<str:token>/print/", views.print_view, name="print"),
    path("m/<str:token>/have/<int:item_id>/", views.tick, name="tick"),
    path("m/<str:token>/telegram/", views.telegram, name="telegram"),
    path("m/<str:token>/stop-messages/", views.stop_messages, name="stop_messages"),
    path("rules/", views.rules, name="rules"),
    path("cases/<int:pk>/portal/", views.staff_panel, name="staff_panel"),
    path("cases/<int:pk>/portal/issue/", views.staff_issue, name="staff_issue"),
    path("cases/<int:pk>/portal/revoke/", views.staff_revoke, name="staff_revoke"),
]
