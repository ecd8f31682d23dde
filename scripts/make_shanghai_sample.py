#!/usr/bin/env python3
"""Fill the real 上海市普陀区 department template with the real 2025 budget
of 上海市普陀区财政局, the way the department fills it in Excel. Writes

  samples/shanghai-putuo-finance-2025.xlsx
      the blank template (/work/shared/reference/…-department-template.xlsx)
      with its example rows (205/207/…/"…") replaced by the 9 tables of the
      reference disclosure, as read from tests/data/shanghai-reference-tables.tsv
      (made by scripts/extract_shanghai_reference.py; no number is retyped),
      and its text sheets filled with the reference's prose;
  tests/data/shanghai-narrative.txt
      the sections 部门预算编制说明 and 其他相关情况说明 of the reference, for
      the narrative helper.

then re-opens the workbook and checks it (scripts/check_shanghai_sample.py).

How the tables are filled (as a department does in Excel):
- Titles, 封面 and 目录 say 2025 where the template says 2026; every
  编制部门 cell reads 编制部门：<department>, the department's name being
  read from the reference's cover (预算主管部门：…). 单位 cells are kept.
- Code tables: rows are inserted above 合计 where the reference has more
  rows than the template's body (example rows plus blank rows), and the
  leftover rows between the last line and 合计 are deleted, so 合计 follows
  the last line. Each body row takes the style of the template's deepest
  example row (borders, '@' on 款/项); 类 is a number (201), 款 and 项 are
  text ('06'). The two empty tables keep no body row at all: 合计 follows
  the header, and the reference's note is in column A of the row below 合计.
- Two-sided tables (收支总表, 财政拨款收支总表): the fixed rows take the
  reference's labels (it writes "1. 一般公共预算资金" where the template has
  "1. 一般公共预算"), the expense lines go in column C, and the blank rows
  above 收入总计 are deleted.
- 三公 table: row 7 under the three-level header, in 万元; blank stays empty.
- Every amount is a numeric cell (the float of the published value, e.g.
  31214205.8; a published 0.00 is 0) in '#,##0.00'. 合计 rows hold numbers,
  not formulas (openpyxl cannot write a formula's cached value).
- Inserted and deleted rows move the merged ranges and row heights below
  them (openpyxl's insert_rows/delete_rows move only the cells).
- openpyxl 3.1 writes cell text inline (t="inlineStr", as character
  references); it is moved to xl/sharedStrings.xml in UTF-8 after saving,
  as Excel keeps it.

How the text is taken from the reference (a pdftotext -layout dump): a
section runs from its heading line to the next heading. Lines are joined
into paragraphs: a paragraph starts after a blank line, at a list marker
((一), 一、, 1. / 1、), after a line shorter than a full line, or at an
indented line after a sentence's end (。：；); otherwise a line continues the
one above and is appended with its leading spaces removed. A line that
pdftotext letter-spaced ("元 ， 财 政 …") has its single spaces removed; any
other space is kept, as are the prose's real mistakes (887.36万元, items
7–11 of 部门预算编制说明 printed twice). In the workbook each text sheet's
merged A3 holds its paragraphs, each indented by 4 spaces and separated by
"\\n" as in the template; the merged rows are made tall enough to show it.
部门编制说明 follows its template's structure: A3 holds the paragraphs before
the list and each list item has its own cell from A4 down (16 items: the
reference's 11 and its repeated 7–11). In shanghai-narrative.txt each
section starts with a line "## <section>" (部门预算编制说明,
其他相关情况说明), then one paragraph per line without indentation; a blank
line separates the sections.

Usage: python3 scripts/make_shanghai_sample.py
Python 3.11 + openpyxl; a developer tool, not run by the build or CI. The
output is deterministic (fixed document dates and zip entry dates).
"""

import html
import io
import math
import re
import sys
import unicodedata
import zipfile
from copy import copy
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from extract_shanghai_reference import REFERENCE, ROOT, TSV_OUT as TSV  # noqa: E402

