from django.urls import path

from . import views

app_name = "arena"

urlpatterns = [
    path("actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/preview/", views.action_preview, name="action-preview"),
    path("actions/<int:pk>-<str:slug>/", views.action_detail, name="action-detail"),
    path("my/actions/", views.my_actions, name="my-actions"),
]
