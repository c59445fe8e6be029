from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from klaster.core.uploads import UploadSizeValidator


class ImportUploadForm(forms.Form):
    """Issue 2 point 6: a member list as XLSX or CSV, bounded before it is read (issue 7)."""

    file = forms.FileField(
        label=_("File (XLSX or CSV)"), validators=[UploadSizeValidator("member_import")]
    )
