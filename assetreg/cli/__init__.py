"""Typer apps, one module per noun; `main` mounts them."""
