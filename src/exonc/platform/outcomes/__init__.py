"""Patient-reported outcomes in the platform: questionnaire responses, forms and scores.

Raw item answers are stored as given; scores are derived with :mod:`exonc.questionnaires`
and stored with the scoring version that produced them, so they can be recomputed. See
``docs/concepts/outcomes.md``.
"""
