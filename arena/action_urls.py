from django.urls import path

from . import views, views_account, views_browse, views_makers
from .feeds import LatestActionsFeed

app_name = "arena"

urlpatterns = [
    path("actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/preview/", views.action_preview, name="action-preview"),
    path("actions/<int:pk>-<str:slug>/", views.action_detail, name="action-detail"),
    path("makers/consent/<str:token>/", views_makers.maker_consent, name="maker-consent"),
    path("my/data/", views_account.my_data, name="my-data"),
    path("my/data/download/", views_account.my_data_download, name="my-data-download"),
    path("my/data/delete/", views_account.my_account_delete, name="my-account-delete"),
    path("my/actions/", views.my_actions, name="my-actions"),
    path("actions/", views_browse.action_list, name="action-list"),
    path("actions/feed/", LatestActionsFeed(), name="action-feed"),
    path("actions/<int:pk>/like/", views_browse.action_like_view, name="action-like"),
    path("actions/<int:pk>/unlike/", views_browse.action_unlike_view, name="action-unlike"),
    path("actions/<int:pk>/adopt/", views_browse.action_adopt_view, name="action-adopt"),
    path("actions/<int:pk>/unadopt/", views_browse.action_unadopt_view, name="action-unadopt"),
    path("actions/<int:pk>/report/", views_browse.action_report_view, name="action-report"),
    path("statistics/", views_browse.statistics, name="statistics"),
    path("open-data/", views_browse.open_data, name="open-data"),
]
