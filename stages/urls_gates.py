"""URLs of the stage gates: the officer's gate page of each phase, naming its assessors,
scoring, moderating and deciding each partner's gate, and the partner's own gate result."""

from django.urls import path

from . import views_gates

GATE = "<int:pk>/stages/gates/<int:phase_pk>/"
PARTNER = f"{GATE}partners/<int:participation_pk>/"

urlpatterns = [
    path(GATE, views_gates.gate, name="gate"),
    path(f"{GATE}assessors/", views_gates.gate_assessors, name="gate-assessors"),
    path(f"{PARTNER}score/", views_gates.gate_score, name="gate-score"),
    path(f"{PARTNER}moderate/", views_gates.gate_moderate, name="gate-moderate"),
    path(f"{PARTNER}decide/", views_gates.gate_decision, name="gate-decide"),
    path("my-phases/<int:pk>/gate/", views_gates.partner_gate, name="partner-gate"),
]
