"""The write path: planning a write against the stored state, and committing it."""
