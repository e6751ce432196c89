"""A self-signed certificate for the local emulator, so `from_connection_string` (always https)
works unmodified given REQUESTS_CA_BUNDLE=<cert path> (ACS_REST.md §0.1, §8)."""

from __future__ import annotations

import ipaddress
import os
import ssl
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

if TYPE_CHECKING:
    from pathlib import Path

CERT_FILE = "acs-emulator-cert.pem"
KEY_FILE = "acs-emulator-key.pem"
_VALIDITY = timedelta(days=365)
_RENEW_BEFORE = timedelta(days=1)


def ensure_certificate(directory: Path, host: str) -> tuple[Path, Path]:
    """Reuse a still-valid certificate for `host` (so trust set up once keeps working)."""
    cert_path, key_path = directory / CERT_FILE, directory / KEY_FILE
    if not _usable(cert_path, key_path, host):
        directory.mkdir(parents=True, exist_ok=True)
        key = ec.generate_private_key(ec.SECP256R1())
        _write_atomically(key_path, _key_pem(key), mode=0o600)
        _write_atomically(
            cert_path, _certificate(key, host).public_bytes(serialization.Encoding.PEM)
        )
    return cert_path, key_path


def server_context(cert_path: Path, key_path: Path) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(cert_path, key_path)
    return context


def _certificate(key: ec.EllipticCurvePrivateKey, host: str) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ACS emulator (local)")])
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + _VALIDITY)
    )
    for extension, critical in _extensions(key.public_key(), host):
        builder = builder.add_extension(extension, critical=critical)
    return builder.sign(key, hashes.SHA256())


def _extensions(
    public_key: ec.EllipticCurvePublicKey, host: str
) -> list[tuple[x509.ExtensionType, bool]]:
    """A self-signed root that is also the server certificate; the key identifiers and
    key usage keep strict verifiers (OpenSSL's X509_STRICT) content."""
    return [
        (x509.SubjectAlternativeName(_alt_names(host)), False),
        (x509.BasicConstraints(ca=True, path_length=0), True),
        (_key_usage(), True),
        (x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False),
        (x509.SubjectKeyIdentifier.from_public_key(public_key), False),
        (x509.AuthorityKeyIdentifier.from_issuer_public_key(public_key), False),
    ]


def _key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True, content_commitment=False, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip


def _alt_names(host: str) -> list[x509.GeneralName]:
    hosts = dict.fromkeys(["localhost", "127.0.0.1", "::1", host])
    return [_general_name(name) for name in hosts if name not in ("", "0.0.0.0", "::")]  # noqa: S104


def _general_name(host: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(host))
    except ValueError:
        return x509.DNSName(host)


def _usable(cert_path: Path, key_path: Path, host: str) -> bool:
    try:
        cert = x509.load_pem_x509_certificate(cert_path.read_bytes())
        names = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        key_path.stat()
    except (OSError, ValueError, x509.ExtensionNotFound):
        return False
    fresh = cert.not_valid_after_utc - datetime.now(UTC) > _RENEW_BEFORE
    return fresh and all(name in names for name in _alt_names(host))


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    temporary = path.with_suffix(path.suffix + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    os.replace(temporary, path)
