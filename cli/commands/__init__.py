"""Thin commands: parse options, call mujaz.core (or mujaz.models, for `mujaz models`), render."""
