from django.contrib import admin
from django.urls import include, path

from motcua.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("motcua.accounts.urls")),
    path("backoffice/", include("motcua.backoffice.urls")),
    path("", include("motcua.portal.urls")),
]

