"""A seeded, deterministic synthetic PREFERABLE-EFFECT trial as plain tables.

``generate_trial(seed)`` returns every table (participants, visits, questionnaire answers,
sessions, tracker days, resource use, withdrawals); the generative model is data
(``data/preferable-effect.toml``) and is documented in ``docs/concepts/synthetic.md``.
"""

from exonc.synthetic.model import TrialModel, load_model
from exonc.synthetic.trial import DEFAULT_SEED, SyntheticTrial, as_of, generate_trial

__all__ = ["DEFAULT_SEED", "SyntheticTrial", "TrialModel", "as_of", "generate_trial", "load_model"]
