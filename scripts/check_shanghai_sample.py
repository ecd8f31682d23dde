#!/usr/bin/env python3
"""The self-check of scripts/make_shanghai_sample.py, run by it after it
wrote the sample. It re-opens the workbook and exits 1, listing every
failure, unless:
- each TSV row is in its sheet's row, cell for cell: 类 a number, 款/项
  text, the name, amounts equal as Decimals in '#,##0.00', blank as blank;
- each table's 合计 (总计) is the sum of its 类 rows (its top-level lines),
  in Decimal; 三公's 合计 and 小计 add up;
- the notes are in the row below 合计;
- no 2026, XX or "…" example is left, and every 编制部门 is filled;
- the text sheets and tests/data/shanghai-narrative.txt hold the
  reference's sections exactly, whitespace aside (887.36万元 included), and
  部门编制说明 has its 16 list items.
"""

import re
import sys
from decimal import Decimal

import openpyxl

from make_shanghai_sample import (
    AMOUNT_FORMAT,
    CODE_TABLES,
    DEPARTMENT_CELL,
    LIST_SHEET,
    MARKER,
    NARRATIVE,
    NARRATIVE_SECTIONS,
    TEMPLATE_YEAR,
    THREE_PUBLIC,
    TWO_SIDED_TABLES,
    find_row,
    padded,
    table_columns,
)


def dec(value):
    if value is None or value == "":
        return None
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))


