"""Analytics: published timeline digests and service-time (kepatuhan) reports.

Floor 4: reads ``cases`` and below, never imports ``web``, ``api`` or ``backoffice``.
"""
