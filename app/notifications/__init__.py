"""Notifications: push devices, FCM and inbox-only push adapters, the in-app inbox."""
