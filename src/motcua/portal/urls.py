from django.urls import include, path

from motcua.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("thu-tuc/", views.procedure_list, name="procedures"),
    path("thu-tuc/<str:code>/", views.procedure_detail, name="procedure"),
    path("linh-vuc/", views.field_index, name="fields"),
    path("linh-vuc/<str:code>/", views.field_detail, name="field"),
    path("co-quan/", views.agency_index, name="agencies"),
    path("co-quan/<str:code>/", views.agency_detail, name="agency"),
    path("su-kien/", views.life_event_index, name="life_events"),
    path("su-kien/<slug:slug>/", views.life_event_detail, name="life_event"),
    path("", include("motcua.portal.citizen_urls")),  # registration, submission, lookup, my dossiers
]
