"""Closed vocabularies shared by every event."""

from enum import StrEnum


class Channel(StrEnum):
    PUBLIC = "public"
    PLATFORM = "platform"
    NGO = "ngo"


class Agency(StrEnum):
    MCMC = "MCMC"
    PDRM = "PDRM"
    KPWKM = "KPWKM"


# Victim details are for child protection (KPWKM) and police (PDRM) on a need-to-know basis.
VICTIM_AGENCIES = frozenset({Agency.KPWKM, Agency.PDRM})


class Priority(StrEnum):
    """P1 is a child in imminent danger; P4 is routine."""

    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class HarmCategory(StrEnum):
    """Code of Conduct harm categories plus the OCSEA terms of the ECPAT guidelines."""

    CSAM = "csam"
    AI_GENERATED_CSAM = "ai_generated_csam"
    SELF_GENERATED_SEXUAL_MATERIAL = "self_generated_sexual_material"
    LIVE_STREAMED_ABUSE = "live_streamed_abuse"
    GROOMING = "grooming"
    SEXTORTION = "sextortion"
    NON_CONSENSUAL_INTIMATE_CONTENT = "non_consensual_intimate_content"
    ONLINE_SCAM = "online_scam"
    BULLYING_HARASSMENT = "bullying_harassment"
    VIOLENCE_EXTREMISM_TERRORISM = "violence_extremism_terrorism"
    SELF_HARM = "self_harm"
    HATE_SPEECH = "hate_speech"
    ILLEGAL_DRUGS = "illegal_drugs"
    MANIPULATED_MEDIA = "manipulated_media"
    UNKNOWN = "unknown"


class TaskType(StrEnum):
    TAKEDOWN_NOTICE = "takedown_notice"
    PRESERVATION_REQUEST = "preservation_request"
    CRIMINAL_REFERRAL = "criminal_referral"
    EMERGENCY_RESPONSE = "emergency_response"
    VICTIM_SUPPORT = "victim_support"
    # A report no rule routed (nearly empty, or in words triage does not know): a person
    # reads it and routes it, so that it is in a queue rather than only in a case.
    REPORT_REVIEW = "report_review"


TASK_AGENCY: dict[TaskType, Agency] = {
    TaskType.TAKEDOWN_NOTICE: Agency.MCMC,
    TaskType.PRESERVATION_REQUEST: Agency.MCMC,
    TaskType.CRIMINAL_REFERRAL: Agency.PDRM,
    TaskType.EMERGENCY_RESPONSE: Agency.PDRM,
    TaskType.VICTIM_SUPPORT: Agency.KPWKM,
    # MCMC, the regulator, receives the public's complaints about online content.
    TaskType.REPORT_REVIEW: Agency.MCMC,
}


class TaskStatus(StrEnum):
    ASSIGNED = "assigned"
    RECEIVED = "received"
    CLAIMED = "claimed"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    DECLINED = "declined"
    ESCALATED = "escalated"
    # Closed by a merge: the surviving case already had the same task open.
    SUPERSEDED = "superseded"


CLOSED_TASK_STATUSES = frozenset({TaskStatus.COMPLETED, TaskStatus.DECLINED, TaskStatus.SUPERSEDED})
# A task in one of these is the slot's open task: a new report raises it, no second is made.
OPEN_TASK_STATUSES = tuple(sorted(s.value for s in TaskStatus if s not in CLOSED_TASK_STATUSES))
