"""The review workbench's store and API (Starlette TestClient, fake translator): reviewer
actions are recorded with history and survive rebuilds, conflicts are refused, and the API
refuses requests without the token or from another origin."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fakes import ROOT, FakeProvider, build_shipped_corpus

pytest.importorskip("starlette", reason="starlette is not installed (pip install starlette)")
pytest.importorskip("httpx", reason="httpx is not installed (pip install httpx)")
from starlette.testclient import TestClient

from toolkit.corpus.corrections import corrections_path, load_review_state
from toolkit.corpus.formats import read_meta
from toolkit.glossary.load import load_glossary
from toolkit.pipeline.build import build_corpus
from toolkit.review.workbench import ReviewStore, create_app
from toolkit.review.workbench.app import CSP, host_policy
from toolkit.review.workbench.store import StoreError, word_diff

GERMAN = "000_de546ec99307b48e"
TOKEN = "t0ken"
BASE = "http://127.0.0.1:8765"


def _rebuild(root: Path, original: str) -> list[str]:
    glossary = load_glossary(ROOT / "glossary.yaml")
    summary = build_corpus(root, provider=FakeProvider(), glossary=glossary, only=[original])
    return list(summary.errors.values())


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_shipped_corpus(tmp_path_factory.mktemp("wb") / "corpus")


@pytest.fixture
def store(template: Path, tmp_path: Path) -> ReviewStore:
    root = tmp_path / "corpus"
    shutil.copytree(template, root)
    return ReviewStore(root=root, rebuild=_rebuild, author="anna", kinds={})


@pytest.fixture
def client(store: ReviewStore) -> TestClient:
    return TestClient(create_app(store, TOKEN), base_url=BASE)


def _post(client: TestClient, body: dict, **headers: str):
    base = {"X-Toolkit-Token": TOKEN, "Origin": BASE, "Sec-Fetch-Site": "same-origin"}
    return client.post("/api/action", json=body, headers={**base, **headers})


def _row(store: ReviewStore, doc: str, index: int) -> dict:
    return store.document(doc)["rows"][index]


def _flagged(store: ReviewStore) -> tuple[str, dict]:
    for doc in (d["id"] for d in store.overview()["documents"]):
        for row in store.document(doc)["rows"]:
            if row["flags"]:
                return doc, row
    raise AssertionError("the shipped corpus has no flagged row")


# -- store -------------------------------------------------------------------------------------


def test_edit_keeps_history_and_diff_against_machine(store: ReviewStore) -> None:
    row = _row(store, GERMAN, 1)
    machine = row["text"]
    first = store.act(GERMAN, row["id"], "correct", row["version"], english="First try.")
    second = store.act(GERMAN, row["id"], "correct", first["version"], english="Second try.")
    assert second["origin"] == "human" and second["text"] == "Second try."
    diff = second["diff"]
    assert "".join(t for op, t in diff if op != "+") == machine
    assert "".join(t for op, t in diff if op != "-") == "Second try."
    rows = load_review_state(store.root, GERMAN).history(row["sha"])
    assert [(r.action, r.english, r.previous) for r in rows] == [
        ("correct", "First try.", machine),
        ("correct", "Second try.", "First try."),
    ]
    assert all(r.author == "anna" and r.time.endswith("Z") for r in rows)


def test_stale_version_is_a_conflict_and_writes_nothing(store: ReviewStore) -> None:
    row = _row(store, GERMAN, 2)
    store.act(GERMAN, row["id"], "correct", row["version"], english="Tab one.")
    before = corrections_path(store.root, GERMAN).read_bytes()
    with pytest.raises(Exception) as err:
        store.act(GERMAN, row["id"], "correct", row["version"], english="Tab two.")
    assert getattr(err.value, "status", None) == 409 and "changed since you loaded it" in str(
        err.value
    )
    assert corrections_path(store.root, GERMAN).read_bytes() == before
    assert _row(store, GERMAN, 2)["text"] == "Tab one."


def test_accept_dismiss_and_undo_survive_a_rebuild_from_scratch(store: ReviewStore) -> None:
    doc, flagged = _flagged(store)
    check = flagged["flags"][0]
    dismissed = store.act(
        doc, flagged["id"], "dismiss", flagged["version"], check=check, reason="names differ"
    )
    assert check not in dismissed["flags"]
    assert any(
        q["check"] == check and q["dismissed"]["reason"] == "names differ" for q in dismissed["qa"]
    )
    plain = next(
        r
        for r in store.document(GERMAN)["rows"]
        if r["origin"] == "machine" and r["id"] != flagged["id"]
    )
    accepted = store.act(GERMAN, plain["id"], "accept", plain["version"])
    assert accepted["origin"] == "accepted" and accepted["reviewed"]
    edited = _row(store, GERMAN, 0)
    edited = store.act(GERMAN, edited["id"], "correct", edited["version"], english="Kim spoke.")
    undone = store.act(GERMAN, edited["id"], "undo", edited["version"])
    assert undone["origin"] == "machine" and undone["diff"] is None

    shutil.rmtree(store.root / "english")
    (store.root / "manifest.jsonl").unlink()
    assert (
        build_corpus(
            store.root, provider=FakeProvider(), glossary=load_glossary(ROOT / "glossary.yaml")
        ).exit_code
        == 0
    )
    again = next(r for r in store.document(doc)["rows"] if r["id"] == flagged["id"])
    assert check not in again["flags"]
    assert (
        next(r for r in store.document(GERMAN)["rows"] if r["id"] == plain["id"])["origin"]
        == "accepted"
    )
    assert _row(store, GERMAN, 0)["origin"] == "machine"
    actions = [r.action for r in load_review_state(store.root, GERMAN).rows]
    assert "revert" in actions and "correct" in actions  # the undo is history too


def test_an_accepted_flagged_row_is_exported(store: ReviewStore) -> None:
    """Accepting a flagged row (`a`) is the reviewer's word on it, flags seen: every flag is
    dismissed with the reason `accepted as reviewed`, and export takes the row (it counted
    it among the "excluded flagged segments", and nothing said what would let it in)."""
    from toolkit.export.units import read_corpus, select_units

    doc, flagged = _flagged(store)
    units, before = select_units(read_corpus(store.root).records)
    assert not any(u.document == doc and u.segment == flagged["id"] for u in units)
    assert "a reviewer accepts a row or dismisses its flags" in before.lines()[1]
    accepted = store.act(doc, flagged["id"], "accept", flagged["version"])
    assert accepted["origin"] == "accepted" and accepted["flags"] == []
    assert {q["dismissed"]["reason"] for q in accepted["qa"]} == {"accepted as reviewed"}
    assert all(q["dismissed"]["author"] == "anna" for q in accepted["qa"])
    units, after = select_units(read_corpus(store.root).records)
    assert any(u.document == doc and u.segment == flagged["id"] for u in units)
    assert after.flagged == before.flagged - 1


def test_an_english_document_is_not_counted_as_reviewed(store: ReviewStore) -> None:
    """Rows whose English is their own source text were counted reviewed: an English document
    showed all rows reviewed that nobody had looked at. They are nothing to review now."""
    docs = {d["id"]: d for d in store.overview()["documents"]}
    english = docs["001_cb2e6261cd7f216a"]
    assert english["rows"] > 0 and (english["reviewed"], english["to_review"]) == (0, 0)
    assert docs[GERMAN]["to_review"] == docs[GERMAN]["rows"]
    row = store.document("001_cb2e6261cd7f216a")["rows"][0]
    assert row["own_english"] and not row["reviewed"]


def test_acceptance_lapses_when_the_machine_english_changes(store: ReviewStore) -> None:
    row = _row(store, GERMAN, 3)
    store.act(GERMAN, row["id"], "accept", row["version"])
    path = corrections_path(store.root, GERMAN)
    text = path.read_text(encoding="utf-8").replace(row["text"], "An older machine text.")
    path.write_text(text, encoding="utf-8")
    assert build_corpus(store.root, provider=FakeProvider()).exit_code == 0
    assert _row(store, GERMAN, 3)["origin"] == "machine"


def test_unknown_document_is_404_and_never_a_path(store: ReviewStore) -> None:
    for doc in ("../manifest", "..%2Foriginal", "/etc/passwd", GERMAN + ".meta.json"):
        with pytest.raises(Exception) as err:
            store.document(doc)
        assert getattr(err.value, "status", None) == 404


def test_word_diff_marks_changed_words() -> None:
    assert word_diff("Kim said hello.", "Kim said goodbye.") == [
        ["=", "Kim said "],
        ["-", "hello."],
        ["+", "goodbye."],
    ]


# -- API ---------------------------------------------------------------------------------------


def test_page_has_strict_csp_and_api_needs_the_token(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-security-policy"] == CSP
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP
    assert client.get("/api/overview").status_code == 403
    wrong = client.get("/api/overview", headers={"X-Toolkit-Token": "nope"})
    assert wrong.status_code == 403
    ok = client.get("/api/overview", headers={"X-Toolkit-Token": TOKEN})
    assert ok.status_code == 200 and len(ok.json()["documents"]) == 4


def test_post_without_token_or_cross_origin_is_403(client: TestClient, store: ReviewStore) -> None:
    row = _row(store, GERMAN, 0)
    body = {"doc": GERMAN, "row": row["id"], "action": "correct", "version": 0, "english": "X."}
    assert _post(client, body, **{"X-Toolkit-Token": ""}).status_code == 403
    assert _post(client, body, Origin="http://evil.example").status_code == 403
    assert _post(client, body, **{"Sec-Fetch-Site": "cross-site"}).status_code == 403
    no_origin = client.post("/api/action", json=body, headers={"X-Toolkit-Token": TOKEN})
    assert no_origin.status_code == 403
    rebinding = _post(client, body, Host="evil.example:8765", Origin="http://evil.example:8765")
    assert rebinding.status_code == 403
    assert not corrections_path(store.root, GERMAN).exists()
    saved = _post(client, body)
    assert saved.status_code == 200 and saved.json()["row"]["text"] == "X."


def test_two_tabs_saving_one_row_get_a_conflict(client: TestClient, store: ReviewStore) -> None:
    row = _row(store, GERMAN, 0)
    body = {"doc": GERMAN, "row": row["id"], "action": "correct", "version": row["version"]}
    assert _post(client, {**body, "english": "Tab one."}).status_code == 200
    second = _post(client, {**body, "english": "Tab two."})
    assert second.status_code == 409 and "changed since you loaded it" in second.json()["error"]
    assert read_meta(store.root / "english" / f"{GERMAN}.meta.json").segments[0].english == (
        "Tab one."
    )


def test_only_the_page_files_are_served(client: TestClient) -> None:
    assert client.get("/static/app.js").status_code == 200
    for path in ("/static/..%2f..%2fcli.py", "/static/store.py", "/../corpus/manifest.jsonl"):
        assert client.get(path).status_code == 404
    bad = client.get("/api/document/..%2F..%2Fmanifest", headers={"X-Toolkit-Token": TOKEN})
    assert bad.status_code == 404


def test_a_row_whose_flags_are_all_dismissed_is_exported_and_not_counted(
    store: ReviewStore, tmp_path: Path
) -> None:
    import json

    from toolkit.export.units import ExportOptions
    from toolkit.export.writer import export_corpus
    from toolkit.qa.summary import summarize_corpus
    from toolkit.review.documents import load_documents
    from toolkit.review.html import render_html
    from toolkit.review.terminal import TerminalStyle, render_terminal

    doc, row = _flagged(store)
    before = summarize_corpus(load_documents(store.root, []))
    for check in dict.fromkeys(row["flags"]):
        row = store.act(doc, row["id"], "dismiss", row["version"], check=check, reason="fine")
    assert row["flags"] == [] and all(q["dismissed"] for q in row["qa"])

    out = tmp_path / "out.jsonl"
    export_corpus(store.root, "jsonl", out, ExportOptions())
    units = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    (unit,) = [u for u in units if u["document"] == doc and u["segment"] == row["id"]]
    assert unit["flags"] == [] and {d["reason"] for d in unit["dismissed"]} == {"fine"}

    records = load_documents(store.root, [])
    after = summarize_corpus(records)
    assert sum(after.dismissed.values()) == len(row["qa"])
    assert sum(after.per_check.values()) == sum(before.per_check.values()) - len(row["qa"])
    record = next(r for r in records if r.document == doc)
    assert f"{row['qa'][0]['check']} dismissed: fine" in render_terminal(record, TerminalStyle())
    assert "dismissed: fine" in render_html(records, {})


def hold_lock_until(root: Path, release: Path) -> subprocess.Popen[str]:
    """Another process (as a build would) holding ``root``'s corpus lock until ``release``
    exists; it prints ``held`` once it has the lock."""
    script = (
        "import pathlib, sys, time\n"
        "from toolkit.corpus.lock import CorpusLock\n"
        "lock = CorpusLock(pathlib.Path(sys.argv[1]), 'toolkit build')\n"
        "lock.acquire()\n"
        "print('held', flush=True)\n"
        "while not pathlib.Path(sys.argv[2]).exists():\n"
        "    time.sleep(0.05)\n"
        "lock.release()\n"
    )
    return subprocess.Popen(
        [sys.executable, "-c", script, str(root), str(release)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def test_a_save_waits_for_a_build_holding_the_corpus_lock(store: ReviewStore) -> None:
    import threading

    release = store.root.parent / "release"
    holder = hold_lock_until(store.root, release)
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    assert "toolkit build" in (store.lock_holder() or "")
    row = _row(store, GERMAN, 0)
    done: list[dict] = []
    saver = threading.Thread(
        target=lambda: done.append(
            store.act(GERMAN, row["id"], "correct", row["version"], english="Waited.")
        )
    )
    saver.start()
    saver.join(1.0)
    assert saver.is_alive() and not corrections_path(store.root, GERMAN).exists()
    release.touch()
    saver.join()
    holder.wait()
    assert done and done[0]["text"] == "Waited."
    assert store.lock_holder() is None


def test_serve_listens_on_loopback_and_warns_for_another_host(template: Path) -> None:
    import subprocess
    import sys

    def first_lines(*extra: str) -> list[str]:
        proc = subprocess.Popen(
            [sys.executable, "-m", "toolkit.cli.app", "review", "--serve", str(template), *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert proc.stdout is not None and proc.stderr is not None
        try:
            url = proc.stdout.readline()
            return [url, proc.stderr.readline() if "0.0.0.0" in extra else ""]
        finally:
            proc.terminate()
            proc.wait()

    url, _ = first_lines()
    assert url.startswith("review workbench: http://127.0.0.1:") and "?token=" in url
    url, warning = first_lines("--host", "0.0.0.0")
    assert "http://0.0.0.0:" in url
    assert warning.startswith("toolkit: warning: serving on 0.0.0.0, reachable from other")


# -- any bilingual file ------------------------------------------------------------------------

PUD = ROOT.parent / "shared" / "data" / "pud-dev" / "de_en.dev.tsv"


@pytest.mark.skipif(not PUD.is_file(), reason=f"no {PUD} (the shared reference data)")
def test_a_bilingual_file_is_reviewed_into_a_sidecar_and_exported_corrected(
    tmp_path: Path,
) -> None:
    import json

    from click.testing import CliRunner

    from toolkit.cli.corrections import export
    from toolkit.glossary.model import Glossary
    from toolkit.review.workbench.pairs import PairsStore, sidecar_path

    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "".join(PUD.read_text(encoding="utf-8").splitlines(keepends=True)[:21]), encoding="utf-8"
    )
    original = pairs.read_bytes()
    store = PairsStore(
        root=tmp_path,
        rebuild=lambda _r, _n: [],
        author="anna",
        kinds={},
        pairs_file=pairs,
        src="de",
        tgt="en",
        glossary=Glossary.empty(),
    )
    client = TestClient(create_app(store, TOKEN), base_url=BASE)
    overview = client.get("/api/overview", headers={"X-Toolkit-Token": TOKEN}).json()
    assert [(d["id"], d["rows"]) for d in overview["documents"]] == [("pairs.tsv", 20)]
    rows = store.document("pairs.tsv")["rows"]
    body = {"doc": "pairs.tsv", "row": rows[1]["id"], "action": "correct", "version": 0}
    saved = _post(client, {**body, "english": "Corrected by a human."})
    assert saved.status_code == 200 and saved.json()["row"]["origin"] == "human"
    assert _post(client, {**body, "english": "Stale tab."}).status_code == 409
    assert pairs.read_bytes() == original  # the file under review is never written
    assert load_review_state_file(sidecar_path(pairs))[0].english == "Corrected by a human."

    out = tmp_path / "out.jsonl"
    args = ["--pairs", str(pairs), "--src", "de", "--format", "jsonl", "-o", str(out)]
    result = CliRunner().invoke(export, [*args, "--include-flagged"])
    assert result.exit_code == 0, result.output
    units = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(units) == 20
    (fixed,) = [u for u in units if u["segment"] == rows[1]["id"]]
    assert fixed["target"] == "Corrected by a human." and fixed["origin"] == "human"
    assert {u["target"] for u in units if u is not fixed} <= {r["text"] for r in rows}


def test_a_jsonl_export_opens_in_the_pairs_workbench(tmp_path: Path) -> None:
    """JSONL (``toolkit export --format jsonl``) is a bilingual file the workbench opens too."""
    import json

    from toolkit.glossary.model import Glossary
    from toolkit.review.workbench.pairs import PairsStore, sidecar_path

    units = [
        {"document": "a", "segment": "p1.s1", "source": "Vier Äpfel.", "target": "Four apples."},
        {"document": "a", "segment": "p1.s2", "source": "Der Hund.", "target": "The dog."},
    ]
    pairs = tmp_path / "export.jsonl"
    pairs.write_text("".join(json.dumps(u) + "\n" for u in units), encoding="utf-8")
    store = PairsStore(
        root=tmp_path,
        rebuild=lambda _r, _n: [],
        author="anna",
        kinds={},
        pairs_file=pairs,
        src="de",
        tgt="en",
        glossary=Glossary.empty(),
    )
    rows = store.document("export.jsonl")["rows"]
    assert [r["text"] for r in rows] == ["Four apples.", "The dog."]
    client = TestClient(create_app(store, TOKEN), base_url=BASE)
    body = {"doc": "export.jsonl", "row": rows[1]["id"], "action": "correct", "version": 0}
    assert _post(client, {**body, "english": "The hound."}).status_code == 200
    assert load_review_state_file(sidecar_path(pairs))[0].english == "The hound."


def load_review_state_file(path: Path):
    from toolkit.corpus.corrections import load_review_file

    return load_review_file(path).rows


def test_only_a_raised_flag_can_be_dismissed_and_only_a_dismissed_one_restored(
    store: ReviewStore,
) -> None:
    """A dismissal of a check the row does not raise would silently hide that flag the day
    a rebuild raises it; a second dismissal (or a restore of nothing) would be a no-op row
    that ``undo`` can never get past. All are refused and nothing is written."""
    doc, flagged = _flagged(store)
    raised = flagged["flags"][0]
    absent = next(c for c in store.document(doc)["checks"] if c not in flagged["flags"])
    file = corrections_path(store.root, doc)
    for check in (absent, "nosuchcheck"):
        with pytest.raises(StoreError, match=r"no .* flag to dismiss") as refused:
            store.act(doc, flagged["id"], "dismiss", flagged["version"], check=check, reason="x")
        assert refused.value.status == 400
    with pytest.raises(StoreError, match="not dismissed"):
        store.act(doc, flagged["id"], "restore", flagged["version"], check=raised)
    assert not file.exists()

    done = store.act(doc, flagged["id"], "dismiss", flagged["version"], check=raised, reason="ok")
    with pytest.raises(StoreError, match="already dismissed"):
        store.act(doc, flagged["id"], "dismiss", done["version"], check=raised, reason="again")
    undone = store.act(doc, flagged["id"], "undo", done["version"])
    assert raised in undone["flags"]


def test_a_wildcard_bind_answers_browsers_on_other_machines(store: ReviewStore) -> None:
    """`--host 0.0.0.0` is for reviewers on other machines: their browser's Host header is
    this machine's address (an IP literal, which no DNS-rebinding page can send); a name is
    still refused. A loopback bind keeps refusing every address but loopback."""
    row = _row(store, GERMAN, 0)
    body = {"doc": GERMAN, "row": row["id"], "action": "correct", "version": 0, "english": "Y."}
    for bind, remote in (("0.0.0.0", "192.0.2.7:8765"), ("::", "[2001:db8::7]:8765")):
        hosts, any_ip = host_policy(bind)
        app = create_app(store, TOKEN, hosts, any_ip=any_ip)
        client = TestClient(app, base_url=f"http://{remote}")
        assert client.get("/api/status", headers={"X-Toolkit-Token": TOKEN}).status_code == 200
        for name in ("evil.example:8765", "192.0.2.7.evil.example:8765"):
            refused = client.get("/api/status", headers={"X-Toolkit-Token": TOKEN, "Host": name})
            assert refused.status_code == 403
    saved = _post(client, body, Origin=f"http://{remote}")
    assert saved.status_code == 200 and saved.json()["row"]["text"] == "Y."

    hosts, any_ip = host_policy("127.0.0.1")
    local = TestClient(create_app(store, TOKEN, hosts, any_ip=any_ip), base_url="http://192.0.2.7")
    assert local.get("/api/status", headers={"X-Toolkit-Token": TOKEN}).status_code == 403


def test_ctrl_c_stops_the_server_while_a_save_waits_for_a_build(
    template: Path, tmp_path: Path
) -> None:
    """A save waiting for a build's corpus lock must not keep `toolkit review --serve` from
    stopping: on Ctrl-C the save gives up (503, nothing written) and the server exits
    without a traceback, while the build keeps its lock."""
    import signal
    import subprocess
    import sys
    import threading

    import httpx

    root = tmp_path / "corpus"
    shutil.copytree(template, root)
    release = tmp_path / "release"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = hold_lock_until(root, release)
    server = subprocess.Popen(
        [sys.executable, "-m", "toolkit.cli.app", "review", "--serve", str(root)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert server.stdout is not None and server.stderr is not None
        url = server.stdout.readline().split()[-1]
        base, token = url.split("/?token=")
        body = {"doc": GERMAN, "row": "p1.s1", "action": "correct", "version": 0, "english": "Z."}
        answers: list[httpx.Response] = []
        saver = threading.Thread(
            target=lambda: answers.append(
                httpx.post(
                    f"{base}/api/action",
                    json=body,
                    headers={"X-Toolkit-Token": token, "Origin": base},
                    timeout=None,
                )
            )
        )
        saver.start()
        saver.join(1.0)
        assert saver.is_alive()  # waiting for the lock
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)  # a hang guard: without the fix it waits for the build
        saver.join()
        assert answers and answers[0].status_code == 503
        assert "nothing was saved" in answers[0].json()["error"]
        assert "Traceback" not in server.stderr.read()
        assert not corrections_path(root, GERMAN).exists()
    finally:
        server.kill()
        server.wait()
        release.touch()
        holder.wait()


def test_export_pairs_keeps_each_rows_own_source_language(tmp_path: Path) -> None:
    # A Dutch row (source_language NL) of a file exported with --src de was exported, checked
    # and reviewed as German: the row's own language was validated, then ignored.
    import json

    from click.testing import CliRunner

    from toolkit.cli.corrections import export

    pairs = tmp_path / "r.tsv"
    pairs.write_text(
        "file\tsegment_id\tsource\tenglish\tflags\tsource_language\n"
        "a.txt\tp1.s1\tDe regering heeft maandag nieuwe maatregelen genomen.\t"
        "The government took new measures on Monday.\t\tNL\n"
        "a.txt\tp1.s2\tDie Regierung hat am Montag neue Maßnahmen beschlossen.\t"
        "The government decided on new measures on Monday.\t\t\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.jsonl"
    args = ["--pairs", str(pairs), "--src", "de", "--format", "jsonl", "-o", str(out)]
    assert CliRunner().invoke(export, [*args, "--include-flagged"]).exit_code == 0
    units = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [u["source_language"] for u in units] == ["nl", "de"]


def test_document_view_names_the_removed_paragraphs_and_where_they_stood(
    store: ReviewStore,
) -> None:
    """Each paragraph the build removed comes with review's label and the row it stood
    before (the English article's repeated headline stands before its first row)."""
    from toolkit.review.rows import with_removed
    from toolkit.schema import BoilerplateHit

    doc = "003_c4a4f06c737cf0af"
    record = read_meta(store.root / "english" / f"{doc}.meta.json")
    rows = with_removed(record, record.segments, "document")
    expected = [
        (row.text, next((r.id for r in rows[i:] if not isinstance(r, BoilerplateHit)), None))
        for i, row in enumerate(rows)
        if isinstance(row, BoilerplateHit)
    ]
    removed = store.document(doc)["removed"]
    assert [(r["text"], r["before"]) for r in removed] == expected
    assert any(before is not None for _, before in expected)  # not all at the end
    assert all(r["label"].endswith("), not translated") for r in removed)


def test_a_row_id_of_a_long_document_id_can_be_acted_on() -> None:
    # A pairs file's row id is "document:segment" and document ids reach 200 characters;
    # the 50-character limit refused every action on such rows (attack finding).
    from toolkit.review.workbench.app import ActionRequest

    row = "2016-02-03_derstandard_regierung-tritt-nach-streit-zurueck" * 3 + ":p1.s3"
    assert ActionRequest(doc="x", row=row, action="accept", version=0).row == row
    # A pairs file's name is its document, and a row id is whatever the file gives (second
    # attack: a 210-character file name and a 450-character id were still refused).
    request = ActionRequest(doc="x" * 210 + ".tsv", row="tu:" + "y" * 450, action="accept",
                            version=0)  # fmt: skip
    assert len(request.doc) == 214 and len(request.row) == 453


def test_a_row_id_the_workbench_shows_is_one_it_acts_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A row id over 4,096 characters was shown, and every action on it refused: a file with
    # one is refused at start, in one line; an id of the limit is shown and acted on.
    import toolkit.review.workbench.launch as launch
    from toolkit.qa.pairs import QaInputError
    from toolkit.review.workbench.store import MAX_ID

    served: list[ReviewStore] = []
    monkeypatch.setattr(launch, "serve", lambda store, **kw: served.append(store))
    pairs = tmp_path / "long.tsv"
    pairs.write_text(f"id\tde\ten\n{'x' * MAX_ID}\tEs regnet.\tIt rains.\n", "utf-8")
    launch.run_workbench(pairs, host="127.0.0.1", port=0, packages_dir=None, glossary_path=None,
                         author="ana", echo=print, languages=("de", "en"), no_glossary=True)
    (store,) = served
    client = TestClient(create_app(store, TOKEN), base_url=BASE)
    (row,) = store.document("long.tsv")["rows"]
    body = {"doc": "long.tsv", "row": row["id"], "action": "accept", "version": 0}
    assert _post(client, body).status_code == 200
    pairs.write_text(f"id\tde\ten\n{'x' * (MAX_ID + 1)}\tEs regnet.\tIt rains.\n", "utf-8")
    with pytest.raises(QaInputError) as err:
        launch.run_workbench(pairs, host="127.0.0.1", port=0, packages_dir=None,
                             glossary_path=None, author="ana", echo=print,
                             languages=("de", "en"), no_glossary=True)
    assert str(err.value) == (f"{pairs}: row 1's id ('{'x' * 40}'...) is 4,097 characters; "
                              "the workbench acts on ids up to 4,096: shorten it")
    assert len(served) == 1
    with pytest.raises(QaInputError):  # edited while served: refused, not shown
        store.document("long.tsv")


def test_the_overview_names_the_originals_with_no_english_as_the_html_page_does(
    store: ReviewStore,
) -> None:
    """An original never built (added since the build) and one the build fails (empty) have
    no English: the overview's list is not the whole corpus and says so, in the line
    ``review --html`` puts on its page (one owner: ``unbuilt_notice``)."""
    from toolkit.pipeline.unbuilt import unbuilt_line
    from toolkit.review.documents import load_documents

    assert store.overview()["left_out"] == []  # a complete corpus: no notice
    (store.root / "original" / "zz_new.txt").write_text("Ein neuer Artikel.\n", encoding="utf-8")
    (store.root / "original" / "empty.txt").write_text("", encoding="utf-8")
    html_page: list[str] = []
    load_documents(store.root, [], left_out=html_page)
    expected = [unbuilt_line({"empty.txt", "zz_new.txt"}, "shown")]
    assert html_page == expected
    assert store.overview()["left_out"] == expected


def test_the_overview_gives_an_unreadable_record_its_reason_not_blank_counts(
    store: ReviewStore,
) -> None:
    """A meta.json that cannot be read was a row of blank counts under a status "error" (read
    as a build's failure): it is its one-line reason (read_meta's words) and nothing else."""
    first = store.overview()["documents"][0]["id"]
    meta = store.root / "english" / f"{first}.meta.json"
    meta.write_text("not json", encoding="utf-8")
    (row,) = [d for d in store.overview()["documents"] if d["id"] == first]
    assert set(row) == {"id", "unreadable"}
    reason = row["unreadable"]
    assert reason.startswith(f"{meta}: ") and "not a document record" in reason
    assert "\n" not in row["unreadable"]


def test_the_workbench_shows_correction_rows_that_match_no_row_as_the_build_says_them(
    store: ReviewStore,
) -> None:
    """A correction row whose sentence is in no row of its document: the build named it,
    the workbench (where such rows are made) showed nothing. Overview and document view give
    the build's own line (one owner: ``pipeline.summary.orphan_line``)."""
    from toolkit.corpus.corrections import Correction, render_corrections

    assert store.overview()["orphans"] == [] and store.document(GERMAN)["orphans"] == []
    gone = "Dieser Satz steht in keinem Artikel."
    corrections_path(store.root, GERMAN).parent.mkdir(exist_ok=True)
    corrections_path(store.root, GERMAN).write_text(
        render_corrections([Correction("", gone, "Gone.", "anna", "2026-12-01T10:00:00Z")]),
        encoding="utf-8")
    summary = build_corpus(store.root, provider=FakeProvider())
    built = [line for line in summary.lines() if line.startswith("orphan correction:")]
    assert len(built) == 1 and gone in built[0]
    assert store.overview()["orphans"] == built
    assert store.document(GERMAN)["orphans"] == built


def test_the_overview_names_a_corrections_file_no_document_reads_as_status_does(
    store: ReviewStore,
) -> None:
    """A whole corrections file that belongs to no original (``Song`` next to ``song``): build
    and status named it, the workbench's overview listed only rows of built documents."""
    from toolkit.corpus.corrections import Correction, render_corrections
    from toolkit.pipeline.status import corpus_status

    stray = corrections_path(store.root, GERMAN.upper())
    stray.parent.mkdir(exist_ok=True)
    stray.write_text(render_corrections([Correction("", "Ein Satz.", "A sentence.", "anna",
                                                    "2026-12-01T10:00:00Z")]), encoding="utf-8")
    (stray.parent / f"{GERMAN}.Corrections.TSV").write_text("x", encoding="utf-8")
    said = list(corpus_status(store.root)[1].values())
    assert len(said) == 2 and f"did you mean {GERMAN}?" in said[0] + said[1]
    assert store.overview()["orphans"] == said
