"""Quotes are verbatim passages: located with offsets, rejected with a useful hint otherwise."""

from __future__ import annotations

import pytest

from kg.ingest.evidence import QuoteNotFound, locate_quote

TEXT = "Line one says hello.\nThe conference was held from June 10 to 12.\n"


def test_offsets_point_at_the_quote() -> None:
    loc = locate_quote(TEXT, "held from June 10 to 12")
    assert TEXT[loc.start:loc.end] == "held from June 10 to 12"
    assert loc.prefix.endswith("The conference was ")
    assert loc.suffix.startswith(".")


def test_offsets_count_code_points_not_bytes() -> None:
    text = "粤ICP备 then Chengdu"
    loc = locate_quote(text, "Chengdu")
    assert (loc.start, loc.end) == (len("粤ICP备 then "), len(text))


def test_missing_quote_says_where_it_diverges() -> None:
    with pytest.raises(QuoteNotFound, match="first 12 characters match, then it differs at 'ly"):
        locate_quote(TEXT, "held from July 10 to 12")


def test_quote_across_a_line_break_is_refused() -> None:
    with pytest.raises(QuoteNotFound, match="line break"):
        locate_quote(TEXT, "hello.\nThe conference")
