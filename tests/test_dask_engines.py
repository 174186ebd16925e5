"""newsitem.dask on real engines, started here: a ``distributed.LocalCluster`` of two
worker processes, and an S3 endpoint (moto's server) on the loopback, used through
s3fs. Select them with ``-m dask``.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dask
import pytest

import newsitem
import newsitem.dask as nd

from .conftest import corpus_files, news_files, read_exact
from .test_dask import GOOD, ITEM, bump, expected_after, nothing

# distributed, moto and s3fs are imported by the fixtures that use them, not here: importing
# distributed changes how every exception pickles (tblib), and other modules' tests must
# not depend on whether this one was collected.

pytestmark = pytest.mark.dask

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


# -- the engines --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    """A LocalCluster of 2 worker processes, one thread each, and a client for it
    (the default scheduler while this module runs)."""
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1, on a free port, with dummy credentials in the
    environment (and no AWS configuration files read); stopped afterwards."""
    from moto.moto_server.threaded_moto_server import ThreadedMotoServer

    with pytest.MonkeyPatch.context() as env:
        for name, value in CREDENTIALS.items():
            env.setenv(name, value)
        env.setenv("AWS_CONFIG_FILE", os.devnull)
        env.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
        env.delenv("AWS_PROFILE", raising=False)
        env.delenv("AWS_SESSION_TOKEN", raising=False)
        server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        server.start()
        try:
            host, port = server.get_host_and_port()
            yield f"http://{host}:{port}"
        finally:
            server.stop()


@pytest.fixture
def s3(s3_endpoint: str) -> Iterator[tuple[Any, str, dict[str, Any]]]:
    """A boto3 client, a fresh bucket, and the storage options that reach it."""
    boto3 = pytest.importorskip("boto3")
    pytest.importorskip("s3fs")
    api = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1")
    bucket = f"news-{uuid.uuid4().hex[:12]}"
    api.create_bucket(Bucket=bucket)
    options = {
        "endpoint_url": s3_endpoint,
        "key": CREDENTIALS["AWS_ACCESS_KEY_ID"],
        "secret": CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        "client_kwargs": {"region_name": "us-east-1"},
    }
    yield api, bucket, options


def put(api: Any, bucket: str, key: str, data: bytes) -> str:
    etag: str = api.put_object(Bucket=bucket, Key=key, Body=data)["ETag"]
    return etag


def get(api: Any, bucket: str, key: str) -> tuple[bytes, str]:
    response = api.get_object(Bucket=bucket, Key=key)
    return response["Body"].read(), response["ETag"]


@pytest.fixture
def threads() -> Iterator[None]:
    """Compute in threads of this process (the S3 tests that patch newsitem.dask need that)."""
    with dask.config.set(scheduler="threads"):
        yield


# -- a LocalCluster over the corpus ---------------------------------------------------------


@pytest.mark.corpus
def test_cluster_reads_every_corpus_file_as_load_many_does(corpus: Path, client: Any) -> None:
    from distributed import get_task_stream

    files = corpus_files()
    with get_task_stream(client) as stream:
        got = nd.read([str(p) for p in files], partition_size=8).compute()
    want = list(newsitem.load_many(files))
    assert len(got) == len(want) == len(files)
    assert [p for p, _ in got] == [str(p) for p, _ in want]
    docs = [r for _, r in got if isinstance(r, newsitem.Document)]
    errors = [r for _, r in got if isinstance(r, newsitem.NewsItemError)]
    assert len(docs) == sum(isinstance(r, newsitem.Document) for _, r in want)
    assert len(errors) == sum(isinstance(r, newsitem.NewsItemError) for _, r in want)
    assert len(docs) + len(errors) == len(files) and docs and errors
    for (_, g), (_, w) in zip(got, want, strict=True):
        assert type(g) is type(w)
        if isinstance(w, newsitem.Document):
            assert isinstance(g, newsitem.Document) and g.item == w.item and g.body == w.body
        else:
            assert str(g) == str(w)
    assert len({task["worker"] for task in stream.data}) == 2  # both worker processes took part

    walked = nd.read(str(corpus)).compute()
    assert [p for p, _ in walked] == [p for p, _ in newsitem.load_many([str(corpus)])]


