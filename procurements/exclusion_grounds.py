"""The grounds on which a supplier is or may be excluded, per regime (RULES.md "Other duties").

Each regime in ``procurements.rules.REGIMES`` names its tuple of grounds; every supplier of
a request to participate, every consortium member included, declares for each ground whether
it applies. A mandatory ground that applies excludes the supplier unless the regime allows
self-cleaning and the borough records the evidence of it; a discretionary ground lets the
borough decide, with its reasons.

- Procurement Act 2023: Schedule 6 (mandatory exclusion grounds) and Schedule 7
  (discretionary exclusion grounds), s.57 (excluded and excludable suppliers), s.58
  (considering whether the circumstances are likely to occur again: self-cleaning), with a
  five-year lookback for events (Sch. 6 para. 44(2), Sch. 7 para. 15(2)).
- Public Contracts Regulations 2015: reg. 57(1)-(3) (mandatory: convictions, and
  non-payment of taxes or social security established by a binding decision), reg. 57(8)
  (discretionary), reg. 57(13)-(17) (self-cleaning), with a five-year lookback for
  convictions (reg. 57(11)) and three years for discretionary grounds (reg. 57(11)(b)).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExclusionGround:
    key: str
    label: str
    mandatory: bool
    source: str


PA2023_GROUNDS: tuple[ExclusionGround, ...] = (
    ExclusionGround(
        "corruption_bribery",
        "Corruption or bribery offences",
        True,
        "PA 2023 Sch. 6 paras. 1-3",
    ),
    ExclusionGround(
        "fraud_theft",
        "Fraud, theft or cheating the public revenue",
        True,
        "PA 2023 Sch. 6 paras. 8-10",
    ),
    ExclusionGround(
        "organised_crime_terrorism",
        "Organised crime, terrorism or a threat to national security",
        True,
        "PA 2023 Sch. 6 paras. 11-15, 34",
    ),
    ExclusionGround(
        "money_laundering",
        "Money laundering",
        True,
        "PA 2023 Sch. 6 para. 16",
    ),
    ExclusionGround(
        "modern_slavery",
        "Modern slavery, human trafficking or labour market offences",
        True,
        "PA 2023 Sch. 6 paras. 17-20, 37",
    ),
    ExclusionGround(
        "tax_evasion",
        "Tax evasion, or not paying tax that is due",
        True,
        "PA 2023 Sch. 6 paras. 21-23, 35",
    ),
    ExclusionGround(
        "competition_cartel",
        "Cartel offences or competition law infringements",
        True,
        "PA 2023 Sch. 6 paras. 24-27",
    ),
    ExclusionGround(
        "other_serious_offences",
        "Other serious offences (such as those against the person or of a sexual nature)",
        True,
        "PA 2023 Sch. 6 paras. 28-33",
    ),
    ExclusionGround(
        "labour_environmental_misconduct",
        "Breaches of labour market, environmental or other legal duties",
        False,
        "PA 2023 Sch. 7 paras. 1-3",
    ),
    ExclusionGround(
        "insolvency",
        "Insolvency, bankruptcy, administration or similar",
        False,
        "PA 2023 Sch. 7 para. 5",
    ),
    ExclusionGround(
        "professional_misconduct",
        "Professional misconduct",
        False,
        "PA 2023 Sch. 7 para. 6",
    ),
    ExclusionGround(
        "poor_performance",
        "Breach of contract or poor performance of a public contract",
        False,
        "PA 2023 Sch. 7 paras. 7-8, s.71",
    ),
    ExclusionGround(
        "competition_infringement",
        "Other competition law infringements",
        False,
        "PA 2023 Sch. 7 para. 4",
    ),
    ExclusionGround(
        "improper_behaviour",
        "Acting improperly in a procurement (such as an unfair advantage or misleading "
        "information)",
        False,
        "PA 2023 Sch. 7 paras. 9-10, s.59",
    ),
)

PCR2015_GROUNDS: tuple[ExclusionGround, ...] = (
    ExclusionGround(
        "conspiracy_corruption_bribery",
        "Conspiracy, corruption or bribery",
        True,
        "PCR 2015 reg. 57(1)(a)-(e)",
    ),
    ExclusionGround(
        "fraud",
        "Fraud affecting the financial interests of the European Communities or the UK",
        True,
        "PCR 2015 reg. 57(1)(f)-(i)",
    ),
    ExclusionGround(
        "terrorism",
        "Terrorist offences or offences linked to terrorist activities",
        True,
        "PCR 2015 reg. 57(1)(j)-(k)",
    ),
    ExclusionGround(
        "money_laundering",
        "Money laundering or terrorist financing",
        True,
        "PCR 2015 reg. 57(1)(l)-(m)",
    ),
    ExclusionGround(
        "child_labour_trafficking",
        "Child labour, human trafficking or modern slavery",
        True,
        "PCR 2015 reg. 57(1)(n)-(o)",
    ),
    ExclusionGround(
        "tax_social_security",
        "Not paying taxes or social security contributions, established by a binding decision",
        True,
        "PCR 2015 reg. 57(3)",
    ),
    ExclusionGround(
        "environmental_social_labour",
        "Breaches of environmental, social or labour law",
        False,
        "PCR 2015 reg. 57(8)(a)",
    ),
    ExclusionGround(
        "insolvency",
        "Bankruptcy, insolvency or winding-up",
        False,
        "PCR 2015 reg. 57(8)(b)",
    ),
    ExclusionGround(
        "professional_misconduct",
        "Grave professional misconduct",
        False,
        "PCR 2015 reg. 57(8)(c)",
    ),
    ExclusionGround(
        "distortion_of_competition",
        "Agreements with other suppliers aimed at distorting competition",
        False,
        "PCR 2015 reg. 57(8)(d)",
    ),
    ExclusionGround(
        "conflict_prior_involvement",
        "A conflict of interest or prior involvement that cannot be remedied",
        False,
        "PCR 2015 reg. 57(8)(e)-(f)",
    ),
    ExclusionGround(
        "poor_performance",
        "Significant or persistent deficiencies in a prior public contract",
        False,
        "PCR 2015 reg. 57(8)(g)",
    ),
    ExclusionGround(
        "misrepresentation_undue_influence",
        "Serious misrepresentation, or undue influence on the borough's decisions",
        False,
        "PCR 2015 reg. 57(8)(h)-(i)",
    ),
)
