"""`toc serve`: the pages, the safety of the app, and saves written back to the files.

Skipped, with the reason, when the optional `serve` extra is not installed.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import sys
from pathlib import Path

import pytest

pytest.importorskip("starlette", reason="the serve extra is not installed "
                    "(pip install 'toc-engine[serve]')")
pytest.importorskip("httpx", reason="httpx drives Starlette's TestClient (pip install httpx)")

from hypothesis import given
from hypothesis import strategies as st
from starlette.testclient import TestClient

from toc_engine.cli import run
from toc_engine.formats.report.document import num
from toc_engine.serve.app import create_app
from toc_engine.serve.yaml_edit import scalar

ROOT = Path(__file__).resolve().parent.parent
NEPAL = ROOT / "examples" / "nepal"
BASE = "http://127.0.0.1:8000"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "nepal"
    shutil.copytree(NEPAL, target)
    return target


@pytest.fixture
def client(folder: Path) -> TestClient:
    return TestClient(create_app(folder), base_url=BASE)


def tokens(client: TestClient, indicator: str) -> dict[str, str]:
    page = client.get(f"/record/{indicator}")
    assert page.status_code == 200
    return dict(re.findall(r'name="(csrf|digest)" value="([^"]*)"', page.text))


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.parent.rglob("*")) if p.is_file()}


# --- pages -----------------------------------------------------------------------------------


def test_pages_show_graph_results_findings_and_summary(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200
    assert 'id="node-household-toilets"' in home.text  # the report's graph, clickable by id
    assert 'href="/result/household-toilets"' in home.text
    assert "Delivery roll-up" in home.text and "Design score" in home.text
    page = client.get("/result/household-toilets")
    assert "Listed households whose own toilet is complete" in page.text
    assert "indicator-chart" in page.text  # the indicator's chart
    assert "theory_failure_assumption" in page.text  # the --explain arithmetic of its link
    assert 'href="/record/households-with-toilet"' in page.text
    assert client.get("/findings").status_code == 200
    for asset in ("/assets/app.css", "/assets/app.js"):
        assert client.get(asset).status_code == 200


def test_sensitive_evidence_is_withheld(client: TestClient) -> None:
    page = client.get("/result/women-safer-chakkar")
    assert page.status_code == 200
    assert "[withheld: sensitive evidence]" in page.text
    home = client.get("/")
    assert "sensitive evidence item(s) withheld" in home.text


def test_no_external_requests_in_pages(client: TestClient) -> None:
    for url in ("/", "/result/household-toilets", "/record/households-with-toilet"):
        text = client.get(url).text
        assert not re.search(r'(src|href)="(https?:)?//', text), url
    headers = client.get("/").headers
    assert "default-src 'self'" in headers["content-security-policy"]


# --- safety ----------------------------------------------------------------------------------


def test_foreign_host_is_refused(folder: Path) -> None:
    client = TestClient(create_app(folder), base_url="http://evil.example:8000")
    assert client.get("/").status_code == 400
    rebinding = TestClient(create_app(folder), base_url=BASE)
    assert rebinding.get("/", headers={"host": "attacker.test:8000"}).status_code == 400


def test_post_without_csrf_token_is_refused(client: TestClient, folder: Path) -> None:
    before = files_of(folder)
    form = tokens(client, "households-with-toilet")
    data = {"digest": form["digest"], "period": "2013-Q1", "value": "5", "site": "chakkar"}
    assert client.post("/record/households-with-toilet", data=data).status_code == 403
    data["csrf"] = "forged"
    assert client.post("/record/households-with-toilet", data=data).status_code == 403
    assert files_of(folder) == before


TRAVERSALS = ("..%2F..%2Fetc%2Fpasswd", "..%2Fprogramme.yaml", "%2Fetc%2Fpasswd",
              "....%2F%2Fsecret", "%2E%2E", "%2e%2e%2fprogramme.yaml")


@pytest.mark.parametrize("attempt", TRAVERSALS)
def test_path_traversal_in_every_parameter_is_refused(
    client: TestClient, folder: Path, attempt: str
) -> None:
    (folder.parent / "secret").write_text("not for the web", "utf-8")
    before = files_of(folder)
    for url in (f"/result/{attempt}", f"/assets/{attempt}", f"/record/{attempt}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "not for the web" not in response.text
    form = tokens(client, "households-with-toilet")
    posted = client.post(f"/record/{attempt}", data={**form, "period": "2013", "value": "1"})
    assert posted.status_code == 404
    decoded = attempt.replace("%2F", "/").replace("%2f", "/").replace("%2e", ".")
    for field in ("site", "period", "value", "sample_size"):
        data = {**form, "period": "2013-Q1", "value": "3", "site": "chakkar", field: decoded}
        response = client.post("/record/households-with-toilet", data=data)
        assert response.status_code == 422, field
    data = {**form, "period": "2013", "value": "3", "dim_sex": decoded}
    assert client.post("/record/it-course-completers", data=data).status_code == 422
    assert files_of(folder) == before  # nothing written, inside the folder or beside it


# --- saves -----------------------------------------------------------------------------------


def test_save_adds_one_line_and_keeps_every_comment(client: TestClient, folder: Path) -> None:
    path = folder / "programme.yaml"
    original = path.read_text("utf-8")
    form = tokens(client, "households-with-toilet")
    response = client.post("/record/households-with-toilet", follow_redirects=False, data={
        **form, "period": "2013-Q1", "value": "12", "site": "chakkar",
        "source": "Working-group register, checked on visits"})
    assert response.status_code == 303
    assert response.headers["location"] == "/result/household-toilets?saved=1"
    edited = path.read_text("utf-8")
    diff = [line for line in difflib.unified_diff(original.splitlines(), edited.splitlines(),
                                                  lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    assert diff == ['+          - {period: 2013-Q1, value: 12, site: chakkar, '
                    'source: "Working-group register, checked on visits"}']
    page = client.get(response.headers["location"]).text
    assert page.count("Saved.") == 1
    assert "changed on disk" not in page  # the app's own save is not an outside change


def test_page_agrees_with_validate_and_score_after_a_save(
    client: TestClient, folder: Path
) -> None:
    from toc_engine import load, score

    def delivery() -> str:
        loaded = load(folder / "programme.yaml")
        assert loaded.programme is not None
        result = next(r for r in score(loaded.programme).results if r.id == "household-toilets")
        return f"Delivery {num(result.delivery.score, 1)}"

    before = delivery()
    assert before in client.get("/result/household-toilets").text
    form = tokens(client, "households-with-toilet")
    client.post("/record/households-with-toilet",
                data={**form, "period": "2012-Q4", "value": "2", "site": "chakkar"})
    after = delivery()
    assert after != before  # the correction (20 -> 2 in 2012-Q4) moved the score
    assert after in client.get("/result/household-toilets").text
    out = io.StringIO()
    assert run(["validate", str(folder / "programme.yaml"), "--format", "json"], out) == 0
    findings = out.getvalue().count('"code"')
    assert f"findings ({findings})" in client.get("/").text


def test_correction_replaces_the_line_in_place(client: TestClient, folder: Path) -> None:
    path = folder / "programme.yaml"
    original = path.read_text("utf-8").splitlines()
    form = tokens(client, "households-with-toilet")
    client.post("/record/households-with-toilet",
                data={**form, "period": "2012-Q2", "value": "56", "site": "chakkar"})
    edited = path.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(original, edited, strict=True) if a != b]
    assert changed == [("          - {period: 2012-Q2, value: 55, site: chakkar}",
                        "          - {period: 2012-Q2, value: 56, site: chakkar}")]


def test_csv_rows_are_appended_to_the_csv(client: TestClient, folder: Path) -> None:
    path = folder / "data" / "observations.csv"
    original = path.read_bytes()
    form = tokens(client, "it-course-completers")
    response = client.post("/record/it-course-completers", data={
        **form, "period": "2012", "value": "30", "dim_sex": "female",
        "source": "IT centre attendance register"})
    assert response.status_code == 200  # followed the redirect to the result page
    assert path.read_bytes() == original + b"it-course-completers,2012,30,,IT centre " \
        b"attendance register,,female,\n"
    assert (folder / "programme.yaml").read_bytes() == (NEPAL / "programme.yaml").read_bytes()


def test_save_that_adds_an_error_writes_nothing(client: TestClient, folder: Path) -> None:
    before = files_of(folder)
    form = tokens(client, "know-where-to-report-dv")
    response = client.post("/record/know-where-to-report-dv",
                           data={**form, "period": "2013", "value": "150"})
    assert response.status_code == 422
    assert "the change would add the errors below" in response.text
    assert "TOC308" in response.text
    # located in the user's own file, never in the scratch copy the save was checked in
    assert "toc-serve-" not in response.text
    own = re.escape(str(Path(os.path.relpath(folder / "data" / "observations.csv"))))
    assert re.search(own + r":\d+:\d+: TOC308", response.text)
    assert 'value="150"' in response.text  # the form keeps what was typed
    assert files_of(folder) == before


def test_survey_derived_indicator_offers_no_form(client: TestClient, folder: Path) -> None:
    """Values derived from a raw survey export are corrected in the export: the page says
    so and names it, and a save sent anyway is refused without touching a file."""
    page = client.get("/record/feel-safe-after-dark")
    assert page.status_code == 200
    assert "<form" not in page.text
    assert "derived from the survey export data/perception-survey-2012.csv" in page.text
    assert "correct the answers in the export" in page.text
    assert "replaces it (a correction)" not in page.text
    form = tokens(client, "households-with-toilet")
    before = files_of(folder)
    response = client.post("/record/feel-safe-after-dark",
                           data={**form, "period": "2012", "value": "50", "dim_sex": "female"})
    assert response.status_code == 422
    assert "Nothing was saved" in response.text
    assert "data/perception-survey-2012.csv" in response.text
    assert "TOC318" not in response.text
    assert files_of(folder) == before


def test_sensitive_indicator_shows_totals_and_says_rows_are_withheld(folder: Path) -> None:
    path = folder / "programme.yaml"
    text = path.read_text("utf-8")
    line = "          - {period: 2012, value: 11}"
    assert line in text
    path.write_text(text.replace(line, line + "\n          - {period: 2012, site: chakkar, "
                                 "value: 2}", 1), "utf-8")
    client = TestClient(create_app(folder), base_url=BASE)
    page = client.get("/record/harassment-incidents-chakkar").text
    table = page.split("Recorded so far", 1)[1]
    assert re.search(r"<td>2012</td><td></td><td></td><td>11</td>", table)
    assert "<td>chakkar</td>" not in table and "<td>2</td>" not in table
    assert "1 row(s) by site or group withheld (sensitive indicator)" in table


def test_external_edit_since_the_page_was_loaded_refuses_the_save(
    client: TestClient, folder: Path
) -> None:
    form = tokens(client, "households-with-toilet")
    path = folder / "programme.yaml"
    edited = path.read_text("utf-8") + "# edited in a text editor\n"
    path.write_text(edited, "utf-8")
    response = client.post("/record/households-with-toilet",
                           data={**form, "period": "2013-Q1", "value": "12", "site": "chakkar"})
    assert response.status_code == 409
    assert "reload the page" in response.text
    assert "changed on disk" in response.text  # the first page after the edit says so
    assert path.read_text("utf-8") == edited
    assert "changed on disk" not in client.get("/").text


def test_every_browser_is_told_the_files_changed_on_disk(folder: Path) -> None:
    """The note belongs to each browser's own last page, not to whichever asks first."""
    app = create_app(folder)
    first, second = TestClient(app, base_url=BASE), TestClient(app, base_url=BASE)
    for browser in (first, second):
        assert "changed on disk" not in browser.get("/").text
    path = folder / "programme.yaml"
    path.write_text(path.read_text("utf-8") + "# edited in a text editor\n", "utf-8")
    for browser in (first, second):
        assert "changed on disk" in browser.get("/").text
        assert "changed on disk" not in browser.get("/").text  # said once per browser
    assert "changed on disk" not in TestClient(app, base_url=BASE).get("/").text


