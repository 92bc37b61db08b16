# -*- coding: utf-8 -*-
"""Run by tests/test_open311.py under CPython 2.7 (tests/python27.py), not by pytest.

Uses the ``open311`` package (PyPI 1.1, what ``pip install open311`` gives), installed by pip
and unchanged, against a running Lampung In. The package reads XML only (its service list
always asks for ``services.xml``), puts ``api_key`` and ``jurisdiction_id`` in the query
string of its POST, and asks for a definition at ``service/{code}``. Prints one JSON object
of what it returned.

Usage: python2.7 open311_package.py ENDPOINT API_KEY EMAIL
Python 2 syntax on purpose: this file must run where the library runs.
"""

from __future__ import print_function

import json
import sys

try:
    from urllib2 import HTTPError
except ImportError:  # only to let Python 3 tools read this file
    from urllib.error import HTTPError

from open311 import Open311

SERVICE = "jalan-provinsi-rusak"
JURISDICTION = "lampungprov.go.id"
DESCRIPTION = "Lampu jalan provinsi padam sepanjang dua ratus meter, jalan gelap dan rawan begal."


def as_list(value):
    return value if isinstance(value, list) else [value]


def main(endpoint, api_key, email):
    client = Open311(endpoint=endpoint, jurisdiction=JURISDICTION, api_key=api_key)
    out = {}

    out["service_codes"] = [s["service_code"] for s in client.service_list()]
    definition = client.service_definition(SERVICE)
    out["definition_code"] = definition["service_definition"]["service_code"]

    posted = client.post_service_request(
        service_code=SERVICE,
        lat="-5.429214",
        long="105.261711",
        address_string="Jl. Raden Intan",
        description=DESCRIPTION,
        email=email,
        first_name="Klien",
        last_name="Lama",
    )
    created = posted["service_requests"]["request"]
    request_id = created["service_request_id"]
    out["created_id"] = request_id
    out["service_notice"] = created["service_notice"]

    one = client.get_service_request(request_id)["service_requests"]["request"]
    out["request"] = one
    listed = as_list(client.service_requests(service_code=SERVICE, status="open"))
    out["listed_ids"] = [r["service_request_id"] for r in listed]
    out["listed_text"] = json.dumps(listed)

    try:
        client.request_id_from_token("tidak-ada")
        out["token_status"] = 200
    except HTTPError as error:
        out["token_status"] = error.code

    refused = Open311(endpoint=endpoint, jurisdiction=JURISDICTION, api_key="o311_salah")
    try:
        refused.post_service_request(
            service_code=SERVICE, lat="-5.43", long="105.26", description=DESCRIPTION
        )
        out["wrong_key_status"] = 201
    except HTTPError as error:
        out["wrong_key_status"] = error.code

    print(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:])
