from django.urls import path
from django.views.generic import TemplateView

app_name = "trending"

urlpatterns = [
    path("", TemplateView.as_view(template_name="trending/list.html"), name="list"),
]
