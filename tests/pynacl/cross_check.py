"""Cross-language check: the `sealpost` binary against PyNaCl (libsodium's Python binding).

Boxes sealed by `sealpost seal` must open with PyNaCl's SealedBox, and boxes sealed by
PyNaCl must open with `sealpost open`; keys made by `sealpost keygen` must work in PyNaCl.
Run by .ci/run after `cargo build -p sealpost-cli`:

    python3 tests/pynacl/cross_check.py target/debug/sealpost
"""

import base64
import json
import os
import subprocess
import sys

from nacl.public import PrivateKey, PublicKey, SealedBox

MESSAGES = [
    b"",
    b"x",
    b"hunter2\n",
    "p\u00e4ss w\u00f6rd \u2713\n".encode(),
    bytes(range(256)),
    os.urandom(48 * 1024),
]


def run(binary, args, stdin=b"", env=None):
    result = subprocess.run(
        [binary, *args], input=stdin, capture_output=True, env=env, check=False
    )
    if result.returncode != 0:
        sys.exit(f"{args[0]} failed ({result.returncode}): {result.stderr.decode()}")
    return result.stdout


def main():
    binary = sys.argv[1]
    checks = 0

    # sealpost seals, PyNaCl opens.
    recipient = PrivateKey.generate()
    public_b64 = base64.b64encode(bytes(recipient.public_key)).decode()
    for message in MESSAGES:
        sealed_b64 = run(binary, ["seal", "--key", public_b64], stdin=message)
        assert sealed_b64.endswith(b"\n"), "sealed output ends with a newline"
        opened = SealedBox(recipient).decrypt(base64.b64decode(sealed_b64))
        assert opened == message, f"PyNaCl opened something else for {len(message)} bytes"
        checks += 1

    # sealpost makes the keys, PyNaCl seals, sealpost opens.
    keys = json.loads(run(binary, ["keygen", "--json"]))
    public = PublicKey(base64.b64decode(keys["public_key"]))
    env = dict(os.environ, SEALPOST_SECRET_KEY=keys["secret_key"])
    assert bytes(PrivateKey(base64.b64decode(keys["secret_key"])).public_key) == bytes(public)
    for message in MESSAGES:
        sealed = SealedBox(public).encrypt(message)
        opened = run(binary, ["open"], stdin=base64.b64encode(sealed) + b"\n", env=env)
        assert opened == message, f"sealpost opened something else for {len(message)} bytes"
        checks += 1

    print(f"PyNaCl cross-check: {checks} round trips agree")


if __name__ == "__main__":
    main()
