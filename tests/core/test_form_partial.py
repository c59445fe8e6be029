"""Issue 8 point 3: the one form block (templates/partials/form_fields.html). Each visible field has a
label tied to its input; its help and its errors stand under the ids the widget names in
aria-describedby, and the form's own errors are announced (role="alert")."""

from __future__ import annotations

import re

from django import forms
from django.template.loader import render_to_string


class _Form(forms.Form):
    name = forms.CharField(label="nazwa", help_text="Pełna nazwa.")
    email = forms.EmailField(label="E-mail", required=False)
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        raise forms.ValidationError("Ktoś zapisał wcześniej.")


def _html(form: forms.Form, **extra) -> str:
    return render_to_string("partials/form_fields.html", {"form": form, **extra})


def test_labels_help_and_errors_are_tied_to_their_inputs():
    form = _Form({"name": "", "email": "zły", "version": "1.abc"})
    assert not form.is_valid()
    html = _html(form)
    assert '<ul class="errorlist" role="alert"><li>Ktoś zapisał wcześniej.</li></ul>' in html
    for name in ("name", "email"):
        assert f'<label for="id_{name}">' in html
        tag = re.search(rf'<input[^>]*id="id_{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in tag
        for target in re.search(r'aria-describedby="([^"]+)"', tag).group(1).split():
            assert f'id="{target}"' in html, f"{target} is described by nothing on the page"
    assert "Nazwa" in html  # capitalised label
    assert 'type="hidden" name="version"' in html and '<label for="id_version"' not in html
    assert "<button" not in html


def test_the_submit_button_when_asked():
    assert '<button type="submit">Zapisz</button>' in _html(_Form(), submit="Zapisz")


def test_no_page_writes_its_own_form_block():
    """Issue 9 point 2: every form's fields go through the one partial (labels tied to inputs,
    help and errors shown); a template looping over a form's fields itself is a copy of it. The
    two left are not form blocks: the experts' score grid (each label carries its range) and the
    one-field "resolved" form inside a table cell."""
    from pathlib import Path

    allowed = {"kkk/templates/kkk/experts.html", "governance/templates/governance/mediation.html"}
    root = Path(__file__).resolve().parents[2] / "klaster"
    copies = [
        str(path.relative_to(root))
        for path in root.rglob("*.html")
        if "{% for field in" in path.read_text(encoding="utf-8")
        and "partials" not in path.parts
        and str(path.relative_to(root)) not in allowed
    ]
    assert copies == []
