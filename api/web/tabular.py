"""JSON or CSV for tabular analyst answers, chosen by ``?format=`` or ``Accept``."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from api.web import negotiation as neg


def wants_csv(request: Request, format_param: str | None) -> bool:
    if format_param:
        name = format_param.lower()
        if name in ("csv", "text/csv"):
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
) -> Response:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    out = {"Content-Disposition": f'inline; filename="{filename}.csv"', "Vary": "Accept"}
    out.update(headers or {})
    return Response(buffer.getvalue().encode(), media_type="text/csv; charset=utf-8", headers=out)
