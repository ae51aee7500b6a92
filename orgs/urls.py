from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation-detail"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation-edit"),
    path("organisations/<slug:slug>/members/", views.organisation_members, name="organisation-members"),
    path("organisations/<slug:slug>/domains/", views.organisation_domains, name="organisation-domains"),
    path("organisations/<slug:slug>/domains/<int:pk>/delete/", views.organisation_domain_delete,
         name="organisation-domain-delete"),
    path("my/organisations/", views.my_organisations, name="my-organisations"),
    path("my/organisations/join/", views.join, name="join"),
    path("memberships/<int:pk>/confirm/", views.membership_confirm, name="membership-confirm"),
    path("memberships/<int:pk>/remove/", views.membership_remove, name="membership-remove"),
    path("memberships/<int:pk>/role/", views.membership_role, name="membership-role"),
]