@pytest.mark.corpus
def test_cluster_edits_a_copy_of_the_news_items(corpus: Path, client: Any, tmp_path: Path) -> None:
    files = news_files()
    copies = []
    for path in files:
        target = tmp_path / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        copies.append(target)
    originals = {c: c.read_bytes() for c in copies}

    outcomes = nd.edit(str(tmp_path), nothing, partition_size=16).compute()
    assert sorted(p for p, _ in outcomes) == sorted(map(str, copies))
    assert {o for _, o in outcomes} == {"unchanged"}
    assert {c: c.read_bytes() for c in copies} == originals  # byte-identical

    outcomes = nd.edit(str(tmp_path), bump, partition_size=16).compute()
    assert {o for _, o in outcomes} == {"written"}
    for copy, before in originals.items():
        after = copy.read_bytes()
        assert after == expected_after(before, bump)  # what newsitem.dumps gives locally
        assert read_exact(copy) == newsitem.dumps(newsitem.load(copy))

    frame = nd.to_dataframe(nd.read(str(tmp_path), partition_size=16))
    assert len(frame) == len(files)
    assert int(frame["quality"].min().compute()) >= 1


# -- S3, served by moto on the loopback -----------------------------------------------------


@pytest.mark.corpus
def test_s3_read_gives_what_load_many_gives(
    corpus: Path, s3: tuple[Any, str, dict[str, Any]], threads: None
) -> None:
    api, bucket, options = s3
    files = news_files()[:40]
    for path in files:
        put(api, bucket, f"_news/{path.name}", path.read_bytes())
    put(api, bucket, "_news/zz-broken.md", b'---\ntitle: "open\n---\n')
    put(api, bucket, "_news/zz-latin1.md", b'---\ntitle: "\xe9"\n---\n')
    got = nd.read(f"s3://{bucket}/_news/*.md", storage_options=options, partition_size=16).compute()
    assert [url for url, _ in got] == sorted(
        [f"s3://{bucket}/_news/{p.name}" for p in files]
        + [f"s3://{bucket}/_news/zz-broken.md", f"s3://{bucket}/_news/zz-latin1.md"]
    )
    by_name = {url.rsplit("/", 1)[1]: result for url, result in got}
    for path, want in newsitem.load_many(files):
        result = by_name[Path(path).name]
        assert isinstance(result, newsitem.Document) and isinstance(want, newsitem.Document)
        assert result.item == want.item and newsitem.dumps(result) == read_exact(Path(path))
    broken, latin1 = by_name["zz-broken.md"], by_name["zz-latin1.md"]
    assert isinstance(broken, newsitem.ParseError) and broken.path == f"s3://{bucket}/_news/zz-broken.md"
    assert isinstance(latin1, newsitem.ParseError) and "invalid UTF-8" in str(latin1)
    ((url, missing),) = nd.read(f"s3://{bucket}/_news/nope.md", storage_options=options).compute()
    assert isinstance(missing, newsitem.FileError) and missing.errno == 2 and missing.path == url


def test_s3_edit_writes_only_changed_objects_with_a_minimal_diff(
    s3: tuple[Any, str, dict[str, Any]], threads: None
) -> None:
    api, bucket, options = s3
    crlf = ITEM.replace(b"\n", b"\r\n")
    objects = {"_news/a.md": ITEM, "_news/b.md": crlf, "_news/c.md": GOOD, "_news/d.yaml": b"title: [\n"}
    etags = {key: put(api, bucket, key, data) for key, data in objects.items()}
    modified = {key: api.head_object(Bucket=bucket, Key=key)["LastModified"] for key in objects}
    urls = [f"s3://{bucket}/{key}" for key in objects]

    outcomes = nd.edit(urls, nothing, storage_options=options).compute()
    assert [o for _, o in outcomes[:3]] == ["unchanged"] * 3
    assert isinstance(outcomes[3][1], newsitem.ParseError)  # .yaml: bare YAML, and broken
    for key, data in objects.items():
        assert get(api, bucket, key) == (data, etags[key])  # same bytes, same ETag: not rewritten
        assert api.head_object(Bucket=bucket, Key=key)["LastModified"] == modified[key]

    outcomes = nd.edit(urls[:3], bump, storage_options=options).compute()
    assert outcomes == [(url, "written") for url in urls[:3]]
    for key in list(objects)[:3]:
        data, etag = get(api, bucket, key)
        assert data == expected_after(objects[key], bump)
        assert etag != etags[key]
    assert get(api, bucket, "_news/b.md")[0].count(b"\r\n") == crlf.count(b"\r\n")


