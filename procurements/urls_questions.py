"""Clarification questions, as the borough's officers see and answer them."""

from django.urls import path

from .views import questions

urlpatterns: list = [
    path("<int:pk>/questions/", questions.questions, name="questions"),
    path(
        "<int:pk>/questions/<int:question_pk>/answer/",
        questions.question_answer,
        name="question-answer",
    ),
]
