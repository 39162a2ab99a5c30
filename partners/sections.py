"""The selection questionnaire as a section of the procurement builder (registered from apps.py)."""

from __future__ import annotations

from typing import Any

from procurements.models import Procurement
from procurements.registry import BuilderSection, register_builder_section

from .models import QuestionTopic, SelectionQuestion, selection_topics_unscored

KEY = "selection-questionnaire"


def selection_questions(procurement: Procurement) -> list[SelectionQuestion]:
    """The questions in order (from a prefetch when one was made)."""
    return list(procurement.selection_questions.all())


def _has_content(procurement: Procurement) -> bool:
    return bool(selection_questions(procurement))


def selection_questionnaire_summary(procurement: Procurement) -> list[tuple[str, Any]]:
    rows = []
    for number, question in enumerate(selection_questions(procurement), start=1):
        how = f"Scored, {question.weight}%" if question.is_scored else "Pass or fail"
        rows.append(
            (f"Question {number}", f"{question.text} ({question.get_topic_display()}; {how})")
        )
    return rows


def selection_questionnaire_facts(procurement: Procurement) -> dict[str, Any]:
    questions = selection_questions(procurement)
    return {
        "selection_question_count": len(questions),
        "selection_weights": [question.weight for question in questions if question.is_scored],
        "selection_unscored_topics": [
            str(QuestionTopic(topic).label) for topic in selection_topics_unscored(questions)
        ],
    }


def selection_questionnaire_announce(procurement: Procurement) -> dict[str, Any]:
    """The questions as the ITT announces them: selection is on capacity in research and
    development and in developing and implementing innovative solutions (PCR 2015
    reg. 31(6))."""
    questions = selection_questions(procurement)
    scored = [question for question in questions if question.is_scored]
    return {
        "questions": [
            {
                "id": question.pk,
                "number": number,
                "kind": question.get_kind_display(),
                "scored": question.is_scored,
                "topic": question.get_topic_display(),
                "text": question.text,
                "guidance": question.guidance,
                "weight": f"{question.weight}%" if question.is_scored else "",
            }
            for number, question in enumerate(questions, start=1)
        ],
        "pass_fail_count": len(questions) - len(scored),
        "scored_count": len(scored),
        "scored_total": f"{sum(question.weight or 0 for question in scored)}%",
    }


SECTION = register_builder_section(
    BuilderSection(
        key=KEY,
        title="Selection questionnaire",
        order=40,
        url_name="partners:selection-questionnaire",
        has_content=_has_content,
        summary=selection_questionnaire_summary,
        facts=selection_questionnaire_facts,
        group="Set the requirements and how tenders are judged",
        prefetch=("selection_questions",),
        announce=selection_questionnaire_announce,
        itt_template="partners/itt/selection_questionnaire.html",
        amended_on_own_pages=True,
    )
)
