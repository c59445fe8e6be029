"""Events: event invitations with RSVP, .ics and attendance (PLT-2)."""
