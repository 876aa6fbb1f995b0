from django.contrib import admin
from django.urls import include, path

from motcua.api import api

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("motcua.accounts.urls")),
    path("backoffice/", include("motcua.forms.urls")),  # printable forms (…/mau/<NN>.pdf|.docx)
    path("backoffice/chi-so-766/", include("motcua.indices.urls")),  # Decision 766 index dashboard
    path("backoffice/cai-cach/", include("motcua.reform.urls")),  # CCHC plans, PAR index, officer evaluation
    path("backoffice/lien-thong/", include("motcua.federation.urls")),  # national federation reports
    path("backoffice/", include("motcua.backoffice.urls")),
    path("", include("motcua.payments.urls")),
    path("", include("motcua.reports.urls")),
    path("", include("motcua.feedback.urls")),  # /phan-anh-kien-nghi/…, /backoffice/pakn/…
    path("", include("motcua.surveys.urls")),  # /khao-sat/<token>/, /backoffice/khao-sat/…
    path("", include("motcua.portal.urls")),
]

