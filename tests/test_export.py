"""``bcparse export`` (issue 14, item 1): .xlsx, .csv, .jsonl and .parquet, read back and compared
with what ``bcparse figures --json`` prints for the same files."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from bcparse.cli import main
from bcparse.export import Export, Table, cell_value, to_csv, to_xlsx

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
TXTS = sorted(str(p) for p in SAMPLES.glob("*.txt"))


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """samples/ exported to .xlsx, and the same folder's figures as JSON Lines."""
    d = tmp_path_factory.mktemp("export")
    xlsx = d / "bao-cao.xlsx"
    assert run("export", str(SAMPLES), "-o", str(xlsx))[0] == 0
    code, out, _ = run("figures", str(SAMPLES), "--json")
    assert code == 0
    return {"dir": d, "xlsx": xlsx, "json": [json.loads(line) for line in out.splitlines()]}


def same(cell: Any, value: Any) -> bool:
    """A cell read back equals a contract value: numbers as numbers, dates as dates, lists joined."""
    if isinstance(value, list):
        return bool(cell == "; ".join(map(str, value)))
    if isinstance(cell, dt.datetime):
        return bool(cell.date().isoformat() == value)
    if value is None or value == "":
        return cell is None or cell == ""
    return bool(cell == value and type(cell) is type(value))


def rows_of(ws: Any) -> list[dict[str, Any]]:
    keys = [c.value for c in ws[2]]
    return [dict(zip(keys, r, strict=True)) for r in ws.iter_rows(min_row=3, values_only=True)]


