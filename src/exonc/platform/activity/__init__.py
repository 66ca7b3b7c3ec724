"""Activity trackers on the platform: uploads into the minute store, daily summaries in the
database, the participant's activity page, the centre overview with its two-week flags,
the patient's "your week" and per-visit-window summaries for statisticians."""
