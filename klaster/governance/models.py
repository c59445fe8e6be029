"""Governance records (SPEC §2, GOV-1 … GOV-15): organs and seats, meetings with their agenda,
attendance events, proxies, votes with their snapshot and ballots, resolutions, objections,
declarations, extraordinary requests, admissions, mediation cases and individual meetings.

The statute numbers are not here: every decision about a meeting is taken by
`klaster.rules.governance` with the statute version the meeting was convened under
(`Meeting.statute_version`, read through `klaster.governance.selectors.meeting_statute`); a vote and
its resolution record that version and the numbers it applied. These models keep what happened and
what was decided, with the reason the rule gave — stored as the rule's message (a code and
parameters, `*_msg`), so that it reads in the reader's language (`Words`).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster, StatuteProfileVersion
from klaster.core.say import say
from klaster.members.models import DelegatedPerson, Member


class Words:
    """A stored rule message in the active language: `obj.<name>` reads the JSON field `stored`
    (klaster.rules.message.to_json), or for a row written before it the text field `text`."""

    def __init__(self, stored: str, text: str) -> None:
        self.stored, self.text = stored, text

    def __get__(self, obj: object, owner: type | None = None) -> str:
        return say(getattr(obj, self.stored) or getattr(obj, self.text))


class OrganKind(models.TextChoices):
    """The organs of SPEC §2; the values are `klaster.rules.statute.Organ`."""

    GA = "ga", _("General Assembly")
    COUNCIL = "council", _("Cluster Council")
    COUNCIL_PRESIDIUM = "council_presidium", _("Council Presidium")
    BOARD = "board", _("Cluster Board")
    BOARD_PRESIDIUM = "board_presidium", _("Board Presidium")


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")
    PROXY = "proxy", _("by proxy")
    ABSENT = "absent", _("absent")


class Organ(models.Model):
    """One organ of a cluster. The General Assembly is every member; the others have seats."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="organs")
    kind = models.CharField(_("organ"), max_length=20, choices=OrganKind.choices)

    class Meta:
        ordering = ["cluster", "id"]
        constraints = [models.UniqueConstraint(fields=["cluster", "kind"], name="uniq_organ_kind")]
        verbose_name = _("organ")
        verbose_name_plural = _("organs")

    def __str__(self) -> str:
        return str(self.get_kind_display())

    @property
    def has_seats(self) -> bool:
        return self.kind != OrganKind.GA


class Election(models.Model):
    """An election to an organ (GOV-8, GOV-9): held on a day, for a term; candidates are checked
    for incompatibility (GOV-10) and a refused candidate keeps the reason."""

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="elections")
    meeting = models.ForeignKey(
        "Meeting", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    held_on = models.DateField(_("held on"))
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")


class Candidacy(models.Model):
    """A person standing in an election, and what became of it (GOV-10: refusal with the reason)."""

    class Outcome(models.TextChoices):
        ELECTED = "elected", _("elected")
        REFUSED = "refused", _("refused: incompatible")
        NOT_ELECTED = "not_elected", _("not elected")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidacies")
    person = models.ForeignKey(DelegatedPerson, on_delete=models.PROTECT, related_name="+")
    convicted_intentional_crime = models.BooleanField(
        _("convicted of an intentional crime"), default=False
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    reason = models.TextField(_("reason"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `reason`
    #: keeps the text of rows written before.
    reason_msg = models.JSONField(_("reason"), default=dict, blank=True)
    reason_words = Words("reason_msg", "reason")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["election", "person"], name="uniq_candidacy")
        ]


class Seat(models.Model):
    """A person's seat in an organ with seats (Council, Board, presidia) for a term.

    `member` is the entity the person represents (one entity, one vote — GOV-1); `user` is the
    person's account, if any, so that they see their organ's meetings. A seat ends early when the
    person's link to its member ends (MEM-8) or on resignation; `ended_on` is the last day held.
    """

    class Kind(models.TextChoices):
        ELECTED = "elected", _("elected")
        COORDINATOR = "coordinator", _("coordinator's representative")
        PERMANENT = "permanent", _("permanent (coordinator's management)")
        ROTATING = "rotating", _("rotating")

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="seats")
    person = models.ForeignKey(
        DelegatedPerson, on_delete=models.PROTECT, related_name="governance_seats"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="governance_seats")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governance_seats",
    )
    kind = models.CharField(
        _("kind of seat"), max_length=12, choices=Kind.choices, default=Kind.ELECTED
    )
    chairs = models.BooleanField(_("chairs the organ"), default=False)
    election = models.ForeignKey(
        Election, on_delete=models.SET_NULL, null=True, blank=True, related_name="seats"
    )
    starts = models.DateField(_("from"))
    ends = models.DateField(_("term ends"), null=True, blank=True)
    ended_on = models.DateField(_("ended early on"), null=True, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)

    class Meta:
        ordering = ["organ", "starts", "id"]
        indexes = [models.Index(fields=["organ", "starts"])]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")

    def __str__(self) -> str:
        return f"{self.person} — {self.organ}"


