from django.urls import path

from motcua.backoffice import desk, views

app_name = "backoffice"

urlpatterns = [
    path("", views.home, name="home"),
    path("tiep-nhan/", desk.desk, name="desk"),
    path("ho-so/", views.inbox, name="inbox"),
    path("ho-so/<str:code>/", views.dossier_detail, name="dossier"),
    path("ho-so/<str:code>/thao-tac/<slug:action>/", views.dossier_action, name="action"),
    path("ho-so/<str:code>/giay-to/<int:pk>/", views.document_file, name="document"),
    path("phe-duyet/", views.approvals, name="approvals"),
    path("dieu-phoi/", views.coordination, name="coordination"),
]
