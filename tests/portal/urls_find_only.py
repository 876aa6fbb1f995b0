"""Only the portal's "Find" pages: the state before the online submission flow was routed."""

from django.urls import path

from motcua.portal import views

urlpatterns = [path("thu-tuc/<str:code>/", views.procedure_detail)]
