"""Key storage behind a small interface.

CA private keys live in a :class:`KeyStore`. Callers hold a :class:`KeyHandle` (an id and the
public key) and ask the store to sign; the private key object never leaves the store, so
swapping the encrypted-file store for an HSM later changes one class, not its callers.
Keys are written as PKCS#8 encrypted with a passphrase (PBKDF2 + AES-256-CBC as chosen by
``BestAvailableEncryption``), never in the clear and never logged.
"""

from __future__ import annotations

import os
import re
import stat
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448
from cryptography.x509 import ocsp

from pki.errors import KeyNotFoundError, KeyStoreError, PassphraseMissingError
from pki.profiles import KeyType, key_type_of

PASSPHRASE_ENV = "EMSP_PKI_PASSPHRASE"  # noqa: S105 (a variable name, not a secret)
INSECURE_DEV_PASSPHRASE = b"insecure-dev-passphrase-never-use-in-production"
_MIN_PASSPHRASE = 12
_KEY_ID = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")

PrivateKey = ec.EllipticCurvePrivateKey | ed448.Ed448PrivateKey
PublicKey = ec.EllipticCurvePublicKey | ed448.Ed448PublicKey


@dataclass(frozen=True, slots=True)
class KeyHandle:
    """A reference to a key held by a store: its id, type and public half only."""

    key_id: str
    key_type: KeyType
    public_key: PublicKey = field(repr=False, compare=False)

    def __repr__(self) -> str:
        return f"KeyHandle(key_id={self.key_id!r}, key_type={self.key_type.value})"


class KeyStore(Protocol):
    """Where CA keys live. Every operation that needs a private key goes through here."""

    def generate(self, key_id: str, key_type: KeyType) -> KeyHandle:
        """Create and persist a new key; refuse to overwrite an existing id."""
        ...

    def handle(self, key_id: str) -> KeyHandle:
        """Return the handle of an existing key."""
        ...

    def sign_certificate(
        self, handle: KeyHandle, builder: x509.CertificateBuilder
    ) -> x509.Certificate:
        """Sign a certificate with the key behind ``handle``."""
        ...

    def sign_bytes(self, handle: KeyHandle, data: bytes) -> bytes:
        """Sign ``data`` (an encoded TBSCertificate) with the key behind ``handle``.

        The algorithm is tied to the key type as in :meth:`sign_certificate`. This is the
        operation an HSM offers; the template encoder of :mod:`pki.tbs_template` uses it.
        """
        ...

    def sign_crl(
        self, handle: KeyHandle, builder: x509.CertificateRevocationListBuilder
    ) -> x509.CertificateRevocationList:
        """Sign a CRL with the key behind ``handle``."""
        ...

    def sign_ocsp(self, handle: KeyHandle, builder: ocsp.OCSPResponseBuilder) -> ocsp.OCSPResponse:
        """Sign an OCSP response with the key behind ``handle``."""
        ...


def passphrase_from_env(
    environ: dict[str, str] | None = None, *, insecure_dev: bool = False
) -> bytes:
    """Read the CA key passphrase from ``EMSP_PKI_PASSPHRASE``.

    Without it the call fails, unless ``insecure_dev`` is set explicitly, which returns a
    fixed, publicly known passphrase suitable only for throw-away test ecosystems.
    """
    env = os.environ if environ is None else environ
    value = env.get(PASSPHRASE_ENV, "")
    if value:
        if len(value) < _MIN_PASSPHRASE:
            raise PassphraseMissingError(
                f"{PASSPHRASE_ENV} must be at least {_MIN_PASSPHRASE} characters"
            )
        return value.encode()
    if insecure_dev:
        return INSECURE_DEV_PASSPHRASE
    raise PassphraseMissingError(
        f"set {PASSPHRASE_ENV} to encrypt CA keys "
        "(or pass --insecure-dev-passphrase for a throw-away test ecosystem)"
    )