def test_xlsx_has_a_row_per_report_vietnamese_headers_and_numeric_cells(exported: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(exported["xlsx"])
    assert wb.sheetnames == ["Báo cáo", "Số liệu", "Phát hiện"]
    ws = wb["Báo cáo"]
    labels, keys = [c.value for c in ws[1]], [c.value for c in ws[2]]
    assert labels[keys.index("commune.households")] == "Số hộ"
    assert labels[keys.index("party.members")] == "Số đảng viên"
    assert labels[keys.index("income.per_capita_vnd@target")] == "Thu nhập bình quân đầu người (đồng) (chỉ tiêu)"
    rows = rows_of(ws)
    assert [os.path.basename(r["report"]) for r in rows] == sorted(p.name for p in SAMPLES.iterdir()
                                                                   if p.suffix in (".txt", ".docx", ".pdf"))
    tan = next(r for r in rows if r["report"].endswith("tan-lap-ktxh-2023.txt"))
    assert tan["commune.households"] == 1706 and isinstance(tan["commune.households"], int)
    assert tan["commune.area_ha"] == 1250.5
    assert tan["budget.revenue_vnd"] == 2_350_000_000  # "2,35 tỷ đồng": whole đồng, a number
    assert tan["doc.date"] == dt.datetime(2023, 12, 8)  # a date cell
    assert tan["income.per_capita_vnd"] == 48_500_000 and tan["income.per_capita_vnd@target"] == 52_000_000
    tan_row = 3 + next(i for i, r in enumerate(rows) if r is tan)
    assert ws.cell(tan_row, keys.index("doc.date") + 1).number_format == "DD/MM/YYYY"
    assert ws.freeze_panes == "B3" and ws.auto_filter.ref.startswith("A2:")
    for name in ("Số liệu", "Phát hiện"):
        assert wb[name].freeze_panes == "A3" and wb[name].auto_filter.ref.startswith("A2:")


def test_xlsx_figures_sheet_has_the_json_values(exported: dict[str, Any]) -> None:
    rows = rows_of(openpyxl.load_workbook(exported["xlsx"])["Số liệu"])
    figs = [(rep["source"], f) for rep in exported["json"] for f in rep["figures"]]
    assert len(rows) == len(figs) > 400
    for row, (source, f) in zip(rows, figs, strict=True):
        assert (row["report"], row["key"], row["item"], row["mode"], row["line"]) == (
            source, f["key"], f["item"], f["mode"], f["span"]["line"])
        assert same(row["value"], f["value"]), (row, f)
        assert (row["unit"], row["confidence"], row["counted"]) == (f["unit"], f["confidence"], f["counted"])
        assert row["raw"] == f["raw"]
    party = next(r for r in rows if r["key"] == "party.members")
    assert party["label"] == "Số đảng viên" and party["value"] == 280


def test_xlsx_findings_sheet_holds_the_audit(exported: dict[str, Any]) -> None:
    wb = openpyxl.load_workbook(exported["xlsx"])
    found = rows_of(wb["Phát hiện"])
    docx = str(SAMPLES / "binh-thanh-doi-ngoai-2024.docx")
    assert {"code": "BC301", "line": 3, "keys": "doc.number"}.items() <= next(
        f for f in found if f["report"] == docx and f["code"] == "BC301").items()
    per_report = {r["report"]: r["findings"] for r in rows_of(wb["Báo cáo"])}
    assert per_report == {p: sum(f["report"] == p for f in found) for p in per_report}


def test_csv_has_a_bom_vietnamese_headers_and_reads_back(tmp_path: Path, exported: dict[str, Any]) -> None:
    out = tmp_path / "so-lieu.csv"
    assert run("export", *TXTS, "-o", str(out))[0] == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with it
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["Tệp báo cáo", "Khóa", "Bản ghi số", "Chỉ tiêu", "Giá trị"]
    figs = [f for rep in exported["json"] if rep["source"] in TXTS for f in rep["figures"]]
    assert len(rows) - 1 == len(figs)
    for row, f in zip(rows[1:], figs, strict=True):
        v = f["value"]
        want = "" if v is None else "; ".join(v) if isinstance(v, list) else str(v)
        assert row[1] == f["key"] and row[4] in (want, "'" + want), (row, f)  # "'": text Excel would run


def test_csv_reports_table_for_tools(tmp_path: Path) -> None:
    out = tmp_path / "bao-cao.csv"
    assert run("export", *TXTS, "-o", str(out), "--table", "reports", "--no-bom", "--header", "keys")[0] == 0
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert [r["report"] for r in rows] == TXTS
    assert [r["party.members"] for r in rows] == ["280", "312"]
    assert rows[1]["doc.date"] == "2023-12-08" and rows[1]["commune.area_ha"] == "1250.5"


def test_csv_text_that_excel_would_run_as_a_formula_is_quoted_only_for_excel() -> None:
    t = Table("findings", ["message", "n"], ["Nội dung", "Số"], ["text", "count"],
              [["=HYPERLINK(\"http://x\")", 1], ["- 5 đoàn", -5], ["@SUM(A1)", None]])
    excel = to_csv(t).decode("utf-8-sig").splitlines()
    assert excel[1:] == ["\"'=HYPERLINK(\"\"http://x\"\")\",1", "'- 5 đoàn,-5", "'@SUM(A1),"]
    tools = to_csv(t, bom=False).decode("utf-8").splitlines()
    assert tools[1:] == ["\"=HYPERLINK(\"\"http://x\"\")\",1", "- 5 đoàn,-5", "@SUM(A1),"]


def test_xlsx_text_is_never_a_formula_and_long_numbers_keep_their_digits(tmp_path: Path) -> None:
    data = Export([], [{"file": "=cmd|' /C calc'!A0", "code": "BC101", "severity": "error", "message": "=1+1",
                        "line": 3, "col": 1, "keys": ["a.b"], "values": [12345678901234567890]}])
    path = tmp_path / "x.xlsx"
    path.write_bytes(to_xlsx(data))
    ws = openpyxl.load_workbook(path)["Phát hiện"]
    assert [c.data_type for c in ws[3]][:4] == ["s", "s", "s", "s"]
    assert ws["A3"].value == "=cmd|' /C calc'!A0" and ws["H3"].value == "12345678901234567890"
    assert cell_value(12345678901234567890, "count") == "12345678901234567890"
    assert cell_value("2023-12-08", "date") == dt.date(2023, 12, 8)
    assert cell_value("2024-11", "date") == "2024-11"  # a month without its day stays as written
    assert cell_value(["Lào", "Hàn Quốc"], "list") == "Lào; Hàn Quốc"


def test_jsonl_one_report_or_one_figure_per_line(tmp_path: Path, exported: dict[str, Any]) -> None:
    out = tmp_path / "r.jsonl"
    assert run("export", *TXTS, "-o", str(out))[0] == 0
    reps = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    want = [rep for rep in exported["json"] if rep["source"] in TXTS]
    assert [r["source"] for r in reps] == TXTS
    for got, rep in zip(reps, want, strict=True):
        assert [{k: v for k, v in f.items() if k != "label"} for f in got["figures"]] == rep["figures"]
        assert all(f["label"] for f in got["figures"])
    tan = reps[1]
    assert next(f for f in tan["figures"] if f["key"] == "party.members")["label"] == "Số đảng viên"
    code, text, _ = run("export", *TXTS, "--format", "jsonl", "--table", "figures", "-o", "-")
    figs = [json.loads(line) for line in text.splitlines()]
    assert code == 0 and len(figs) == sum(len(r["figures"]) for r in want)
    assert figs[0]["report"] == TXTS[0] and "label" in figs[0]


def test_parquet_reads_back(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet", reason="pyarrow is the optional 'parquet' extra")
    out = tmp_path / "so-lieu.parquet"
    assert run("export", TXTS[1], "-o", str(out))[0] == 0
    t = pq.read_table(out).to_pylist()
    members = next(r for r in t if r["key"] == "party.members")
    assert members["value"] == "312" and members["value_num"] == 312.0 and members["line"] == 20
    out2 = tmp_path / "bao-cao.parquet"
    assert run("export", TXTS[1], "-o", str(out2), "--table", "reports")[0] == 0
    row = pq.read_table(out2).to_pylist()[0]
    assert row["party.members"] == 312 and row["doc.date"] == dt.date(2023, 12, 8)


def test_parquet_without_pyarrow_is_one_line_naming_the_extra(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # import pyarrow → ImportError
    out = tmp_path / "x.parquet"
    code, _, err = run("export", TXTS[0], "-o", str(out))
    assert code == 2 and not out.exists()
    assert err.count("\n") == 1 and "pip install 'bcparse[parquet]'" in err


def test_a_bad_file_is_reported_and_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(TXTS[1], folder / "a.txt")
    (folder / "broken.docx").write_bytes(b"not a zip")
    out = tmp_path / "out.xlsx"
    code, _, err = run("export", str(folder), "-o", str(out))
    assert code == 2
    assert err.startswith(f"bcparse: error: {folder / 'broken.docx'}: ") and err.count("\n") == 1
    rows = rows_of(openpyxl.load_workbook(out)["Báo cáo"])
    assert [r["report"] for r in rows] == [str(folder / "a.txt")]


def test_nothing_half_written_when_nothing_can_be_exported(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"the earlier export")
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    code, _, err = run("export", str(tmp_path / "broken.docx"), "-o", str(out))
    assert code == 2 and "nothing to export" in err
    assert out.read_bytes() == b"the earlier export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken.docx", "out.xlsx"]  # no temporary file left
    code, _, err = run("export", TXTS[0], "-o", str(tmp_path / "out.ods"))
    assert code == 2 and "end it in .xlsx, .csv, .jsonl or .parquet" in err


def test_export_what_a_database_holds(tmp_path: Path, exported: dict[str, Any]) -> None:
    db = tmp_path / "bc.db"
    assert run("import", *TXTS, "--db", str(db))[0] == 0
    out = tmp_path / "db.xlsx"
    assert run("export", "--db", str(db), "-o", str(out))[0] == 0
    a, b = openpyxl.load_workbook(out), openpyxl.load_workbook(exported["xlsx"])  # b: samples/ as files

    def stated(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in r.items() if v is not None} for r in rows if r["report"] in TXTS]

    assert stated(rows_of(a["Báo cáo"])) == [
        {**r, "findings": r["findings"] - sum(1 for f in rows_of(b["Phát hiện"])
                                              if f["report"] == r["report"] and f["code"].startswith("BC4"))}
        for r in stated(rows_of(b["Báo cáo"]))]
    assert stated(rows_of(a["Số liệu"])) == stated(rows_of(b["Số liệu"]))
    assert [(f["report"], f["code"]) for f in rows_of(a["Phát hiện"])] == [
        (f["report"], f["code"]) for f in stated(rows_of(b["Phát hiện"])) if not f["code"].startswith("BC4")]
    code, _, err = run("export", "--db", str(db), TXTS[0], "-o", str(out))
    assert code == 2 and "not both" in err
