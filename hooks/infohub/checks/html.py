"""No script injection: the allow-list of HTML a page may carry, applied twice.

At build time hooks/sanitize.py passes every rendered page body through
``sanitise`` (nh3, an allow-list HTML sanitiser): what Python-Markdown and
the configured extensions emit survives; scripts, event handlers,
`javascript:` URLs, foreign frames and style tricks do not. `make check`
reads the raw HTML an editor wrote with the same policy and says, per line,
what the build would remove, so the editor learns before merging.

The only frame allowed is a YouTube video through its privacy-enhanced
host: <iframe src="https://www.youtube-nocookie.com/embed/VIDEO_ID"></iframe>.
The only images are the site's own and those on a host national/defaults.yml
names in ``image_hosts``: any other (a tracking pixel) is removed whole, from
the pages and from the feeds, which carry the same cleaned HTML.

``plain_text`` is what a reader sees of such HTML, as text: for the places
that take no markup (feed summaries, social posts).
"""
from __future__ import annotations

import functools
import html as htmllib
import re
from html.parser import HTMLParser
from typing import Iterable, Iterator

import lxml.html
import nh3
import yaml

from .. import limits, paths
from ..check_memo import text_digest
from ..messages import Msg
from ..problems import Problem
from . import Check, Scope
from .markdown import MarkdownPage, pages_in

# libyaml's parser where installed, as infohub.yamlsource reads the same files
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5",
    "h6", "hr", "i", "iframe", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
    "time", "tr", "u", "ul", "var",
}
# Removed together with everything inside them.
REMOVED_WITH_CONTENT = {"script", "style", "noscript", "template", "title", "textarea", "xmp"}
# Every element name a browser acts on: in text that is not Markdown (front matter) only these
# count as markup.
HTML_ELEMENTS = ALLOWED_TAGS | REMOVED_WITH_CONTENT | {
    "applet", "base", "body", "button", "embed", "form", "frame", "frameset", "head", "html", "input",
    "link", "math", "meta", "object", "option", "select", "svg", "video", "audio", "source", "picture",
    "marquee", "dialog", "label", "output", "portal", "area", "map", "track", "slot"}
GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir"}
GENERIC_PREFIXES = {"aria-"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "name", "rel", "target", "hreflang"},
    "img": {"src", "alt", "width", "height", "loading", "decoding"},
    "iframe": {"src", "width", "height", "allow", "allowfullscreen", "loading", "referrerpolicy", "frameborder"},
    "td": {"colspan", "rowspan", "style"},
    "th": {"colspan", "rowspan", "scope", "style"},
    "ol": {"start", "reversed", "type"},
    "li": {"value"},
    "details": {"open"},
    "time": {"datetime"},
    "col": {"span"},
    "colgroup": {"span"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
URL_ATTRIBUTES = {"href", "src", "cite"}
# Python-Markdown's tables write style="text-align: …"; nothing else may be styled.
STYLE_PROPERTIES = {"text-align"}
YOUTUBE_EMBED = re.compile(r"https://www\.youtube-nocookie\.com/embed/[A-Za-z0-9_-]{6,20}(\?[A-Za-z0-9_=&;.-]*)?")
# Material finds its own elements by ids starting with '__' (#__config holds its
# settings): a page must not shadow them. Code line anchors are Python-Markdown's own.
_RESERVED_ID = re.compile(r"__(?!codelineno-)")
_EMPTY_IFRAME = re.compile(r"<iframe(?![^>]*\ssrc=)[^>]*>\s*</iframe>")


_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)


