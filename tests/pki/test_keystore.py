"""Key storage: encrypted at rest, signing through the store, nothing secret in repr."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec

from pki.builder import build_self_signed, subject_name
from pki.errors import KeyNotFoundError, KeyStoreError, PassphraseMissingError
from pki.keystore import (
    INSECURE_DEV_PASSPHRASE,
    EncryptedFileKeyStore,
    KeyHandle,
    MemoryKeyStore,
    passphrase_from_env,
)
from pki.profiles import KeyType, Role, profile_for

PASSPHRASE = b"correct horse battery staple"
NOW = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def test_keys_are_written_as_encrypted_pkcs8(tmp_path: Path) -> None:
    store = EncryptedFileKeyStore(tmp_path, PASSPHRASE)
    store.generate("mo-root", KeyType.SECP256R1)
    pem = (tmp_path / "mo-root.key.pem").read_text()
    assert pem.startswith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
    assert (tmp_path / "mo-root.key.pem").stat().st_mode & 0o077 == 0


def test_a_reopened_store_signs_with_the_same_key(tmp_path: Path) -> None:
    first = EncryptedFileKeyStore(tmp_path, PASSPHRASE)
    handle = first.generate("mo-root", KeyType.SECP256R1)
    second = EncryptedFileKeyStore(tmp_path, PASSPHRASE)
    again = second.handle("mo-root")
    assert again.public_key.public_numbers() == handle.public_key.public_numbers()  # type: ignore[union-attr]
    cert = build_self_signed(
        profile=profile_for(Role.MO_ROOT),
        subject=subject_name("Root", "EMSP Test", "DE", "V2G"),
        handle=again,
        keystore=second,
        serial=x509.random_serial_number(),
        not_before=NOW,
        not_after=NOW + dt.timedelta(days=365),
    )
    cert.verify_directly_issued_by(cert)


def test_wrong_passphrase_is_a_typed_error_without_key_material(tmp_path: Path) -> None:
    EncryptedFileKeyStore(tmp_path, PASSPHRASE).generate("mo-root", KeyType.SECP256R1)
    with pytest.raises(KeyStoreError) as info:
        EncryptedFileKeyStore(tmp_path, b"a different passphrase").handle("mo-root")
    assert "BEGIN" not in str(info.value)


def test_existing_keys_are_never_overwritten(tmp_path: Path) -> None:
    store = EncryptedFileKeyStore(tmp_path, PASSPHRASE)
    store.generate("mo-root", KeyType.SECP256R1)
    with pytest.raises(KeyStoreError):
        EncryptedFileKeyStore(tmp_path, PASSPHRASE).generate("mo-root", KeyType.SECP256R1)


def test_repr_of_handles_and_stores_shows_no_secret(tmp_path: Path) -> None:
    store = EncryptedFileKeyStore(tmp_path, PASSPHRASE)
    handle = store.generate("mo-root", KeyType.SECP256R1)
    memory = MemoryKeyStore()
    memory.generate("x", KeyType.SECP256R1)
    text = repr(handle) + repr(store) + repr(memory)
    assert "mo-root" in text
    assert PASSPHRASE.decode() not in text
    assert "private" not in text.lower()
    assert not hasattr(handle, "private_key")


def test_unknown_key_ids_raise(tmp_path: Path) -> None:
    with pytest.raises(KeyNotFoundError):
        EncryptedFileKeyStore(tmp_path, PASSPHRASE).handle("absent")
    with pytest.raises(KeyStoreError):
        MemoryKeyStore().generate("../escape", KeyType.SECP256R1)


def test_passphrase_comes_from_the_environment_or_an_explicit_insecure_flag() -> None:
    assert (
        passphrase_from_env({"EMSP_PKI_PASSPHRASE": "long enough secret"}) == b"long enough secret"
    )
    with pytest.raises(PassphraseMissingError):
        passphrase_from_env({})
    with pytest.raises(PassphraseMissingError):
        passphrase_from_env({"EMSP_PKI_PASSPHRASE": "short"})
    assert passphrase_from_env({}, insecure_dev=True) == INSECURE_DEV_PASSPHRASE


def test_short_passphrases_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PassphraseMissingError):
        EncryptedFileKeyStore(tmp_path, b"")


@pytest.mark.parametrize("key_type", list(KeyType), ids=lambda k: k.value)
def test_sign_bytes_signs_with_the_stored_key_in_both_stores(
    tmp_path: Path, key_type: KeyType
) -> None:
    """The raw signing operation of the template encoder: ECDSA with the type's hash, Ed448."""
    data = b"a TBSCertificate, or any bytes"
    handle = EncryptedFileKeyStore(tmp_path, PASSPHRASE).generate("ca", key_type)
    reopened = EncryptedFileKeyStore(tmp_path, PASSPHRASE)
    memory = MemoryKeyStore()
    memory_handle = memory.generate("ca", key_type)
    for store, h in ((reopened, reopened.handle("ca")), (memory, memory_handle)):
        signature = store.sign_bytes(h, data)
        public = h.public_key
        if isinstance(public, ec.EllipticCurvePublicKey):
            algorithm = key_type.hash_algorithm()
            assert algorithm is not None
            public.verify(signature, data, ec.ECDSA(algorithm))
        else:
            public.verify(signature, data)
    assert reopened.handle("ca").public_key == handle.public_key
    with pytest.raises(KeyNotFoundError):
        memory.sign_bytes(KeyHandle("absent", key_type, handle.public_key), data)


def test_an_existing_key_directory_is_tightened_to_0700(tmp_path: Path) -> None:
    keys = tmp_path / "keys"
    keys.mkdir()
    keys.chmod(0o755)
    EncryptedFileKeyStore(keys, PASSPHRASE).generate("mo-root", KeyType.SECP256R1)
    assert keys.stat().st_mode & 0o777 == 0o700
    keys.chmod(0o750)  # loosened again: reading a key tightens it too
    EncryptedFileKeyStore(keys, PASSPHRASE).handle("mo-root")
    assert keys.stat().st_mode & 0o777 == 0o700


def test_a_key_directory_that_is_a_file_or_someone_elses_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(KeyStoreError, match="not a directory"):
        EncryptedFileKeyStore(tmp_path / "file", PASSPHRASE).generate("k", KeyType.SECP256R1)
    keys = tmp_path / "keys"
    keys.mkdir(mode=0o755)
    keys.chmod(0o755)
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
    with pytest.raises(KeyStoreError, match="another user"):
        EncryptedFileKeyStore(keys, PASSPHRASE).generate("k", KeyType.SECP256R1)
    assert keys.stat().st_mode & 0o777 == 0o755  # not touched
    assert not any(keys.iterdir())