TEMPLATE = REFERENCE.parent / "shanghai-putuo-2026-department-template.xlsx"
SAMPLE = ROOT / "samples" / "shanghai-putuo-finance-2025.xlsx"
NARRATIVE = ROOT / "tests" / "data" / "shanghai-narrative.txt"
TEMPLATE_YEAR, YEAR = "2026", "2025"
FIXED_DATE = datetime(2025, 1, 1, 0, 0, 0)
AMOUNT_FORMAT = "#,##0.00"

# The code tables: TSV table, sheet, number of code columns (类/款/项 or
# 类/款); the name column follows the codes, the amounts follow the name.
CODE_TABLES = [
    ("t2", "部门收入总表", 3),
    ("t3", "部门支出总表", 3),
    ("t5", "部门一般公共预算拨款表", 3),
    ("t6", "部门政府性基金拨款表", 3),
    ("t7", "部门国有资本经营预算拨款表 ", 3),  # the template's name ends in a space
    ("t8", "部门一般公共预算拨款基本支出明细表", 2),
]
# The two-sided tables: TSV table, sheet, number of amount columns on the
# left side and on the right side.
TWO_SIDED_TABLES = [("t1", "部门收支总表", 1, 1), ("t4", "部门财政拨款收支总表", 1, 4)]
THREE_PUBLIC = ("t9", "部门“三公”经费和机关运行费预算表", 7)  # its data row
DEPARTMENT_CELL = "编制部门："

# Text sheets: sheet, and the reference's heading of its section (with
# {dept} for the department's name), which is also written in A1.
TEXT_SHEETS = [
    ("部门主要职能", "{dept}主要职能"),
    ("部门机构设置", "{dept}机构设置"),
    ("名词解释", "名词解释"),
    ("部门编制说明", YEAR + "年部门预算编制说明"),
    ("其他相关情况说明", "其他相关情况说明"),
    ("项目经费情况说明", "项目经费情况说明"),
]
# A section ends at the next one's heading, or at the heading given here.
SECTION_ENDS = {
    "部门编制说明": YEAR + "年部门财务收支预算总表",
}
NARRATIVE_SECTIONS = [
    ("部门预算编制说明", "部门编制说明"),
    ("其他相关情况说明", "其他相关情况说明"),
]
LIST_SHEET = "部门编制说明"  # its list items each take a cell from A4 down

MARKER = re.compile(
    r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d{1,2}[.．、](?!\d))"
)
SENTENCE_END = "。：；"
FULL_LINE = 90  # display columns: a line this wide was wrapped by pdftotext
INDENT = "    "


def fail(msg):
    print(f"make_shanghai_sample: {msg}", file=sys.stderr)
    sys.exit(1)


def width(text):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# ---------------------------------------------------------------- reference


def read_tsv():
    tables = {}
    for line in TSV.read_text(encoding="utf-8").split("\n"):
        if line:
            key, *cells = line.split("\t")
            tables.setdefault(key, []).append(cells)
    return tables


def department(lines):
    for line in lines:
        m = re.match(r"^\s*预算主管部门：(\S+)\s*$", line)
        if m:
            return m.group(1)
    fail("the reference's cover has no 预算主管部门 line")


def unspace(line):
    """A letter-spaced line ("元 ， 财 政 业 务 费 10.00 万 元") loses its single
    spaces; any other line is kept as it is."""
    parts = line.strip().split(" ")
    if len(parts) > 4 and sum(len(p) == 1 for p in parts) * 2 > len(parts):
        return line.replace(" ", "")
    return line


def paragraphs(lines):
    """The paragraphs of a section's lines (see the module's docstring)."""
    out, prev = [], None
    for raw in lines:
        line = unspace(raw.replace("\f", "").rstrip())
        text = line.strip()
        if not text:
            prev = None
            continue
        indented = line.startswith("  ")
        starts = (
            prev is None
            or MARKER.match(text)
            or width(prev) < FULL_LINE
            or (indented and prev.rstrip()[-1] in SENTENCE_END)
        )
        if starts:
            out.append(text)
        else:
            out[-1] += text
        prev = line
    return out


