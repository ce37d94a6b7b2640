"""Notifications: where they go (targets) and how they are sent (Apprise)."""
