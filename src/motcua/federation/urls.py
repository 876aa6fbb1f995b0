from django.urls import path

from motcua.federation import views

app_name = "federation"

urlpatterns = [
    path("", views.national_page, name="national"),
]
