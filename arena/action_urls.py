from django.urls import path

from . import views, views_account

app_name = "arena"

urlpatterns = [
    path("actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/preview/", views.action_preview, name="action-preview"),
    path("actions/<int:pk>-<str:slug>/", views.action_detail, name="action-detail"),
    path("my/data/", views_account.my_data, name="my-data"),
    path("my/data/download/", views_account.my_data_download, name="my-data-download"),
    path("my/data/delete/", views_account.my_account_delete, name="my-account-delete"),
    path("my/actions/", views.my_actions, name="my-actions"),
]
