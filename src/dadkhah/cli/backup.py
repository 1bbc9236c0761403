"""Encrypted backups: keygen, create, verify, restore (thin over dadkhah.store.backup)."""

from __future__ import annotations

from pathlib import Path

import typer

from dadkhah.cli._common import (
    JsonOption,
    console,
    current_user,
    handle_errors,
    open_case,
    print_json,
)

backup_app = typer.Typer(help="Encrypted backups of the case (age format).",
                         no_args_is_help=True)

KeyOpt = typer.Option(..., "--key-file", "-k",
                      help="Backup key made by `dadkhah backup keygen` (for create, its .pub "
                           "file is enough). Keep it outside the case and apart from the "
                           "backups.")
EvidenceOpt = typer.Option(
    None, "--evidence-dir", envvar="DADKHAH_EVIDENCE_DIR",
    help="Evidence folder kept outside the case folder (a PostgreSQL case's).")


@backup_app.command("keygen")
@handle_errors
def keygen(path: Path = typer.Argument(..., help="Key file to create (mode 0600)."),
           json_out: bool = JsonOption) -> None:
    """Create a backup key (an age X25519 key) and its public half PATH.pub."""
    from dadkhah.store.backup import generate_key

    public = generate_key(path)
    if json_out:
        print_json({"key_file": str(path), "public_key": public,
                    "public_file": f"{path}.pub"})
        return
    console.print(f"Backup key written to {path} (owner-only). Public key: {public}")
    console.print(f"A machine that only makes backups needs only {path}.pub; keep {path} "
                  "offline and never beside the backups: without it they cannot be read.")


@backup_app.command("create")
@handle_errors
def create(file: Path = typer.Argument(..., help="Backup file to write (must not exist)."),
           key_file: Path = KeyOpt, evidence_dir: Path | None = EvidenceOpt,
           json_out: bool = JsonOption) -> None:
    """Write an encrypted, consistent snapshot of the case and its files (audited)."""
    from dadkhah.store.backup import create_backup

    with open_case() as case:
        result = create_backup(case, file, key_file=key_file, by=current_user(),
                               evidence_dir=evidence_dir)
    if json_out:
        print_json(result.to_dict())
    else:
        console.print(result.summary(), soft_wrap=True)


@backup_app.command("verify")
@handle_errors
def verify(file: Path = typer.Argument(..., help="Backup file."), key_file: Path = KeyOpt,
           json_out: bool = JsonOption) -> None:
    """Decrypt a backup and check every file against its manifest (writes nothing)."""
    from dadkhah.store.backup import verify_backup

    check = verify_backup(file, key_file=key_file)
    if json_out:
        print_json(check.to_dict())
    else:
        console.print(check.summary(), soft_wrap=True)
    if not check.ok:
        raise typer.Exit(code=2)


@backup_app.command("restore")
@handle_errors
def restore(file: Path = typer.Argument(..., help="Backup file."), key_file: Path = KeyOpt,
            to: str = typer.Option(..., "--to",
                                   help="New or empty folder (a SQLite case), or the URL of "
                                        "an empty PostgreSQL database."),
            evidence_dir: Path | None = typer.Option(
                None, "--evidence-dir",
                help="New or empty folder for an evidence folder kept outside the case."),
            json_out: bool = JsonOption) -> None:
    """Restore a backup as a new case, then verify its audit chain."""
    from dadkhah.store.backup import restore_backup

    result = restore_backup(file, key_file=key_file, to=to, by=current_user(),
                            evidence_dir=evidence_dir)
    if json_out:
        print_json(result.to_dict())
    else:
        console.print(result.summary(), soft_wrap=True)
    if not result.ok:
        raise typer.Exit(code=2)


def register(app: typer.Typer) -> None:
    app.add_typer(backup_app, name="backup")
