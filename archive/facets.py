"""The `chronological` facet: a column facet (a year, a `YYYY-MM` month) whose values are
listed newest first, not by count. Datasette's column facet counts every value and keeps
the most frequent; this one asks it for all of them, then keeps the newest (SHOWN of them,
or as many as `_facet_size` asks)."""

from __future__ import annotations

from typing import Any

from datasette.facets import ColumnFacet

from archive.metadata import CHRONOLOGICAL

SHOWN = 12  # values shown unless the page asks for more (`_facet_size`): a year of months


class ChronologicalFacet(ColumnFacet):  # type: ignore[misc]  # Datasette is untyped
    type = CHRONOLOGICAL

    def get_facet_size(self) -> int:
        """Every value, to order them by date (at most `max_returned_rows`)."""
        return int(self.ds.setting("max_returned_rows"))

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        size = super().get_facet_size()  # what the page asked for, as for any facet
        if not self.request.args.get("_facet_size"):
            size = min(size, SHOWN)
        results, timed_out = await super().facet_results()
        for facet in results:
            values = sorted(facet["results"], key=lambda item: str(item["value"]), reverse=True)
            facet["truncated"] = facet["truncated"] or len(values) > size
            facet["results"] = values[:size]
        return results, timed_out
