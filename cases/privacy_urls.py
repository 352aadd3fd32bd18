from django.urls import path

from cases.views import privacy as views

app_name = "privacy"

urlpatterns = [
    path("migrants/<int:pk>/", views.privacy_panel, name="panel"),
    path("migrants/<int:pk>/access.json", views.subject_access_json, name="access_json"),
    path("migrants/<int:pk>/access.pdf", views.subject_access_pdf, name="access_pdf"),
    path("migrants/<int:pk>/legal-holds/", views.place_legal_hold, name="hold"),
    path(
        "migrants/<int:pk>/legal-holds/<int:hold_pk>/release/",
        views.release_legal_hold,
        name="hold_release",
    ),
    path("migrants/<int:pk>/reveal-passport/", views.reveal_passport, name="reveal_passport"),
]
