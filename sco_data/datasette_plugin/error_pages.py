"""Datasette's error page, rendered as Datasette 0.65 does (``datasette/handle_exception.py``),
less the rich traceback printing that fails outside an ``except`` block."""

from __future__ import annotations

import sys
import traceback
from typing import Any

from datasette import Response
from datasette.utils import add_cors_headers
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError
from markupsafe import Markup


def render(datasette: Any, request: Any, exception: Exception) -> Any:
    async def inner() -> Response:
        title = None
        if isinstance(exception, Base400):
            status, info, message = exception.status, {}, exception.args[0]
        elif isinstance(exception, DatasetteError):
            status, info, message = exception.status, exception.error_dict, exception.message
            if exception.message_is_html:
                message = Markup(message)
            title = exception.title
        else:
            status, info, message = 500, {}, str(exception)
        if status >= 500:
            traceback.print_exception(exception, file=sys.stderr)
        info.update({"ok": False, "error": message, "status": status, "title": title})
        headers: dict[str, str] = {}
        if datasette.cors:
            add_cors_headers(headers)
        if request.path.split("?")[0].endswith(".json"):
            return Response.json(info, status=status, headers=headers)
        template = datasette.jinja_env.select_template([f"{status}.html", "error.html"])
        page = await template.render_async(dict(
            info, urls=datasette.urls, app_css_hash=datasette.app_css_hash(),
            menu_links=lambda: [],
        ))
        return Response.html(page, status=status, headers=headers)

    return inner
