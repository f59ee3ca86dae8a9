"""Summarisers and translators behind small interfaces (no typer, no rich).

Heavy libraries (torch, transformers) are imported inside the methods that run
a model, so that importing this package stays cheap.
"""
