from django.urls import path
from django.views.generic import TemplateView

app_name = "takedown"

urlpatterns = [
    path("", TemplateView.as_view(template_name="takedown/request.html"), name="request"),
]
