"""Single sign-on: Lampung In as an OpenID Connect provider for regional apps ("Masuk dengan Lampung In").

Built on django-oauth-toolkit with OIDC enabled. What is ours: the app registry (an
application belongs to an agency and has an allow-list of scopes), the citizen's recorded
and revocable consent, pairwise subject identifiers, signing keys kept in the database and
rotated without a restart, and the claims (the NIK only under the restricted ``nik`` scope).
See docs/oidc.md.
"""
