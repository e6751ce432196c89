"""The RSA key that signs the stand-in's ID tokens, and its public half as a JWKS."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ALGORITHM = "RS256"  # the only ID token signing algorithm Slack's discovery document lists


class SigningKey:
    """One key per stand-in, made on first use: making a 2048-bit key costs about 0.1 s, and
    most stand-ins (one per test) never sign anyone in."""

    def __init__(self) -> None:
        self._private: rsa.RSAPrivateKey | None = None
        self._kid = ""

    def sign(self, claims: dict[str, Any]) -> str:
        private = self._key()
        return jwt.encode(claims, private, algorithm=ALGORITHM, headers={"kid": self._kid})

    def jwks(self) -> dict[str, Any]:
        """What /openid/connect/keys serves: the public key, named by the `kid` tokens carry."""
        public = RSAAlgorithm.to_jwk(self._key().public_key(), as_dict=True)
        return {"keys": [{**public, "kid": self._kid, "use": "sig", "alg": ALGORITHM}]}

    def _key(self) -> rsa.RSAPrivateKey:
        if self._private is None:
            self._private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            self._kid = _thumbprint(RSAAlgorithm.to_jwk(self._private.public_key(), as_dict=True))
        return self._private


def _thumbprint(jwk: dict[str, Any]) -> str:
    """RFC 7638's key id: a hash of the key's required members, so it names this key only."""
    required = {name: jwk[name] for name in ("e", "kty", "n")}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True).encode()
    digest = hashlib.sha256(canonical).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
