"""Models of the integrations, one module per outside system; imported here so Django finds them."""

from lampungin.integrations.open311.models import ApiKey, Open311Request

__all__ = ["ApiKey", "Open311Request"]
