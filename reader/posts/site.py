"""A site's own settings (`_config.yml`) and the permalinks of its posts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from reader.posts.discovery import Layout, SiteKind
from reader.posts.messages import at, say
from reader.posts.text import nfc

JEKYLL_STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
HEXO_DEFAULT = ":year/:month/:day/:title/"
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_TITLE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-")


@dataclass(frozen=True)
class Site:
    """What the reader needs from a site's configuration."""

    kind: SiteKind
    url: str = ""  # scheme://host, no trailing slash
    baseurl: str = ""  # "/dev" or ""
    permalink: str = ""
    timezone: tzinfo | None = None
    warning: str | None = None

    @property
    def hierarchical_categories(self) -> bool:
        return self.kind is SiteKind.HEXO


def local_timezone() -> tzinfo:
    tz = datetime.now().astimezone().tzinfo
    assert tz is not None
    return tz


def load_site(layout: Layout) -> Site:
    """Read `_config.yml` (Jekyll, Hexo); any problem leaves the defaults."""
    if layout.config_file is None or layout.config_file.suffix not in (".yml", ".yaml"):
        return Site(layout.kind)
    import yaml  # here: a folder without a site config never loads it

    warning = None
    try:
        text = layout.config_file.read_text("utf-8", errors="replace")
        config = yaml.safe_load(text[: 256 * 1024]) if "*" not in text else yaml.safe_load(_no_aliases(text))
    except (OSError, yaml.YAMLError, RecursionError) as exc:
        config, warning = {}, at(layout.config_file.name, say("cannot read site settings: {error}", error=exc))
    if not isinstance(config, dict):
        config = {}
    url = str(config.get("url") or "").rstrip("/")
    if layout.kind is SiteKind.HEXO:
        root = str(config.get("root") or "/")
        baseurl = "" if root.strip("/") == "" else "/" + root.strip("/")
        parts = urlsplit(url)
        if parts.path.strip("/") and not baseurl:
            baseurl, url = "/" + parts.path.strip("/"), f"{parts.scheme}://{parts.netloc}"
        permalink = str(config.get("permalink") or HEXO_DEFAULT)
    else:
        baseurl = str(config.get("baseurl") or "").rstrip("/")
        if baseurl and not baseurl.startswith("/"):
            baseurl = "/" + baseurl
        permalink = str(config.get("permalink") or "date")
        permalink = JEKYLL_STYLES.get(permalink, permalink)
    tz = None
    if config.get("timezone"):
        # Here: zoneinfo loads sysconfig (~4 ms of a start), which a site without a timezone never needs.
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            tz = ZoneInfo(str(config["timezone"]))
        except (ZoneInfoNotFoundError, ValueError):
            warning = at(layout.config_file.name, say("unknown timezone {zone}", zone=repr(config["timezone"])))
    return Site(layout.kind, url, baseurl, permalink, tz, warning)


def _no_aliases(text: str) -> str:
    # A site config has no business with anchors and aliases; refuse bombs.
    import yaml

    events = sum(1 for t in yaml.scan(text, Loader=yaml.SafeLoader) if isinstance(t, yaml.AliasToken))
    if events > 64:
        raise yaml.YAMLError(say("too many aliases"))
    return text


def post_url(
    site: Site,
    rel_in_posts: str,
    date: datetime | None,
    categories: Sequence[tuple[str, ...]],
    permalink: str | None,
    slug: str | None,
) -> str | None:
    """The site-relative URL of a post (without baseurl), or None if unknown."""
    stem = PurePosixPath(rel_in_posts).with_suffix("").as_posix()
    if permalink:
        pattern = permalink
    elif site.kind in (SiteKind.JEKYLL, SiteKind.HEXO) and site.permalink:
        pattern = site.permalink
    else:
        return None
    title = slug or _TITLE_PREFIX.sub("", PurePosixPath(stem).name)
    values = {
        "title": title,
        "slug": title,
        "name": PurePosixPath(stem).name,
        "post_title": title,
        "output_ext": ".html",
        "categories": "/".join(p for path in categories[:1] for p in path)
        if site.kind is SiteKind.HEXO
        else "/".join(path[-1] for path in categories),
        "category": "/".join(categories[0]) if categories else "",
    }
    if date is not None:
        values.update(
            year=f"{date.year:04d}",
            month=f"{date.month:02d}",
            day=f"{date.day:02d}",
            i_month=str(date.month),
            i_day=str(date.day),
            short_year=f"{date.year % 100:02d}",
            hour=f"{date.hour:02d}",
            minute=f"{date.minute:02d}",
            second=f"{date.second:02d}",
            y_day=f"{date.timetuple().tm_yday:03d}",
        )
    if site.kind is SiteKind.HEXO and "title" not in values:
        values["title"] = stem

    def substitute(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    url = _PLACEHOLDER.sub(substitute, pattern)
    if ":" in url:  # a placeholder we could not fill: better no URL than a wrong one
        return None
    return "/" + re.sub(r"/{2,}", "/", url).lstrip("/")


def url_key(path: str) -> str:
    """The comparable form of a URL path: decoded, NFC, lowercase, no `.html` or `/`."""
    path = nfc(unquote(path)).lower()
    for suffix in ("/index.html", ".html", "/"):
        path = path.removesuffix(suffix)
    return "/" + path.strip("/")


def site_path(site: Site, url: str) -> str | None:
    """For a link to this site (absolute or root-relative), its path below baseurl."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https"):
        if not site.url:
            return None
        own = urlsplit(site.url)
        if parts.netloc.lower() != own.netloc.lower():
            return None
    elif parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    path = parts.path
    if site.baseurl:
        if not (path == site.baseurl or path.startswith(site.baseurl + "/")):
            return None
        path = path[len(site.baseurl) :]
    return path or "/"
