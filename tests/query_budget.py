"""Query budgets for list pages: the number of queries must not grow with the data.

    assert_query_budget(client, url, add_rows=make_people, most=20)

renders `url` once to warm up, then with `sizes[0]` rows and again with `sizes[1]` rows
(`add_rows(n)` adds n more each time), and fails unless both renders succeed, the
larger one makes at most `slack` more queries than the smaller (0 by default: a page
whose queries grow with its rows has an N+1), and neither exceeds `most`. On failure it
prints both counts and the queries of the larger render.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass(frozen=True)
class QueryCounts:
    small: int
    large: int
    sizes: tuple[int, int]


def _count(client, url: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, f"GET {url} returned {response.status_code}, not 200"
    return len(captured), [query["sql"] for query in captured.captured_queries]


def assert_query_budget(
    client,
    url: str,
    *,
    add_rows: Callable[[int], object],
    most: int,
    sizes: tuple[int, int] = (3, 30),
    slack: int = 0,
) -> QueryCounts:
    small_size, large_size = sizes
    assert 0 < small_size < large_size, "sizes must be two growing row counts"
    _count(client, url)  # warm-up: sessions, content types and other one-off lookups

    add_rows(small_size)
    small, _ = _count(client, url)
    add_rows(large_size - small_size)
    large, large_queries = _count(client, url)

    counts = QueryCounts(small=small, large=large, sizes=sizes)
    problems = []
    if large - small > slack:
        problems.append(
            f"queries grow with the data: {small} with {small_size} rows, "
            f"{large} with {large_size} rows (allowed growth: {slack})"
        )
    if max(small, large) > most:
        problems.append(
            f"over budget: {small} with {small_size} rows, {large} with {large_size} rows "
            f"(most allowed: {most})"
        )
    if problems:
        listing = "\n".join(f"  {n:>3}. {sql}" for n, sql in enumerate(large_queries, 1))
        raise AssertionError(
            f"GET {url}: " + "; ".join(problems) + f"\nQueries with {large_size} rows:\n{listing}"
        )
    print(f"GET {url}: {small} queries with {small_size} rows, {large} with {large_size}")
    return counts