def write_private_file(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 0600 from the first byte on and write ``data``.

    ``O_EXCL`` refuses an existing file and, with it, a symlink planted at ``path`` (it is
    never followed); there is no moment in which the file exists with wider permissions.
    Raises ``FileExistsError`` when ``path`` exists.
    """
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)


def secure_directory(path: Path, *, create: bool = True) -> None:
    """Make ``path`` a directory only its owner can enter: create it 0700, or tighten it.

    An existing directory with group or other bits (e.g. 0755 from a manual ``mkdir``) is
    tightened to its owner bits; we chose tightening over refusing because the files in
    it are encrypted and 0600 already, so the directory mode is defence in depth and an
    operator gains nothing from a hard stop. A directory owned by another user is refused
    (:class:`~pki.errors.KeyStoreError`): we neither chmod nor trust it. The mode is
    changed through a descriptor of the directory opened, so a rename in between cannot
    redirect the ``chmod``. Without ``create`` a missing directory raises
    ``FileNotFoundError``.
    """
    try:
        if create:
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except (FileExistsError, NotADirectoryError):
        raise KeyStoreError(f"{path} is not a directory") from None
    try:
        info = os.fstat(fd)
        if info.st_uid != os.geteuid():
            raise KeyStoreError(f"{path} belongs to another user; refusing to keep keys in it")
        mode = stat.S_IMODE(info.st_mode)
        if mode & 0o077:
            os.fchmod(fd, mode & 0o700)
    finally:
        os.close(fd)


def _check_id(key_id: str) -> None:
    if not _KEY_ID.match(key_id):
        raise KeyStoreError("key id must be lower-case letters, digits, '.', '_' or '-'")


class _SigningStore:
    """Signing shared by the stores: looks a private key up by handle and signs."""

    def __init__(self) -> None:
        self._keys: dict[str, PrivateKey] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(keys={sorted(self._keys)!r})"

    def _private(self, handle: KeyHandle) -> PrivateKey:
        key = self._keys.get(handle.key_id)
        if key is None:
            raise KeyNotFoundError(f"no key {handle.key_id!r} in this store")
        return key

    def sign_certificate(
        self, handle: KeyHandle, builder: x509.CertificateBuilder
    ) -> x509.Certificate:
        """Sign with the hash tied to the key type (ISO 15118-2 Annex F: ECDSA-SHA256)."""
        key = self._private(handle)
        return builder.sign(key, handle.key_type.hash_algorithm())

    def sign_bytes(self, handle: KeyHandle, data: bytes) -> bytes:
        """Sign raw bytes: the signatureValue of RFC 5280 4.1.1.3 over a DER TBSCertificate.

        ECDSA returns the DER ``Ecdsa-Sig-Value`` (RFC 5758 3.2) with the hash of the key
        type (ISO 15118-2 Annex F: SHA-256); Ed448 signs the message itself (RFC 8410 3).
        """
        key = self._private(handle)
        if isinstance(key, ec.EllipticCurvePrivateKey):
            algorithm = handle.key_type.hash_algorithm()
            if algorithm is None:
                raise KeyStoreError(f"key {handle.key_id!r} is ECDSA but its type has no hash")
            return key.sign(data, ec.ECDSA(algorithm))
        return key.sign(data)

    def sign_crl(
        self, handle: KeyHandle, builder: x509.CertificateRevocationListBuilder
    ) -> x509.CertificateRevocationList:
        """Sign a CRL (RFC 5280 section 5) with the issuing CA key."""
        key = self._private(handle)
        return builder.sign(key, handle.key_type.hash_algorithm())

    def sign_ocsp(self, handle: KeyHandle, builder: ocsp.OCSPResponseBuilder) -> ocsp.OCSPResponse:
        """Sign an OCSP basic response (RFC 6960 section 4.2.1)."""
        key = self._private(handle)
        return builder.sign(key, handle.key_type.hash_algorithm())

    def _remember(self, key_id: str, key: PrivateKey) -> KeyHandle:
        with self._lock:
            self._keys[key_id] = key
        return KeyHandle(key_id, key_type_of(key), key.public_key())


class MemoryKeyStore(_SigningStore):
    """Keys held only in process memory: tests and benchmarks, never persisted."""

    def generate(self, key_id: str, key_type: KeyType) -> KeyHandle:
        """Create a key; ids are unique within the store."""
        _check_id(key_id)
        if key_id in self._keys:
            raise KeyStoreError(f"key {key_id!r} already exists")
        return self._remember(key_id, key_type.generate())

    def handle(self, key_id: str) -> KeyHandle:
        """Return the handle of a key created earlier."""
        key = self._keys.get(key_id)
        if key is None:
            raise KeyNotFoundError(f"no key {key_id!r} in this store")
        return KeyHandle(key_id, key_type_of(key), key.public_key())


class EncryptedFileKeyStore(_SigningStore):
    """PKCS#8 files encrypted with a passphrase, one per key, mode 0600.

    Keys are decrypted once, on first use, and kept in memory for signing: key derivation
    from the passphrase is deliberately slow and must not run per signature.
    """

    def __init__(self, directory: Path, passphrase: bytes) -> None:
        super().__init__()
        if len(passphrase) < _MIN_PASSPHRASE:
            raise PassphraseMissingError("a passphrase of at least 12 bytes is required")
        self._directory = directory
        self._encryption = serialization.BestAvailableEncryption(passphrase)
        self._passphrase = passphrase
        self._directory_secured = False

    def _secure_directory(self, *, create: bool) -> None:
        """Create ``keys/`` 0700, or tighten an existing one (once per store instance)."""
        if not self._directory_secured:
            secure_directory(self._directory, create=create)
            self._directory_secured = True

    def __repr__(self) -> str:
        return f"EncryptedFileKeyStore(directory={str(self._directory)!r})"

    def _path(self, key_id: str) -> Path:
        _check_id(key_id)
        return self._directory / f"{key_id}.key.pem"

    def generate(self, key_id: str, key_type: KeyType) -> KeyHandle:
        """Create a key and write it encrypted; existing files are never overwritten."""
        path = self._path(key_id)
        self._secure_directory(create=True)
        key = key_type.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, self._encryption
        )
        try:
            write_private_file(path, pem)
        except FileExistsError as exc:
            raise KeyStoreError(f"key {key_id!r} already exists") from exc
        return self._remember(key_id, key)

    def handle(self, key_id: str) -> KeyHandle:
        """Load (decrypting once) and return the handle of a stored key."""
        key = self._keys.get(key_id)
        if key is None:
            key = self._load(key_id)
        return KeyHandle(key_id, key_type_of(key), key.public_key())

    def _load(self, key_id: str) -> PrivateKey:
        path = self._path(key_id)
        try:
            self._secure_directory(create=False)
            data = path.read_bytes()
        except FileNotFoundError as exc:
            raise KeyNotFoundError(f"no key {key_id!r} in this store") from exc
        try:
            key = serialization.load_pem_private_key(data, password=self._passphrase)
        except (ValueError, TypeError):
            # Never echo the file or the library message: both could carry key material.
            raise KeyStoreError(f"key {key_id!r} cannot be decrypted (wrong passphrase?)") from None
        if not isinstance(key, ec.EllipticCurvePrivateKey | ed448.Ed448PrivateKey):
            raise KeyStoreError(f"key {key_id!r} is not an ISO 15118 key type")
        key_type_of(key)
        with self._lock:
            self._keys[key_id] = key
        return key