def image_host(src: str) -> str | None:
    """The host a browser fetches an image from, None for the site's own (a relative
    address). Read as a browser reads it: entities decoded, spaces and controls
    dropped, '\\' as '/', 'http:/host' as 'http://host', user and port left out."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", htmllib.unescape(src)).replace("\\", "/")
    scheme = _SCHEME.match(cleaned)
    if not scheme and not cleaned.startswith("//"):
        return None
    authority = re.split(r"[/?#]", cleaned[scheme.end() if scheme else 0:].lstrip("/"), maxsplit=1)[0]
    return authority.rsplit("@", 1)[-1].split(":", 1)[0].lower()


def image_allowed(src: str, image_hosts: Iterable[str]) -> bool:
    host = image_host(src)
    return host is None or host in {h.lower() for h in image_hosts}


def attribute_problem(tag: str, name: str, value: str) -> Msg | None:
    """Why the value of an allowed attribute would be removed, or None to keep it."""
    if tag == "iframe" and name == "src" and not YOUTUBE_EMBED.fullmatch(value.strip()):
        return Msg("editors.removed.iframe", {"value": _short(value)})
    if name in ("id", "name") and _RESERVED_ID.match(value):
        return Msg("editors.removed.reserved_id", {"name": name, "value": value})
    return None


@functools.lru_cache(maxsize=8)
def _cleaner(image_hosts: frozenset[str]) -> nh3.Cleaner:
    def attribute_filter(tag: str, name: str, value: str) -> str | None:
        if tag == "img" and name == "src" and not image_allowed(value, image_hosts):
            return None  # the <img> left without a source goes too (_SOURCELESS_IMG)
        return None if attribute_problem(tag, name, value) else value

    return nh3.Cleaner(
        tags=ALLOWED_TAGS,
        clean_content_tags=REMOVED_WITH_CONTENT,
        attributes={"*": GENERIC_ATTRIBUTES, **ALLOWED_ATTRIBUTES},
        generic_attribute_prefixes=GENERIC_PREFIXES,
        attribute_filter=attribute_filter,
        url_schemes=URL_SCHEMES,
        filter_style_properties=STYLE_PROPERTIES,
        link_rel=None,  # 'rel' is an allowed attribute; browsers imply noopener for target=_blank
        strip_comments=True,
    )


# nh3 writes every attribute value in double quotes: a '>' can only be inside one.
_IMG = re.compile(r'<img\b((?:[^>"]|"[^"]*")*)>')


def _keep_sourced(match: re.Match) -> str:
    names = re.sub(r'"[^"]*"', '""', match[1])
    return match[0] if re.search(r"\ssrc=", names) else ""


def sanitise(html: str, image_hosts: Iterable[str] = ()) -> str:
    """The page body with everything outside the allow-list removed; ``image_hosts``:
    national/defaults.yml's, the hosts whose images may stay."""
    cleaned = _cleaner(frozenset(h.lower() for h in image_hosts)).clean(html)
    return _IMG.sub(_keep_sourced, _EMPTY_IFRAME.sub("", cleaned))


# Elements a reader sees as separate lines: their text is not run together.
_BLOCKS = ("blockquote", "br", "caption", "dd", "div", "dt", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
           "hr", "li", "p", "pre", "summary", "td", "th", "tr")


def plain_text(html: str) -> str:
    """What a reader sees of HTML, as one line of text: tags removed (scripts with
    their content), entities decoded, blocks apart, runs of spaces as one."""
    cleaned = sanitise(html)
    if not cleaned.strip():
        return ""
    root = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    for element in root.iter(*_BLOCKS):
        element.tail = " " + (element.tail or "")
    return " ".join(root.text_content().split())


# --- what `make check` reports -------------------------------------------------


def _short(value: str) -> str:
    value = value.replace("\n", " ")
    return value if len(value) <= 60 else value[:57] + "…"


def url_scheme(value: str) -> str | None:
    """The scheme a browser would see: entities decoded, whitespace and controls dropped."""
    cleaned = re.sub(r"[\x00-\x20\x7f]", "", htmllib.unescape(value)).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", cleaned)
    return match[1] if match else None


def _style_problem(value: str) -> str | None:
    for declaration in value.split(";"):
        prop = declaration.split(":", 1)[0].strip().lower()
        if declaration.strip() and prop not in STYLE_PROPERTIES:
            return declaration.strip()
    return None