def check(path, tables, texts, dept):
    """Exit 1, listing every failure, unless the workbook at path holds
    the reference (see the module's docstring)."""
    wb = openpyxl.load_workbook(path)
    problems = []

    def expect(ok, msg):
        if not ok:
            problems.append(msg)

    def expect_amount(cell, text, where):
        expect(
            dec(cell.value) == (Decimal(text) if text else None),
            f"{where}: {cell.coordinate} is {cell.value!r}, the reference {text!r}",
        )
        if text:
            expect(
                cell.data_type == "n" and cell.number_format == AMOUNT_FORMAT,
                f"{where}: {cell.coordinate} not a number in {AMOUNT_FORMAT}",
            )

    for key, name, depth in CODE_TABLES:
        ws = wb[name]
        rows = [r for r in tables[key] if len(r) > 1]
        notes = [r[0] for r in tables[key] if len(r) == 1]
        first = find_row(ws, ("类",)) + 1
        total_row = find_row(ws, ("合计",), start=first)
        expect(
            total_row - first == len(rows) - 1,
            f"{name}: {total_row - first} body rows, the reference {len(rows) - 1}",
        )
        ncols = table_columns(ws, first)
        for i, cells in enumerate(rows):
            r = first + i
            for c, text in enumerate(padded(cells, ncols), start=1):
                cell = ws.cell(r, c)
                where = f"{name} row {r}"
                if r == total_row and c <= depth + 1:
                    # the template's 合计 is in column A, merged over the codes and the name
                    expect(c > 1 or cell.value == "合计", f"{where}: A is {cell.value!r}, not 合计")
                elif c <= depth and text:
                    want = int(text) if c == 1 else text
                    expect(
                        cell.value == want and type(cell.value) is type(want),
                        f"{where}: code {cell.value!r}, the reference {text!r}",
                    )
                elif c <= depth + 1:
                    expect(
                        (cell.value or "") == text,
                        f"{where}: {cell.coordinate} {cell.value!r}, the reference {text!r}",
                    )
                else:
                    expect_amount(cell, text, where)
        for k, note in enumerate(notes, start=1):
            expect(ws.cell(total_row + k, 1).value == note, f"{name}: note row {total_row + k}")
        # 合计 = Σ 类 rows, column by column
        for c in range(depth + 2, ncols + 1):
            parts = [
                dec(ws.cell(r, c).value)
                for r in range(first, total_row)
                if ws.cell(r, 2).value is None
            ]
            got = sum((p for p in parts if p is not None), Decimal(0))
            expect(
                got == (dec(ws.cell(total_row, c).value) or Decimal(0)),
                f"{name}: 合计 column {c} is {ws.cell(total_row, c).value}, its 类 rows sum to {got}",
            )
        for row in ws.iter_rows():
            for cell in row:
                expect(
                    not (isinstance(cell.value, str) and "…" in cell.value),
                    f"{name}: {cell.coordinate} still holds an example",
                )

    for key, name, left_n, right_n in TWO_SIDED_TABLES:
        ws = wb[name]
        first = find_row(ws, ("项目",)) + 1
        total_row = find_row(ws, ("收入总计",), start=first)
        rows = tables[key]
        expect(
            total_row - first == len(rows) - 1,
            f"{name}: {total_row - first} rows above 收入总计, the reference {len(rows) - 1}",
        )
        for i, cells in enumerate(rows):
            r = first + i
            cells = cells + [""] * (2 + left_n + right_n - len(cells))
            expect(
                (ws.cell(r, 1).value or "") == cells[0],
                f"{name} row {r}: A {ws.cell(r, 1).value!r}",
            )
            expect(
                (ws.cell(r, 2 + left_n).value or "") == cells[1 + left_n],
                f"{name} row {r}: right label",
            )
            for c in list(range(2, 2 + left_n)) + list(range(3 + left_n, 3 + left_n + right_n)):
                expect_amount(ws.cell(r, c), cells[c - 1], f"{name} row {r}")
        ordinal = re.compile(r"^[一二三四五六七八九十]+、")
        sides = [(1, range(2, 2 + left_n)), (2 + left_n, range(3 + left_n, 3 + left_n + right_n))]
        for label_col, cols in sides:
            for c in cols:
                parts = [
                    dec(ws.cell(r, c).value)
                    for r in range(first, total_row)
                    if ordinal.match(ws.cell(r, label_col).value or "")
                ]
                got = sum((p for p in parts if p is not None), Decimal(0))
                expect(
                    got == (dec(ws.cell(total_row, c).value) or Decimal(0)),
                    f"{name}: 总计 column {c} is {ws.cell(total_row, c).value}, its lines sum to {got}",
                )

    key, name, data_row = THREE_PUBLIC
    ws = wb[name]
    (cells,) = tables[key]
    for c, text in enumerate(cells, start=1):
        expect_amount(ws.cell(data_row, c), text, name)
    v = [dec(ws.cell(data_row, c).value) or Decimal(0) for c in range(1, 8)]
    expect(
        v[0] == v[1] + v[2] + v[3] and v[3] == v[4] + v[5], f"{name}: 合计/小计 do not add up: {v}"
    )

    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    expect(
                        TEMPLATE_YEAR not in cell.value,
                        f"{ws.title}: {cell.coordinate} still says {TEMPLATE_YEAR}",
                    )
                    expect(
                        "XX" not in cell.value and "xx" not in cell.value,
                        f"{ws.title}: {cell.coordinate} still holds a placeholder",
                    )
        if ws.title in {n for _, n, _ in CODE_TABLES} | {n for _, n, _, _ in TWO_SIDED_TABLES} | {
            THREE_PUBLIC[1]
        }:
            cells = [c.value for row in ws.iter_rows(max_row=5) for c in row]
            expect(DEPARTMENT_CELL + dept in cells, f"{ws.title}: no {DEPARTMENT_CELL}{dept}")

    # the text: nothing of the reference lost or added (spaces aside)
    squeeze = lambda s: re.sub(r"\s", "", s)  # noqa: E731
    for sheet, (heading, paras, lines) in texts.items():
        ws = wb[sheet]
        got = "".join(squeeze(ws.cell(r, 1).value or "") for r in range(3, ws.max_row + 1))
        expect(got == squeeze("".join(lines)), f"{sheet}: the text differs from the reference's")
        expect(ws["A1"].value == heading, f"{sheet}: A1 {ws['A1'].value!r}")
    narrative = NARRATIVE.read_text(encoding="utf-8")
    for title, sheet in NARRATIVE_SECTIONS:
        m = re.search(rf"^## {title}\n(.*?)(?:\n\n|\Z)", narrative, re.S | re.M)
        expect(
            bool(m) and squeeze(m.group(1)) == squeeze("".join(texts[sheet][2])),
            f"narrative: {title} differs from the reference's",
        )
    items = wb[LIST_SHEET]
    expect(
        sum(
            MARKER.match((items.cell(r, 1).value or "").strip() or "-") is not None
            for r in range(4, items.max_row + 1)
        )
        == 16,
        f"{LIST_SHEET}: not 16 list items",
    )
    expect("887.36万元" in narrative, "narrative: the real 887.36万元 is missing")

    if problems:
        for p in problems:
            print(f"make_shanghai_sample: {p}", file=sys.stderr)
        sys.exit(1)
