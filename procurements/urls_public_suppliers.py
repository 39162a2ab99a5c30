"""What a signed-in supplier does from an opportunity: follow it, ask a question, read the
answers given to their organisation."""

from django.urls import path

from .views import engagement, questions

urlpatterns: list = [
    path("<int:pk>/follow/", engagement.follow, name="follow"),
    path("<int:pk>/unfollow/", engagement.unfollow, name="unfollow"),
    path("<int:pk>/questions/ask/", questions.ask, name="ask"),
    path("<int:pk>/questions/mine/", questions.my_questions, name="my-questions"),
    path(
        "<int:pk>/questions/<int:question_pk>/received/",
        questions.question_receipt,
        name="question-receipt",
    ),
]
