"""mujaz (موجز, "the brief"): a bilingual brief of an Arabic news article."""

__version__ = "0.1.0"
