from django.urls import path

from accounts import views

urlpatterns = [
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("mfa/recovery-codes/", views.recovery_codes, name="mfa_recovery_codes"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("sessions/end-others/", views.end_other_sessions, name="end_other_sessions"),
]
