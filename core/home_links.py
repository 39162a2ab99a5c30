"""Links the apps above ``core`` add to a supplier's home page, without core importing them.

An app registers its links from its ``AppConfig.ready()``; the supplier's home lists them
under "Your work", in ``order``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class HomeLink:
    title: str
    url_name: str
    description: str
    order: int = 0


_SUPPLIER_LINKS: dict[str, HomeLink] = {}


def register_supplier_home_link(link: HomeLink) -> HomeLink:
    _SUPPLIER_LINKS[link.url_name] = link
    return link


def supplier_home_links() -> list[HomeLink]:
    return sorted(_SUPPLIER_LINKS.values(), key=lambda link: (link.order, link.title))
