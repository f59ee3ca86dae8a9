"""What the commands do, without a terminal: reading sources (files, URLs, pages), Arabic text,
segmentation, briefs, batches and their cache, datasets and scores for `mujaz eval`.

Nothing here imports typer, rich, torch or transformers.
"""
