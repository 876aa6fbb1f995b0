from django.urls import path

from motcua.reports import views

app_name = "reports"

urlpatterns = [
    path("thong-ke/<str:unit_code>/", views.public_statistics, name="public"),
]
