"""The infohub command: the same commands as the Makefile, for editors on Windows.

    python -m infohub site [--office SLUG] [--shard I/N]
    python -m infohub check [--office SLUG] [--strict] [--production]
    python -m infohub serve SLUG [--dev-addr HOST:PORT] [--poll]   (preview: built as `site` builds, again on every save)
    python -m infohub new-office --slug … --name … --city … --province … --tz …
    python -m infohub new-post --office SLUG --title "…"
    python -m infohub deploy-files [--site-dir site]   (after `site`: _headers, nginx.conf)
    python -m infohub due [--site-dir site]   (what a scheduled deploy must build: changed or due by the clock)
    python -m infohub codeowners | social-summary | publish-secrets [--write]
    python -m infohub preview --base REV [--head REV] [--out DIR] [--comment FILE]   (a pull request's preview)
    python -m infohub site-config SLUG   (the MkDocs config the build makes for one site: its path)
    python -m infohub test
    python -m infohub publish [--office SLUG] [--channel NAME] [--dry-run] [--mark-all] [--resolve ID=sent|unsent]

Messages are in Indonesian; set INFOHUB_LANG=en for English.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from . import build, engine, messages, paths

# The content model (pydantic) and MkDocs are imported by the commands that
# need them: `make site` with nothing to rebuild must start quickly.


def _t(key: str, **values) -> str:
    return messages.t(key, None, **values)


def _known_office(slug: str) -> str:
    choices = paths.office_slugs()
    if slug != paths.HUB_SLUG and slug not in choices:
        raise SystemExit(_t("cli.no_such_office", slug=slug, choices=", ".join(choices)))
    return slug


def _shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(_t("cli.bad_shard", value=text)) from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(_t("cli.bad_shard", value=text))
    return index, count


def cmd_site(args: argparse.Namespace) -> int:
    slugs = [_known_office(s) for s in args.office] if args.office else build.all_sites()
    if args.shard:
        slugs = build.shard(slugs, *args.shard)
    start = time.perf_counter()
    results = build.build_sites(slugs, Path(args.out) if args.out else None, jobs=args.jobs, force=args.force)
    print(build.summary(results, time.perf_counter() - start))
    return 0 if all(r.ok for r in results) else 1


def cmd_check(args: argparse.Namespace) -> int:
    named = [_known_office(s) for s in args.office or []]
    # `--office hub` checks the hub (and the national data), as `make site OFFICE=hub` builds it
    include_hub = not named or paths.HUB_SLUG in named
    offices = [s for s in named if s != paths.HUB_SLUG] if named else paths.office_slugs()
    from .checks import Scope, check_report, summaries

    report = check_report(offices, include_hub=include_hub, production=args.production)
    if report.problems:
        print(report.format(outcome="check_failed"))
    for summary in summaries(Scope(paths.root(), offices, include_hub=include_hub)):
        print(summary)
    if args.github or os.environ.get("GITHUB_ACTIONS") == "true":
        print(report.github_annotations())
    if not report.failed(args.strict):
        print(_t("cli.check_ok", sites=len(offices) + (1 if include_hub else 0)))
    return 1 if report.failed(args.strict) else 0


def _site_config_file(slug: str) -> Path | None:
    """Write the MkDocs config the build makes for one site (site_config.py) and return its path;
    None, with the check's report printed, for a site whose data does not validate."""
    from .site_config import identity, write_config
    from .sitedata import InvalidContent, load_site

    try:
        site = load_site(slug, paths.root())
    except InvalidContent as exc:
        print(exc.report.format(outcome="nothing_built"), file=sys.stderr)
        return None
    return write_config(slug, paths.root(), *identity(site, paths.root()))


def cmd_site_config(args: argparse.Namespace) -> int:
    config = _site_config_file(_known_office(args.office))
    if config is None:
        return 1
    print(config)
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    if not args.office:
        raise SystemExit(_t("cli.serve_needs_office"))
    from .serve import serve

    return serve(_known_office(args.office), args.dev_addr, poll=args.poll)


