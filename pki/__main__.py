"""``python -m pki``: the same commands as ``emsp pki``."""

from pki.cli import pki_cli

if __name__ == "__main__":
    pki_cli()
