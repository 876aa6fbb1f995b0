from django.urls import path

from motcua.indices import views

app_name = "indices"

urlpatterns = [
    path("", views.dashboard, name="index766"),
    path("chi-so/<str:code>/", views.detail, name="index766_detail"),
    path("phan/<slug:name>/", views.part, name="index766_part"),
    path("nhap-so-lieu/", views.manual_values, name="index766_manual"),
]
