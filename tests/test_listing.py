"""The index's listing (reader.posts.listing): the first screen's posts, equal to the manifest's."""

from __future__ import annotations

import json
import os
import time

from reader.library import Library
from reader.posts.listing import LISTING_NAME, ListedPosts
from reader.posts.snapshot import Snapshot
from tests.conftest import KST, POSTS

FIELDS = ("path", "file", "title", "date", "updated", "categories", "tags", "draft", "warnings", "state", "digest")


def _generation(index_dir):
    return index_dir / (index_dir / "CURRENT").read_text()


def _listed(root, index_dir) -> Snapshot:
    snapshot = Library(root, KST, index_dir=index_dir, hold_bodies=False).read_cached()
    assert snapshot is not None and not snapshot.complete
    return snapshot


def _from_json(root, index_dir) -> Snapshot:
    """The same listing made from the manifest's JSON (the listing file moved away, then back)."""
    listing = _generation(index_dir) / LISTING_NAME
    kept = listing.read_bytes()
    listing.unlink()
    try:
        snapshot = _listed(root, index_dir)
    finally:
        listing.write_bytes(kept)
    assert snapshot.listing is None
    return snapshot


def _facts(snapshot: Snapshot) -> list[tuple[object, ...]]:
    return [(*(getattr(post, name) for name in FIELDS), post.stub, post.body) for post in snapshot.posts]


def test_the_listing_lists_what_the_manifest_does(tmp_path):
    index_dir = tmp_path / "ix"
    Library(POSTS, KST, index_dir=index_dir).sync_index()
    listed, from_json = _listed(POSTS, index_dir), _from_json(POSTS, index_dir)
    assert listed.listing is not None
    assert _facts(listed) == _facts(from_json)  # every field, in the same order (newest first)
    assert len(listed) == len(from_json) == len(Library.open(POSTS, KST))
    assert listed.drafts == from_json.drafts > 0
    assert listed.warned == from_json.warned > 0
    assert listed.digests() == from_json.digests()
    for drafts in (True, False):
        a, b = listed.taxonomy_of(drafts), from_json.taxonomy_of(drafts)
        assert (a.tags, a.archive) == (b.tags, b.archive)
        assert repr(a.categories) == repr(b.categories)


def test_the_first_screens_questions_make_no_post(tmp_path):
    index_dir = tmp_path / "ix"
    Library(POSTS, KST, index_dir=index_dir).sync_index()
    listed = _listed(POSTS, index_dir)
    files = listed.files
    assert isinstance(files, ListedPosts)
    first = listed.listing.paths[0] if listed.listing else ""
    assert len(listed) > 10 and first in listed and "nope.md" not in listed
    listed.taxonomy  # noqa: B018 -- the sidebar's counts
    assert listed.drafts and listed.warned and listed.digests()
    assert listed.get(first).path == first  # the post opened: made alone
    assert len(files._made) == 1
    assert listed.post_for_url("https://elsewhere.example/a/") is None


def test_each_sync_writes_the_listing_its_manifest_matches(write_tree, tmp_path):
    root = write_tree({f"2020-01-0{n}-p{n}.md": f"---\ntitle: 글 {n}\ntags: [a]\n---\n본문 {n}\n" for n in range(1, 5)})
    an_hour_ago = time.time() - 3600
    for path in root.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    index_dir = tmp_path / "ix"
    Library(root, KST, index_dir=index_dir).sync_index()
    assert [p.title for p in _listed(root, index_dir).posts] == ["글 4", "글 3", "글 2", "글 1"]
    # a title changed and a post added: both listed after the sync
    (root / "2020-01-02-p2.md").write_text("---\ntitle: 새 제목\ntags: [b]\n---\n본문\n", "utf-8")
    (root / "2020-01-09-p9.md").write_text("---\ntitle: 글 9\n---\n본문\n", "utf-8")
    Library(root, KST, index_dir=index_dir).sync_index()
    listed = _listed(root, index_dir)
    assert listed.listing is not None
    assert [p.title for p in listed.posts] == ["글 9", "글 4", "글 3", "새 제목", "글 1"]
    assert listed.get("2020-01-02-p2.md").tags == ("b",)
    assert _facts(listed) == _facts(_from_json(root, index_dir))
    # a file touched, nothing else: its new state is listed (no metadata was loaded for that save)
    os.utime(root / "2020-01-01-p1.md", (an_hour_ago + 60, an_hour_ago + 60))
    assert Library(root, KST, index_dir=index_dir).sync_index().unchanged == 5
    listed = _listed(root, index_dir)
    assert listed.listing is not None
    assert listed.get("2020-01-01-p1.md").state.mtime_ns == (root / "2020-01-01-p1.md").stat().st_mtime_ns
    assert _facts(listed) == _facts(_from_json(root, index_dir))