def removals(tag: str, attrs: list[tuple[str, str | None]]) -> list[Msg]:
    """What the sanitiser would take from one start tag."""
    if tag in REMOVED_WITH_CONTENT:
        return [Msg("editors.removed.element", {"tag": tag})]
    if tag not in ALLOWED_TAGS:
        return [Msg("editors.removed.tag", {"tag": tag})]
    found = []
    allowed = GENERIC_ATTRIBUTES | ALLOWED_ATTRIBUTES.get(tag, set())
    for name, value in attrs:
        value = value or ""
        if name == "markdown":
            continue  # md_in_html's own switch, consumed before the page is rendered
        if name not in allowed and not name.startswith(tuple(GENERIC_PREFIXES)):
            found.append(Msg("editors.removed.attribute", {"name": name, "tag": tag}))
        elif name in URL_ATTRIBUTES and (scheme := url_scheme(value)) and scheme not in URL_SCHEMES:
            found.append(Msg("editors.removed.url", {"value": _short(value), "tag": tag}))
        elif name == "style" and (bad := _style_problem(value)):
            found.append(Msg("editors.removed.style", {"value": _short(bad)}))
        elif reason := attribute_problem(tag, name, value):
            found.append(reason)
    return found


class _TagReader(HTMLParser):
    def __init__(self, first_line: int):
        super().__init__(convert_charrefs=True)
        self.first_line = first_line
        self.found: list[tuple[int, Msg]] = []

    def handle_starttag(self, tag, attrs):
        line = self.first_line + self.getpos()[0] - 1
        self.found += [(line, msg) for msg in removals(tag, attrs)]

    handle_startendtag = handle_starttag


_ATTR_LIST = re.compile(r"\{:?\s*([^{}]*=[^{}]*)\}")
_ATTR_PAIR = re.compile(r"([^\s=]+)\s*=\s*(\"[^\"]*\"|'[^']*'|\S+)")
_ALL_ATTRIBUTES = GENERIC_ATTRIBUTES.union(*ALLOWED_ATTRIBUTES.values())


def removals_in_markdown(page: MarkdownPage) -> list[tuple[int, Msg]]:
    """(line, what) for raw HTML, Markdown link targets and attr_list attributes."""
    prose = page.prose
    reader = _TagReader(prose[0][0] if prose else 1)
    reader.feed("\n".join(text for _, text in prose))
    reader.close()
    found = list(reader.found)
    for ref in page.references():
        if ref.in_html:
            continue  # read with the tags above
        scheme = url_scheme(ref.target)
        if scheme and scheme not in URL_SCHEMES:
            found.append((ref.line, Msg("editors.removed.url", {"value": _short(ref.target),
                                                              "tag": "img" if ref.is_image else "a"})))
    for number, line in prose:
        for attr_list in _ATTR_LIST.finditer(line):
            for name, value in _ATTR_PAIR.findall(attr_list[1]):
                if name.lower() not in _ALL_ATTRIBUTES and not name.startswith("aria-"):
                    found.append((number, Msg("editors.removed.attr_list", {"name": name})))
                elif name.lower() in ("id", "name") and (reason := attribute_problem("", name, value.strip("'\""))):
                    found.append((number, reason))
    unique = {(line, msg.key, repr(sorted(msg.values.items()))): (line, msg) for line, msg in found}
    return sorted(unique.values(), key=lambda item: item[0])


