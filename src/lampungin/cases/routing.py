"""Where a new report goes: routing rules, the category default, or the verifier queue.

``decide`` is pure reading (no writes); ``submit_report`` calls it inside its transaction
and records the decision in the submitted event's data, so every automatic decision can be
traced to the rule that made it (decision 0009):

1. the best matching active :class:`RoutingRule` whose authority is the province routes the
   report to its agency (and unit): ``routed_by = "rule"``;
2. a best matching rule of kabupaten/kota or national authority routes nothing: the report
   waits in the verifier queue with the rule's proposed referral target;
3. no rule and the category is of provincial authority: the category's default agency
   (``routed_by = "category_default"``), as before rules existed;
4. otherwise (no rule, category not provincial): the verifier queue, i.e. the verification
   desk agency holds the report until a verifier routes, refers or rejects it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from lampungin.accounts.access import Actor
from lampungin.agencies.models import Agency, Unit
from lampungin.agencies.services import regency_agency_code
from lampungin.cases import permissions
from lampungin.cases.choices import CaseState, EventKind, RoutedBy, RuleAuthority, Visibility
from lampungin.cases.models import Case, CaseEvent
from lampungin.cases.timeline import append_event
from lampungin.cases.work_models import RoutingRule
from lampungin.catalog.choices import Authority
from lampungin.catalog.models import ReportCategory
from lampungin.regions.choices import Level
from lampungin.regions.models import Region


@dataclass(frozen=True)
class RoutingDecision:
    agency: Agency
    unit: Unit | None
    routed_by: RoutedBy
    rule: RoutingRule | None = None
    suggested_referral: Agency | None = None
    extra: dict = field(default_factory=dict)

    @property
    def queued(self) -> bool:
        return self.routed_by == RoutedBy.VERIFIER_QUEUE

    def event_data(self) -> dict:
        """What the submitted event records about the decision (part of its hash)."""
        data: dict = {"agency": self.agency.code, "routed_by": self.routed_by.value}
        if self.unit:
            data["unit"] = self.unit.name
        if self.rule:
            data["rule"] = self.rule.pk
            data["rule_name"] = self.rule.name
        if self.suggested_referral:
            data["suggested_referral"] = self.suggested_referral.code
        return data


def verification_desk() -> Agency | None:
    """The agency whose members verify reports and hold the unrouted ones (oldest flagged)."""
    return Agency.objects.filter(is_verification_desk=True, is_active=True).order_by("id").first()


def _district_code(region: Region) -> str | None:
    if region.level == Level.DISTRICT:
        return region.code
    if region.level == Level.VILLAGE:
        return ".".join(region.code.split(".")[:3])
    return None


def _specificity(rule: RoutingRule) -> tuple[int, int, int]:
    return (rule.priority, 2 if rule.district_id else 1 if rule.regency_id else 0, 1 if rule.keywords else 0)


def matching_rule(
    *, category: ReportCategory, region: Region, regency: Region, text: str
) -> RoutingRule | None:
    """The rule that decides for a report of ``category`` at ``region`` saying ``text``, if any."""
    district = _district_code(region)
    candidates = (
        RoutingRule.objects.filter(is_active=True)
        .filter(Q(category__isnull=True) | Q(category=category))
        .filter(Q(regency__isnull=True) | Q(regency=regency))
        .filter(Q(district__isnull=True) | Q(district_id=district))
        .select_related("agency", "unit")
        .order_by("id")
    )
    lowered = text.lower()
    matches = [r for r in candidates if not r.keyword_list() or any(k in lowered for k in r.keyword_list())]
    if not matches:
        return None
    # Stable sort: among equals the oldest rule (lowest id) stays first.
    return sorted(matches, key=_specificity, reverse=True)[0]


def _referral_target(rule: RoutingRule, regency: Region) -> Agency | None:
    if rule.agency_id:
        return rule.agency
    if rule.authority == RuleAuthority.REGENCY:
        return Agency.objects.filter(code=regency_agency_code(regency.code), is_active=True).first()
    return None


def decide(*, category: ReportCategory, region: Region, regency: Region, text: str) -> RoutingDecision:
    """Where a new report goes (see the module docstring for the order of the rules)."""
    rule = matching_rule(category=category, region=region, regency=regency, text=text)
    if rule is not None and rule.authority == RuleAuthority.PROVINCE and rule.agency_id:
        return RoutingDecision(agency=rule.agency, unit=rule.unit, routed_by=RoutedBy.RULE, rule=rule)
    desk = verification_desk()
    if rule is not None and desk is not None:
        return RoutingDecision(
            agency=desk,
            unit=None,
            routed_by=RoutedBy.VERIFIER_QUEUE,
            rule=rule,
            suggested_referral=_referral_target(rule, regency),
        )
    if category.authority == Authority.PROVINCE or desk is None:
        return RoutingDecision(agency=category.default_agency, unit=None, routed_by=RoutedBy.CATEGORY_DEFAULT)
    return RoutingDecision(
        agency=desk,
        unit=None,
        routed_by=RoutedBy.VERIFIER_QUEUE,
        suggested_referral=Agency.objects.filter(
            code=regency_agency_code(regency.code), is_active=True
        ).first()
        if category.authority == Authority.REGENCY
        else None,
    )


def skips_verification(decision: RoutingDecision, category: ReportCategory) -> bool:
    """A report routed automatically in a category that needs no verification starts verified."""
    return not decision.queued and not category.requires_verification


def auto_verify(case: Case) -> CaseEvent:
    """Mark a just-submitted, automatically routed ``case`` verified by the system.

    The caller (``submit_report``) holds the case in its transaction and runs the SLA
    clocks and the outbox for the move; the event names why no person verified it.
    """
    case.state = CaseState.VERIFIED
    return append_event(
        case,
        kind=EventKind.TRANSITION,
        action="verify",
        from_state=CaseState.SUBMITTED,
        to_state=CaseState.VERIFIED,
        actor=None,
        actor_label=_("Sistem"),
        visibility=Visibility.PUBLIC,
        message=_("Kategori ini tidak memerlukan verifikasi; laporan langsung diteruskan ke %(agency)s.")
        % {"agency": case.agency.short_name or case.agency.name},
        data={"auto": True},
    )


def routing_of(case: Case) -> dict:
    """The routing recorded when ``case`` was submitted (its first event's data)."""
    first = case.events.filter(seq=1).only("data").first()
    return dict(first.data) if first else {}


def describe(data: dict) -> str:
    """A sentence for staff: how the report found its agency."""
    routed_by = data.get("routed_by", "")
    if routed_by == RoutedBy.RULE:
        return _("Disalurkan otomatis oleh aturan #%(id)s “%(name)s”.") % {
            "id": data.get("rule"),
            "name": data.get("rule_name", ""),
        }
    if routed_by == RoutedBy.VERIFIER_QUEUE:
        if data.get("rule"):
            return _("Menunggu verifikator; aturan #%(id)s “%(name)s” menyarankan rujukan.") % {
                "id": data.get("rule"),
                "name": data.get("rule_name", ""),
            }
        return _("Menunggu verifikator: tidak ada aturan yang cocok dan kategori bukan kewenangan provinsi.")
    if routed_by == RoutedBy.CATEGORY_DEFAULT:
        return _("Disalurkan ke instansi bawaan kategori (tidak ada aturan yang cocok).")
    return ""


def verifier_queue(actor: Actor) -> QuerySet[Case]:
    """Reports waiting for verification that ``actor`` may verify, oldest first; the ones no
    rule could route (held by the verification desk) first of all."""
    if not actor.verifier:
        return Case.objects.none()
    desk = verification_desk()
    qs = permissions.scope_cases(actor).filter(state=CaseState.SUBMITTED)
    qs = qs.select_related("category", "agency", "regency", "region")
    if desk is None:
        return qs.order_by("created_at")
    unrouted = DbCase(When(agency_id=desk.pk, then=Value(1)), default=Value(0), output_field=IntegerField())
    return qs.annotate(unrouted=unrouted).order_by("-unrouted", "created_at")
