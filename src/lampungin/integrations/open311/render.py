"""GeoReport v2 documents in JSON and XML from the same Python values.

JSON is the values as they are. XML follows the shapes of the spec: a root element
(``services``, ``service_requests``, ``errors``…) holding one element per item
(``service``, ``request``, ``error``…), a child per field, and lists nested the same way
(``<attributes><attribute>…``, ``<values><value>…``, ``<formats><format>…``).
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any
from xml.etree import ElementTree as ET  # builds documents, never parses input

from django.http import HttpResponse

from lampungin.integrations.open311.parsing import Open311Error


class Format(StrEnum):
    JSON = "json"
    XML = "xml"


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
CONTENT_TYPES = {Format.JSON: "application/json; charset=utf-8", Format.XML: "text/xml; charset=utf-8"}

# The element name of each item of a list, by the name of the list.
_ITEM_OF = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    elif isinstance(value, list | tuple):
        item_name = _ITEM_OF.get(name, "item")
        for item in value:
            _append(element, item_name, item)
    else:
        element.text = _text(value)


def to_xml(root: str, value: Any) -> bytes:
    """``value`` (a dict or a list of items) as the UTF-8 XML document ``<root>…</root>``."""
    element = ET.Element(root)
    if isinstance(value, dict):
        for key, item in value.items():
            _append(element, key, item)
    else:
        item_name = _ITEM_OF[root]
        for item in value:
            _append(element, item_name, item)
    return XML_DECLARATION + ET.tostring(element, encoding="unicode").encode()


def render(fmt: Format, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """The response for ``value``: JSON as is, XML under the element ``root``."""
    body = to_xml(root, value) if fmt == Format.XML else json.dumps(value, ensure_ascii=False).encode()
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def render_error(fmt: Format, error: Open311Error) -> HttpResponse:
    """GeoReport's error list: ``[{code, description}]``, the code being the HTTP status."""
    errors = [{"code": error.status, "description": text} for text in error.descriptions]
    return render(fmt, "errors", errors, status=error.status)
