from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "lampungin.cases"

    def ready(self) -> None:
        from lampungin.cases.choices import CaseState
        from lampungin.cases.tasks import on_calendar_changed
        from lampungin.core import outbox
        from lampungin.sla.services import CALENDAR_CHANGED
        from lampungin.sla.states import register_case_states

        # SLA targets name case states; sla sits below cases, so it learns them here.
        register_case_states(CaseState.choices)
        outbox.register(CALENDAR_CHANGED, on_calendar_changed)

        from lampungin.cases.tasks import check_sla_clocks
        from lampungin.core import periodic

        periodic.register("cases.sla_check", check_sla_clocks, every_seconds=60)
