"""Which documents go to KSeF at all (issue 10, point 3).

Only a taxable fee's invoice to a member that is a VAT payer is an FA(3) e-invoice sent through
KSeF; a fee the cluster treats as outside VAT gets a debit note (FIN-2), and — as the issue
decides — a member that is not a VAT payer gets no KSeF document either.
"""

from __future__ import annotations


def ksef_required(*, fee_taxable: bool, buyer_vat_payer: bool) -> bool:
    """Whether the document for this fee and member is sent through KSeF."""
    return fee_taxable and buyer_vat_payer
