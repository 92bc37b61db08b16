"""``/open311/v2/``: each resource ends in ``.json`` or ``.xml`` (the view refuses other suffixes)."""

from django.urls import re_path

from lampungin.integrations.open311 import views

app_name = "open311"

# A code, id or token never contains "/" or "."; the suffix after the last dot is the format.
_ID = r"[^/.]+"
_FMT = r"(?P<fmt>[^/.]+)"

urlpatterns = [
    re_path(rf"^discovery\.{_FMT}$", views.discovery, name="discovery"),
    re_path(rf"^services\.{_FMT}$", views.service_list, name="services"),
    re_path(rf"^services/(?P<code>{_ID})\.{_FMT}$", views.service_definition, name="service"),
    # The ``open311`` client package (PyPI 1.1, still what ``pip install open311`` gives) asks
    # for service definitions at the singular path; answering it there costs nothing.
    re_path(rf"^service/(?P<code>{_ID})\.{_FMT}$", views.service_definition),
    re_path(rf"^requests\.{_FMT}$", views.service_requests, name="requests"),
    re_path(rf"^requests/(?P<service_request_id>{_ID})\.{_FMT}$", views.service_request, name="request"),
    re_path(rf"^tokens/(?P<token>{_ID})\.{_FMT}$", views.token, name="token"),
]
