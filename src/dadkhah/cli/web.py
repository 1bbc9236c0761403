"""Commands of the web application: serve, the job worker, and the team's user accounts."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import typer
from rich.table import Table

from dadkhah.cli._choices import LANGUAGES, ROLES, choice, metavar
from dadkhah.cli._common import (
    JsonOption,
    case_location,
    console,
    current_user,
    handle_errors,
    print_json,
)
from dadkhah.cli._common import open_case as _case
from dadkhah.errors import ConfigError

user_app = typer.Typer(help="Users of the web application and their roles.",
                       no_args_is_help=True)


def _password(given: str | None) -> str:
    """From --password, DADKHAH_PASSWORD, or asked twice without echo."""
    if given:
        return given
    if os.environ.get("DADKHAH_PASSWORD"):
        return os.environ["DADKHAH_PASSWORD"]
    first = getpass.getpass("Password: ")
    if getpass.getpass("Again: ") != first:
        raise ConfigError("The two passwords differ.", hint="Type the same password twice.")
    return first


@handle_errors
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    insecure_cookies: bool = typer.Option(
        False, "--insecure-cookies",
        help="Send the session cookie over plain HTTP too (only for a private machine; "
             "browsers treat http://localhost as secure anyway)."),
    forwarded_allow_ips: str | None = typer.Option(
        None, "--forwarded-allow-ips",
        help="Addresses of the reverse proxies whose X-Forwarded-For / X-Forwarded-Proto "
             "headers are trusted (comma-separated, e.g. 127.0.0.1). Not given: these "
             "headers are ignored, so a client cannot pick the address that login "
             "lock-outs and the submission limit count."),
    require_2fa: str | None = typer.Option(
        None, "--require-2fa", metavar="ROLES",
        help="Roles that must log in with a second factor (authenticator app or security "
             "key): comma-separated roles, 'all' or 'none'. Default: $DADKHAH_REQUIRE_2FA, "
             "else admin,editor."),
    no_worker: bool = typer.Option(
        False, "--no-worker",
        help="Only queue background jobs; a separate 'dadkhah worker' runs them."),
    files_dir: Path | None = typer.Option(
        None, "--files-dir", envvar="DADKHAH_FILES_DIR",
        help="Folder for uploads, reports and job progress, shared with 'dadkhah worker "
             "--files-dir' (default: the case folder; needed for separate workers on a "
             "PostgreSQL case, which has no folder)."),
    tile_url: str | None = typer.Option(
        None, "--tile-url", envvar="DADKHAH_TILE_URL", metavar="TEMPLATE",
        help="A tile server for the maps, e.g. 'https://tiles.example.org/{z}/{x}/{y}.png' "
             "(only images from its host are allowed in). Default: the offline base map "
             "bundled with dadkhah; no page names any other host."),
    tile_attribution: str | None = typer.Option(
        None, "--tile-attribution", envvar="DADKHAH_TILE_ATTRIBUTION", metavar="TEXT",
        help="The tiles' credit written on each map (e.g. '© OpenStreetMap contributors'); "
             "default: the tile server's host name."),
) -> None:
    """Run the web application (team workspace, JSON API, public portal) over the case."""
    import uvicorn

    from dadkhah.store import is_server_url
    from dadkhah.web import create_app

    location = case_location()
    if no_worker and files_dir is None and is_server_url(location):
        raise ConfigError("A separate worker cannot reach this server's uploads and reports: "
                          "the case is on a database server and has no folder to share.",
                          hint="Give --files-dir DIR (or set DADKHAH_FILES_DIR) here and "
                               "to every 'dadkhah worker'.")
    app = create_app(location, secure_cookies=not insecure_cookies,
                     require_2fa=require_2fa, run_jobs=not no_worker, files_dir=files_dir,
                     tile_url=tile_url, tile_attribution=tile_attribution)
    if not (os.environ.get("DADKHAH_KEY_FILE") or os.environ.get("DADKHAH_KEY")):
        from dadkhah.web.public import contact_key_file

        made = contact_key_file(app)
        console.print("[bold yellow]Warning:[/] no key (DADKHAH_KEY_FILE or DADKHAH_KEY): "
                      "contact details sent with the public form are encrypted with this "
                      f"server's own key {made} (outside the case: back it up; give it as "
                      "DADKHAH_KEY_FILE to read them from the command line); the team's "
                      "authenticator-app secrets are encrypted with it too. Start the server "
                      "with the case's testimony key (dadkhah testimony keygen) to keep one "
                      "key for everything.")
    if app.state.tiles is not None:
        console.print(f"Maps over {app.state.tiles.summary()}")
    if app.state.require_2fa:
        console.print("Two-factor login required for: " + ", ".join(app.state.require_2fa))
    shown = "localhost" if host in ("127.0.0.1", "::1") else host
    console.print(f"Team workspace: http://{shown}:{port}/team/  ·  API: "
                  f"http://{shown}:{port}/api/openapi.json  ·  Ctrl-C to stop")
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 by default: only when told to.
    uvicorn.run(app, host=host, port=port, log_level="info",
                proxy_headers=bool(forwarded_allow_ips),
                forwarded_allow_ips=forwarded_allow_ips or "")


@user_app.command("add")
@handle_errors
def user_add(
    username: str = typer.Argument(..., help="Login name (lower case)."),
    role: str = typer.Option("viewer", "--role", "-r", callback=choice(ROLES),
                             metavar=metavar(ROLES), help="Team role."),
    name: str | None = typer.Option(None, "--name", help="Display name."),
    language: str = typer.Option("en", "--language", callback=choice(LANGUAGES),
                                 metavar=metavar(LANGUAGES), help="Interface language."),
    password: str | None = typer.Option(None, "--password",
                                           help="Else DADKHAH_PASSWORD, else asked."),
    json_out: bool = JsonOption,
) -> None:
    """Add a user of the web application."""
    from dadkhah import users

    with _case() as case:
        u = users.add_user(case, username, _password(password), role=role, display_name=name,
                          language=language, by=current_user())
    if json_out:
        print_json(u)
    else:
        console.print(f"Added user {u.summary()}")


@user_app.command("list")
@handle_errors
def user_list(json_out: bool = JsonOption) -> None:
    """List the users and their roles."""
    from dadkhah import users

    with _case() as case:
        listed = users.list_users(case)
        factors = {u.id: users.two_factor_status(case, u.id) for u in listed}
    if json_out:
        print_json(listed)
        return
    t = Table("user", "name", "role", "language", "status", "second factor", "last login")
    for u in listed:
        f = factors[u.id]
        second = ", ".join(["app"] * f.totp + [f"{len(f.security_keys)} key(s)"]
                           * bool(f.security_keys)) or "none"
        t.add_row(u.username, u.display_name or "", u.role, u.language,
                  "disabled" if u.disabled else "active", second, (u.last_login_at or "")[:19])
    console.print(t)


@user_app.command("role")
@handle_errors
def user_role(username: str = typer.Argument(...),
              role: str = typer.Argument(..., callback=choice(ROLES), metavar=metavar(ROLES),
                                         help="Team role."),
              json_out: bool = JsonOption) -> None:
    """Change a user's role."""
    from dadkhah import users

    with _case() as case:
        u = users.set_role(case, username, role, by=current_user())
    print_json(u) if json_out else console.print(f"{u.summary()}")