def test_serve_command_errors_and_missing_extra(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["serve", str(folder / "nowhere")], io.StringIO()) == 2
    assert "'" + str(folder / "nowhere") + "' is not a folder" in capsys.readouterr().err
    monkeypatch.setitem(sys.modules, "uvicorn", None)
    assert run(["serve", str(folder)], io.StringIO()) == 2
    assert "pip install 'toc-engine[serve]'" in capsys.readouterr().err


def test_serve_command_warns_for_a_network_host(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: calls.append(kw))
    import socket

    with socket.socket() as probe:  # a port free on this machine now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    out = io.StringIO()
    assert run(["serve", str(folder), "--port", str(port)], out) == 0
    assert calls[-1]["host"] == "127.0.0.1" and f"http://127.0.0.1:{port}/" in out.getvalue()
    assert "warning" not in capsys.readouterr().err
    assert run(["serve", str(folder), "--host", "0.0.0.0", "--port", str(port)],
               io.StringIO()) == 0
    assert "warning: listening on 0.0.0.0" in capsys.readouterr().err


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
               max_size=40))
def test_scalars_read_back_as_written(text: str) -> None:
    from ruamel.yaml import YAML

    value = YAML(typ="safe").load(f"key: {scalar(text)}\n")["key"]
    assert value == text


