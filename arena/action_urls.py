from django.urls import path

from . import views

app_name = "arena"

urlpatterns = [
    path("actions/<int:pk>-<str:slug>/", views.action_detail, name="action-detail"),
]
