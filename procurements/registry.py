"""What the apps above contribute to a procurement, without this app importing them.

``stages`` contributes the phase plan, ``ip_rights`` the IP terms and
``partners`` the selection questionnaire, each as a builder section registered
from its ``AppConfig.ready()``. A section says where it is edited, whether it
has anything in it yet, what the check-your-answers page shows, and the facts
it gives the publication rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from core.page_links import LinkRegistry

if TYPE_CHECKING:
    from procurements.models import Procurement


@dataclass(frozen=True)
class BuilderSection:
    """One row of the procurement builder's task list.

    - ``url_name``: the page that edits it; it takes the procurement's ``pk``.
    - ``has_content(procurement)``: anything entered yet (not started otherwise).
    - ``summary(procurement)``: (label, value) rows for check your answers.
    - ``facts(procurement)``: keyword values for ``procurements.rules.PublicationFacts``.
    - ``prefetch``: related names to prefetch when many sections are shown at once.
    - ``announce(procurement)``: what the section announces in the invitation to tender, as
      plain JSON (text, numbers, lists and dicts: dates and amounts already written out), or
      None for a section that is not announced (the team). Frozen in each publication version.
    - ``itt_template``: the template fragment the ITT renders that content with (as
      ``content``); its headings start at ``<h3>`` (the ITT gives the section its ``<h2>``).
    - ``fact_url_names``: facts edited on a page of their own within the section, as fact
      name -> URL name (taking the procurement's ``pk``); a breach about such a fact links
      there rather than to ``url_name``.
    - ``amended_on_own_pages``: after publication the section is changed on its own pages
      while an amendment is being prepared (``procurements.services.amendments``); the
      sections of ``procurements`` itself are amended on the amendment form instead, and the
      minimum requirements and award criteria never.
    - ``timetable_rows(procurement)``: (label, dates) rows the section adds to the regime and
      timetable section, after the indicative start of the partnership, such as
      ("Phase 1: Research", "1 June 2027 to 30 August 2027"); dates written out in UK style.
      They are shown on check your answers and announced (frozen) with the timetable.
    """

    key: str
    title: str
    order: int
    url_name: str
    has_content: Callable[[Procurement], bool]
    summary: Callable[[Procurement], list[tuple[str, Any]]]
    facts: Callable[[Procurement], dict[str, Any]] = lambda procurement: {}
    group: str = "Describe the procurement"
    prefetch: tuple[str, ...] = field(default_factory=tuple)
    announce: Callable[[Procurement], dict[str, Any]] | None = None
    itt_template: str = ""
    fact_url_names: Mapping[str, str] = field(default_factory=dict, hash=False)
    amended_on_own_pages: bool = False
    timetable_rows: Callable[[Procurement], list[tuple[str, str]]] | None = None

    def url_name_for_fact(self, fact: str) -> str:
        """The page that changes ``fact``: its own page if it has one, else the section's."""
        return self.fact_url_names.get(fact, self.url_name)


_SECTIONS: dict[str, BuilderSection] = {}


def register_builder_section(section: BuilderSection) -> BuilderSection:
    existing = _SECTIONS.get(section.key)
    if existing is not None and existing != section:
        raise ValueError(f"A different builder section is already registered as {section.key!r}")
    _SECTIONS[section.key] = section
    return section


def builder_sections() -> list[BuilderSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.order, section.key))


def builder_section_get(key: str) -> BuilderSection:
    return _SECTIONS[key]


# Pages other apps add to a procurement's task list once it is published (the page itself
# checks who may see it). ``partners`` adds the requests to participate.
PROCUREMENT_PAGES = LinkRegistry()
