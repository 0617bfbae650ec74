"""``python -m app`` is the ``emsp`` command."""

from app.cli import main

main()
