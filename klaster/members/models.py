"""The member registry (SPEC §1, MEM-2 … MEM-12)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from klaster.core.models import Cluster
from klaster.rules.text import fold


def member_search_text(name: str, city: str) -> str:
    """What a member's ``search`` column holds (issue 9): its name and city, folded."""
    return f"{fold(name or '')}\n{fold(city or '')}"[:430]


def _with_search(kwargs: dict, sources: tuple[str, ...]) -> None:
    """A save limited to some fields also saves ``search`` when one of its sources is among them."""
    fields = kwargs.get("update_fields")
    if fields is not None and set(fields) & set(sources):
        kwargs["update_fields"] = {*fields, "search"}


class MemberType(models.TextChoices):
    MICRO = "micro", _("micro enterprise")
    SMALL = "small", _("small enterprise")
    MEDIUM = "medium", _("medium enterprise")
    LARGE = "large", _("large enterprise")
    IOB = "iob", _("business-support institution (IOB)")
    SCIENCE = "science", _("science unit")
    OTHER = "other", _("other")


ENTERPRISE_TYPES = ("micro", "small", "medium", "large")


class Category(models.TextChoices):
    PARTNER = "partner", _("Partner")
    STRATEGIC = "strategic_partner", _("Strategic Partner")


class ScienceCategory(models.TextChoices):
    A_PLUS = "A+", "A+"
    A = "A", "A"
    B_PLUS = "B+", "B+"
    B = "B", "B"
    C = "C", "C"


class Status(models.TextChoices):
    CANDIDATE = "candidate", _("candidate")
    ACTIVE = "active", _("member")
    SUSPENDED = "suspended", _("suspended")
    FORMER = "former", _("former member")


