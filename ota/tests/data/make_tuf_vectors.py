#!/usr/bin/python3
"""Writes tuf_vectors.json: golden vectors from securesystemslib (TUF's reference library) for
Vigil's canonical JSON, keyids and signature verification.

Run with Debian's python3 and python3-securesystemslib, python3-cryptography:
    /usr/bin/python3 ota/tests/data/make_tuf_vectors.py > ota/tests/data/tuf_vectors.json
Keys are generated fresh each run; the C++ test only needs the vectors to agree with each other.
"""
import hashlib
import json

import securesystemslib.formats as formats
import securesystemslib.keys as sslib_keys
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

CANONICAL_INPUTS = [
    "",
    [1, 2, 3],
    [],
    {"A": [99]},
    {"x": 3, "y": 2},
    {"x": 3, "y": None},
    {"b": 'a"b\\c', "a": True, "\u00e9": "\n", "Z": False},
    {"nested": {"z": [{"b": 1, "a": -5}], "emoji": "\U0001F600", "ctl": "\u0001\t"}, "big": 9007199254740993},
    {"\u00e9": 1, "e": 2, "\u0100": 3, "E": 4, "": 5},
]


def ed25519_key():
    private = ed25519.Ed25519PrivateKey.generate()
    public_hex = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw).hex()
    key = {"keytype": "ed25519", "scheme": "ed25519", "keyval": {"public": public_hex}}
    return key, lambda data: private.sign(data).hex()


def sslib_key(generated):
    key = {"keytype": generated["keytype"], "scheme": generated["scheme"], "keyval": {"public": generated["keyval"]["public"]}}
    return key, lambda data: sslib_keys.create_signature(generated, data)["sig"]


def keyid(key):
    # Current securesystemslib's default keyid (SSlibKey): sha256 of the key object's canonical
    # JSON. (0.26's keys._get_keyid still hashes the legacy "keyid_hash_algorithms" field too.)
    return hashlib.sha256(formats.encode_canonical(key).encode("utf-8")).hexdigest()


def main():
    keys = [ed25519_key(), sslib_key(sslib_keys.generate_ecdsa_key()),
            sslib_key(sslib_keys.generate_rsa_key(scheme="rsassa-pss-sha256")),
            sslib_key(sslib_keys.generate_rsa_key(scheme="rsa-pkcs1v15-sha256"))]
    message = b"Vigil model update"
    signatures = [{"key": k, "keyid": keyid(k), "message": message.decode(), "signature": sign(message)} for k, sign in keys]
    signed = {"_type": "root", "spec_version": "1.0.31", "version": 1, "expires": "2030-01-01T00:00:00Z",
              "consistent_snapshot": True, "keys": {keyid(k): k for k, _ in keys},
              "roles": {role: {"keyids": [keyid(k) for k, _ in keys], "threshold": len(keys)}
                        for role in ("root", "timestamp", "snapshot", "targets")}}
    data = formats.encode_canonical(signed).encode("utf-8")
    root = {"signed": signed, "signatures": [{"keyid": keyid(k), "sig": sign(data)} for k, sign in keys]}
    vectors = {
        "generator": "securesystemslib " + __import__("securesystemslib").__version__,
        "canonical": [{"input": value, "canonical": formats.encode_canonical(value)} for value in CANONICAL_INPUTS],
        "signatures": signatures,
        "root": root,
    }
    print(json.dumps(vectors, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
