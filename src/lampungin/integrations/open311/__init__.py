"""Open311 GeoReport v2 at ``/open311/v2/``: services are report categories, requests are cases.

Views parse and render (``views``, ``parsing``, ``render``); what a request becomes is
decided in ``services`` (writes) and ``selectors`` (reads of public cases only).
"""
