"""OpenID Connect endpoints. The namespace is django-oauth-toolkit's, whose views reverse it.

Discovery is at the site root (public contract); the rest lives under ``/oidc/`` and is
found through discovery, so those paths may move without breaking relying parties.
"""

from django.urls import path, re_path
from oauth2_provider import views as toolkit

from lampungin.integrations.oidc import views

app_name = "oauth2_provider"

urlpatterns = [
    re_path(
        r"^\.well-known/openid-configuration/?$",
        views.DiscoveryView.as_view(),
        name="oidc-connect-discovery-info",
    ),
    path("oidc/authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("oidc/token/", views.LimitedTokenView.as_view(), name="token"),
    path("oidc/revoke/", toolkit.RevokeTokenView.as_view(), name="revoke-token"),
    path("oidc/userinfo/", toolkit.UserInfoView.as_view(), name="user-info"),
    path("oidc/jwks/", views.JwksView.as_view(), name="jwks-info"),
    path("oidc/logout/", views.LogoutView.as_view(), name="rp-initiated-logout"),
]
