"""The exercise arm on the platform: fitness tests, the lesion register, prescriptions,
session logs, symptom flags, adverse events and adherence (docs/concepts/exercise-platform.md)."""
