"""Thin commands: parse options, call mujaz.core, render."""
