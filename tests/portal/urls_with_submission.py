"""The project's URLs plus a stand-in online submission route, to test that the portal links to it once it exists."""

from django.http import HttpResponse
from django.urls import path

from motcua.urls import urlpatterns as project_urlpatterns

urlpatterns = [path("nop-ho-so/<str:code>/", lambda request, code: HttpResponse(code)), *project_urlpatterns]
