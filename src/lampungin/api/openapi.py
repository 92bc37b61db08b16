"""The OpenAPI 3.1 document: every operation lists its scopes and its error answers.

django-ninja documents the success responses; the error answers are the same everywhere
(``api.main`` turns every error into ``{detail, code, errors?}``), so they are added here
for each operation instead of being repeated on every decorator. CI validates the result
(tests/test_openapi.py).
"""

from __future__ import annotations

from typing import Any

from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation

ERROR_SCHEMA: dict[str, Any] = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "Pesan untuk pengguna, dalam bahasa permintaan."},
        "code": {"type": "string", "description": "Kode tetap untuk aplikasi (mis. `invalid`, `forbidden`)."},
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Pesan per kolom (hanya untuk 400).",
        },
    },
    "required": ["detail", "code"],
}

ERROR_DESCRIPTIONS = {
    400: "Data tidak valid (`invalid`); `errors` berisi pesan per kolom.",
    401: "Belum masuk atau token tidak berlaku (`unauthorized`).",
    403: "Tidak berhak (`forbidden`) atau token tanpa cakupan yang diperlukan (`insufficient_scope`).",
    404: "Tidak ditemukan atau tidak boleh dilihat (`not_found`).",
    409: "Keadaan saat ini tidak mengizinkan tindakan ini (`conflict`).",
    429: "Terlalu banyak permintaan (`rate_limited`); coba lagi nanti.",
}


class LampungInSchema(OpenAPISchema):
    def operation_details(self, operation: Operation) -> dict[str, Any]:
        result = super().operation_details(operation)
        self.schemas.setdefault("Error", ERROR_SCHEMA)
        authenticated = bool(operation.auth_callbacks)
        for status, description in ERROR_DESCRIPTIONS.items():
            if status in (401, 403) and not authenticated:
                continue
            result["responses"].setdefault(
                status,
                {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                },
            )
        scopes = _scopes(operation)
        if scopes:
            result["description"] = (
                result.get("description", "") + f"\n\nCakupan yang diperlukan: `{'`, `'.join(scopes)}`."
            ).strip()
        return result

    def operation_security(self, operation: Operation) -> list[dict[str, Any]] | None:
        security = super().operation_security(operation)
        scopes = _scopes(operation)
        # OpenAPI 3.1 allows role names as the scopes of non-OAuth schemes.
        return [{name: list(scopes) for name in entry} for entry in security] if security else security


def _scopes(operation: Operation) -> list[str]:
    found: set[str] = set()
    for auth in operation.auth_callbacks or ():
        found |= set(getattr(auth, "scopes", ()))
    return sorted(found)
