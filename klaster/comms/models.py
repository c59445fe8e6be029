"""Communications: newsletters, the outbox's pages, portal notices (PLT-2)."""
