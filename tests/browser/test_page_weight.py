"""What a citizen's phone downloads: home and the report form stay light, repeat visits lighter."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

FIRST_VISIT_LIMIT = 150 * 1024
REPEAT_VISIT_LIMIT = 30 * 1024


class Transfers:
    """Bytes that came over the network (compressed body + headers), page and service worker alike.

    Answers from the HTTP cache or from the service worker's cache cost nothing and are not
    counted; the worker's own downloads (the app shell it caches on install) are.
    """

    def __init__(self, context) -> None:
        self.rows: list[tuple[str, int]] = []
        context.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        response = request.response()
        if response is None or response.from_service_worker:
            return
        sizes = request.sizes()
        self.rows.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

    def take(self) -> tuple[int, list[tuple[str, int]]]:
        rows, self.rows = self.rows, []
        return sum(size for _, size in rows), rows


def visit(page, url: str) -> None:
    page.goto(url, wait_until="load")
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_timeout(300)  # let the worker finish caching the shell


@pytest.mark.parametrize("path", ["/", "/lapor/"])
def test_page_weight_on_first_and_repeat_visit(context, page, server, signed_in, path):
    transfers = Transfers(context)
    visit(page, server + path)
    first, first_rows = transfers.take()
    visit(page, server + path)
    repeat, repeat_rows = transfers.take()
    print(f"{path}: first visit {first} B, repeat visit {repeat} B")
    for url, size in first_rows + repeat_rows:
        print(f"  {size:>7} {url}")
    assert first <= FIRST_VISIT_LIMIT, first_rows
    assert repeat <= REPEAT_VISIT_LIMIT, repeat_rows
