"""Runs inside .venv-iso15118: the EV side of the envelope, done by the iso15118 package.

This file imports nothing from our code. It reads one JSON object on stdin and writes one
on stdout:

* ``decrypt``: {"recipient_key_pem", "dh_public_key", "encrypted"} -> {"private_value"}
  using ``iso15118.shared.security.decrypt_priv_key`` (what a vehicle runs);
* ``encrypt``: {"recipient_cert_der", "contract_key_pem"} -> {"dh_public_key", "encrypted"}
  using ``iso15118.shared.security.encrypt_priv_key``.
Byte strings travel as hex.
"""

import json
import sys

from cryptography.hazmat.primitives.serialization import load_pem_private_key
from iso15118.shared.security import decrypt_priv_key, encrypt_priv_key, to_ec_pub_key


def main() -> None:
    mode = sys.argv[1]
    request = json.load(sys.stdin)
    if mode == "decrypt":
        key = load_pem_private_key(request["recipient_key_pem"].encode(), password=None)
        peer = to_ec_pub_key(bytes.fromhex(request["dh_public_key"]))
        plain = decrypt_priv_key(bytes.fromhex(request["encrypted"]), key, peer)
        json.dump({"private_value": plain.hex()}, sys.stdout)
    elif mode == "encrypt":
        contract_key = load_pem_private_key(request["contract_key_pem"].encode(), password=None)
        dh_public, encrypted = encrypt_priv_key(
            bytes.fromhex(request["recipient_cert_der"]), contract_key
        )
        json.dump({"dh_public_key": dh_public.hex(), "encrypted": encrypted.hex()}, sys.stdout)
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
