# -*- coding: utf-8 -*-
"""Run by tests/test_open311.py under CPython 2.7 (tests/python27.py), not by pytest.

Uses the ``three`` package (Code for America's Open311 wrapper, PyPI 0.8.0), installed by pip
and unchanged, the way its README shows, against a running Lampung In: discovery, the service
list and a definition, POST a request, read it back alone and in lists, ask for a token, and
post with a wrong key. Prints one JSON object of what the library returned, with the lists
taken out of the format's envelope (JSON gives a list, XML a dict by element name) so that the
test checks both formats the same way.

Usage: python2.7 three_open311.py ENDPOINT FORMAT API_KEY EMAIL
Python 2 syntax on purpose: this file must run where the library runs.
"""

from __future__ import print_function

import json
import sys

from three import Three

SERVICE = "jalan-provinsi-rusak"
JURISDICTION = "lampungprov.go.id"
DESCRIPTION = "Jalan provinsi berlubang besar di depan Tugu Adipura, dua motor sudah jatuh pekan ini."


def items(data, fmt, tag):
    """The list inside an answer: JSON gives it bare, XML under the element name (one
    element comes back as a dict, several as a list)."""
    if fmt == "json":
        return data
    inner = data.get(tag) or []
    return inner if isinstance(inner, list) else [inner]


def main(endpoint, fmt, api_key, email):
    client = Three(endpoint, format=fmt, jurisdiction=JURISDICTION)
    out = {}

    discovery = client.discovery()
    endpoints = discovery["endpoints"]
    if fmt == "xml":
        endpoints = items(endpoints, fmt, "endpoint")
    out["discovery_urls"] = [e["url"] for e in endpoints]

    out["service_codes"] = [s["service_code"] for s in items(client.services(), fmt, "service")]
    out["definition_code"] = client.services(SERVICE)["service_code"]

    created = client.post(
        SERVICE,
        api_key=api_key,
        lat="-5.429214",
        long="105.261711",
        address="Tugu Adipura, Enggal",
        description=DESCRIPTION,
        email=email,
        name="Klien Tiga",
    )
    out["post_status"] = client.post_response.status_code
    created = items(created, fmt, "request")[0]
    request_id = created["service_request_id"]
    out["created_id"] = request_id
    out["service_notice"] = created["service_notice"]

    one = items(client.request(request_id), fmt, "request")
    out["request"] = one[0] if len(one) == 1 else one
    listed = items(client.requests(SERVICE, status="open"), fmt, "request")
    out["listed_ids"] = [r["service_request_id"] for r in listed]
    out["listed_text"] = json.dumps(listed)

    token = client.token("tidak-ada")
    out["token_status"] = client._request.status_code
    out["token_error"] = items(token, fmt, "error")[0]

    refused = client.post(SERVICE, api_key="o311_salah", lat="-5.43", long="105.26", description=DESCRIPTION)
    out["wrong_key_status"] = client.post_response.status_code
    out["wrong_key_error"] = items(refused, fmt, "error")[0]

    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
