"""Entry point of ``python -m benchmarks.pki``."""

from benchmarks.pki.run import main

if __name__ == "__main__":
    main()
