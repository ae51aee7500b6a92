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

# The jury's pages (campaigns/views_jury.py).
from . import views_jury  # noqa: E402

urlpatterns += [
    path("campaigns/<slug:slug>/jury/", views_jury.jury_list, name="jury-list"),
    path("campaigns/<slug:slug>/jury/next/", views_jury.jury_next, name="jury-next"),
    path("campaigns/<slug:slug>/jury/chair/", views_jury.jury_chair, name="jury-chair"),
    path("campaigns/<slug:slug>/jury/chair.csv", views_jury.jury_chair_csv, name="jury-chair-csv"),
    path("campaigns/<slug:slug>/jury/<int:action_id>/", views_jury.jury_review, name="jury-review"),
]

# Heroes of work and wonder-workers (campaigns/views_nominations.py).
from . import views_nominations  # noqa: E402

urlpatterns += [
    path("campaigns/<slug:slug>/nominate/", views_nominations.nomination_create, name="nomination-create"),
    path("nominations/consent/<str:token>/", views_nominations.nomination_consent, name="nomination-consent"),
    path("campaigns/<slug:slug>/jury/<str:subjects>/<int:pk>/", views_nominations.jury_subject_review,
         name="jury-subject-review"),
]