class PersonRelation(models.Model):
    """Kinship, affinity, marriage or subordination between two persons (GOV-10, 000 §9.4, §11.7).

    For "subordinate_to", `person` is the subordinate of `other`."""

    class Kind(models.TextChoices):
        BLOOD = "blood", _("related by blood")
        AFFINITY = "affinity", _("related by affinity")
        MARRIAGE = "marriage", _("married")
        SUBORDINATE_TO = "subordinate_to", _("subordinate to")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(DelegatedPerson, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(DelegatedPerson, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("relation"), max_length=20, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other", "kind"], name="uniq_person_relation")
        ]


class VotingRestriction(models.Model):
    """A dated period without the vote (GOV-1): exemption from dues (001 fin. 4) or a vote withdrawn
    by an organ's decision (001 dec. 6, fin. 5). Suspensions come from membership events."""

    class Kind(models.TextChoices):
        DUES_EXEMPT = "dues_exempt", _("exempted from dues")
        VOTE_WITHDRAWN = "vote_withdrawn", _("vote withdrawn by an organ")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="voting_restrictions")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"), null=True, blank=True)
    document = models.CharField(_("document"), max_length=300, blank=True)

    class Meta:
        ordering = ["member", "starts"]


class ExtraordinaryRequest(models.Model):
    """A request for an extraordinary General Assembly (GOV-7, 000 §8.6–8.7): by the Board, on the
    Council's demand, or in writing by at least 1/4 of Partners and Strategic Partners."""

    class Source(models.TextChoices):
        BOARD = "board", _("the Board itself")
        COUNCIL = "council", _("the Council's demand")
        MEMBERS = "members", _("members' written request")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("requested by"), max_length=10, choices=Source.choices)
    received_on = models.DateField(_("received on"))
    matters = models.TextField(_("matters to debate"))
    requesters = models.ManyToManyField(Member, blank=True, related_name="+")
    partners_total = models.PositiveIntegerField(
        _("Partners and Strategic Partners on that day"), default=0
    )
    threshold_met = models.BooleanField(_("request effective"), default=False)
    sit_by = models.DateField(_("must sit by"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `reason`
    #: keeps the text of rows written before.
    reason_msg = models.JSONField(_("reason"), default=dict, blank=True)
    reason_words = Words("reason_msg", "reason")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-id"]


class Meeting(models.Model):
    """A meeting of an organ. `statute_version` is the statute version in force on `date` when it
    was convened, and it decides everything about the meeting from then on (GOV-2 … GOV-7), even
    when a correction for that day is added later. Whatever creates a meeting, it takes that version
    on creation (`save`); a meeting created before the cluster had any falls back to the version in
    force on its day and keeps it at its first governance write."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("ordinary")
        REPORTING_ELECTORAL = "reporting_electoral", _("ordinary reporting-electoral")
        EXTRAORDINARY = "extraordinary", _("extraordinary")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        CONVENED = "convened", _("convened")
        OPEN = "open", _("in session")
        CLOSED = "closed", _("closed")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="meetings")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    title = models.CharField(_("title"), max_length=300)
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("first term starts"))
    second_term_at = models.DateTimeField(_("second term starts"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.CharField(_("online link"), max_length=300, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="chaired_meetings",
        verbose_name=_("chair"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PLANNED
    )
    #: 1 or 2 (GOV-2: a second term, where the statute has one, may sit without a quorum).
    term = models.PositiveSmallIntegerField(_("term"), default=1)
    statute_version = models.ForeignKey(
        StatuteProfileVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("statute version"),
    )
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    irregular = models.BooleanField(_("irregular"), default=False)
    irregular_reason = models.TextField(_("why irregular"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `irregular_reason`
    #: keeps the text of rows written before.
    irregular_msg = models.JSONField(_("why irregular"), default=dict, blank=True)
    irregular_words = Words("irregular_msg", "irregular_reason")
    extraordinary_request = models.ForeignKey(
        ExtraordinaryRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    #: GOV-5: the objection window runs from here.
    summary_sent_at = models.DateTimeField(_("summary sent"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["cluster", "date"]), models.Index(fields=["organ", "date"])]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d.%m.%Y})"

    def save(self, *args, **kwargs):
        if self._state.adding and self.statute_version_id is None and self.cluster_id and self.date:
            # Any way a meeting comes into being (a service, the demo, a test) pins the version in
            # force on its day, as `meeting_convene` does.
            from klaster.core.services import statute_version_on

            self.statute_version = statute_version_on(self.cluster, self.date)
        super().save(*args, **kwargs)


class AgendaItem(models.Model):
    """A point of a meeting's agenda. An item with no meeting waits for the organ's next one
    (GOV-5 returned matters, GOV-11 declarations, GOV-12 presentations)."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("ordinary")
        DECLARATION = "declaration", _("declaration of inability or conflict of interest")
        RETURNED = "returned", _("matter returned after objections")
        ADMISSION = "admission", _("admission of a candidate")
        PRESENTATION = "presentation", _("candidate's presentation")
        ELECTION = "election", _("election")

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="agenda_items")
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="agenda_items"
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    title = models.CharField(_("title"), max_length=500)
    description = models.TextField(_("description"), blank=True)
    #: Why it is here, when the product put it here (the rule's reason).
    reason = models.TextField(_("why on the agenda"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `reason`
    #: keeps the text of rows written before.
    reason_msg = models.JSONField(_("why on the agenda"), default=dict, blank=True)
    reason_words = Words("reason_msg", "reason")
    source_vote = models.ForeignKey(
        "Vote", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "position", "id"]


class Attendance(models.Model):
    """Where one member (entity) stands at one meeting now: the current mode, kept in step with its
    events. For the Council and the Board the attendee is the seat-holding person (GOV-6)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        DelegatedPerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    mode = models.CharField(
        _("mode"), max_length=10, choices=AttendanceMode.choices, default=AttendanceMode.ABSENT
    )
    first_in = models.DateTimeField(_("first checked in"), null=True, blank=True)
    last_out = models.DateTimeField(_("last checked out"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "member"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="uniq_attendance_member")
        ]


class AttendanceEvent(models.Model):
    """A check-in or check-out with its time and mode — attendance as events, never overwritten."""

    class Kind(models.TextChoices):
        CHECK_IN = "in", _("check-in")
        CHECK_OUT = "out", _("check-out")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance_events")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    person_name = models.CharField(_("person"), max_length=200, blank=True)
    kind = models.CharField(_("event"), max_length=3, choices=Kind.choices)
    mode = models.CharField(_("mode"), max_length=10, choices=AttendanceMode.choices)
    at = models.DateTimeField(_("when"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "at", "id"]
        indexes = [models.Index(fields=["meeting", "member"])]


class Proxy(models.Model):
    """A member's vote given to a natural person for one meeting (GOV-4), with the time the e-mail
    reached the coordinator. Refused proxies are kept with the reason."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")
        LAPSED = "lapsed", _("lapsed: the giver attends")
        SUPERSEDED = "superseded", _("superseded by a later proxy")
        WITHDRAWN = "withdrawn", _("withdrawn")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="proxies")
    giver = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    holder_name = models.CharField(_("holder (natural person)"), max_length=200)
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="held_proxies",
    )
    received_at = models.DateTimeField(_("reached the coordinator"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    code = models.CharField(_("rule outcome"), max_length=20, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `reason`
    #: keeps the text of rows written before.
    reason_msg = models.JSONField(_("reason"), default=dict, blank=True)
    reason_words = Words("reason_msg", "reason")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting", "received_at", "id"]
        indexes = [models.Index(fields=["meeting", "status"])]
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")


class Vote(models.Model):
    """One vote at a meeting. Opened only with a quorum; `snapshot` keeps who was entitled, present
    and represented (and why) at that moment, and the proxies as re-checked then (GOV-2, GOV-4).
    The outcome is computed with the profile's rule and stored with the rule and the full count."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        CLOSED = "closed", _("closed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="votes")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="votes"
    )
    number = models.PositiveIntegerField(_("number at the meeting"))
    title = models.CharField(_("matter"), max_length=500)
    decision = models.CharField(_("kind of decision"), max_length=40, default="ordinary")
    admission = models.ForeignKey(
        "Admission", on_delete=models.SET_NULL, null=True, blank=True, related_name="votes"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    term = models.PositiveSmallIntegerField(_("term"), default=1)
    opened_at = models.DateTimeField(_("opened"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    entitled = models.PositiveIntegerField(_("entitled"))
    present_in_person = models.PositiveIntegerField(default=0)
    present_online = models.PositiveIntegerField(default=0)
    present_proxy = models.PositiveIntegerField(default=0)
    quorum_required = models.PositiveIntegerField(default=0)
    quorum_reason = models.TextField(_("quorum"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `quorum_reason`
    #: keeps the text of rows written before.
    quorum_msg = models.JSONField(_("quorum"), default=dict, blank=True)
    quorum_words = Words("quorum_msg", "quorum_reason")
    #: The statute version the vote was opened under (its meeting's); closing applies it too.
    statute_version = models.ForeignKey(
        StatuteProfileVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("statute version"),
    )
    #: Also the numbers that version gave this vote (`snapshot["numbers"]`: quorum, majority, proxy cap).
    snapshot = models.JSONField(_("entitled, present and represented when opened"), default=dict)
    # The outcome (filled when closed).
    for_count = models.PositiveIntegerField(null=True, blank=True)
    against_count = models.PositiveIntegerField(null=True, blank=True)
    abstain_count = models.PositiveIntegerField(null=True, blank=True)
    not_voting_count = models.PositiveIntegerField(null=True, blank=True)
    absent_count = models.PositiveIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    majority_kind = models.CharField(max_length=40, blank=True)
    rule_text = models.TextField(_("rule"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `rule_text`
    #: keeps the text of rows written before.
    rule_msg = models.JSONField(_("rule"), default=dict, blank=True)
    rule_words = Words("rule_msg", "rule_text")
    reading = models.TextField(_("reading"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `reading`
    #: keeps the text of rows written before.
    reading_msg = models.JSONField(_("reading"), default=dict, blank=True)
    reading_words = Words("reading_msg", "reading")
    outcome_reason = models.TextField(_("outcome"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `outcome_reason`
    #: keeps the text of rows written before.
    outcome_msg = models.JSONField(_("outcome"), default=dict, blank=True)
    outcome_words = Words("outcome_msg", "outcome_reason")

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="uniq_vote_number")
        ]
        verbose_name = _("vote")
        verbose_name_plural = _("votes")

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class VoteRight(models.Model):
    """Who may cast the ballot of one entitled member in one vote, fixed when the vote opened:
    its own representatives (present in person or online) or its proxy's holder."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="rights")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=10, choices=AttendanceMode.choices)
    proxy = models.ForeignKey(
        Proxy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    holder_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["vote", "member"]
        constraints = [models.UniqueConstraint(fields=["vote", "member"], name="uniq_vote_right")]
        indexes = [models.Index(fields=["vote", "holder_user"])]


class Ballot(models.Model):
    """One member's ballot in one vote (one entity, one vote — GOV-1): the member it counts for and
    the person who cast it. The unique constraint makes a second ballot for a member impossible."""

    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        ABSTAIN = "abstain", _("abstain")

    class Via(models.TextChoices):
        OWN = "own", _("its own representative")
        PROXY = "proxy", _("proxy holder")
        CHAIR = "chair", _("recorded by the chair")

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("choice"), max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cast_by_name = models.CharField(_("cast by"), max_length=200)
    via = models.CharField(_("cast as"), max_length=10, choices=Via.choices)
    proxy = models.ForeignKey(
        Proxy, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cast_at = models.DateTimeField(_("cast at"))

    class Meta:
        ordering = ["vote", "member"]
        constraints = [
            models.UniqueConstraint(fields=["vote", "member"], name="uniq_ballot_vote_member")
        ]


class Resolution(models.Model):
    """The numbered register of resolutions (per organ and year), each with the rule used, the full
    count and whether it passed (GOV-3)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="resolutions")
    organ = models.ForeignKey(Organ, on_delete=models.PROTECT, related_name="resolutions")
    year = models.PositiveIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    vote = models.OneToOneField(Vote, on_delete=models.PROTECT, related_name="resolution")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="resolutions")
    title = models.CharField(_("matter"), max_length=500)
    adopted_on = models.DateField(_("date"))
    passed = models.BooleanField(_("passed"))
    rule_text = models.TextField(_("rule"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `rule_text`
    #: keeps the text of rows written before.
    rule_msg = models.JSONField(_("rule"), default=dict, blank=True)
    rule_words = Words("rule_msg", "rule_text")
    reading = models.TextField(_("reading"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `reading`
    #: keeps the text of rows written before.
    reading_msg = models.JSONField(_("reading"), default=dict, blank=True)
    reading_words = Words("reading_msg", "reading")
    tally = models.TextField(_("count"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `tally`
    #: keeps the text of rows written before.
    tally_msg = models.JSONField(_("count"), default=dict, blank=True)
    tally_words = Words("tally_msg", "tally")
    reason = models.TextField(_("outcome"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `reason`
    #: keeps the text of rows written before.
    reason_msg = models.JSONField(_("outcome"), default=dict, blank=True)
    reason_words = Words("reason_msg", "reason")
    #: The statute version the outcome was computed under (the vote's).
    statute_version = models.ForeignKey(
        StatuteProfileVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("statute version"),
    )
    #: GOV-5: set when objections sent the matter back to the organ's next meeting.
    returned_on = models.DateField(_("returned after objections"), null=True, blank=True)

    class Meta:
        ordering = ["organ", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "year", "number"], name="uniq_resolution_number"
            )
        ]
        verbose_name = _("resolution")
        verbose_name_plural = _("resolutions")

    def __str__(self) -> str:
        return f"{self.number}/{self.year}"


class Objection(models.Model):
    """An objection to a vote by a member that did not take part (GOV-5), with whether it counted."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="objections")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(_("received"))
    text = models.TextField(_("objection"), blank=True)
    valid = models.BooleanField(_("counts"))
    reason = models.TextField(_("reason"), blank=True)
    #: The rule's words as a stored message (`klaster.rules.message.to_json`); `reason`
    #: keeps the text of rows written before.
    reason_msg = models.JSONField(_("reason"), default=dict, blank=True)
    reason_words = Words("reason_msg", "reason")
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["vote", "received_at", "id"]


class Declaration(models.Model):
    """A Council or Board member's declaration of inability or conflict of interest (GOV-11): goes
    to the coordinator and the chair, and onto the organ's next agenda."""

    class Kind(models.TextChoices):
        INABILITY = "inability", _("inability to act")
        CONFLICT = "conflict", _("conflict of interest")

    organ = models.ForeignKey(Organ, on_delete=models.CASCADE, related_name="declarations")
    person = models.ForeignKey(DelegatedPerson, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("declaration"))
    declared_on = models.DateField(_("received on"))
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: Sent by e-mail to the coordinator's office and the organ's chair (001 dec. 8–9); empty while
    #: not sent — the declaration is kept, and the office can send it again.
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    send_error = models.TextField(_("sending error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-declared_on", "-id"]


class Admission(models.Model):
    """A candidate's file (GOV-12): declaration, acceptance of the rules, KKK data, recommendations,
    presentation, entry-fee deposit; the deciding meeting and the decision."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("pending")
        ADMITTED = "admitted", _("admitted")
        REFUSED = "refused", _("refused")

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="admissions")
    candidate = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="admissions")
    category = models.CharField(
        _("category applied for"),
        max_length=20,
        choices=[("partner", _("Partner")), ("strategic_partner", _("Strategic Partner"))],
    )
    declaration_signed_on = models.DateField(_("declaration signed"), null=True, blank=True)
    rules_accepted_on = models.DateField(_("rules accepted"), null=True, blank=True)
    monitoring_data_provided = models.BooleanField(_("KKK monitoring data provided"), default=False)
    recommenders = models.ManyToManyField(Member, blank=True, related_name="+")
    presentation_sent_on = models.DateField(_("presentation sent"), null=True, blank=True)
    entry_fee_due = models.DecimalField(
        _("entry fee due"), max_digits=12, decimal_places=2, default=0
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="admissions"
    )
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class FeePayment(models.Model):
    """A payment towards the entry fee (GOV-12: 25 % before the deciding meeting, kept if refused)."""

    admission = models.ForeignKey(Admission, on_delete=models.CASCADE, related_name="payments")
    paid_on = models.DateField(_("paid on"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["paid_on", "id"]


class MediationCase(models.Model):
    """A conflict reported to the Council Presidium (GOV-13): 30 days from the written report; a
    presidium member involved stands aside."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    reported_on = models.DateField(_("reported in writing on"))
    subject = models.CharField(_("subject"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    parties = models.ManyToManyField(Member, blank=True, related_name="+")
    involved_persons = models.ManyToManyField(DelegatedPerson, blank=True, related_name="+")
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reported_on", "-id"]


class IndividualMeeting(models.Model):
    """The coordinator's meeting with one member (GOV-15), individual or on another occasion."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    met_on = models.DateField(_("met on"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["-met_on", "-id"]
        indexes = [models.Index(fields=["cluster", "member", "met_on"])]


class SummaryDispatch(models.Model):
    """A meeting's summary sent by e-mail (GOV-14): to whom, when, and how it went."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="dispatches")
    sent_at = models.DateTimeField(_("sent"))
    recipients = models.JSONField(_("recipients"), default=list)
    sent_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-sent_at"]