def test_a_damaged_or_stale_listing_is_not_read(tmp_path):
    index_dir = tmp_path / "ix"
    Library(POSTS, KST, index_dir=index_dir).sync_index()
    expected = _facts(_listed(POSTS, index_dir))
    listing = _generation(index_dir) / LISTING_NAME
    data = bytearray(listing.read_bytes())
    data[len(data) // 2] ^= 0x01  # a title's byte, say: marshal alone would read it as another title
    listing.write_bytes(bytes(data))
    damaged = _listed(POSTS, index_dir)
    assert damaged.listing is None and _facts(damaged) == expected  # listed from the manifest
    listing.write_bytes(b"garbage")
    assert _facts(_listed(POSTS, index_dir)) == expected
    # a listing of another manifest save (a crash between the two writes) is not read either
    Library(POSTS, KST, index_dir=index_dir).sync_index(rebuild=True)
    state = _generation(index_dir) / "state.json"
    head_text, _, rows = state.read_text("utf-8").partition("\n")
    head = json.loads(head_text)
    head["written_ns"] += 1
    state.write_text(json.dumps(head) + "\n" + rows, "utf-8")
    stale = _listed(POSTS, index_dir)
    assert stale.listing is None and _facts(stale) == expected


def _indexed_month(write_tree, tmp_path, month: int, tag_kinds: int):
    """28 posts of 2020-MM, written an hour ago (no racy write), indexed: their root and index."""
    posts = {
        f"2020-{month:02}-{n:02}-p{n}.md": f"---\ntitle: 글 {n}\ntags: [t{n % tag_kinds}]\n---\n본문 {n}\n"
        for n in range(1, 29)
    }
    root = write_tree(posts)
    an_hour_ago = time.time() - 3600
    for path in root.iterdir():
        os.utime(path, (an_hour_ago, an_hour_ago))
    index_dir = tmp_path / "ix"
    Library(root, KST, index_dir=index_dir).sync_index()
    return root, index_dir


def test_a_sync_of_a_few_posts_patches_the_listing_as_a_build_would(write_tree, tmp_path, monkeypatch):
    from reader.posts import listing as listing_module

    root, index_dir = _indexed_month(write_tree, tmp_path, 2, 3)
    # a post moved to the top by its date, a title changed, a new tag, a post added, one removed
    (root / "2020-02-03-p3.md").write_text("---\ntitle: 옮긴 글\ndate: 2021-01-01\n---\n본문\n", "utf-8")
    (root / "2020-02-05-p5.md").write_text("---\ntitle: 새 제목\ntags: [새태그]\n---\n본문\n", "utf-8")
    (root / "2020-02-15-new.md").write_text("---\ntitle: 새 글\n---\n본문\n", "utf-8")
    (root / "2020-02-07-p7.md").unlink()
    patched = []
    real_patch = listing_module.patch
    monkeypatch.setattr(listing_module, "patch", lambda *args: patched.append(1) or real_patch(*args))
    Library(root, KST, index_dir=index_dir).sync_index()
    assert patched  # not built whole
    listed = _listed(root, index_dir)
    assert listed.listing is not None
    titles = [p.title for p in listed.posts]
    assert titles[0] == "옮긴 글" and "글 7" not in titles and "새 글" in titles and len(titles) == 28
    assert listed.get("2020-02-05-p5.md").tags == ("새태그",)
    assert _facts(listed) == _facts(_from_json(root, index_dir))  # what building it whole gives
    a, b = listed.taxonomy_of(True), _from_json(root, index_dir).taxonomy_of(True)
    assert (a.tags, a.archive) == (b.tags, b.archive)


def test_syncs_that_patch_the_listing_in_turn_list_as_a_build_would(write_tree, tmp_path, monkeypatch):
    """Each sync's listing is the last one patched for the posts put, removed or touched since:
    after several such syncs in a row it still lists every post as the manifest does."""
    from reader.posts import listing as listing_module

    root, index_dir = _indexed_month(write_tree, tmp_path, 3, 4)
    an_hour_ago = (root / "2020-03-01-p1.md").stat().st_mtime  # as the posts were written
    built = []
    real_build = listing_module.build
    monkeypatch.setattr(listing_module, "build", lambda *args: built.append(1) or real_build(*args))
    steps = [
        # touched only (a new state, nothing else), then an edit beside a touch, a rename, a removal
        lambda: os.utime(root / "2020-03-04-p4.md", (an_hour_ago + 60, an_hour_ago + 60)),
        lambda: (
            (root / "2020-03-09-p9.md").write_text("---\ntitle: 고친 글\ndate: 2019-01-01\n---\n새 본문\n", "utf-8"),
            os.utime(root / "2020-03-10-p10.md", (an_hour_ago + 120, an_hour_ago + 120)),
        ),
        lambda: (root / "2020-03-11-p11.md").rename(root / "2020-03-30-moved.md"),
        lambda: (
            (root / "2020-03-12-p12.md").unlink(),
            (root / "2020-03-13-p13.md").write_text("---\ntitle: 경고\ntags: x: y\n---\n본문\n", "utf-8"),
        ),
    ]
    for step in steps:
        step()
        report = Library(root, KST, index_dir=index_dir).sync_index()
        assert not report.rebuilt
        listed = _listed(root, index_dir)
        assert listed.listing is not None
        assert _facts(listed) == _facts(_from_json(root, index_dir))
        for post in listed.posts:  # every state as the file is now
            assert post.state.mtime_ns == (root / post.path).stat().st_mtime_ns
    assert built == []  # each listing patched, never built whole
    titles = [p.title for p in _listed(root, index_dir).posts]
    assert titles[-1] == "고친 글" and "글 12" not in titles and len(titles) == 27


def test_a_search_of_the_posts_listed_does_not_read_their_listing_again(write_tree, tmp_path, monkeypatch):
    """`reader search` lists the posts from the listing and searches: the hits' titles and tags
    come from the same listing, read once (each read: ~12 ms at 10k posts)."""
    from reader.posts import listing as listing_module

    root, index_dir = _indexed_month(write_tree, tmp_path, 4, 3)
    reads = []
    real_read = listing_module.read
    monkeypatch.setattr(listing_module, "read", lambda *args: reads.append(1) or real_read(*args))
    library = Library(root, KST, index_dir=index_dir)
    library.sync_index()
    listed = library.read_cached(listing_only=True)
    assert listed is not None and listed.listing is not None and len(reads) == 1
    library.adopt(listed)
    hits = library.search("본문 7").hits
    assert [(hit.path, hit.title, hit.tags) for hit in hits][:1] == [("2020-04-07-p7.md", "글 7", ["t1"])]
    assert len(reads) == 1  # the search took the listing the posts came from
