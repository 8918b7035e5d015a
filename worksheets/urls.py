from django.urls import path

from worksheets import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("hello/", views.hello, name="hello"),
    path("worksheets/new/", views.worksheet_create, name="worksheet_create"),
    path("worksheets/<int:worksheet_id>/", views.worksheet_detail, name="worksheet_detail"),
    path("worksheets/<int:worksheet_id>/members/", views.members, name="members"),
    path(
        "worksheets/<int:worksheet_id>/members/<int:member_id>/role/",
        views.member_role,
        name="member_role",
    ),
    path(
        "worksheets/<int:worksheet_id>/members/<int:member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "worksheets/<int:worksheet_id>/invitations/",
        views.invitation_create,
        name="invitation_create",
    ),
    path(
        "worksheets/<int:worksheet_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
