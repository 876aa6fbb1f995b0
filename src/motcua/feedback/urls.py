from django.urls import path

from motcua.feedback import views

app_name = "feedback"

urlpatterns = [
    path("phan-anh-kien-nghi/", views.published_list, name="list"),
    path("phan-anh-kien-nghi/gui/", views.submit_public, name="submit"),
    path("phan-anh-kien-nghi/tra-cuu/", views.lookup, name="lookup"),
    path("phan-anh-kien-nghi/<str:code>/", views.published_detail, name="detail"),
    path("phan-anh-kien-nghi/<str:code>/danh-gia/", views.vote, name="vote"),
    path("backoffice/pakn/", views.inbox, name="inbox"),
    path("backoffice/pakn/tiep-nhan/", views.staff_intake, name="staff_intake"),
    path("backoffice/pakn/<str:code>/", views.staff_detail, name="staff_detail"),
    path("backoffice/pakn/<str:code>/<str:action>/", views.staff_action, name="staff_action"),
]
