"""``vfa workspace encrypt`` and ``vfa workspace decrypt``: a workspace file at rest."""

from __future__ import annotations

import argparse
import sys

from vfa.cli.common import Add, emit
from vfa.errors import InvalidInputError
from vfa.storage.passphrases import Passphrase, passphrase_for


def _passphrase(verb: str) -> Passphrase:
    """The passphrase of this command: ``--passphrase-file``, else ``$VFA_PASSPHRASE``."""
    found = passphrase_for(None)
    if found is None:
        raise InvalidInputError(
            f"give the passphrase to {verb} with: --passphrase-file FILE (its first line) or "
            "VFA_PASSPHRASE; never on the command line, where others can read it"
        )
    return found


def _report(args: argparse.Namespace, done: object, verb: str) -> int:
    from vfa.services.encryption import Conversion

    assert isinstance(done, Conversion)
    data = {
        "workspace": str(done.path),
        "encrypted": done.encrypted,
        "backup": str(done.backup),
        "backups_converted": done.backups,
        "backups_left": done.left,
    }
    for problem in done.left:
        print(f"vfa: warning: a backup was left as it was: {problem}", file=sys.stderr)
    emit(
        args,
        data,
        lambda d: (
            f"{verb} {d['workspace']} and {d['backups_converted']} backup(s); the state before "
            f"is kept in {d['backup']}"
            + (
                "\nKeep the passphrase safe: without it nobody can open the workspace."
                if d["encrypted"]
                else ""
            )
        ),
    )
    return 0


def cmd_encrypt(args: argparse.Namespace) -> int:
    from vfa.services.encryption import encrypt_workspace

    secret = _passphrase("encrypt")
    done = encrypt_workspace(args.target or args.workspace, secret)
    return _report(args, done, "encrypted")


def cmd_decrypt(args: argparse.Namespace) -> int:
    from vfa.services.encryption import decrypt_workspace

    secret = _passphrase("decrypt")
    done = decrypt_workspace(args.target or args.workspace, secret)
    return _report(args, done, "decrypted")


def register(add: Add, ws_sub: argparse._SubParsersAction) -> None:
    """Add ``vfa workspace encrypt|decrypt`` below ``vfa workspace``."""
    for name, func, help_ in (
        (
            "encrypt",
            cmd_encrypt,
            "encrypt a workspace file and its backups with a passphrase (SQLCipher); "
            "refused while another VFA has it open",
        ),
        ("decrypt", cmd_decrypt, "decrypt an encrypted workspace file and its backups"),
    ):
        p = add(name, func, help_, ws_sub)
        p.add_argument(
            "target",
            nargs="?",
            metavar="PATH",
            help="the workspace file (default: --workspace, else yours)",
        )
