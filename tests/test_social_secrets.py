"""No office can read another's secrets or the deploy key, nor send them to a server of its choosing."""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys

import pytest
import requests

from fakes.social import CHANNELS, OFFICE, SECRET, SINCE, add_channels, publish_env, run_publish, write_cards, write_outbox_of
from infohub.content import load_national, load_office
from infohub.social.channels import ChannelError, Http
from infohub.social.secrets import office_environment, secret_name
from infohub.social.servers import refusal

OTHER = "kantorlain"
HOSTILE = {  # what a job's environment holds besides one office's own channel secrets
    "DEPLOY_SSH_KEY": "-----BEGIN OPENSSH PRIVATE KEY-----deploy-key-4c1d",
    "DEPLOY_HOST": "deploy@server.example",
    "GITHUB_TOKEN": "ghs_githubtoken0000000000000000000",
    "AWS_SECRET_ACCESS_KEY": "aws-secret-9f9f",
    "KANTORLAIN_MASTODON_TOKEN": "other-office-mastodon-77",
    "KANTORLAIN_TELEGRAM_TOKEN": "other-office-telegram-78",
    "MASTODON_TOKEN": "old-style-shared-token-79",
}


def _problems(repo, text: str, lang: str = "id") -> list[str]:
    add_channels(repo, text)
    _, problems = load_office(OFFICE, load_national(repo)[0], repo)
    return [f"{p.line} {p.text(lang)}" for p in problems]


def test_a_channel_cannot_name_the_variable_it_reads(repo):
    assert _problems(repo, "  - platform: mastodon\n    instance: https://collector.example.net\n"
                           "    token_env: DEPLOY_SSH_KEY\n") == [
        "79 channels.0: diharapkan tanpa baris 'token_env' atau 'password_env': token saluran ini selalu disimpan di "
        "rahasia repositori KANTORCONTOH_MASTODON_TOKEN (namanya ditentukan oleh nama kantor dan platform), jadi "
        "hapus baris ini, tertulis 'token_env'"]
    assert secret_name("imigrasiblitar", "mastodon") == "IMIGRASIBLITAR_MASTODON_TOKEN"
    assert secret_name("kantor-baru", "bluesky") == "KANTOR_BARU_BLUESKY_TOKEN"


def test_make_check_strict_refuses_the_deploy_key_channel_in_both_languages(repo):
    add_channels(repo, "  - platform: bluesky\n    account: a.example\n    password_env: GITHUB_TOKEN\n")
    for lang, expected in (("id", "rahasia repositori KANTORCONTOH_BLUESKY_TOKEN"),
                           ("en", "the repository secret KANTORCONTOH_BLUESKY_TOKEN")):
        done = subprocess.run([sys.executable, "-m", "infohub", "check", "--office", OFFICE, "--strict"],
                              env={**publish_env(repo), "INFOHUB_LANG": lang}, capture_output=True, text=True)
        assert done.returncode == 1 and expected in done.stdout and "offices/kantorcontoh/office.yml" in done.stdout


@pytest.mark.parametrize("address,form", [
    ("http://mastodon.example", "alamat lengkap yang diawali 'https://', misalnya 'https://mastodon.social'"),
    ("https://127.0.0.1:8443", None), ("https://localhost", None), ("https://10.1.2.3", None),
    ("https://192.168.0.10/api", None), ("https://169.254.169.254/latest", None), ("https://[::1]/", None),
    ("https://[::ffff:10.0.0.1]/", None), ("https://metadata.google.internal", None), ("https://printer.local", None),
    ("https://intranet", None),
    ("https://user:pass@mastodon.example", "alamat tanpa nama pengguna atau kata sandi di dalamnya, misalnya "
                                           "'https://mastodon.social'"),
])
def test_servers_a_channel_may_not_contact(repo, address, form):
    form = form or ("alamat server publik di internet, bukan server lokal atau jaringan privat (localhost, 127.x, "
                    "10.x, 192.168.x, nama .local atau .internal)")
    assert _problems(repo, f"  - platform: mastodon\n    instance: {address}\n") == [
        f"80 channels.0.instance: diharapkan {form}, tertulis '{address}'"]


def test_public_servers_are_accepted():
    assert refusal("https://mastodon.social") is None
    assert refusal("https://8.8.8.8/") is None
    assert refusal("https://graph.facebook.com/v21.0") is None


def test_a_platform_that_cannot_post_is_refused_not_ignored(repo):
    assert _problems(repo, "  - platform: youtube\n", lang="en") == [
        "79 channels.0.platform: expected a platform infohub can post to (facebook, instagram, x, whatsapp_channel, "
        "telegram, mastodon, bluesky, threads, linkedin, log); 'youtube' can only be listed as an official account "
        "under 'social', got 'youtube'"]


def test_threads_and_linkedin_channels_need_their_account(repo):
    assert _problems(repo, "  - platform: threads\n  - platform: linkedin\n") == [
        "79 channels.0: diharapkan saluran 'threads' yang juga mengisi account, tertulis 'threads'",
        "80 channels.1: diharapkan saluran 'linkedin' yang juga mengisi account, tertulis 'linkedin'"]