def test_s3_conflicting_write_is_refused_and_leaves_the_object_intact(
    s3: tuple[Any, str, dict[str, Any]], threads: None
) -> None:
    api, bucket, options = s3
    put(api, bucket, "_news/a.md", ITEM)
    theirs = ITEM.replace(b"Energy", b"Heating")

    def someone_else_writes_first(doc: newsitem.Document[newsitem.NewsItem]) -> None:
        put(api, bucket, "_news/a.md", theirs)
        bump(doc)

    outcome = nd.edit(
        f"s3://{bucket}/_news/a.md", someone_else_writes_first, storage_options=options
    ).compute()
    assert outcome == [(f"s3://{bucket}/_news/a.md", "conflict")]
    data, etag = get(api, bucket, "_news/a.md")
    assert data == theirs and etag == api.head_object(Bucket=bucket, Key="_news/a.md")["ETag"]


def test_s3_refuses_a_write_racing_past_the_check(
    s3: tuple[Any, str, dict[str, Any]], threads: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change that lands after newsitem's own check, just before the PUT: S3 itself
    refuses the PUT (If-Match on the ETag read at load time, 412 Precondition Failed)."""
    api, bucket, options = s3
    put(api, bucket, "_news/a.md", ITEM)
    theirs = ITEM.replace(b"Energy", b"Heating")
    checks = []

    def check_then_race(fs: Any, path: str, version: Any) -> bool:
        checks.append(path)
        theirs_etag = put(api, bucket, "_news/a.md", theirs)  # lands between the check and the PUT
        checks.append(theirs_etag)
        return True

    monkeypatch.setattr(nd, "_current", check_then_race)
    outcome = nd.edit(f"s3://{bucket}/_news/a.md", bump, storage_options=options).compute()
    assert outcome == [(f"s3://{bucket}/_news/a.md", "conflict")]
    assert checks and get(api, bucket, "_news/a.md") == (theirs, checks[1])


def test_s3_errors_are_elements(s3: tuple[Any, str, dict[str, Any]], threads: None) -> None:
    api, bucket, options = s3
    put(api, bucket, "a.md", b"---\ntitle: 1\n---\n")
    put(api, bucket, "b.md", GOOD)
    urls = [f"s3://{bucket}/a.md", f"s3://{bucket}/b.md", f"s3://{bucket}/gone.md"]
    (_, a), (_, b), (_, gone) = nd.edit(urls, bump, storage_options=options).compute()
    assert isinstance(a, newsitem.ValidationError) and b == "written"
    assert isinstance(gone, newsitem.FileError) and gone.errno == 2
    unreachable = {
        **options,
        "endpoint_url": "http://127.0.0.1:9",
        "config_kwargs": {"retries": {"max_attempts": 1}},
    }
    ((url, error),) = nd.read(f"s3://{bucket}/b.md", storage_options=unreachable).compute()
    assert isinstance(error, newsitem.FileError) and isinstance(error, OSError)
    assert error.path == url == f"s3://{bucket}/b.md"


@pytest.mark.corpus
def test_s3_on_the_cluster(corpus: Path, s3: tuple[Any, str, dict[str, Any]], client: Any) -> None:
    """Worker processes reach the S3 endpoint with the storage options they are sent."""
    api, bucket, options = s3
    files = news_files()[:24]
    for path in files:
        put(api, bucket, f"_news/{path.name}", path.read_bytes())
    outcomes = nd.edit(f"s3://{bucket}/_news/*.md", bump, storage_options=options, partition_size=6).compute()
    assert len(outcomes) == len(files) and {o for _, o in outcomes} == {"written"}
    for path in files:
        assert get(api, bucket, f"_news/{path.name}")[0] == expected_after(path.read_bytes(), bump)
    frame = nd.to_dataframe(nd.read(f"s3://{bucket}/_news/*.md", storage_options=options, partition_size=6))
    assert frame.compute()["_path"].tolist() == [url for url, _ in outcomes]
