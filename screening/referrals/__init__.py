"""Referrals: a directory of service providers and referrals of interviews to them.

    from screening.referrals import Referrals

    book = Referrals(vault)  # coordinators and admins only
    shelter = book.add_provider("Safe House Podgorica", "shelter", contact="+382 20 000 000")
    referral = book.create(interview_id, shelter.id, consent="person",
                           referrer_contact="+382 67 000 000")
    book.set_status(referral.id, "accepted")
    book.write_slip(referral.id, Path("slip.pdf"))

Every change is audited; docs/referrals.md has the workflow and the slip.
"""

from screening.referrals.store import (
    CONSENT_BASES,
    REFERRAL_ROLES,
    STATUSES,
    TRANSITIONS,
    URGENCIES,
    Provider,
    Referral,
    ReferralError,
    Referrals,
)

__all__ = [
    "CONSENT_BASES",
    "REFERRAL_ROLES",
    "STATUSES",
    "TRANSITIONS",
    "URGENCIES",
    "Provider",
    "Referral",
    "ReferralError",
    "Referrals",
]