def cmd_new_office(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, create_office

    try:
        folder = create_office(args.slug, args.name, args.city, args.province, args.tz, args.name_en)
    except ScaffoldError as exc:
        print(_t(exc.key, **exc.values), file=sys.stderr)
        return 2
    print(_t("cli.office_created", path=paths.rel(folder), slug=args.slug))
    return 0


def cmd_publish(args: argparse.Namespace) -> int:
    from .schema import SOCIAL_PLATFORMS
    from .social.publish import Backoff, parse_resolutions, publish

    slugs = [_known_office(s) for s in args.office] if args.office else paths.office_slugs()
    unknown = [name for name in args.channel or [] if name not in SOCIAL_PLATFORMS]
    if unknown:
        raise SystemExit(_t("syndication.no_such_channel", name=unknown[0], choices=", ".join(SOCIAL_PLATFORMS)))
    try:
        resolutions = parse_resolutions(args.resolve or [])
    except ValueError as bad:
        raise SystemExit(_t("syndication.bad_resolve", value=str(bad))) from None
    return publish(slugs, wanted=args.channel, dry_run=args.dry_run, mark_all=args.mark_all, resolutions=resolutions,
                   backoff=Backoff(args.backoff) if args.backoff is not None else None,
                   site_root=Path(args.out) if args.out else None)


def cmd_new_post(args: argparse.Namespace) -> int:
    from .scaffold import ScaffoldError, create_post

    try:
        files = create_post(args.office or "", args.title or "")
    except ScaffoldError as exc:
        print(_t(exc.key, **exc.values), file=sys.stderr)
        return 2
    if len(files) == 2:
        print(_t("editors.cli.new_post_created", id_path=paths.rel(files[0]), en_path=paths.rel(files[1])))
    else:  # an office with one language, or more than two
        print(_t("editors.cli.new_posts_created", paths="\n".join(f"  {paths.rel(f)}" for f in files)))
    return 0


def _site_dir(args: argparse.Namespace) -> Path:
    return Path(args.site_dir) if args.site_dir else paths.root() / "site"


def cmd_deploy_files(args: argparse.Namespace) -> int:
    from .deploy import NotReadable, UnknownInlineScript, UnsafeValue, write_deploy_files

    try:
        written = write_deploy_files(_site_dir(args), args.serve_root, args.tls_dir)
    except NotReadable as exc:
        print(_t("rehearsal.deploy_not_readable", site_dir=paths.rel(_site_dir(args)),
                 files="\n".join(f"  {paths.rel(file)}" for file in exc.files)), file=sys.stderr)
        return 1
    except UnsafeValue as exc:
        print(_t("serverconf.unsafe_value", char=exc.char, around=exc.around), file=sys.stderr)
        return 1
    except UnknownInlineScript as exc:
        print("\n".join(exc.lines()), file=sys.stderr)
        return 1
    for slug in written.refused:
        print(_t("serverconf.office_left_out", slug=slug))
    print(_t("editors.cli.deploy_written", headers=written.headers, nginx=paths.rel(written.nginx)))
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    """What a scheduled run must build and deploy, from the manifests the last deploy left in
    the site folder; on GitHub also as the step's outputs `due` (true/false) and `sites`."""
    from . import manifest

    site_root = _site_dir(args)
    units = build.due_units(site_root)
    sites = sorted({paths.HUB_SLUG if unit == manifest.HUB_FEEDS else unit for unit in units})
    upcoming = manifest.next_moment(site_root)
    if not (site_root / ".manifest").is_dir():
        print(_t("timekeeping.no_manifests", folder=paths.rel(site_root / ".manifest")))
    elif units:
        print(_t("timekeeping.due", units=", ".join(units)))
    elif upcoming:
        print(_t("timekeeping.due_none", moment=upcoming[0].isoformat(), unit=upcoming[1]))
    else:
        print(_t("timekeeping.due_nothing_ahead"))
    if os.environ.get("GITHUB_OUTPUT"):
        with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as output:
            output.write(f"due={'true' if units else 'false'}\nsites={' '.join(sites)}\n")
    return 0


def cmd_codeowners(args: argparse.Namespace) -> int:
    from .deploy import codeowners

    target = paths.root() / "CODEOWNERS"
    target.write_text(codeowners(), encoding="utf-8")
    print(_t("editors.cli.codeowners_written", path=paths.rel(target), count=len(paths.office_slugs())))
    return 0


def cmd_publish_secrets(args: argparse.Namespace) -> int:
    from .social.workflow import updated_workflow, workflow_path

    target = workflow_path(paths.root())
    text = target.read_text(encoding="utf-8")
    wanted = updated_workflow(text, paths.office_slugs())
    if args.write:
        target.write_text(wanted, encoding="utf-8")
        print(_t("syndication.workflow_written", path=paths.rel(target), count=len(paths.office_slugs())))
        return 0
    if wanted != text:
        print(_t("syndication.workflow_outdated", path=paths.rel(target)))
        return 1
    print(_t("syndication.workflow_current", path=paths.rel(target)))
    return 0


def cmd_social_summary(args: argparse.Namespace) -> int:
    from .deploy import social_summary

    text = social_summary(_site_dir(args) / "_social")
    if args.base:  # a pull request: where the posts go changing is said first
        from .social.review import review_section

        text = review_section(paths.root(), args.base, paths.office_slugs()) + "\n" + text
    print(text.lstrip("\n"))
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    from .preview import main as preview

    return preview(args.base, args.head, Path(args.out) if args.out else None,
                   Path(args.comment) if args.comment else None, jobs=args.jobs, run_url=args.run_url)


def cmd_cms_config(args: argparse.Namespace) -> int:
    from .cms_config import config_yaml

    sys.stdout.write(config_yaml(paths.root(), args.lang, args.local, args.editor))
    return 0


def cmd_format_office(args: argparse.Namespace) -> int:
    from .cms_forms import format_office

    root, failed = paths.root(), 0
    for slug in [_known_office(s) for s in args.offices] or paths.office_slugs(root):
        shown = f"offices/{slug}/office.yml"
        changed = format_office(root, slug)
        failed += changed is None
        print(_t({True: "cmssaves.formatted", False: "cmssaves.unchanged", None: "cmssaves.unreadable"}[changed],
                 path=shown), file=sys.stderr if changed is None else sys.stdout)
    return 1 if failed else 0


def cmd_format_national(args: argparse.Namespace) -> int:
    from .cms_forms import format_national

    done = format_national(paths.root())
    for shown, changed in done.items():
        print(_t({True: "cmssaves.formatted", False: "cmssaves.unchanged", None: "natform.not_formatted"}[changed],
                 path=shown), file=sys.stderr if changed is None else sys.stdout)
    return 1 if None in done.values() else 0


def cmd_test(args: argparse.Namespace) -> int:
    # what the tests need from the machine first, as `make test` does (tools/provision.py)
    provisioned = subprocess.call([sys.executable, str(paths.root() / "tools" / "provision.py")])
    if provisioned:
        return provisioned
    return subprocess.call([sys.executable, "-m", "pytest", *args.pytest_args], cwd=paths.root())


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="infohub", description=_t("cli.help.description"))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    site = sub.add_parser("site", help=_t("cli.help.site"))
    site.add_argument("--office", action="append", metavar="SLUG", help=_t("cli.help.office"))
    site.add_argument("--shard", type=_shard, metavar="I/N", help=_t("cli.help.shard"))
    site.add_argument("--jobs", type=int, help=_t("cli.help.jobs"))
    site.add_argument("--out", metavar="DIR", help=_t("cli.help.out"))
    site.add_argument("--force", action="store_true", help=_t("cli.help.force"))
    site.set_defaults(run=cmd_site)

    check = sub.add_parser("check", help=_t("cli.help.check"))
    check.add_argument("--office", action="append", metavar="SLUG", help=_t("cli.help.office"))
    check.add_argument("--strict", action="store_true", help=_t("cli.help.strict"))
    check.add_argument("--github", action="store_true", help=_t("cli.help.github"))
    check.add_argument("--production", action="store_true", help=_t("rehearsal.help_production"))
    check.set_defaults(run=cmd_check)

    serve = sub.add_parser("serve", help=_t("cli.help.serve"))
    serve.add_argument("office", nargs="?", metavar="SLUG")
    serve.add_argument("--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help=_t("cli.help.dev_addr"))
    serve.add_argument("--poll", action="store_true", help=_t("cli.help.poll"))
    serve.set_defaults(run=cmd_serve)

    new = sub.add_parser("new-office", help=_t("cli.help.new_office"))
    new.add_argument("--slug", required=True)
    new.add_argument("--name", required=True)
    new.add_argument("--name-en")
    new.add_argument("--city", required=True)
    new.add_argument("--province", required=True)
    new.add_argument("--tz", required=True)
    new.set_defaults(run=cmd_new_office)

    pub = sub.add_parser("publish", help=_t("syndication.help.publish"))
    pub.add_argument("--office", action="append", metavar="SLUG", help=_t("cli.help.office"))
    pub.add_argument("--channel", action="append", metavar="NAME", help=_t("syndication.help.channel"))
    pub.add_argument("--dry-run", action="store_true", help=_t("syndication.help.dry_run"))
    pub.add_argument("--mark-all", action="store_true", help=_t("syndication.help.mark_all"))
    pub.add_argument("--resolve", action="append", metavar="ID=sent|unsent", help=_t("syndication.help.resolve"))
    pub.add_argument("--backoff", type=float, metavar="SECONDS", help=_t("syndication.help.backoff"))
    pub.add_argument("--out", metavar="DIR", help=_t("cli.help.out"))
    pub.set_defaults(run=cmd_publish)

    post = sub.add_parser("new-post", help=_t("editors.cli.help.new_post"))
    post.add_argument("--office", metavar="SLUG")
    post.add_argument("--title")
    post.set_defaults(run=cmd_new_post)

    deploy = sub.add_parser("deploy-files", help=_t("editors.cli.help.deploy_files"))
    deploy.add_argument("--site-dir", metavar="DIR", help=_t("editors.cli.help.site_dir"))
    deploy.add_argument("--serve-root", default="/srv/infohub/site", metavar="DIR")
    deploy.add_argument("--tls-dir", default="/etc/letsencrypt/live", metavar="DIR", help=_t("editors.cli.help.tls_dir"))
    deploy.set_defaults(run=cmd_deploy_files)

    due = sub.add_parser("due", help=_t("timekeeping.help.due"))
    due.add_argument("--site-dir", metavar="DIR", help=_t("editors.cli.help.site_dir"))
    due.set_defaults(run=cmd_due)

    owners = sub.add_parser("codeowners", help=_t("editors.cli.help.codeowners"))
    owners.set_defaults(run=cmd_codeowners)

    secrets = sub.add_parser("publish-secrets", help=_t("syndication.help.publish_secrets"))
    secrets.add_argument("--write", action="store_true", help=_t("syndication.help.publish_secrets_write"))
    secrets.set_defaults(run=cmd_publish_secrets)

    social = sub.add_parser("social-summary", help=_t("editors.cli.help.social_summary"))
    social.add_argument("--site-dir", metavar="DIR", help=_t("editors.cli.help.site_dir"))
    social.add_argument("--base", metavar="REV", help=_t("syndication.help.summary_base"))
    social.set_defaults(run=cmd_social_summary)

    pre = sub.add_parser("preview", help=_t("preview.help.preview"))
    pre.add_argument("--base", required=True, metavar="REV", help=_t("preview.help.base"))
    pre.add_argument("--head", metavar="REV", help=_t("preview.help.head"))
    pre.add_argument("--out", metavar="DIR", help=_t("preview.help.out"))
    pre.add_argument("--comment", metavar="FILE", help=_t("preview.help.comment"))
    pre.add_argument("--jobs", type=int, help=_t("cli.help.jobs"))
    pre.add_argument("--run-url", metavar="URL", help=_t("preview.help.run_url"))
    pre.set_defaults(run=cmd_preview)

    cms = sub.add_parser("cms-config", help=_t("editors.cli.help.cms_config"))
    cms.add_argument("--lang", choices=("id", "en"), default="id", help=_t("editors.cli.help.cms_lang"))
    cms.add_argument("--local", action="store_true", help=_t("editors.cli.help.cms_local"))
    cms.add_argument("--editor", default="nasional", metavar="SLUG", help=_t("editors.cli.help.cms_editor"))
    cms.set_defaults(run=cmd_cms_config)

    fmt = sub.add_parser("format-office", help=_t("cmssaves.help.format_office"))
    fmt.add_argument("offices", nargs="*", metavar="SLUG")
    fmt.set_defaults(run=cmd_format_office)

    fmt_national = sub.add_parser("format-national", help=_t("natform.help.format_national"))
    fmt_national.set_defaults(run=cmd_format_national)

    made = sub.add_parser("site-config", help=_t("cli.help.site_config"))
    made.add_argument("office", metavar="SLUG")
    made.set_defaults(run=cmd_site_config)

    test = sub.add_parser("test", help=_t("cli.help.test"))
    test.add_argument("pytest_args", nargs=argparse.REMAINDER)
    test.set_defaults(run=cmd_test)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except paths.NotARepository as exc:  # run outside any checkout: say so, no traceback
        print(exc, file=sys.stderr)
        return 2
    except engine.EngineError as exc:  # INFOHUB_ENGINE names no installed engine: say so, no traceback
        print(exc, file=sys.stderr)
        return 2