def test_an_instagram_channel_needs_its_account_id_and_reads_its_own_token_only(repo):
    assert _problems(repo, "  - platform: instagram\n    since: 2025-08-01\n") == [
        "79 channels.0: diharapkan saluran 'instagram' yang juga mengisi account, tertulis 'instagram'"]
    assert secret_name(OFFICE, "instagram") == "KANTORCONTOH_INSTAGRAM_TOKEN"
    assert office_environment(OFFICE, {"KANTORCONTOH_INSTAGRAM_TOKEN": "own", "KANTORLAIN_INSTAGRAM_TOKEN": "other",
                                       "INSTAGRAM_TOKEN": "shared"}) == {"KANTORCONTOH_INSTAGRAM_TOKEN": "own"}


def test_a_name_that_resolves_to_a_private_address_is_not_contacted(monkeypatch):
    def private(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port))]

    monkeypatch.setattr(socket, "getaddrinfo", private)
    with pytest.raises(ChannelError) as refused:
        Http().call("POST", "https://rebound.example/api/v1/statuses", sends=True)
    assert refused.value.reason.key == "syndication.error.private_address"
    assert not refused.value.maybe_sent


def test_a_second_lookup_cannot_move_the_request_to_another_address(monkeypatch):
    """DNS rebinding: the name answers a public address to the check and a private
    one to any later lookup. The connection goes to the address checked, and the
    name is looked up once."""
    import urllib3.util.connection

    lookups, connected = [], []

    def rebinding(host, port, *args, **kwargs):
        lookups.append(host)
        address = "93.184.216.34" if len(lookups) == 1 else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    def connect(address, *args, **kwargs):
        connected.append(address)
        raise OSError("no network in the tests")

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    monkeypatch.setattr(urllib3.util.connection, "create_connection", connect)
    with pytest.raises(ChannelError) as failed:
        Http().call("POST", "https://rebound.example/api/v1/statuses", sends=True)
    assert connected == [("93.184.216.34", 443)]
    assert lookups == ["rebound.example"]
    assert failed.value.reason.key == "syndication.error.network" and not failed.value.maybe_sent


def test_each_office_process_sees_only_its_own_secrets():
    environ = {**HOSTILE, "PATH": "/usr/bin", "HOME": "/root", "INFOHUB_LANG": "en",
               "KANTORCONTOH_MASTODON_TOKEN": "own-1", "KANTORCONTOH_X_TOKEN": "own-2"}
    assert office_environment(OFFICE, environ) == {
        "PATH": "/usr/bin", "HOME": "/root", "INFOHUB_LANG": "en",
        "KANTORCONTOH_MASTODON_TOKEN": "own-1", "KANTORCONTOH_X_TOKEN": "own-2"}
    assert set(office_environment(OTHER, environ)) == {"PATH", "HOME", "INFOHUB_LANG", "KANTORLAIN_MASTODON_TOKEN",
                                                       "KANTORLAIN_TELEGRAM_TOKEN"}


def _second_office(repo) -> None:
    shutil.copytree(repo / "offices" / OFFICE, repo / "offices" / OTHER)
    file = repo / "offices" / OTHER / "office.yml"
    file.write_text(file.read_text(encoding="utf-8").replace("kantorcontoh", OTHER), encoding="utf-8")


def test_a_hostile_office_yml_reaches_no_secret_but_its_own(repo, api):
    """Two offices publish in one job that holds the deploy key, GITHUB_TOKEN and each other's tokens.
    Office 'kantorcontoh' writes every trick a valid office.yml allows: variable references in its
    accounts, every platform at once. No request carries a value it does not own."""
    _second_office(repo)
    tricks = {"bluesky": "$DEPLOY_SSH_KEY", "telegram": "${GITHUB_TOKEN}", "facebook": "%KANTORLAIN_MASTODON_TOKEN%",
              "threads": "{env[AWS_SECRET_ACCESS_KEY]}", "linkedin": "$(printenv DEPLOY_SSH_KEY)"}
    channels = "".join(
        CHANNELS[p].format(api=api) if p not in tricks else
        f"  - platform: {p}\n    instance: {api}\n    account: '{tricks[p]}'\n    since: {SINCE}\n" for p in CHANNELS)
    add_channels(repo, channels)
    add_channels(repo, CHANNELS["mastodon"].format(api=api), slug=OTHER)
    write_cards(repo, write_outbox_of(repo))
    write_outbox_of(repo, OTHER)
    own_other = "other-office-mastodon-77"
    env = {**publish_env(repo, api), **HOSTILE}
    done = run_publish(repo, env=env, office=None, check=None)
    assert done.returncode == 0 and done.stdout.splitlines()[-1].endswith("0 gagal, 0 perlu diperiksa (2 kantor)."), \
        done.stdout + done.stderr
    seen = requests.get(f"{api}/_test/requests", timeout=5).json()
    assert seen
    for request in seen:
        where = request["path"] + " " + request["body"] + " " + " ".join(f"{k}: {v}" for k, v in request["headers"].items())
        for name, value in HOSTILE.items():
            if value == own_other and "kantorlain.id" in request["body"]:
                continue  # the other office's own token, in its own requests
            assert value not in where, (name, request["path"])
        if "kantorlain.id" in request["body"]:
            assert SECRET not in where  # kantorcontoh's token never reaches the other office's requests
    other = [r for r in seen if "kantorlain.id" in r["body"]]
    assert other and all(r["headers"]["Authorization"] == f"Bearer {own_other}" for r in other)
    assert SECRET not in done.stdout + done.stderr and own_other not in done.stdout + done.stderr
