"""The JSON answer every RoomBot web endpoint gives (the join page's API, the Event Grid
webhook): the status, the body, and never cached."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify


def json_answer(status: int, **body: Any) -> Response:
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    return response
