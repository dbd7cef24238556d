"""Records, rules and reports as plain data. Imports nothing of typer, rich or tinydb."""
