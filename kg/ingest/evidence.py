"""Locate verbatim quotes in source documents: the check that every fact has a real passage behind it."""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class QuoteLocation:
    """Where a quote stands in a document, in Unicode code points, with its context."""

    exact: str
    start: int
    end: int
    prefix: str
    suffix: str


class QuoteNotFound(ValueError):
    """The quote is not a verbatim substring of the document."""


def locate_quote(text: str, quote: str) -> QuoteLocation:
    """Find the first verbatim occurrence of *quote* in *text*; raise QuoteNotFound with a hint."""
    if "\n" in quote:
        raise QuoteNotFound("a quote may not span a line break; quote one line, or give several quotes")
    start = text.find(quote)
    if start < 0:
        raise QuoteNotFound(_near_miss_hint(text, quote))
    end = start + len(quote)
    return QuoteLocation(
        exact=quote,
        start=start,
        end=end,
        prefix=text[max(0, start - CONTEXT_CHARS):start],
        suffix=text[end:end + CONTEXT_CHARS],
    )


def _near_miss_hint(text: str, quote: str) -> str:
    """Say how much of the quote does match, so the curator can see where it diverges."""
    matched = 0
    for size in range(len(quote), 0, -1):
        if quote[:size] in text:
            matched = size
            break
    if matched == 0:
        return "not found in the document (not even its first character)"
    return (
        f"not found verbatim in the document; its first {matched} characters match, "
        f"then it differs at {quote[matched:matched + 30]!r}"
    )
