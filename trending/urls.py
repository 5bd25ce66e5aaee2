from django.urls import path

from . import views

app_name = "trending"

urlpatterns = [
    path("", views.trending_list, name="list"),
    path("sidebar/", views.sidebar, name="sidebar"),
    path("read/<int:article_id>/", views.read_beacon, name="read"),
]