def check_html(scope: Scope) -> list[Problem]:
    problems = []
    for docs in scope.docs_dirs():
        for page in pages_in(docs):
            # a page's problems come from its text alone: the build's memo keeps them (check_memo.py)
            problems += scope.memo.problems("html", (page.shown, text_digest(page.text)),
                                            lambda page=page: _page_problems(page))
    # Office and national data are written into pages, feeds and social posts by templates:
    # any markup there is reported, allowed or not.
    data_files = sorted((scope.root / "national").glob("*.yml"))
    data_files += [scope.root / "offices" / slug / "office.yml" for slug in scope.offices]
    for file in data_files:
        if not file.is_file() or limits.too_large(file):
            continue  # too large: refused by its loader
        text = file.read_text(encoding="utf-8-sig", errors="replace")
        if limits.unclosed_tag(text, ""):
            continue  # refused by its loader: the parser below would search for each '>' to the end
        problems += _markup_in_data(text, paths.rel(file))
    return problems


def _page_problems(page: MarkdownPage) -> list[Problem]:
    problems = [Problem(page.shown, line, "", "html_removed", {"what": what})
                for line, what in removals_in_markdown(page)]
    # The front matter (title, description, image_alt, …) is plain text: '<paspor>' reaches
    # the page, the feeds and the social posts as those characters. A real HTML element
    # there (a pasted <script>, <img onerror>) is a mistake or an attack: refused.
    if page.body_start:
        front_matter = "\n".join(page.lines[1:page.body_start - 1])
        problems += _markup_in_data(front_matter, page.shown, first_line=2)
    return problems


# '<' and a letter open a tag for a browser (and '</' and a letter close one), wherever they stand.
_TAG = re.compile(r"</?([A-Za-z][^\s/>\x00]*)")


def tags_in_text(text: str) -> list[str]:
    """The HTML elements a text names as tags, in order, each once."""
    found = [name.lower() for name in _TAG.findall(text)]
    return [name for name in dict.fromkeys(found) if name in HTML_ELEMENTS]


# A value holds '<' only when the text does, or writes it as a YAML escape ("\x3c", "\u003c": a
# backslash) or an HTML entity ('&lt;', '&#60;': an ampersand). Most front matter has none of them.
_MAY_HOLD_TAG = re.compile(r"[<&\\]")


def _markup_in_data(source: str, shown: str, first_line: int = 1) -> list[Problem]:
    """An HTML element in any value of a YAML text, read as the build reads it: YAML's escapes
    decoded ("\\x3cscript\\x3e" is '<script>'), and HTML's entities too ('&lt;script&gt;'),
    because the feed readers and social networks that take some of these values as HTML decode
    them once more. So the check sees the value, not the characters of the file: a '<!--' in a
    comment of the file hides nothing, and a disguised tag gets a message that says how it is
    written, since the editor does not see '<' in the file."""
    if not _MAY_HOLD_TAG.search(source):
        return []  # no '<' in any value: there is none in the text, nor an escape or entity to make one
    try:
        if limits.yaml_problem(source, yaml.parse(source, Loader=_YAML_LOADER), shown) is not None:
            return []  # beyond a bound (composing it could take the check down): its loader says so
        root = yaml.compose(source, Loader=_YAML_LOADER)
    except yaml.YAMLError:
        return []  # the data and front matter checks report the syntax, with its line
    problems, lines = [], source.split("\n")
    for node in _scalars(root):
        written = "\n".join(lines[node.start_mark.line:node.end_mark.line + 1])
        for tag in tags_in_text(htmllib.unescape(node.value)):
            code = "html_in_data" if tag in tags_in_text(written) else "html_in_data_disguised"
            problems.append(Problem(shown, node.start_mark.line + first_line, "", code, {"tag": tag}))
    return problems


def _scalars(node: yaml.Node | None, seen: set[int] | None = None) -> Iterator[yaml.ScalarNode]:
    """Every value of a YAML document (keys are not printed anywhere), each node once: an alias
    is the same node as its anchor, and walking it again for each use would cost as much as
    expanding an alias bomb (limits.py refuses those in the loaders; this walk must not hang
    before they do)."""
    seen = set() if seen is None else seen
    if node is None or id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _scalars(item, seen)
    elif isinstance(node, yaml.MappingNode):
        for _, value in node.value:
            yield from _scalars(value, seen)


CHECK = Check("html", check_html)
