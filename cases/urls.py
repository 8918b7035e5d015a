from django.urls import path

from cases import views

urlpatterns = [
    path("", views.guide_home, name="guide_home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<slug:slug>/", views.case_detail, name="case_detail"),
    path("<str:audience>/", views.checkpoint_list, name="checkpoint_list"),
    path("<str:audience>/levels/", views.level_ladder, name="level_ladder"),
    path(
        "<str:audience>/<str:phase>/<int:number>/",
        views.checkpoint_detail,
        name="checkpoint_detail",
    ),
]
