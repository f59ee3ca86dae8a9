"""Article loading, Arabic text handling, segmentation and brief assembly.

Nothing here imports typer, rich, torch or transformers.
"""
