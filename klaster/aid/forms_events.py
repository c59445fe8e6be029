"""Forms for a merger or a split entered by hand (AID-3): NIPs typed as a coordinator has them
(dashes and a PL prefix allowed), each resolved to the register's undertaking — an unknown or
invalid one is named in the field's error."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from klaster.aid import engine
from klaster.aid.models import Grant, Undertaking
from klaster.core.say import say
from klaster.rules.aid.check import AidRefused

DATE = forms.DateInput(attrs={"type": "date"})
MAX_LINES = 50


def _lines(text: str) -> list[str]:
    out = [line.strip() for line in (text or "").replace(",", "\n").splitlines()]
    return [line for line in out if line]


def _find(cluster_id: int, nip: str) -> Undertaking:
    try:
        return engine.find(cluster_id, nip)
    except AidRefused as exc:
        raise forms.ValidationError(say(exc.message)) from None


class MergerForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Day of the merger"), widget=DATE)
    absorbed = forms.CharField(
        label=gettext_lazy("Absorbed undertakings (NIP, one per line)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, cluster_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cluster_id = cluster_id

    def clean_absorbed(self) -> list[Undertaking]:
        nips = _lines(self.cleaned_data["absorbed"])
        if not nips:
            raise forms.ValidationError(_("Name at least one undertaking that was absorbed."))
        if len(nips) > MAX_LINES:
            raise forms.ValidationError(_("At most %(n)s lines.") % {"n": MAX_LINES})
        return [_find(self.cluster_id, nip) for nip in nips]


class SplitForm(forms.Form):
    date = forms.DateField(label=gettext_lazy("Day of the split"), widget=DATE)
    successors = forms.CharField(
        label=gettext_lazy("Successors: NIP; equity in PLN at the split (one per line)"),
        help_text=gettext_lazy(
            "Name this undertaking among them if it goes on existing. Grants not assigned below "
            "are shared by the successors in proportion to their equity."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args, cluster_id: int, grants: list[Grant], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cluster_id = cluster_id
        self.grants = grants
        for g in grants:
            self.fields[f"grant_{g.pk}"] = forms.CharField(
                label=_(
                    "Grant of %(date)s (%(body)s): NIP of the successor that took over its "
                    "activity (empty: shared by equity)"
                )
                % {"date": g.granted_on.strftime("%d.%m.%Y"), "body": g.body_name},
                required=False,
                max_length=20,
            )

    def clean_successors(self) -> list[tuple[Undertaking, Decimal]]:
        out = []
        lines = [x.strip() for x in self.cleaned_data["successors"].splitlines() if x.strip()]
        if len(lines) > MAX_LINES:
            raise forms.ValidationError(_("At most %(n)s lines.") % {"n": MAX_LINES})
        for k, line in enumerate(lines, start=1):
            for sep in (";", "\t", " "):
                nip, found, equity = line.partition(sep)
                if found:
                    break
            try:
                amount = Decimal(equity.strip().replace(" ", "").replace(",", ".") or "x")
            except InvalidOperation:
                raise forms.ValidationError(
                    _("Line %(k)s: give the NIP and the equity in PLN, e.g. 5260250274; 100000.")
                    % {"k": k}
                ) from None
            out.append((_find(self.cluster_id, nip), amount))
        return out

    def assignments(self) -> list[tuple[Grant, Undertaking]]:
        """(grant, successor) for every grant given an NIP; call after is_valid()."""
        out = []
        for g in self.grants:
            nip = (self.cleaned_data.get(f"grant_{g.pk}") or "").strip()
            if nip:
                try:
                    out.append((g, engine.find(self.cluster_id, nip)))
                except AidRefused as exc:
                    self.add_error(f"grant_{g.pk}", say(exc.message))
        return out
