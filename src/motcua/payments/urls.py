from django.urls import path

from motcua.payments import views

app_name = "payments"

urlpatterns = [
    path("thanh-toan/sandbox/<str:reference>/", views.sandbox, name="sandbox"),
    path("thanh-toan/callback/<slug:gateway>/", views.callback, name="callback"),
    path("thanh-toan/bien-lai/<str:reference>/", views.receipt, name="receipt"),
]
