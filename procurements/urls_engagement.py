"""Market engagement before the call: the notice, its events, publishing it (UK2)."""

from django.urls import path

from .views import engagement

urlpatterns: list = [
    path("<int:pk>/engagement/", engagement.engagement, name="engagement"),
    path(
        "<int:pk>/engagement/events/add/",
        engagement.engagement_event_add_page,
        name="engagement-event-add",
    ),
    path(
        "<int:pk>/engagement/events/<int:event_pk>/remove/",
        engagement.engagement_event_remove_action,
        name="engagement-event-remove",
    ),
    path("<int:pk>/engagement/publish/", engagement.engagement_publish, name="engagement-publish"),
]