def sections(lines, dept):
    """{sheet: (heading, paragraphs, the raw lines)} of the text sheets."""
    heads = [(sheet, head.format(dept=dept)) for sheet, head in TEXT_SHEETS]
    index = {}
    for sheet, head in heads:
        at = [i for i, l in enumerate(lines) if l.replace("\f", "").strip() == head]
        if not at:
            fail(f"heading {head!r} not found in the reference")
        index[sheet] = at[0]
    out = {}
    for k, (sheet, head) in enumerate(heads):
        start = index[sheet] + 1
        if sheet in SECTION_ENDS:
            end_head = SECTION_ENDS[sheet]
            end = next(
                i
                for i in range(start, len(lines))
                if lines[i].replace("\f", "").strip() == end_head
            )
        elif k + 1 < len(heads):
            end = index[heads[k + 1][0]]
        else:
            end = len(lines)
        out[sheet] = (head, paragraphs(lines[start:end]), lines[start:end])
    return out


# ------------------------------------------------------------------- sheets


def resize_body(ws, total_row, delta):
    """Insert delta rows above the total row, or delete -delta rows above
    it, moving the merged ranges and row heights below along with the
    cells."""
    if delta:
        move_rows(ws, total_row + min(0, delta), delta)


def move_rows(ws, at, delta):
    """Insert (delta > 0) or delete (delta < 0) rows from row `at` on."""
    heights = {r: d.height for r, d in ws.row_dimensions.items() if r >= at and d.height}
    below = [m for m in ws.merged_cells.ranges if m.min_row >= at]
    if delta < 0:
        if any(m.min_row < at - delta for m in below):
            fail(f"{ws.title}: a merged range lies in the rows deleted at {at}")
        ws.delete_rows(at, -delta)
    else:
        ws.insert_rows(at, delta)
    for m in below:
        m.shift(0, delta)
    for r in heights:
        ws.row_dimensions[r].height = None
    for r, h in heights.items():
        if r + delta >= at:
            ws.row_dimensions[r + delta].height = h


def find_row(ws, labels, col=1, start=1):
    for r in range(start, ws.max_row + 1):
        if ws.cell(r, col).value in labels:
            return r
    fail(f"{ws.title}: no row with {labels} in column {col}")


def put_amount(cell, text, style_from=None):
    if style_from is not None:
        cell._style = copy(style_from._style)
    cell.number_format = AMOUNT_FORMAT
    cell.value = float(text) if text else None


def set_title(ws):
    for row in ws.iter_rows(max_row=4):
        for cell in row:
            if isinstance(cell.value, str) and TEMPLATE_YEAR + "年" in cell.value:
                cell.value = cell.value.replace(TEMPLATE_YEAR + "年", YEAR + "年")


def set_department(ws, dept):
    for row in ws.iter_rows(max_row=5):
        for cell in row:
            if cell.value == DEPARTMENT_CELL:
                cell.value = DEPARTMENT_CELL + dept
                return
    fail(f"{ws.title}: no {DEPARTMENT_CELL} cell")


def table_columns(ws, first):
    """The number of columns of a table: the last column its header rows
    (the three rows above the body) name."""
    return max(c.column for r in range(first - 3, first) for c in ws[r] if c.value is not None)


def padded(cells, n):
    return cells + [""] * (n - len(cells))


def fill_code_table(ws, rows, depth):
    """Body rows from the row under the 类 header down, 合计 below them, the
    note (if any) below 合计."""
    notes = [r[0] for r in rows if len(r) == 1]
    rows = [r for r in rows if len(r) > 1]
    body, total = rows[:-1], rows[-1]
    if total[depth] != "合计":
        fail(f"{ws.title}: the TSV's last row is not 合计: {total}")
    first = find_row(ws, ("类",)) + 1
    total_row = find_row(ws, ("合计",), start=first)
    ncols = table_columns(ws, first)
    # the deepest example row gives the body's style
    proto_row = max(
        range(first, total_row),
        key=lambda r: sum(ws.cell(r, c).value is not None for c in range(1, depth + 1)),
    )
    proto = [copy(ws.cell(proto_row, c)._style) for c in range(1, ncols + 1)]
    proto_height = ws.row_dimensions[proto_row].height
    resize_body(ws, total_row, len(body) - (total_row - first))
    for i, cells in enumerate(body):
        r = first + i
        ws.row_dimensions[r].height = proto_height
        for c, text in enumerate(padded(cells, ncols), start=1):
            cell = ws.cell(r, c)
            cell._style = copy(proto[c - 1])
            if c <= depth:
                cell.value = (int(text) if c == 1 else text) if text else None
                if c > 1:
                    cell.number_format = "@"
            elif c == depth + 1:
                cell.value = text
            else:
                # the last column's style: some templates' other amount
                # columns are General and left-aligned
                cell._style = copy(proto[ncols - 1])
                put_amount(cell, text)
    total_row = first + len(body)
    total_style = ws.cell(total_row, ncols)
    for c, text in enumerate(padded(total, ncols)[depth + 1 :], start=depth + 2):
        put_amount(ws.cell(total_row, c), text, total_style)
    for k, note in enumerate(notes, start=1):
        ws.cell(total_row + k, 1).value = note


