from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_GET

from worksheets.members import accounts

admin.site.site_header = "sanpuku 管理画面"
admin.site.site_title = "sanpuku 管理画面"


@require_GET
def hello(request: HttpRequest) -> HttpResponse:
    """The floor of this stack for `make bench`: the middleware and nothing else."""
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever a page links: the same local icon, never a 404.

    The icon's static URL is looked up per request, not at import (the manifest may be built later).
    """
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))


urlpatterns = [
    path("hello/", hello, name="hello"),
    path("favicon.ico", favicon),
    path("accounts/login/", accounts.login, name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Forgotten passwords: by e-mail when EMAIL_HOST is set, otherwise a page that names the
    # organisation administrator. The link (also what an administrator hands a colleague) is
    # Django's own one-time token, void once the password has changed.
    path("accounts/password/reset/", accounts.password_reset, name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("guide/", include("cases.urls")),
    path("", include("worksheets.urls")),
    path("", include("kpis.urls")),
]
