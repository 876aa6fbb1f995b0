from django.urls import path

from motcua.reform import views

app_name = "reform"

urlpatterns = [
    path("", views.index, name="index"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan"),
    path("ke-hoach/<int:pk>/bao-cao.<str:fmt>", views.plan_export, name="plan_export"),
    path("ke-hoach/<int:pk>/them-nhiem-vu/", views.activity_add, name="activity_add"),
    path("nhiem-vu/<int:pk>/trang-thai/", views.activity_status, name="activity_status"),
    path("nhiem-vu/<int:pk>/minh-chung/", views.activity_evidence, name="activity_evidence"),
    path("minh-chung/<int:pk>/", views.evidence_file, name="evidence"),
    path("chi-so/<int:pk>/", views.round_detail, name="round"),
    path("chi-so/<int:pk>/ket-qua.xlsx", views.round_export, name="round_export"),
    path("chi-so/<int:pk>/khoa/<str:phase>/", views.round_close, name="round_close"),
    path("chi-so/<int:pk>/<str:code>/", views.assessment, name="assessment"),
    path("chi-so/<int:pk>/<str:code>/so-lieu/", views.assessment_refresh, name="assessment_refresh"),
    path("chi-so/<int:pk>/<str:code>/minh-chung/", views.assessment_evidence, name="assessment_evidence"),
    path("danh-gia-can-bo/", views.officer_list, name="officers"),
    path("danh-gia-can-bo/<str:username>/", views.officer_sheet, name="officer"),
]
