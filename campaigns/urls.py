from django.urls import include, path

from . import views

app_name = "campaigns"

# Everything below "campaigns/" is one branch of the URL tree: the resolver tries its patterns only
# for such paths, and other paths skip them with one prefix test.
campaign_patterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("<slug:slug>/", views.campaign_detail, name="campaign-detail"),
    path("<slug:slug>/results/", views.campaign_results, name="campaign-results"),
    path("<slug:slug>/results.csv", views.campaign_results_csv, name="campaign-results-csv"),
    path("<slug:slug>/results.json", views.campaign_results_json, name="campaign-results-json"),
    path("<slug:slug>/results/freeze/", views.campaign_results_freeze, name="campaign-results-freeze"),
    path("<slug:slug>/results/publish/", views.campaign_results_publish, name="campaign-results-publish"),
    path("<slug:slug>/gala/", views.campaign_gala, name="campaign-gala"),
]

# The jury's pages (campaigns/views_jury.py).
from . import views_jury  # noqa: E402

campaign_patterns += [
    path("<slug:slug>/jury/", views_jury.jury_list, name="jury-list"),
    path("<slug:slug>/jury/next/", views_jury.jury_next, name="jury-next"),
    path("<slug:slug>/jury/chair/", views_jury.jury_chair, name="jury-chair"),
    path("<slug:slug>/jury/chair.csv", views_jury.jury_chair_csv, name="jury-chair-csv"),
    path("<slug:slug>/jury/<int:action_id>/", views_jury.jury_review, name="jury-review"),
]

# Heroes of work and wonder-workers (campaigns/views_nominations.py).
from . import views_nominations  # noqa: E402

campaign_patterns += [
    path("<slug:slug>/nominate/", views_nominations.nomination_create, name="nomination-create"),
    path("<slug:slug>/jury/<str:subjects>/<int:pk>/", views_nominations.jury_subject_review,
         name="jury-subject-review"),
]

urlpatterns = [
    path("campaigns/", include(campaign_patterns)),
    path("nominations/consent/<str:token>/", views_nominations.nomination_consent, name="nomination-consent"),
]
