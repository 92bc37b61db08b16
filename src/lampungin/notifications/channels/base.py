"""The small base class every channel adapter implements.

An adapter knows one thing: how to hand a rendered message to its provider. Which
messages go where, retries and the delivery log are the services' business.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lampungin.accounts.models import User
    from lampungin.notifications.models import Delivery


@dataclass(frozen=True)
class Message:
    """A message rendered in the recipient's language."""

    subject: str
    body: str
    url: str  # absolute link to the page the message is about

    @property
    def short(self) -> str:
        """One line for SMS, WhatsApp and push: subject and link."""
        return f"{self.subject} {self.url}".strip()


class Skip(Exception):
    """The channel cannot carry this message (not configured, no address): log it as skipped."""


class PermanentError(Exception):
    """The provider refused for good (bad address, 4xx): do not retry."""


class TemporaryError(Exception):
    """The provider may accept later (network, timeout, 5xx, 429): retry with backoff."""


class ChannelAdapter:
    """Send one message to one person. ``send`` returns the provider's message id (or "")."""

    name: str = ""

    def configured(self) -> str:
        """Empty when the channel can be used; otherwise why not (recorded on skipped deliveries)."""
        return ""

    def send(self, *, user: User, message: Message, delivery: Delivery) -> str:
        raise NotImplementedError