@user_app.command("passwd")
@handle_errors
def user_passwd(username: str = typer.Argument(...),
                password: str | None = typer.Option(None, "--password",
                                                       help="Else DADKHAH_PASSWORD, else asked."),
                json_out: bool = JsonOption) -> None:
    """Set a user's password (ends their sessions and API tokens)."""
    from dadkhah import users

    with _case() as case:
        u = users.set_password(case, username, _password(password), by=current_user())
    print_json(u) if json_out else console.print(f"New password set for {u.username}.")


@user_app.command("disable")
@handle_errors
def user_disable(username: str = typer.Argument(...),
                 enable: bool = typer.Option(False, "--enable", help="Enable again instead."),
                 json_out: bool = JsonOption) -> None:
    """Disable a user (their sessions and API tokens end), or enable them again."""
    from dadkhah import users

    with _case() as case:
        u = users.set_disabled(case, username, not enable, by=current_user())
    print_json(u) if json_out else console.print(f"{u.summary()}")


@user_app.command("token")
@handle_errors
def user_token(username: str = typer.Argument(...),
               name: str = typer.Option("api", "--name", help="What the token is for."),
               json_out: bool = JsonOption) -> None:
    """Create an API token for a user (shown once; send as Authorization: Bearer …)."""
    from dadkhah import users

    with _case() as case:
        token = users.create_api_token(case, username, name, by=current_user())
    if json_out:
        print_json({"username": username, "name": name, "token": token})
    else:
        console.print(f"API token for {username} (shown once, keep it safe):\n{token}")


@user_app.command("2fa-reset")
@handle_errors
def user_2fa_reset(username: str = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Remove a user's second factors (authenticator app, security keys, recovery codes),
    e.g. after a lost phone; audited.  A role that requires two-factor login sets one up
    again at the next login."""
    from dadkhah import users

    with _case() as case:
        status = users.reset_two_factor(case, username, by=current_user())
    if json_out:
        print_json(status)
    else:
        console.print(f"Second factors of {status.username} removed; they set up a new one "
                      f"at their next login if their role requires it.")


@user_app.command("2fa-status")
@handle_errors
def user_2fa_status(username: str = typer.Argument(...), json_out: bool = JsonOption) -> None:
    """Show which second factors a user has."""
    from dadkhah import users

    with _case() as case:
        status = users.two_factor_status(case, username)
    print_json(status) if json_out else console.print(status.summary())


@handle_errors
def worker(
    once: bool = typer.Option(False, "--once",
                              help="Run the jobs waiting now, then stop (e.g. from cron)."),
    output_dir: Path | None = typer.Option(
        None, "--output-dir", help="Where reports go (default: reports/ in the case folder)."),
    upload_dir: Path | None = typer.Option(
        None, "--upload-dir",
        help="Where the server keeps uploaded files (default: uploads/ in the case folder)."),
    files_dir: Path | None = typer.Option(
        None, "--files-dir", envvar="DADKHAH_FILES_DIR",
        help="The folder given to 'dadkhah serve --files-dir' (uploads, reports, job "
             "progress); needed for a case on PostgreSQL."),
) -> None:
    """Run the web workspace's queued jobs (imports, linkage, estimates, reports) in a
    process of its own, for servers started with 'dadkhah serve --no-worker'.  Several
    workers may run at once: each job runs once."""
    from dadkhah.web.jobs import run_worker

    if not once:
        console.print("Worker running: waiting for jobs  ·  Ctrl-C to stop")
    try:
        ran = run_worker(case_location(), once=once, output_dir=output_dir,
                         upload_dir=upload_dir, files_dir=files_dir)
    except KeyboardInterrupt:
        console.print("Worker stopped.")
        return
    console.print(f"Ran {ran:,} job(s)." if ran else "No job was waiting.")


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
    app.command("worker")(worker)
    app.add_typer(user_app, name="user")
