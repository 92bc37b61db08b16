"""The case lifecycle as one table: which action moves a case from which state to which.

Everything that changes a case's state goes through ``services.perform_action``, which
looks the move up here; an action from a state not listed is refused. Who may take an
action is decided by ``ACTOR_OF`` together with the scoping in ``permissions``.
"""

from __future__ import annotations

from enum import StrEnum

from lampungin.cases.choices import Action, CaseState

S = CaseState

TRANSITIONS: dict[Action, dict[CaseState, CaseState]] = {
    Action.VERIFY: {S.SUBMITTED: S.VERIFIED},
    Action.REJECT: {S.SUBMITTED: S.REJECTED, S.VERIFIED: S.REJECTED},
    Action.REFER: {S.SUBMITTED: S.REFERRED, S.VERIFIED: S.REFERRED},
    # Re-assigning keeps the state: a new disposition inside the agency.
    Action.ASSIGN: {
        S.VERIFIED: S.ASSIGNED,
        S.ASSIGNED: S.ASSIGNED,
        S.IN_PROGRESS: S.ASSIGNED,
        S.REOPENED: S.ASSIGNED,
    },
    Action.START: {S.ASSIGNED: S.IN_PROGRESS, S.REOPENED: S.IN_PROGRESS},
    Action.REQUEST_INFO: {
        S.VERIFIED: S.WAITING_REPORTER,
        S.ASSIGNED: S.WAITING_REPORTER,
        S.IN_PROGRESS: S.WAITING_REPORTER,
    },
    Action.REPORTER_REPLY: {S.WAITING_REPORTER: S.IN_PROGRESS},
    Action.RESOLVE: {S.IN_PROGRESS: S.RESOLVED},
    # Resolution validation (decision 0010): where the category requires it, the agency
    # submits its resolution and the validator (an agency or the reporter) accepts it or
    # sends it back with a reason.
    Action.SUBMIT_RESOLUTION: {S.IN_PROGRESS: S.AWAITING_VALIDATION},
    Action.VALIDATE: {S.AWAITING_VALIDATION: S.RESOLVED},
    Action.REJECT_RESOLUTION: {S.AWAITING_VALIDATION: S.IN_PROGRESS},
    Action.CONFIRM: {S.RESOLVED: S.CLOSED},
    Action.DISPUTE: {S.RESOLVED: S.REOPENED},
    # Closing after the reporter's response window (or by staff once resolved / referred).
    Action.CLOSE: {S.RESOLVED: S.CLOSED, S.REFERRED: S.CLOSED},
    # Another provincial agency takes the case over (same row, history and tracking number).
    # Before verification it stays in the verifier queue; after, the receiving agency starts
    # from "verified" and disposes it inside (decision 0009).
    Action.TRANSFER: {
        S.SUBMITTED: S.SUBMITTED,
        S.VERIFIED: S.VERIFIED,
        S.ASSIGNED: S.VERIFIED,
        S.IN_PROGRESS: S.VERIFIED,
        S.REOPENED: S.VERIFIED,
    },
    # The government a report was referred to sends it back (it is not theirs either): the
    # provincial agency that referred it has it again, as verified, to handle, transfer or
    # refer elsewhere; a new follow-up clock starts (decision 0009).
    Action.RETURN_REFERRAL: {S.REFERRED: S.VERIFIED},
}


class ActorKind(StrEnum):
    STAFF = "staff"  # an officer of the responsible agency (or a platform admin)
    REPORTER = "reporter"  # the citizen who filed the report
    VALIDATOR = "validator"  # whoever the category names to validate a resolution (permissions.is_validator)
    RECEIVER = "receiver"  # the government a report was referred to (permissions.receives_referral)


ACTOR_OF: dict[Action, ActorKind] = {
    Action.VERIFY: ActorKind.STAFF,
    Action.REJECT: ActorKind.STAFF,
    Action.REFER: ActorKind.STAFF,
    Action.ASSIGN: ActorKind.STAFF,
    Action.START: ActorKind.STAFF,
    Action.REQUEST_INFO: ActorKind.STAFF,
    Action.REPORTER_REPLY: ActorKind.REPORTER,
    Action.RESOLVE: ActorKind.STAFF,
    Action.SUBMIT_RESOLUTION: ActorKind.STAFF,
    Action.VALIDATE: ActorKind.VALIDATOR,
    Action.REJECT_RESOLUTION: ActorKind.VALIDATOR,
    Action.CONFIRM: ActorKind.REPORTER,
    Action.DISPUTE: ActorKind.REPORTER,
    Action.CLOSE: ActorKind.STAFF,
    Action.TRANSFER: ActorKind.STAFF,
    Action.RETURN_REFERRAL: ActorKind.RECEIVER,
}

# Actions whose message explains the decision to the reporter and the public.
MESSAGE_REQUIRED = frozenset(
    {
        Action.REJECT,
        Action.REFER,
        Action.REQUEST_INFO,
        Action.REPORTER_REPLY,
        Action.RESOLVE,
        Action.SUBMIT_RESOLUTION,
        Action.REJECT_RESOLUTION,
        Action.DISPUTE,
        Action.TRANSFER,
        Action.RETURN_REFERRAL,
    }
)


# Actions whose message is an instruction between staff (a disposition: "tolong cek hari
# ini"), not an explanation to the public: the state change stays public, the message goes
# into an internal note beside it.
INTERNAL_MESSAGE = frozenset({Action.ASSIGN})


def target_state(action: Action, state: CaseState) -> CaseState | None:
    """The state ``action`` leads to from ``state``, or None when the move is not allowed."""
    return TRANSITIONS.get(action, {}).get(state)


def allowed_actions(state: CaseState, actor_kind: ActorKind) -> list[Action]:
    return [a for a, moves in TRANSITIONS.items() if state in moves and ACTOR_OF[a] == actor_kind]
