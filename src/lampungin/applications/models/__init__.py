"""Service applications (permohonan): the process definitions and the applications themselves."""

from lampungin.applications.models.application import (
    Application,
    ApplicationEvent,
    ApplicationFile,
    ApplicationStep,
    Letter,
)
from lampungin.applications.models.process import FormField, ProcessStep, ServiceProcess

__all__ = [
    "Application",
    "ApplicationEvent",
    "ApplicationFile",
    "ApplicationStep",
    "FormField",
    "Letter",
    "ProcessStep",
    "ServiceProcess",
]
