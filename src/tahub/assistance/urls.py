from django.urls import path, re_path

from tahub.assistance import views

app_name = "assistance"

urlpatterns = [
    path("", views.request_list, name="request_list"),
    path("new/", views.request_create, name="request_create"),
    path("my-work/", views.my_work, name="my_work"),
    path("dashboard/", views.dashboard_page, name="dashboard"),
    re_path(r"^dashboard/requests\.(?P<fmt>csv|xlsx)$", views.dashboard_download, name="dashboard_download"),
    path("published/", views.published_list, name="published_list"),
    path("published/<int:pk>/", views.published_detail, name="published_detail"),
    path("<int:pk>/", views.request_detail, name="request_detail"),
    path("<int:pk>/move/", views.request_move, name="request_move"),
    path("<int:pk>/messages/", views.request_message, name="request_message"),
    path("<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("<int:pk>/feedback/", views.request_feedback, name="request_feedback"),
    path("<int:pk>/owner/", views.request_assign, name="request_assign"),
    path("<int:pk>/centres/", views.request_propose_centre, name="request_propose_centre"),
    path("<int:pk>/need/", views.request_link_need, name="request_link_need"),
    path("<int:pk>/routings/<int:routing_pk>/take/", views.routing_take, name="routing_take"),
    path("<int:pk>/routings/<int:routing_pk>/decline/", views.routing_decline, name="routing_decline"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
]
