from django.urls import path

from motcua.surveys import views

app_name = "surveys"

urlpatterns = [
    path("khao-sat/<str:token>/", views.respond, name="respond"),
    path("backoffice/khao-sat/", views.campaign_list, name="campaigns"),
    path("backoffice/khao-sat/<int:pk>/", views.campaign_detail, name="campaign"),
    path("backoffice/khao-sat/<int:pk>/phieu-giay/", views.paper_entry, name="paper"),
    path("backoffice/khao-sat/<int:pk>/ket-qua/", views.results, name="results"),
    path("backoffice/khao-sat/<int:pk>/ket-qua.xlsx", views.results_xlsx, name="results_xlsx"),
]