def fill_two_sided(ws, rows, left_n, right_n):
    """Rows from the row under the 项目 header down to 收入总计."""
    first = find_row(ws, ("项目",)) + 1
    total_row = find_row(ws, ("收入总计",), start=first)
    body, total = rows[:-1], rows[-1]
    amount_proto = ws.cell(first, 2)  # the left side's amount cell: '#,##0_ ', right-aligned
    resize_body(ws, total_row, len(body) - (total_row - first))
    for i, cells in enumerate(rows):
        r = first + i
        cells = cells + [""] * (2 + left_n + right_n - len(cells))
        left_label, left, right_label, right = (
            cells[0],
            cells[1 : 1 + left_n],
            cells[1 + left_n],
            cells[2 + left_n :],
        )
        if r < first + len(body):
            ws.cell(r, 1).value = left_label or None
            ws.cell(r, 2 + left_n).value = right_label or None
        elif (left_label, right_label) != (ws.cell(r, 1).value, ws.cell(r, 2 + left_n).value):
            fail(
                f"{ws.title}: total row labels {left_label}/{right_label} differ from the template's"
            )
        for c, text in enumerate(left, start=2):
            put_amount(ws.cell(r, c), text, amount_proto)
        for c, text in enumerate(right, start=3 + left_n):
            put_amount(ws.cell(r, c), text, amount_proto)
    if ws.cell(first + len(body), 1).value != "收入总计":
        fail(f"{ws.title}: 收入总计 did not land under the last line")


def fill_three_public(ws, rows):
    _, _, data_row = THREE_PUBLIC
    (cells,) = rows
    for c, text in enumerate(cells, start=1):
        put_amount(ws.cell(data_row, c), text)


def fit_rows(ws, first, last, lines):
    """Make rows first..last (one merged cell) tall enough for `lines` lines
    of 12 pt text, spreading the height over the rows (a row is at most
    409 pt in Excel, and a page can break only between rows)."""
    need = lines * 16.0 + 8
    rows = range(first, last + 1)
    if need > sum(ws.row_dimensions[r].height or 15 for r in rows):
        for r in rows:
            ws.row_dimensions[r].height = round(need / len(rows), 2)


def line_count(text, cols):
    return sum(max(1, math.ceil(width(p) / cols)) for p in text.split("\n"))


def fill_text(ws, heading, paras, list_cells):
    ws["A1"].value = heading
    col_width = ws.column_dimensions["A"].width - 6
    if list_cells:
        head = [p for p in paras if not MARKER.match(p)]
        items = [p for p in paras if MARKER.match(p)]
        if paras != head + items:
            fail(f"{ws.title}: list items and paragraphs interleave")
        ws["A3"].value = "\n".join(INDENT + p for p in head)
        fit_rows(ws, 3, 3, line_count(ws["A3"].value, col_width))
        proto = copy(ws["A4"]._style)
        for k, item in enumerate(items):
            cell = ws.cell(4 + k, 1)
            cell._style = copy(proto)
            cell.value = INDENT + item
            ws.row_dimensions[4 + k].height = None
            fit_rows(ws, 4 + k, 4 + k, line_count(cell.value, col_width))
        return
    (merged,) = [m for m in ws.merged_cells.ranges if m.min_row == 3]
    ws["A3"].value = "\n".join(INDENT + p for p in paras)
    fit_rows(ws, merged.min_row, merged.max_row, line_count(ws["A3"].value, col_width))