# --- the text edit itself --------------------------------------------------------------------

EDIT_BASE = """\
results:
  - id: r1   # a result
    indicators:
      - id: flow
        name: Flow list
        observations: [{period: 2011, value: 1}]   # keep me
      - id: none
        name: No observations yet
        # a comment about the indicator

      - id: block
        name: Block list
        observations:
          - period: 2011
            value: 1
            # inside the item
          # after the item
  - id: r2
"""


def test_text_edits_add_exactly_one_observation() -> None:
    from toc_engine.serve.yaml_edit import EditRefused, with_observation

    edited, action = with_observation(EDIT_BASE, "flow", {"period": "2012", "value": "2"})
    assert action == "added"
    assert "observations: [{period: 2011, value: 1}, {period: 2012, value: 2}]   # keep me" \
        in edited
    edited, _ = with_observation(EDIT_BASE, "none", {"period": "2012", "value": "2"})
    assert edited.splitlines()[7:11] == [
        "        name: No observations yet", "        # a comment about the indicator",
        "        observations:", "          - {period: 2012, value: 2}"]
    edited, _ = with_observation(EDIT_BASE, "block", {"period": "2012", "value": "2"})
    assert edited.splitlines()[15:18] == ["            # inside the item",
                                          "          - {period: 2012, value: 2}",
                                          "          # after the item"]
    with pytest.raises(EditRefused, match="several lines"):
        with_observation(EDIT_BASE, "block", {"period": "2011", "value": "5"})
    with pytest.raises(EditRefused, match="not written in this file"):
        with_observation(EDIT_BASE, "elsewhere", {"period": "2011", "value": "5"})


