"""The search page's form, read and checked: what the reader asked, and what in it cannot be
read (a date, a site the archive does not have), each with the message to show.

The page shows the messages beside the form (and finds nothing: the SQL reads an unreadable
date as matching no article); the JSON and CSV of the search are refused with them (400, by
`archive.guard`). Neither ever answers a silent empty result for a value it could not read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from archive.search import LAST_PAGE, PAGE_SIZE, RANK_WINDOW
from archive.searchquery import SearchDateError, SearchQueryError, check_query, date_prefix

if TYPE_CHECKING:
    from datasette.database import Database

FIELDS = ("q", "site", "date_from", "date_to")
DATE_LABELS = {"date_from": "From", "date_to": "To"}
# The sites an archive holds, read through the index on `site` one value at a time.
SITES_SQL = """with recursive sites(site) as (
  select min(site) from articles
  union all
  select (select min(site) from articles where site > sites.site) from sites
  where sites.site is not null
) select site from sites where site is not null"""


@dataclass
class SearchForm:
    """The search form as asked (`values`), the page number, and the problems found."""

    values: dict[str, str]
    page: int = 1
    problems: list[str] = field(default_factory=list)

    @property
    def asked(self) -> bool:
        return bool(self.values["q"].strip())

    def url(self, path: str, **changes: Any) -> str:
        """`path` with this form's values (and `changes`) as its query string."""
        params = {**self.values, "page": str(self.page), **changes}
        if params["page"] == "1":
            del params["page"]
        return path + "?" + urlencode({name: value for name, value in params.items() if value})

    def pages(self, matches: int) -> int:
        """How many pages `matches` results fill (the ranked window at most)."""
        return max(1, min(-(-min(matches, RANK_WINDOW) // PAGE_SIZE), LAST_PAGE))


def read_page(value: str | None) -> int:
    """The page number asked (1 for anything else), at most LAST_PAGE."""
    text = (value or "").strip()
    number = int(text) if text.isascii() and text.isdecimal() else 1
    return min(max(number, 1), LAST_PAGE)


def read_form(args: Mapping[str, Any], sites: Sequence[str]) -> SearchForm:
    """The form in a request's `args`, checked against the archive's `sites`: the search text
    against the caps, each date, the site (any case: `Hengyang` is `hengyang`)."""
    values = {name: str(args.get(name) or "") for name in FIELDS}
    form = SearchForm(values, read_page(args.get("page")))
    try:
        check_query(values["q"])
    except SearchQueryError as exc:
        form.problems.append(str(exc))
    prefixes = {}
    for name, label in DATE_LABELS.items():
        try:
            prefixes[name] = date_prefix(values[name])
        except SearchDateError as exc:
            form.problems.append(f"{label}: {exc}")
    start, end = prefixes.get("date_from"), prefixes.get("date_to")
    if start and end and start > end + "~":
        form.problems.append(
            f"From ({values['date_from']}) is after To ({values['date_to']}): "
            "no article can be both."
        )
    site = values["site"].strip().lower()
    if site and site not in sites:
        form.problems.append(
            f"The archive has no site {values['site']!r}: choose one of {', '.join(sites)}."
        )
    values["site"] = site
    return form


async def archive_sites(database: Database) -> list[str]:
    """The site keys the archive's articles have, in order."""
    return [row[0] for row in (await database.execute(SITES_SQL)).rows]
