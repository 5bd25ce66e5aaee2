from django.urls import path

from . import views

app_name = "takedown"

urlpatterns = [
    path("", views.notice, name="request"),
    path("received/", views.received, name="received"),
    path("status/", views.status, name="status"),
    path("status/supplement/", views.supplement, name="supplement"),
    path("counter/", views.counter_notice, name="counter"),
    path("policy/", views.policy, name="policy"),
    path("report/", views.report, name="report"),
]