# --- assumptions -----------------------------------------------------------------------------


def assumption_tokens(client: TestClient, aid: str) -> dict[str, str]:
    page = client.get(f"/assumption/{aid}")
    assert page.status_code == 200
    return dict(re.findall(r'name="(csrf|digest)" value="([^"]*)"', page.text))


def test_assumption_status_and_note_are_saved_in_place(client: TestClient, folder: Path) -> None:
    path = folder / "programme.yaml"
    original = path.read_text("utf-8")
    form = assumption_tokens(client, "police-stay-engaged")
    response = client.post("/assumption/police-stay-engaged", data={
        **form, "status": "holds", "note": "Police back at meetings, March 2013"})
    assert response.status_code == 200 and "Saved." in response.text
    assert "The engine judges it <strong>holds</strong>" in response.text
    diff = [line for line in difflib.unified_diff(original.splitlines(),
                                                  path.read_text("utf-8").splitlines(),
                                                  lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    assert diff == [
        "-    status: failed      # field report: national political developments stopped "
        "their engagement",
        "+    status: holds      # field report: national political developments stopped "
        "their engagement",
        '+    note: "Police back at meetings, March 2013"',
    ]


def test_assumption_in_a_flow_mapping_with_an_apostrophe(client: TestClient, folder: Path) -> None:
    path = folder / "programme.yaml"
    form = assumption_tokens(client, "recipient-list-accepted")
    client.post("/assumption/recipient-list-accepted",
                data={**form, "status": "at_risk", "note": "Two complaints at the VDC"})
    line = next(x for x in path.read_text("utf-8").splitlines() if "recipient-list-accepted" in x)
    assert line == (
        "  - {id: recipient-list-accepted, statement: Residents accept the working group's "
        "list of the most vulnerable households, status: at_risk, actors: [cswg-chakkar], "
        'note: "Two complaints at the VDC"}   # field report: the list mitigated tensions')


def test_assumption_save_is_refused_without_token_or_after_an_edit(
    client: TestClient, folder: Path
) -> None:
    before = files_of(folder)
    form = assumption_tokens(client, "women-can-attend")
    data = {"digest": form["digest"], "status": "failed"}
    assert client.post("/assumption/women-can-attend", data=data).status_code == 403
    assert client.post("/assumption/women-can-attend",
                       data={**form, "status": "gone"}).status_code == 422
    assert client.post("/assumption/..%2F..%2Fetc", data={**form, "status": "failed"}
                       ).status_code == 404
    assert files_of(folder) == before
    path = folder / "programme.yaml"
    path.write_text(path.read_text("utf-8") + "# edited\n", "utf-8")
    response = client.post("/assumption/women-can-attend", data={**form, "status": "failed"})
    assert response.status_code == 409 and "reload the page" in response.text


# --- evidence --------------------------------------------------------------------------------

EVIDENCE = {
    "id": "fgd-chakkar-women-2013", "kind": "focus_group", "date": "2013-03",
    "site": "chakkar", "collected_by": "insec", "sensitive": "yes",
    "summary": "Women say the new lights make the path safer",
    "consent": "Oral consent, noted by the facilitator",
    "claim_about_1": "women-safer-chakkar", "claim_finding_1": "supports",
    "claim_test_1": "straw_in_the_wind", "claim_quote_1": "We walk together now",
}


def evidence_tokens(client: TestClient) -> dict[str, str]:
    page = client.get("/evidence/new")
    assert page.status_code == 200
    return dict(re.findall(r'name="(csrf|digest)" value="([^"]*)"', page.text))


def test_evidence_item_is_appended_and_its_quote_withheld(
    client: TestClient, folder: Path
) -> None:
    path = folder / "programme.yaml"
    original = path.read_text("utf-8")
    response = client.post("/evidence/new", data={**evidence_tokens(client), **EVIDENCE})
    assert response.status_code == 200 and "Saved." in response.text
    assert str(response.url).endswith("/result/women-safer-chakkar?saved=1")
    assert "fgd-chakkar-women-2013" in response.text
    assert "We walk together now" not in response.text  # sensitive: withheld as everywhere
    diff = [line for line in difflib.unified_diff(original.splitlines(),
                                                  path.read_text("utf-8").splitlines(),
                                                  lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    assert diff == [
        "+  - id: fgd-chakkar-women-2013",
        "+    kind: focus_group",
        "+    date: 2013-03",
        "+    site: chakkar",
        "+    collected_by: insec",
        "+    sensitive: true",
        '+    summary: "Women say the new lights make the path safer"',
        '+    consent: "Oral consent, noted by the facilitator"',
        "+    claims:",
        "+      - {about: women-safer-chakkar, finding: supports, test: straw_in_the_wind, "
        'quote: "We walk together now"}',
    ]
    assert run(["validate", str(folder)], io.StringIO()) == 0


def test_evidence_that_is_refused_writes_nothing(client: TestClient, folder: Path) -> None:
    before = files_of(folder)
    tokens_now = evidence_tokens(client)
    assert client.post("/evidence/new", data={**EVIDENCE, "digest": tokens_now["digest"]}
                       ).status_code == 403
    duplicate = {**tokens_now, **EVIDENCE, "id": "fgd-chakkar-women-2012"}
    response = client.post("/evidence/new", data=duplicate)
    assert response.status_code == 422 and "is already used" in response.text
    unknown = {**tokens_now, **EVIDENCE, "claim_about_1": "../../etc/passwd"}
    response = client.post("/evidence/new", data=unknown)
    assert response.status_code == 422 and "is not a result, assumption, rival or link" \
        in response.text
    bad_date = {**tokens_now, **EVIDENCE, "date": "2013-13"}
    response = client.post("/evidence/new", data=bad_date)
    assert response.status_code == 422 and "would add the errors below" in response.text
    assert files_of(folder) == before


def test_findings_link_to_the_result_they_concern(client: TestClient, folder: Path) -> None:
    path = folder / "programme.yaml"
    text = path.read_text("utf-8")
    broken = text.replace("{period: 2012, value: 44, site: chakkar, sample_size: 100}",
                          "{period: 2012, value: 144, site: chakkar, sample_size: 100}")
    assert broken != text
    assert "error(s)" not in client.get("/").text
    path.write_text(broken, "utf-8")
    home = client.get("/")
    assert "changed on disk" in home.text
    assert "The programme has 1 error(s)" in home.text
    findings = client.get("/findings").text
    assert "TOC308" in findings
    assert '<a href="/result/women-safer-nepal">women-safer-nepal</a>' in findings
    page = client.get("/result/women-safer-nepal")  # the statement, without scores
    assert page.status_code == 200 and "scores wait until they are fixed" in page.text


# --- missing values --------------------------------------------------------------------------


REASON = "not collected: road closed by flooding"


def test_missing_value_is_saved_to_the_yaml_with_its_reason(
    client: TestClient, folder: Path
) -> None:
    path = folder / "programme.yaml"
    original = path.read_text("utf-8")
    form = tokens(client, "households-with-toilet")
    response = client.post("/record/households-with-toilet", follow_redirects=False, data={
        **form, "period": "2013-Q1", "value": "", "missing": REASON, "site": "chakkar"})
    assert response.status_code == 303
    diff = [line for line in difflib.unified_diff(original.splitlines(),
                                                  path.read_text("utf-8").splitlines(),
                                                  lineterm="", n=0)
            if not line.startswith(("---", "+++", "@@"))]
    assert diff == [f'+          - {{period: 2013-Q1, missing: "{REASON}", site: chakkar}}']
    page = client.get("/record/households-with-toilet").text
    assert f"missing: {REASON}" in page  # listed as recorded, never as a zero
    out = io.StringIO()
    run(["validate", str(path), "--format", "json"], out)
    assert "TOC320" not in out.getvalue()


def test_missing_value_corrects_a_recorded_value_in_place(
    client: TestClient, folder: Path
) -> None:
    path = folder / "programme.yaml"
    original = path.read_text("utf-8").splitlines()
    form = tokens(client, "households-with-toilet")
    client.post("/record/households-with-toilet",
                data={**form, "period": "2012-Q2", "missing": "register lost", "site": "chakkar"})
    edited = path.read_text("utf-8").splitlines()
    changed = [(a, b) for a, b in zip(original, edited, strict=True) if a != b]
    assert changed == [("          - {period: 2012-Q2, value: 55, site: chakkar}",
                        '          - {period: 2012-Q2, missing: "register lost", site: chakkar}')]


@pytest.mark.parametrize(("value", "missing", "problem"), [
    ("12", REASON, "give a value, or say why it is missing, not both"),
    ("", "", "or leave it empty and say in &#39;missing&#39; why there is none"),
    ("  ", "  ", "or leave it empty and say in &#39;missing&#39; why there is none"),
])
def test_value_and_missing_are_exactly_one(
    client: TestClient, folder: Path, value: str, missing: str, problem: str
) -> None:
    before = files_of(folder)
    form = tokens(client, "households-with-toilet")
    response = client.post("/record/households-with-toilet", data={
        **form, "period": "2013-Q1", "value": value, "missing": missing, "site": "chakkar"})
    assert response.status_code == 422
    assert "Nothing was saved: check the fields below." in response.text
    assert problem in response.text
    assert files_of(folder) == before


def _add_missing_column(path: Path) -> bytes:
    lines = path.read_text("utf-8").splitlines(keepends=True)
    text = "".join(line.replace("\n", ",\n") for line in lines)
    text = text.replace("sex,note,\n", "sex,note,missing\n", 1)
    path.write_text(text, "utf-8")
    return path.read_bytes()


def test_missing_value_in_a_csv_with_a_missing_column(folder: Path) -> None:
    path = folder / "data" / "observations.csv"
    original = _add_missing_column(path)
    client = TestClient(create_app(folder), base_url=BASE)
    form = tokens(client, "it-course-completers")
    response = client.post("/record/it-course-completers", follow_redirects=False, data={
        **form, "period": "2012", "missing": REASON, "dim_sex": "female",
        "source": "IT centre attendance register"})
    assert response.status_code == 303
    assert path.read_bytes() == original + b"it-course-completers,2012,,,IT centre " \
        b"attendance register,,female,," + REASON.encode() + b"\n"
    assert (folder / "programme.yaml").read_bytes() == (NEPAL / "programme.yaml").read_bytes()
    form = tokens(client, "it-course-completers")  # a value later corrects the row in place
    client.post("/record/it-course-completers", data={
        **form, "period": "2012", "value": "31", "dim_sex": "female",
        "source": "IT centre attendance register"})
    assert path.read_bytes() == original + b"it-course-completers,2012,31,,IT centre " \
        b"attendance register,,female,,\n"


def test_missing_value_in_a_csv_without_a_missing_column_is_refused(
    client: TestClient, folder: Path
) -> None:
    before = files_of(folder)
    form = tokens(client, "it-course-completers")
    response = client.post("/record/it-course-completers", data={
        **form, "period": "2012", "missing": REASON, "dim_sex": "female"})
    assert response.status_code == 422
    assert ("Nothing was saved: the CSV file has no `missing` column to say why the value is "
            "missing; add a `missing` column to its header (every row may leave it empty), or "
            "write the observation in the programme YAML.") in response.text
    assert f'value="{REASON}"' in response.text  # the form keeps what was typed
    assert files_of(folder) == before  # the CSV's header is never changed


def test_save_that_would_duplicate_an_observation_is_refused(folder: Path) -> None:
    """A row written over two lines cannot be replaced where it stands, so the save would
    append a second row for the same key: the validation of the edited copy refuses it."""
    path = folder / "data" / "observations.csv"
    _add_missing_column(path)
    text = path.read_text("utf-8").replace(
        "it-course-completers,2011,19,,IT centre attendance register,,female,illustrative",
        'it-course-completers,2011,19,,"IT centre\nattendance register",,female,illustrative', 1)
    path.write_text(text, "utf-8")
    client = TestClient(create_app(folder), base_url=BASE)
    before = files_of(folder)
    form = tokens(client, "it-course-completers")
    for fields in ({"value": "20"}, {"missing": REASON}):
        response = client.post("/record/it-course-completers", data={
            **form, "period": "2011", "dim_sex": "female", **fields})
        assert response.status_code == 422
        assert "the change would add the errors below" in response.text
        assert "TOC318" in response.text
        assert files_of(folder) == before


# --- a folder of programmes ------------------------------------------------------------------


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    root = tmp_path / "programmes"
    shutil.copytree(NEPAL, root / "nepal")
    shutil.copytree(NEPAL, root / "broken")
    text = (root / "broken" / "programme.yaml").read_text("utf-8")
    (root / "broken" / "programme.yaml").write_text(
        text.replace("value: 55, site: chakkar", "value: 55, site: nowhere", 1), "utf-8")
    (root / "notes").mkdir()  # no programme.yaml: not listed
    (root / "secret").write_text("not for the web", "utf-8")
    return root


def test_folder_of_programmes_lists_each_with_its_errors(shelf: Path) -> None:
    from toc_engine.serve.programmes import create_programmes_app

    client = TestClient(create_programmes_app(shelf), base_url=BASE)
    landing = client.get("/")
    assert landing.status_code == 200
    rows = re.findall(r'<tr><td><a href="(/p/[^"]+/)">([^<]+)</a></td><td>([^<]*)</td>'
                      r"<td>(\d+)</td></tr>", landing.text)
    title = client.get("/p/nepal/").text.split("<title>")[1].split(" ·")[0]
    assert rows == [("/p/broken/", "broken", title, "1"), ("/p/nepal/", "nepal", title, "0")]
    assert "notes" not in landing.text
    assert "default-src 'self'" in landing.headers["content-security-policy"]
    page = client.get("/p/nepal/result/household-toilets")
    assert page.status_code == 200
    assert 'href="/p/nepal/record/households-with-toilet"' in page.text
    assert 'href="/result/' not in page.text  # every link stays inside the programme
    assert client.get("/p/nepal/assets/app.js").status_code == 200
    assert client.get("/assets/app.css").status_code == 200
    assert "1 error(s)" in client.get("/p/broken/").text


def test_folder_of_programmes_saves_into_the_right_programme(shelf: Path) -> None:
    from toc_engine.serve.programmes import create_programmes_app

    client = TestClient(create_programmes_app(shelf), base_url=BASE)
    other = (shelf / "broken" / "programme.yaml").read_bytes()
    page = client.get("/p/nepal/record/households-with-toilet")
    form = dict(re.findall(r'name="(csrf|digest)" value="([^"]*)"', page.text))
    assert 'action="/p/nepal/record/households-with-toilet"' in page.text
    response = client.post("/p/nepal/record/households-with-toilet", follow_redirects=False,
                           data={**form, "period": "2013-Q1", "value": "12", "site": "chakkar"})
    assert response.status_code == 303
    assert response.headers["location"] == "/p/nepal/result/household-toilets?saved=1"
    assert "{period: 2013-Q1, value: 12, site: chakkar}" in \
        (shelf / "nepal" / "programme.yaml").read_text("utf-8")
    assert (shelf / "broken" / "programme.yaml").read_bytes() == other
    forged = client.post("/p/broken/record/households-with-toilet",
                         data={**form, "period": "2013-Q1", "value": "12", "site": "chakkar"})
    assert forged.status_code == 403  # each programme has its own form token
    assert (shelf / "broken" / "programme.yaml").read_bytes() == other


@pytest.mark.parametrize("attempt", (*TRAVERSALS, "notes", "secret"))
def test_folder_of_programmes_finds_programmes_only_by_scanning(
    shelf: Path, attempt: str
) -> None:
    from toc_engine.serve.programmes import create_programmes_app

    client = TestClient(create_programmes_app(shelf), base_url=BASE)
    for url in (f"/p/{attempt}/", f"/p/{attempt}/findings", f"/assets/{attempt}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "not for the web" not in response.text
    shutil.copytree(NEPAL, shelf / "later")
    assert client.get("/p/later/").status_code == 404  # not scanned yet
    assert "/p/later/" in client.get("/").text  # the landing page scans again
    assert client.get("/p/later/").status_code == 200
    shutil.rmtree(shelf / "later")
    client.get("/")
    assert client.get("/p/later/").status_code == 404


def test_serve_command_takes_a_folder_of_programmes(
    shelf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    import uvicorn

    apps: list[object] = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: apps.append(app))
    assert run(["serve", str(shelf)], io.StringIO()) == 0
    assert sorted(apps[-1].state.shelf.apps) == ["broken", "nepal"]  # type: ignore[attr-defined]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(["serve", str(empty)], io.StringIO()) == 2
    assert (f"no programme.yaml in '{empty}', nor in any folder directly inside it "
            "(toc init makes one)") in capsys.readouterr().err


def test_a_port_in_use_is_said_before_anything_is_served(folder: Path) -> None:
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        err = io.StringIO()
        real, sys.stderr = sys.stderr, err
        try:
            code = run(["serve", str(folder), "--port", str(port)], stdout=io.StringIO())
        finally:
            sys.stderr = real
    assert code == 2
    assert f"cannot listen on 127.0.0.1 port {port}" in err.getvalue()
    assert "--port" in err.getvalue()


def test_a_configuration_broken_while_serving_is_no_server_error(
    folder: Path, client: TestClient
) -> None:
    (folder / "pyproject.toml").write_text("[tool.toc-engine]\nselect = 5\n", encoding="utf-8")
    page = client.get("/findings")
    assert page.status_code == 200
    code = run(["serve", str(folder), "--port", "1"], stdout=io.StringIO())
    assert code == 2  # and on a new start, the configuration is refused with its message


def test_serve_modules_import_no_private_names() -> None:
    """Helpers shared between the edit modules are public: a private name stays in its
    module, so it can change without breaking another."""
    import ast

    for path in sorted((ROOT / "toc_engine" / "serve").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                private = [a.name for a in node.names if a.name.startswith("_")]
                assert not private, f"{path.name} imports {private} from {node.module}"


def test_two_saves_at_once_never_interleave(folder: Path) -> None:
    """Two browsers save from the same page version at the same moment: the first lands, the
    second is refused as stale (the files changed under it), and the file stays whole."""
    import threading

    from toc_engine.schema.programme import load

    app = create_app(folder)
    browsers = [TestClient(app, base_url=BASE) for _ in range(2)]
    forms = [tokens(b, "households-with-toilet") for b in browsers]
    start = threading.Barrier(2)
    statuses: list[int] = []

    def save(index: int) -> None:
        start.wait()
        response = browsers[index].post("/record/households-with-toilet",
                                        follow_redirects=False, data={
                                            **forms[index], "period": "2013-Q1",
                                            "value": str(40 + index), "site": "chakkar"})
        statuses.append(response.status_code)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [303, 409]
    text = (folder / "programme.yaml").read_text("utf-8")
    assert len(re.findall(r"\{period: 2013-Q1, value: 4[01], site: chakkar\}", text)) == 1
    loaded = load(folder / "programme.yaml")
    assert loaded.programme is not None and not [
        d for d in loaded.diagnostics if d.severity.name == "ERROR"]
