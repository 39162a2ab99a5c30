from django.urls import path

from . import urls_amendments, urls_engagement, urls_publication, urls_questions
from .views import approval, builder, criteria, requirements

app_name = "procurements"

urlpatterns: list = [
    # The builder: list, create, task list, this app's sections, check your answers.
    path("", builder.list_page, name="list"),
    path("new/", builder.create_page, name="create"),
    path("<int:pk>/", builder.task_list, name="task-list"),
    path("<int:pk>/challenge/", builder.challenge, name="challenge"),
    path("<int:pk>/market-gap/", builder.market_gap, name="market-gap"),
    path("<int:pk>/timetable/", builder.timetable, name="timetable"),
    path("<int:pk>/team/", builder.team, name="team"),
    path("<int:pk>/check-answers/", builder.check_answers, name="check-answers"),
]

# The minimum requirements and award criteria sections.
urlpatterns += [
    path(
        "<int:pk>/minimum-requirements/",
        requirements.minimum_requirements,
        name="minimum-requirements",
    ),
    path(
        "<int:pk>/minimum-requirements/add/",
        requirements.minimum_requirement_add,
        name="minimum-requirement-add",
    ),
    path(
        "<int:pk>/minimum-requirements/<int:requirement_pk>/change/",
        requirements.minimum_requirement_change,
        name="minimum-requirement-change",
    ),
    path(
        "<int:pk>/minimum-requirements/<int:requirement_pk>/remove/",
        requirements.minimum_requirement_remove,
        name="minimum-requirement-remove",
    ),
    path("<int:pk>/award-criteria/", criteria.award_criteria, name="award-criteria"),
    path(
        "<int:pk>/award-criteria/add/",
        criteria.award_criterion_add,
        name="award-criterion-add",
    ),
    path(
        "<int:pk>/award-criteria/<int:criterion_pk>/change/",
        criteria.award_criterion_change,
        name="award-criterion-change",
    ),
    path(
        "<int:pk>/award-criteria/<int:criterion_pk>/remove/",
        criteria.award_criterion_remove,
        name="award-criterion-remove",
    ),
    path(
        "<int:pk>/award-criteria/<int:criterion_pk>/sub-criteria/add/",
        criteria.award_subcriterion_add,
        name="award-subcriterion-add",
    ),
    path(
        "<int:pk>/award-criteria/<int:criterion_pk>/sub-criteria/<int:subcriterion_pk>/remove/",
        criteria.award_subcriterion_remove,
        name="award-subcriterion-remove",
    ),
]

# Four eyes: submit, review (approve or return), publish, reopen an approved one.
urlpatterns += [
    path("awaiting-approval/", approval.awaiting_approval, name="awaiting-approval"),
    path("<int:pk>/submit/", approval.submit, name="submit"),
    path("<int:pk>/review/", approval.review, name="review"),
    path("<int:pk>/publish/", approval.publish, name="publish"),
    path("<int:pk>/reopen/", approval.reopen, name="reopen"),
]

# Publication (versions, notices, the ITT), clarification questions, amendments and
# cancellation, and market engagement: each in its own module.
urlpatterns += [
    *urls_publication.urlpatterns,
    *urls_questions.urlpatterns,
    *urls_amendments.urlpatterns,
    *urls_engagement.urlpatterns,
]
