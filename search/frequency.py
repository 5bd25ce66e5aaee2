"""How many documents a word is in, roughly: read from PostgreSQL's own statistics.

ANALYZE (autovacuum runs it) keeps, for a tsvector column, its most common lexemes and the
share of rows each is in (`pg_stats.most_common_elems`); with the largest statistics target,
10,000, set on `vector` (migration 0003) that is up to 100,000 lexemes: at a million
articles every one in more than about 0.1 % of them. A lexeme not listed is rarer than the
least common one listed. Nothing to maintain on every save, and the figures are the
database's own.

Why we need them: the best plan for a search depends on how common its words are (see
search/querying.py), and PostgreSQL's planner does not cost the reading of toasted vectors,
so it picks the wrong one both ways. Read at most every ten minutes per process.
"""

import math
import time

from django.db import connections, router

from .models import SearchDocument

REFRESH_SECONDS = 600
PHRASE_ADJACENCY = 0.2  # of the documents holding a phrase's words, the share holding them in a row
_memo: dict[str, tuple[float, "Frequencies"]] = {}


class Frequencies:
    def __init__(self, shares: dict[str, float], documents: int):
        self.shares = shares
        self.documents = max(documents, 1)
        # What an unlisted lexeme is at most: below the least common one listed.
        self.floor = min(shares.values()) if shares else 1.0 / self.documents

    def share(self, lexeme: str) -> float:
        return self.shares.get(lexeme, self.floor)

    def unlisted(self, term) -> bool:
        """Whether none of a term's lexemes is common enough to be listed: its share is
        somewhere below the floor, how far below nobody knows."""
        return not any(lexeme in self.shares for lexeme in term.lexemes)

    def matches(self, terms, *, adjacency: bool = True) -> float:
        """How many documents a query of these terms (`search.text.Term`, all of which
        must match) is in, as if words occurred independently: a word's share; words
        typed together (a word cut into characters) as common as the rarest of them; a
        quoted phrase's words' shares multiplied, and a fifth of that for their being in
        a row (`adjacency`); a prefix as common as can be."""
        share = 1.0
        for term in terms:
            shares = [self.share(lexeme) for lexeme in term.lexemes]
            if term.kind == "word":
                share *= min(1.0, sum(shares))
            elif term.kind == "joined":
                share *= min(shares)
            elif term.kind == "phrase":
                share *= math.prod(shares) * (PHRASE_ADJACENCY if adjacency else 1.0)
        return share * self.documents if terms else 0.0


def current(column: str = "vector") -> Frequencies:
    """The statistics of `column` of the search table, as last analysed."""
    alias = router.db_for_read(SearchDocument)
    now = time.monotonic()
    found = _memo.get(alias)
    if found is None or now - found[0] > REFRESH_SECONDS:
        found = _memo[alias] = (now, _read(alias))
    return found[1][column]


COLUMNS = ("vector", "head_vector")


def _read(alias: str) -> dict[str, Frequencies]:
    """Both columns' statistics and the table's size, in one query."""
    table = SearchDocument._meta.db_table
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT c.name, s.most_common_elems::text::text[], s.most_common_elem_freqs, "
            "(SELECT reltuples FROM pg_class WHERE oid = %s::regclass) "
            "FROM unnest(%s::text[]) AS c(name) LEFT JOIN pg_stats s "
            "ON s.schemaname = current_schema() AND s.tablename = %s AND s.attname = c.name",
            [table, list(COLUMNS), table],
        )
        rows = cursor.fetchall()
        documents = rows[0][3]
        if documents is None or documents < 0:  # never analysed: count (it is small, then)
            cursor.execute(f"SELECT count(*) FROM {table}")
            (documents,) = cursor.fetchone()
    frequencies = {}
    for name, lexemes, shares, _ in rows:
        # The shares end with three summary figures (min, max, nulls) after one per lexeme.
        listed = dict(zip(lexemes or [], (shares or [])[: len(lexemes or [])], strict=True))
        frequencies[name] = Frequencies(listed, int(documents))
    return frequencies


def forget() -> None:
    """Read the statistics afresh at the next search (after an ANALYZE, in tests)."""
    _memo.clear()