def fill_cover(wb, dept):
    ws = wb["封面"]
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = cell.value.replace(TEMPLATE_YEAR + "年", YEAR + "年")
                if cell.value.startswith("预算主管部门："):
                    cell.value = "预算主管部门：" + dept
    for row in wb["目录"].iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.value = cell.value.replace(TEMPLATE_YEAR + "年", YEAR + "年")


INLINE = re.compile(
    r'<c ([^>]*?)t="inlineStr"([^>]*)><is><t( xml:space="preserve")?>(.*?)</t></is></c>', re.S
)
SST = "xl/sharedStrings.xml"
SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def shared_strings(parts):
    """Excel keeps cell text in xl/sharedStrings.xml, in UTF-8; openpyxl 3.1
    writes it inline in each sheet, as character references. The sheets'
    inline strings become shared ones here, so the sample is laid out like
    a file saved by Excel."""
    table, index, count = [], {}, 0

    def shared(m):
        nonlocal count
        text = xml_escape(html.unescape(m.group(4)))
        item = f"<si><t{m.group(3) or ''}>{text}</t></si>"
        if item not in index:
            index[item] = len(table)
            table.append(item)
        count += 1
        return f'<c {m.group(1)}t="s"{m.group(2)}><v>{index[item]}</v></c>'

    for name in parts:
        if name.startswith("xl/worksheets/sheet"):
            parts[name] = INLINE.sub(shared, parts[name].decode("utf-8")).encode("utf-8")
            if b"inlineStr" in parts[name]:
                fail(f"{name}: an inline string was not made shared")
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    sst = f'{head}<sst xmlns="{MAIN_NS}" count="{count}" uniqueCount="{len(table)}">{"".join(table)}</sst>'
    parts[SST] = sst.encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    override = f'<Override PartName="/{SST}" ContentType="{SST_TYPE}"/>'
    parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode("utf-8")
    rels = parts["xl/_rels/workbook.xml.rels"].decode("utf-8")
    rel = f'<Relationship Type="{SST_REL}" Target="/{SST}" Id="rIdSharedStrings"/>'
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>", rel + "</Relationships>"
    ).encode("utf-8")


def save_deterministic(wb, path):
    """openpyxl stamps the save time into docProps/core.xml and every zip
    entry; both are fixed here (and the strings made shared)."""
    wb.properties.created = FIXED_DATE
    buf = io.BytesIO()
    wb.save(buf)
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(buf) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
        rb"\g<1>" + stamp.encode() + rb"\g<2>",
        parts["docProps/core.xml"],
    )
    shared_strings(parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            entry = zipfile.ZipInfo(name, date_time=FIXED_DATE.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def write_narrative(texts):
    blocks = []
    for title, sheet in NARRATIVE_SECTIONS:
        blocks.append("\n".join([f"## {title}"] + texts[sheet][1]))
    NARRATIVE.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")


def main():
    tables = read_tsv()
    lines = REFERENCE.read_text(encoding="utf-8").split("\n")
    dept = department(lines)
    texts = sections(lines, dept)
    wb = openpyxl.load_workbook(TEMPLATE)
    fill_cover(wb, dept)
    for key, name, depth in CODE_TABLES:
        set_title(wb[name])
        set_department(wb[name], dept)
        fill_code_table(wb[name], tables[key], depth)
    for key, name, left_n, right_n in TWO_SIDED_TABLES:
        set_title(wb[name])
        set_department(wb[name], dept)
        fill_two_sided(wb[name], tables[key], left_n, right_n)
    key, name, _ = THREE_PUBLIC
    set_title(wb[name])
    set_department(wb[name], dept)
    fill_three_public(wb[name], tables[key])
    for sheet, (heading, paras, _) in texts.items():
        fill_text(wb[sheet], heading, paras, sheet == LIST_SHEET)
    save_deterministic(wb, SAMPLE)
    write_narrative(texts)
    from check_shanghai_sample import check  # it imports this module

    check(SAMPLE, tables, texts, dept)
    print(f"{SAMPLE.relative_to(ROOT)}, {NARRATIVE.relative_to(ROOT)}: written and checked")


if __name__ == "__main__":
    main()
