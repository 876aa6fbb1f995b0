"""Citizens' own pages (included into the portal's namespace: names are `portal:<name>`)."""

from django.urls import path

from motcua.portal import account_views, lookup, mydossiers, oidc, submission
from motcua.privacy import views as privacy_views

urlpatterns = [
    path("dang-ky/", account_views.register_citizen, name="register"),
    path("dang-ky/doanh-nghiep/", account_views.register_business, name="register_business"),
    path("dang-nhap/dinh-danh/", oidc.EidLoginView.as_view(), name="oidc_login"),
    path("dang-nhap/dinh-danh/callback/", oidc.EidCallbackView.as_view(), name="oidc_callback"),
    path("nop-ho-so/<str:procedure_code>/", submission.start, name="submit"),
    path("nop-ho-so/nhap/<uuid:draft>/<slug:step>/", submission.step, name="submit_step"),
    path("nop-ho-so/da-nop/<str:code>/", submission.submitted, name="submitted"),
    path("tra-cuu/", lookup.lookup, name="lookup"),
    path("tra-cuu/qr/<str:code>.svg", lookup.qr_svg, name="lookup_qr"),
    path("ho-so-cua-toi/", mydossiers.my_dossiers, name="my_dossiers"),
    path("du-lieu-cua-toi/", privacy_views.my_data, name="my_data"),
    path("ho-so/<str:code>/", mydossiers.my_dossier, name="my_dossier"),
    path("ho-so/<str:code>/bo-sung/", mydossiers.supplement, name="supplement"),
    path("ho-so/<str:code>/thanh-toan/", mydossiers.pay, name="pay"),
    path("ho-so/<str:code>/danh-gia/", mydossiers.rate, name="rate"),
    path("ho-so/<str:code>/rut/", mydossiers.withdraw, name="withdraw"),
]
