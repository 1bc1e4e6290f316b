"""Starting, locking and ending a session: first-run set-up, login, idle lock."""