class Member(models.Model):
    """A member entity (podmiot). The coordinator is one too (MEM-2)."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="members")
    key = models.CharField(_("identifier in the dataset"), max_length=40)
    name = models.CharField(_("legal name"), max_length=300)
    type = models.CharField(_("type"), max_length=10, choices=MemberType.choices)
    category = models.CharField(
        _("category"), max_length=20, choices=Category.choices, default=Category.PARTNER
    )
    honorary = models.BooleanField(_("honorary member"), default=False)
    nip = models.CharField("NIP", max_length=10, blank=True)
    regon = models.CharField("REGON", max_length=14, blank=True)
    krs = models.CharField("KRS", max_length=10, blank=True)
    website = models.URLField(_("website"), blank=True)
    pkd_codes = models.JSONField(_("PKD codes"), default=list, blank=True)
    # MEM-10 (000 §6.2.2): a preference for candidates, declared by the candidate.
    branch_revenue = models.BooleanField(
        _("earns revenue from the cluster's branch codes"),
        null=True,
        blank=True,
        help_text=_(
            "As the candidate declares: revenue from activity under a PKD code of the cluster's branch."
        ),
    )

    street = models.CharField(_("street"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=6, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    # Coordinates as given in the file or entered by hand; None means "geocode from the address".
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lon = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    location_given = models.BooleanField(_("coordinates entered by hand"), default=False)
    distance_km = models.PositiveIntegerField(
        _("distance from the coordinator (km)"), null=True, blank=True
    )
    distance_override_km = models.DecimalField(
        _("distance entered by hand (km)"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    location_note = models.CharField(_("how the seat was placed"), max_length=200, blank=True)

    independent = models.BooleanField(_("independent enterprise"), null=True, blank=True)
    science_category = models.CharField(
        _("scientific category"), max_length=2, choices=ScienceCategory.choices, blank=True
    )
    industry40 = models.BooleanField(_("uses Industry 4.0 solutions"), default=False)
    certificates = models.JSONField(
        _("branch and specialist certificates"), default=list, blank=True
    )

    # Cached from the membership events (the events are the truth, MEM-6).
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.ACTIVE
    )
    joined = models.DateField(_("joined"), null=True, blank=True)
    left = models.DateField(_("left"), null=True, blank=True)
    # Issue 9: the name and the city folded by klaster.rules.text.fold (lower case, no
    # diacritics, ł → l), so that "lodz" finds "Łódź". Filled by save() on every write; the bulk
    # dataset import fills it itself (exchange.dataset_io). A stored column rather than
    # PostgreSQL's unaccent: it works the same on SQLite and PostgreSQL (unaccent exists only on
    # the latter, and SQLite's LIKE folds ASCII case only); stored and typed text go through the
    # same Python function, so both databases answer alike; no extension (a superuser's
    # CREATE EXTENSION) is needed; and the member list tests one column of its covering index
    # with one LIKE instead of a LIKE per column.
    search = models.CharField(max_length=430, blank=True, default="", editable=False)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["cluster", "key"], name="uniq_member_key")]
        indexes = [
            # The member list (issue 8): its order (name, id), then every column it shows or
            # tests, so a page is read from this index alone, not the table. The distances come
            # first: SQLite reads a column of an index entry faster the nearer it is to the start.
            models.Index(
                fields=[
                    "cluster",
                    "name",
                    "id",
                    "distance_override_km",
                    "distance_km",
                    "key",
                    "type",
                    "category",
                    "status",
                    "city",
                    "nip",
                ],
                name="member_list_idx",
            ),
            # Issue 9: the count of a search (with or without a distance band) is answered from
            # this narrow index (0.66 MB for 10,000 members, against 1.4 MB for the list's index
            # with the folded column added): a count reads every entry of the cluster, on a new
            # connection per request from the file. A search's page (50 rows) stays on the
            # list's index, in name order, and reads those rows' columns from the table.
            models.Index(
                fields=["cluster", "distance_override_km", "distance_km", "search", "key", "nip"],
                name="member_search_idx",
            ),
            models.Index(fields=["cluster", "type"]),
            models.Index(fields=["cluster", "status"]),
            models.Index(fields=["cluster", "distance_km"]),
        ]
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search = member_search_text(self.name, self.city)
        _with_search(kwargs, ("name", "city"))
        super().save(*args, **kwargs)

    @property
    def is_enterprise(self) -> bool:
        return self.type in ENTERPRISE_TYPES

    @property
    def effective_distance_km(self):
        if self.distance_override_km is not None:
            return self.distance_override_km
        return self.distance_km


class ScienceSubunit(models.Model):
    """MEM-3: sub-units of a science unit with category A/A+ — listed, never counted as members."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="subunits")
    name = models.CharField(_("name"), max_length=300)
    category = models.CharField(_("category"), max_length=2, choices=[("A+", "A+"), ("A", "A")])

    def __str__(self) -> str:
        return self.name


