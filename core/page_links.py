"""Links the apps above ``core`` add to pages of lower apps, without those apps importing
them: an app registers its links from its ``AppConfig.ready()``.

``SUPPLIER_HOME`` holds the links of a supplier's home page ("Your work");
``procurements.registry.PROCUREMENT_PAGES`` those of a procurement's task list.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageLink:
    """A link: its text, its URL name, a one-line description, and its place in the list."""

    title: str
    url_name: str
    description: str
    order: int = 0


class LinkRegistry:
    """Links by URL name (registering one again replaces it), listed in ``order``."""

    def __init__(self) -> None:
        self._links: dict[str, PageLink] = {}

    def register(self, link: PageLink) -> PageLink:
        self._links[link.url_name] = link
        return link

    def links(self) -> list[PageLink]:
        return sorted(self._links.values(), key=lambda link: (link.order, link.title))


SUPPLIER_HOME = LinkRegistry()
