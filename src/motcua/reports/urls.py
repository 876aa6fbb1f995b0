from django.urls import path

from motcua.reports import views

app_name = "reports"

urlpatterns = [
    path("thong-ke/", views.public_index, name="public_index"),
    path("thong-ke/<str:unit_code>/", views.public_statistics, name="public"),
    path("backoffice/thong-ke/", views.dashboard, name="dashboard"),
    path("backoffice/thong-ke/ho-so/", views.dossiers, name="dossiers"),
    path("backoffice/thong-ke/ho-so/tai-ve/", views.dossiers_export, name="dossiers_export"),
]
