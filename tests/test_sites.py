"""crawler.sites: what a site definition must give, and when its sections are found."""

from __future__ import annotations

import pytest

from crawler.sites import Listing, Site, register

HOST = "www.orchard.example.cn"
HOME = f"http://{HOST}/"
NEWS = (Listing(f"http://{HOST}/news/"),)


def site(**fields: object) -> Site:
    return Site(name="orchard", title="Orchard", hosts=(HOST,), **fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "discovers"),
    [
        ({"homepage": HOME}, True),  # hosts and a homepage: the sections are found
        ({"homepage": HOME, "listings": NEWS}, False),  # the named sections only
        ({"homepage": HOME, "listings": NEWS, "discover": True}, True),
        ({"listings": NEWS, "discover": True}, False),  # no homepage to start from
        ({"homepage": HOME, "discover": False, "listings": NEWS}, False),
    ],
)
def test_when_a_site_has_its_sections_found(fields: dict, discovers: bool) -> None:
    assert site(**fields).discovers is discovers


def test_a_site_without_listings_or_homepage_is_refused() -> None:
    with pytest.raises(ValueError, match="names no listing and no homepage"):
        register(site())
