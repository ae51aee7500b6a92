from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/<slug:slug>/", views.campaign_detail, name="campaign-detail"),
    path("campaigns/<slug:slug>/results/", views.campaign_results, name="campaign-results"),
    path("campaigns/<slug:slug>/results.csv", views.campaign_results_csv, name="campaign-results-csv"),
    path("campaigns/<slug:slug>/results.json", views.campaign_results_json, name="campaign-results-json"),
    path("campaigns/<slug:slug>/results/freeze/", views.campaign_results_freeze, name="campaign-results-freeze"),
    path("campaigns/<slug:slug>/results/publish/", views.campaign_results_publish, name="campaign-results-publish"),
    path("campaigns/<slug:slug>/gala/", views.campaign_gala, name="campaign-gala"),
]
