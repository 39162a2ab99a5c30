"""The selection questionnaire: pass/fail and scored questions on R&D capability.

Selection is on capacity in research and development and in developing and
implementing innovative solutions (RULES.md point 3; PCR 2015 reg. 31(6)).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from procurements.models import Procurement


class QuestionKind(models.TextChoices):
    PASS_FAIL = "pass_fail", "Pass or fail"
    SCORED = "scored", "Scored"


class QuestionTopic(models.TextChoices):
    RD_CAPABILITY = "rd_capability", "Capability in research and development"
    INNOVATIVE_SOLUTIONS = (
        "innovative_solutions",
        "Developing and implementing innovative solutions",
    )
    OTHER = "other", "Other, for example financial standing"


class SelectionQuestion(models.Model):
    """One question of the selection questionnaire; scored ones carry a weight."""

    procurement = models.ForeignKey(
        Procurement, on_delete=models.CASCADE, related_name="selection_questions"
    )
    kind = models.CharField(max_length=10, choices=QuestionKind.choices)
    topic = models.CharField(max_length=24, choices=QuestionTopic.choices)
    text = models.TextField()
    guidance = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["procurement", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=QuestionKind.SCORED, weight__isnull=False, weight__lte=100)
                | Q(kind=QuestionKind.PASS_FAIL, weight__isnull=True),
                name="selection_question_weight_only_when_scored",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_scored(self) -> bool:
        return self.kind == QuestionKind.SCORED


QUESTION_FIELDS = ("kind", "topic", "text", "guidance", "weight")

# The topics every questionnaire must score (RULES.md point 3), with the message if not.
REQUIRED_SCORED_TOPICS: dict[str, str] = {
    QuestionTopic.RD_CAPABILITY: "Add a scored question on capability in research and development",
    QuestionTopic.INNOVATIVE_SOLUTIONS: (
        "Add a scored question on developing and implementing innovative solutions"
    ),
}


def selection_topics_unscored(questions: Iterable[SelectionQuestion]) -> list[str]:
    """The topics of ``REQUIRED_SCORED_TOPICS`` that no scored question covers, in order.

    Completing the section and the publication rules (through the section's facts) both
    read this, so the two never disagree.
    """
    scored_topics = {question.topic for question in questions if question.is_scored}
    return [topic for topic in REQUIRED_SCORED_TOPICS if topic not in scored_topics]


def selection_questionnaire_problems(questions: Iterable[SelectionQuestion]) -> list[str]:
    """What stops a questionnaire from being complete, one message per problem."""
    questions = list(questions)
    scored = [question for question in questions if question.is_scored]
    problems = [REQUIRED_SCORED_TOPICS[topic] for topic in selection_topics_unscored(questions)]
    total = sum(question.weight or 0 for question in scored)
    if scored and total != 100:
        problems.append(
            f"The scored questions' weights add up to {total}%: change them so they add up to 100%"
        )
    return problems
