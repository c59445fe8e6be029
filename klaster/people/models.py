"""People and access (PLT-1, issue 12 point 1): invitations, passwords, revocation."""
