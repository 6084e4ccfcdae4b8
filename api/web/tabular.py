"""JSON or CSV for tabular analyst answers, chosen by ``?format=`` or ``Accept``.

``?format=csv-bom`` gives the same CSV preceded by a UTF-8 byte-order mark: spreadsheet programs
(Excel above all) read a CSV without one in the local code page and garble 成都 or Chéngdū.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from api.web import negotiation as neg

CSV_BOM = "csv-bom"
UTF8_BOM = b"\xef\xbb\xbf"


def wants_bom(format_param: str | None) -> bool:
    """True for ``?format=csv-bom``: CSV for spreadsheet programs, with a UTF-8 byte-order mark."""
    return (format_param or "").lower() == CSV_BOM


def wants_csv(request: Request, format_param: str | None) -> bool:
    if format_param:
        name = format_param.lower()
        if name in ("csv", "text/csv", CSV_BOM):
            return True
        if name in ("json", "application/json"):
            return False
        raise neg.NotAcceptable((neg.JSON, neg.CSV), format_param)
    return neg.negotiate(request.headers.get("accept"), (neg.JSON, neg.CSV)) is neg.CSV


def csv_response(
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    filename: str,
    headers: dict[str, str] | None = None,
    bom: bool = False,
) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    out = {"Content-Disposition": f'inline; filename="{filename}.csv"', "Vary": "Accept"}
    out.update(headers or {})
    body = (UTF8_BOM if bom else b"") + buffer.getvalue().encode()
    return Response(body, media_type="text/csv; charset=utf-8", headers=out)
