"""`wheretowatch setup`: the first run's questions, answered into the config file."""

import os
from typing import TYPE_CHECKING

import typer

from wheretowatch.cli import picker
from wheretowatch.cli.output import Output, reporting
from wheretowatch.cli.views.text import safe
from wheretowatch.errors import ExitCode, UsageError, WheretowatchError
from wheretowatch.settings.client import open_client
from wheretowatch.settings.loading import Settings, load_settings
from wheretowatch.tmdb import TOKEN_URL

if TYPE_CHECKING:
    from wheretowatch.models import Provider
    from wheretowatch.tmdb import CredentialKey


TRY_NEXT = 'wheretowatch "Drawing Closer"'


_LABEL = {"api_token": "Read Access Token", "api_key": "v3 API key"}


def setup_command(ctx: typer.Context) -> None:
    """Set up in a minute: your TMDB credential, region and services.

    Asks on the terminal, checks the credential with TMDB, and writes the config file
    (mode 0600). Run it again to change an answer: Enter keeps each current value.
    Ctrl-C at any point writes nothing. In a script, use `wheretowatch config set`.

    \b
    Examples:
      wheretowatch setup
      wheretowatch setup && wheretowatch doctor
    """
    output = Output.of(ctx)
    with reporting(output):
        if not output.streams.stdin_is_terminal:
            raise UsageError(
                "setup asks questions, and stdin is not a terminal.",
                hint="In a script, use `wheretowatch config set KEY VALUE` "
                "(`wheretowatch config set --help`).",
            )
        try:
            _Setup(output).run()
        # Abort: Ctrl-C at a prompt; KeyboardInterrupt: while TMDB is being asked.
        except (typer.Abort, KeyboardInterrupt):
            output.err.print("\nInterrupted: nothing was written.")
            raise typer.Exit(ExitCode.INTERRUPTED) from None


