"""Writes for governance. Every function is `<entity>_<action>`, keyword-only, runs in one
`transaction.atomic` and writes its audit row in it (PLT-4). The decisions are taken by
`klaster.rules.governance` with the statute profile in force on the meeting's day; a refusal is a
`ValidationError` carrying the rule's Polish reason.
"""

from klaster.governance.services.admissions import (
    admission_decide,
    admission_open,
    admission_schedule,
    admission_update,
    fee_payment_add,
    membership_end,
)
from klaster.governance.services.meetings import (
    agenda_item_add,
    attendance_check_in,
    attendance_check_out,
    declaration_file,
    declaration_send,
    extraordinary_request_file,
    meeting_close,
    meeting_convene,
    meeting_open,
    meeting_statute_pin,
)
from klaster.governance.services.minutes import (
    minutes_pdf,
    minutes_refusal,
    notice_send,
    notice_source,
    summary_send,
)
from klaster.governance.services.objections import objection_file
from klaster.governance.services.organs import (
    election_hold,
    organs_ensure,
    person_relation_add,
    seat_add,
    seat_end,
    seats_end_for_person,
    voting_restriction_add,
)
from klaster.governance.services.other import (
    individual_meeting_add,
    mediation_open,
    mediation_resolve,
)
from klaster.governance.services.proxies import proxies_import_csv, proxy_grant, proxy_withdraw
from klaster.governance.services.votes import ballot_cast, vote_close, vote_open

__all__ = [
    "admission_decide",
    "admission_open",
    "admission_schedule",
    "admission_update",
    "agenda_item_add",
    "attendance_check_in",
    "attendance_check_out",
    "ballot_cast",
    "declaration_file",
    "declaration_send",
    "election_hold",
    "extraordinary_request_file",
    "fee_payment_add",
    "individual_meeting_add",
    "mediation_open",
    "mediation_resolve",
    "meeting_close",
    "meeting_convene",
    "meeting_open",
    "meeting_statute_pin",
    "membership_end",
    "minutes_pdf",
    "minutes_refusal",
    "objection_file",
    "organs_ensure",
    "person_relation_add",
    "proxies_import_csv",
    "proxy_grant",
    "proxy_withdraw",
    "seat_add",
    "seat_end",
    "seats_end_for_person",
    "summary_send",
    "notice_send",
    "notice_source",
    "vote_close",
    "vote_open",
    "voting_restriction_add",
]
