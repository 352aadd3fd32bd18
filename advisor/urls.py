from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from ops.views import favicon, healthz
from portal import review_views

urlpatterns = [
    path("", include("cases.urls")),
    path("", include("portal.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("accounts.urls")),
    path("audit/", include("audit.urls")),
    path("privacy/", include("cases.privacy_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz/", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on every page whatever the page links to.
    path("favicon.ico", favicon, name="favicon"),
    path("stats/", include("stats.urls")),
    path("translate/review/", review_views.awaiting_review, name="translation_review"),
    path("translate/", include("rosetta.urls")),
    path("admin/", admin.site.urls),
    path("api/", include("api.urls")),
]