class _Setup:
    """The questions, in order; each answer changes the file only if it differs."""

    def __init__(self, output: Output) -> None:
        from wheretowatch.settings import file as configfile

        self.output = output
        self.settings = load_settings({}, os.environ)
        self.path = self.settings.config_file
        self.current = configfile.read_values(self.path)
        self.changes: dict[str, object | None] = {}

    def run(self) -> None:
        from wheretowatch.settings import file as configfile

        self.say(f"Setting up wheretowatch; the answers go to {self.path}.")
        settings = self.ask_credential()
        codes = self.ask_region()
        self.ask_services(settings, codes)
        if not self.changes:
            self.say(f"\nNothing changed; {self.path} is as it was.")
        else:
            text = configfile.read_text(self.path) or ""
            preview = configfile.edited(text, self.changes, self.path)
            self.say(f"\nThis will be written to {self.path}:\n")
            self.say(configfile.masked(preview).rstrip("\n"), style="cyan")
            if not typer.confirm("\nWrite it?", default=True):
                self.say("Nothing was written.")
                return
            configfile.set_values(self.path, self.changes)
            self.say(f"Wrote {self.path} (readable by you alone).")
        self.say(f"\nTry it: {TRY_NEXT}")

    def say(self, text: str, style: str = "") -> None:
        body = text.lstrip("\n")
        for _ in range(len(text) - len(body)):
            self.output.out.print()
        for line in body.split("\n"):  # safe shows a newline as a space
            # Wrapped between words on a terminal, one line when piped, as every answer.
            Output.print(self.output.out, safe(line, style))

    # --- the credential ------------------------------------------------------------

    def ask_credential(self) -> Settings:
        """Ask until TMDB accepts a credential (or cannot be asked); the settings using it."""
        from wheretowatch.tmdb import check_credential

        kept = next((k for k in ("api_token", "api_key") if k in self.current), None)
        env = next((v for v in ("TMDB_API_TOKEN", "TMDB_API_KEY") if os.environ.get(v)), None)
        self.say(
            "\nwheretowatch needs a free TMDB credential: create an account, then copy the "
            f"API Read Access Token (or the v3 API key) from {TOKEN_URL}"
        )
        if env:
            self.say(f"({env} is set in your environment; it takes precedence over the file.)")
        keep = f" [Enter keeps the {_LABEL[kept]} in the file]" if kept else ""
        if env and not kept:
            keep = f" [Enter keeps using {env}]"
        while True:
            typed = typer.prompt(
                f"TMDB credential{keep}",
                default="",
                show_default=False,
                hide_input=True,
                prompt_suffix=": ",
            )
            if not typed and (kept or env):
                return self.settings
            if not typed:
                self.say("A credential is needed; paste it (nothing shows as you type).")
                continue
            try:
                secret = check_credential(typed, "what you typed", error=UsageError)
            except UsageError as error:
                self.say(f"{error.message} {error.hint or ''}", style="red")
                continue
            trial = self._try_credential(secret)
            if trial is not None:
                return trial

    def _try_credential(self, secret: str) -> Settings | None:
        """The settings with `secret` under the key TMDB accepts it as, recorded as a
        change; None if TMDB accepts it as neither kind."""
        from wheretowatch.tmdb import key_for

        shaped = key_for(secret)
        # The shape picks what to try first; what TMDB accepts decides.
        for key in (shaped, "api_key" if shaped == "api_token" else "api_token"):
            trial = self._with_credential(key, secret)
            verdict = self._verdict(trial)
            if verdict is True:
                self.say(f"TMDB accepted the {_LABEL[key]}.", style="green")
            elif verdict is not False:
                self.say(f"Could not check it with TMDB now ({verdict}); keeping it unchecked.")
            if verdict is not False:
                self.changes[key] = secret
                unused = "api_key" if key == "api_token" else "api_token"
                if unused in self.current:
                    self.changes[unused] = None  # one credential in the file, not two
                return trial
        self.say(
            f"TMDB rejected that {_LABEL[shaped]}. Copy it again from {TOKEN_URL} "
            "(Ctrl-C to stop).",
            style="red",
        )
        return None

    def _with_credential(self, key: "CredentialKey", secret: str) -> Settings:
        return self.settings._replace(
            api_token=secret if key == "api_token" else None,
            api_key=secret if key == "api_key" else None,
            sources={**self.settings.sources, key: "what you typed"},
        )

    def _verdict(self, trial: Settings) -> bool | str:
        """True if TMDB accepts the credential, False if it rejects it, else why not known."""
        from wheretowatch.errors import AuthError, UpstreamError
        from wheretowatch.tmdb import CacheMode

        try:
            with open_client(trial, mode=CacheMode.OFF) as tmdb:
                tmdb.check_credential()
        except AuthError:
            return False
        except UpstreamError as error:
            return error.message
        return True

    # --- the region ----------------------------------------------------------------

    def ask_region(self) -> tuple[str, ...]:
        from wheretowatch.settings.regions import select_regions

        current = self.current.get("region")
        listed = current if isinstance(current, list) else []
        shown = current if isinstance(current, str) else " ".join(str(code) for code in listed)
        if not shown and self.settings.region is not None:
            shown = " ".join(self.settings.region.codes) or "all"
        self.say("\nYour region: a two-letter country code (GB, US, JP…), several, or all.")
        while True:
            answer = typer.prompt("Region", default=shown or None, show_default=bool(shown))
            try:
                selection = select_regions(answer.replace(" ", ","), "your answer")
            except UsageError as error:
                self.say(f"{error.message} {error.hint or ''}", style="red")
                continue
            value: object = (
                "all"
                if selection.all_regions
                else selection.codes[0]
                if len(selection.codes) == 1
                else list(selection.codes)
            )
            if value != current:
                self.changes["region"] = value
            return selection.codes

    # --- the services --------------------------------------------------------------

    def ask_services(self, settings: Settings, codes: tuple[str, ...]) -> None:
        listed = self._providers(settings, codes[0] if codes else None)
        if listed is None:
            return
        where = f" in {codes[0]}" if codes else ""
        self.say(f"\nStreaming services{where}, the most common first:")
        self.output.out.print(picker.numbered(listed))
        current = [str(name) for name in self._current_services()]
        keep = f" [Enter keeps: {', '.join(current)}]" if current else " [Enter for none]"
        self.say(
            "Pick yours by number or name, separated by commas"
            f"{picker.more(listed)} (none to clear)."
        )
        with picker.completing([p.provider_name for p in listed]):
            self._pick_services(listed, current, keep)

    def _pick_services(self, listed: "list[Provider]", current: list[str], keep: str) -> None:
        from wheretowatch.where.services import ServiceError, resolve_services, service_entry

        while True:
            answer = typer.prompt(f"Your services{keep}", default="", show_default=False).strip()
            if answer == picker.SHOW_ALL:
                self.output.out.print(picker.numbered(listed, everything=True))
                continue
            if not answer:
                return
            if answer.lower() == "none":
                if current:
                    self.changes["services"] = None
                return
            picked, names = picker.split_picks(answer, listed)
            if picked is None:
                self.say(f"There is no number {names[0]} in the list.", style="red")
                continue
            try:
                resolved = resolve_services(names, listed, origin="your answer")
            except ServiceError as error:
                self.say(error.message, style="red")
                continue
            named = list(
                dict.fromkeys([*picked, *(s.providers[0].provider_name for s in resolved)])
            )
            # Stored with their ids: matched by id from now on, whatever TMDB renames them.
            chosen = [
                service_entry(s) for s in resolve_services(named, listed, origin="your answer")
            ]
            if chosen != current:
                self.changes["services"] = chosen
            return

    def _current_services(self) -> list[object]:
        value = self.current.get("services")
        return list(value) if isinstance(value, list) else []

    def _providers(self, settings: Settings, region: str | None) -> "list[Provider] | None":
        from wheretowatch.where.services import all_providers

        try:
            with open_client(settings, warn=self.output.warn) as tmdb:
                found = all_providers(tmdb, language=settings.language, region=region)
        except WheretowatchError as error:
            self.say(
                f"\nCannot list the streaming services now ({error.message}); set yours later "
                'with: wheretowatch config set services Netflix "BBC iPlayer"'
            )
            return None
        unique = {provider.provider_id: provider for provider in found}
        return sorted(unique.values(), key=lambda p: (p.display_priority, p.provider_name))
