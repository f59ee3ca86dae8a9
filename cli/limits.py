"""Limits on input that no news article reaches, and batch sizes, shared by the options' defaults and the core.

A module of its own, importing nothing, so that `mujaz --help` does not pay for the core.
"""

MAX_BYTES = 10_000_000  # a news article is kilobytes, a heavy page a few MB; this stops runaway input
MAX_SENTENCES = 5000  # a long feature is a few hundred; more is not an article
CHUNK = 32  # articles per batch chunk: enough to fill model batches, little to lose on a crash