class MembershipEvent(models.Model):
    """MEM-6: membership history as dated events, never overwritten."""

    class Kind(models.TextChoices):
        CANDIDATE = "candidate", _("candidacy filed")
        ADMITTED = "admitted", _("admitted")
        SUSPENDED = "suspended", _("suspended")
        RESUMED = "resumed", _("resumed")
        RESIGNED = "resigned", _("resigned")
        STRUCK_OFF = "struck_off", _("struck off")
        EXCLUDED = "excluded", _("excluded")
        RETURNED = "returned", _("returned")
        CATEGORY = "category", _("category changed")
        HONORARY_GRANTED = "honorary_granted", _("honorary title granted")
        HONORARY_WITHDRAWN = "honorary_withdrawn", _("honorary title withdrawn")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("effective date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    document = models.CharField(
        _("document"),
        max_length=300,
        blank=True,
        help_text=_(
            "For a category change or an honorary title: the resolution, e.g. GA resolution no. 5/2024."
        ),
    )
    # MEM-5: the category the member has from this event on (kind "category" only).
    category = models.CharField(
        _("new category"), max_length=20, choices=Category.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["member", "date"])]
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class DelegatedPerson(models.Model):
    """MEM-7 / MEM-8: 1–5 persons delegated by a member; at least one to the General Assembly."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="delegates")
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    position = models.CharField(_("position"), max_length=200, blank=True)
    to_general_assembly = models.BooleanField(_("delegated to the General Assembly"), default=False)
    link_ended = models.DateField(_("link with the member ended"), null=True, blank=True)
    link_end_reported = models.DateField(
        _("end reported to the coordinator"), null=True, blank=True
    )
    # MEM-12 (RODO art. 17): the day the person's data was erased on request; the row stays,
    # anonymised, so that what referred to it (events, seats, the audit log) still holds together.
    erased = models.DateField(_("personal data erased"), null=True, blank=True)
    # Issue 9: the name folded (klaster.rules.text.fold) for the global search; see Member.search.
    search = models.CharField(max_length=200, blank=True, default="", editable=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("delegated person")
        verbose_name_plural = _("delegated persons")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search = fold(self.name or "")[:200]
        _with_search(kwargs, ("name",))
        super().save(*args, **kwargs)


class LegalHold(models.Model):
    """MEM-12: a recorded reason why a person's data may not be erased yet (RODO art. 17(3),
    e.g. a claim being pursued or a retention duty). While one stands, erasure is refused."""

    person = models.ForeignKey(
        DelegatedPerson, on_delete=models.PROTECT, related_name="legal_holds"
    )
    reason = models.CharField(_("reason"), max_length=300)
    basis = models.CharField(_("legal basis"), max_length=300)
    until = models.DateField(
        _("until"), null=True, blank=True, help_text=_("Empty: until released.")
    )
    released = models.DateField(_("released on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")

    def __str__(self) -> str:
        return self.reason

    def in_force(self, on) -> bool:
        return self.released is None and (self.until is None or self.until >= on)


class NotificationEmail(models.Model):
    """MEM-7: 1–5 notification addresses per member (001 "Komunikacja" 1)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="notification_emails")
    email = models.EmailField(_("e-mail"))

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "email"], name="uniq_member_notification_email"
            )
        ]

    def __str__(self) -> str:
        return self.email


class IndependenceLink(models.Model):
    """MEM-11: partner or linked enterprises (Annex I to Reg. 651/2014)."""

    class Kind(models.TextChoices):
        PARTNER = "partner", _("partner enterprises")
        LINKED = "linked", _("linked enterprises")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="independence_links")
    other = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("relation"), max_length=10, choices=Kind.choices)
    since = models.DateField(_("since"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "other"], name="uniq_independence_link")
        ]


class MemberYear(models.Model):
    """MEM-12: a member's figures for one fiscal year."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveIntegerField(_("fiscal year"))
    revenue = models.DecimalField(
        _("revenue (PLN)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    export_revenue = models.DecimalField(
        _("export revenue (PLN)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    rd_expenditure = models.DecimalField(
        _("R&D expenditure (PLN)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    fte = models.DecimalField(
        _("employment (FTE)"), max_digits=9, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["year"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="uniq_member_year")]
        verbose_name = _("fiscal year figures")
        verbose_name_plural = _("fiscal year figures")


class IsoCertificate(models.Model):
    """MEM-12 / KKK 33: ISO certificates with their ICS area."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="iso")
    standard = models.CharField(_("standard"), max_length=100)
    ics = models.CharField("ICS", max_length=20, blank=True)

    class Meta:
        ordering = ["id"]


class StatisticsRound(models.Model):
    """MEM-12: the office asks every member for its figures of one fiscal year by a deadline;
    members fill them in the portal, completeness is tracked per member and reminders go out by
    themselves (klaster.members.jobs) until the office closes the round."""

    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="statistics_rounds")
    year = models.PositiveIntegerField(_("fiscal year"))
    deadline = models.DateField(_("deadline"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="uniq_statistics_round_year")
        ]
        verbose_name = _("statistics round")
        verbose_name_plural = _("statistics rounds")

    def __str__(self) -> str:
        return f"{self.year}"
