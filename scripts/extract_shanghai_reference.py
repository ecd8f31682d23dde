#!/usr/bin/env python3
"""Extract the 9 tables of the published 上海市普陀区财政局 2025 budget.

The reference is a `pdftotext -layout` dump: columns are aligned by spaces,
empty cells are just more spaces, and every table repeats its header at a
page break. A number belongs to the column whose header it sits under, so
each number is assigned by position: its centre against the centres of the
column headers of the header block above it (recomputed at every repeated
header). Writes

  tests/data/shanghai-reference-tables.tsv
      body rows of the 9 tables, one line per row: t<N>, then the row's
      cells as published (codes split over 类/款/项, amounts as typed,
      thousands separators removed), then each table's note row if any.

and checks, as a guard against a mis-assigned column, every arithmetic
relation a row states (合计 = Σ its parts); it exits 1 if one fails.

Usage: python3 scripts/extract_shanghai_reference.py [REFERENCE.txt]
Python 3.11 standard library only; the output is deterministic.
"""

import re
import sys
from decimal import Decimal
from pathlib import Path

REFERENCE = Path("/work/shared/reference/shanghai-putuo-finance-bureau-2025-budget.txt")
ROOT = Path(__file__).resolve().parent.parent
TSV_OUT = ROOT / "tests" / "data" / "shanghai-reference-tables.tsv"

# The 9 tables in order: title (after the year), the numeric columns'
# header texts left to right (a header printed over two lines is "上|下"),
# and the sums each row states as (total column, [part columns]).
TABLES = [
    ("部门财务收支预算总表", ["预算数", "预算数"], []),
    (
        "部门收入预算总表",
        ["合计", "财政拨款收入", "事业收入", "事业单位|经营收入", "其他收入"],
        [(0, [1, 2, 3, 4])],
    ),
    ("部门支出预算总表", ["合计", "基本支出", "项目支出"], [(0, [1, 2])]),
    (
        "部门财政拨款收支预算总表",
        ["预算数", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"],
        [(1, [2, 3, 4])],
    ),
    ("部门一般公共预算支出功能分类预算表", ["合计", "基本支出", "项目支出"], [(0, [1, 2])]),
    ("部门政府性基金预算支出功能分类预算表", ["合计", "基本支出", "项目支出"], [(0, [1, 2])]),
    ("部门国有资本经营预算支出功能分类预算表", ["合计", "基本支出", "项目支出"], [(0, [1, 2])]),
    (
        "部门一般公共预算基本支出部门预算经济分类预算表",
        ["合计", "人员经费", "公用经费"],
        [(0, [1, 2])],
    ),
    (
        "部门“三公”经费和机关运行经费预算表",
        ["合计", "因公出国(境)费", "公务接待费", "小计", "购置费", "运行费", "机关运行经费预算|数"],
        [(0, [1, 2, 3]), (3, [4, 5])],
    ),
]
# The two-sided tables (收支总表, 财政拨款收支总表): the left side's label,
# then its number(s), then the right side's label and number(s).
TWO_SIDED = {1, 4}
# The number of numeric columns on the left side of a two-sided table.
LEFT_COLUMNS = {1: 1, 4: 1}
END = "其他相关情况说明"
AMOUNT = re.compile(r"^-?[\d,]+(\.\d+)?$")
CODE = re.compile(r"^\d{2,3}$")
TITLE = re.compile(r"^\s*(\d{4})年(.+?)\s*$")


def fail(msg):
    print(f"extract_shanghai_reference: {msg}", file=sys.stderr)
    sys.exit(1)


def tokens(line):
    """(start, end, text) of each run of non-spaces; a run split by one
    space is one token unless one side is a number ("1. 一般…" stays one
    label, "31,214,205.80 一、…" splits)."""
    raw = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", line)]
    out = []
    for s, e, t in raw:
        if out:
            ps, pe, pt = out[-1]
            joinable = s - pe == 1 and not AMOUNT.match(pt) and not AMOUNT.match(t)
            joinable = joinable and not (CODE.match(pt) or CODE.match(t))
            if joinable:
                out[-1] = (ps, e, pt + " " + t)
                continue
        out.append((s, e, t))
    return out


def centre(tok):
    return (tok[0] + tok[1]) / 2


def header_centres(block, columns):
    """The centre of each column header in a header block (list of lines).
    A header "上|下" is found as its first part; columns repeated with the
    same text ("预算数" twice) are taken left to right."""
    found = []
    toks = [t for line in block for t in tokens(line)]
    used = set()
    for col in columns:
        first = col.split("|")[0]
        hits = sorted(
            (t for t in toks if t[2] == first and t not in used), key=lambda t: t[0]
        )
        if not hits:
            return None
        used.add(hits[0])
        found.append(centre(hits[0]))
    return found


ORDINAL = re.compile(r"^([一二三四五六七八九十]+、|\d+\. )")
ROW_LABELS = ("合计", "收入总计", "支出总计")


def is_data(line, columns):
    """A body row: it holds a number, starts with a code, or carries a
    fixed row's label (一、…, 1. …, 合计, 收入总计; a lone 合计 is the
    total row of an empty table); a line of column headers only, and
    anything else above the rows, is header."""
    toks = tokens(line)
    parts = {p for col in columns for p in col.split("|")}
    if not toks or (len(toks) > 1 and all(t[2] in parts for t in toks)):
        return False
    if any(AMOUNT.match(t[2]) and not CODE.match(t[2]) for t in toks):
        return True
    first = toks[0][2]
    return bool(CODE.match(first)) or first in ROW_LABELS or any(ORDINAL.match(t[2]) for t in toks)


def split_tables(lines):
    """Each table's lines, from its title to the next title (or END)."""
    starts = []
    for i, line in enumerate(lines):
        m = TITLE.match(line)
        if m and "…" not in line:
            for n, (name, _, _) in enumerate(TABLES, start=1):
                if m.group(2) == name:
                    starts.append((n, i))
    if [n for n, _ in starts] != list(range(1, len(TABLES) + 1)):
        fail(f"tables found in the wrong order or missing: {[n for n, _ in starts]}")
    end = next(i for i, l in enumerate(lines) if l.strip() == END)
    bounds = [i for _, i in starts] + [end]
    return [(n, lines[bounds[k] + 1 : bounds[k + 1]]) for k, (n, _) in enumerate(starts)]


def plain(amount):
    return amount.replace(",", "")


def rows_of(n, body):
    """The published rows of table n and its note lines. The header block
    above each run of rows (the first, and each one repeated at a page
    break) gives the columns' positions for that run."""
    columns = TABLES[n - 1][1]
    runs, notes, header = [], [], []
    for line in body:
        if not line.strip() or line.lstrip().startswith("编制部门"):
            continue
        if line.lstrip().startswith("注"):
            notes.append(line.strip())
        elif not is_data(line, columns):
            header.append(line)
        else:
            if header or not runs:
                centres = header_centres(header, columns)
                if centres is None:
                    fail(f"t{n}: header columns {columns} not found in {header}")
                runs.append((centres, []))
                header = []
            runs[-1][1].append(line)
    rows = []
    for centres, lines in runs:
        edges = right_edges(centres, lines)
        rows += [row_cells(n, line, edges) for line in lines]
    return rows, notes


def numbers(line):
    return [t for t in tokens(line) if AMOUNT.match(t[2]) and not CODE.match(t[2])]


def nearest(points, x):
    return min(range(len(points)), key=lambda i: abs(points[i] - x))


def right_edges(centres, lines):
    """Amounts are right-aligned under a centred header, so a column's
    amounts end a fixed distance right of its header's centre. That
    distance is measured on the run's long amounts (whose centre is close
    to the header's); short ones like 0.00 are then placed by their end."""
    offsets = sorted(
        t[1] - centres[nearest(centres, centre(t))]
        for line in lines
        for t in numbers(line)
        if len(t[2]) >= 8
    )
    d = offsets[len(offsets) // 2] if offsets else None
    if d is None:
        return [("centre", c) for c in centres]
    return [("end", c + d) for c in centres]


def row_cells(n, line, edges):
    toks = tokens(line)
    nums = numbers(line)
    texts = [t for t in toks if t not in nums]
    values = [""] * len(edges)
    for t in nums:
        k = nearest([x for _, x in edges], t[1] if edges[0][0] == "end" else centre(t))
        if values[k]:
            fail(f"t{n}: two numbers under one column in {line!r}")
        values[k] = plain(t[2])
    if n in TWO_SIDED:
        left_n = LEFT_COLUMNS[n]
        # the right side's label starts after the left amount's right edge
        split_at = edges[left_n - 1][1]
        left = [t[2] for t in texts if t[0] < split_at]
        right = [t[2] for t in texts if t[0] >= split_at]
        return [" ".join(left)] + values[:left_n] + [" ".join(right)] + values[left_n:]
    codes = [t[2] for t in texts if CODE.match(t[2])]
    names = [t[2] for t in texts if not CODE.match(t[2])]
    depth = 3 if n in (2, 3, 5, 6, 7) else 2 if n == 8 else 0
    if depth:
        codes = codes + [""] * (depth - len(codes))
        return codes + [" ".join(names)] + values
    return values


def check(n, rows):
    sums = TABLES[n - 1][2]
    width = len(TABLES[n - 1][1])
    for row in rows:
        values = row[len(row) - width :]
        for total, parts in sums:
            if not values[total]:
                continue
            got = sum((Decimal(values[p]) for p in parts if values[p]), Decimal(0))
            if got != Decimal(values[total]):
                fail(f"t{n}: {row} — column {total} is {values[total]}, its parts sum to {got}")


def main():
    src = Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE
    lines = src.read_text(encoding="utf-8").split("\n")
    out = []
    for n, body in split_tables(lines):
        rows, notes = rows_of(n, body)
        check(n, rows)
        out += ["\t".join([f"t{n}"] + row).rstrip("\t") for row in rows]
        out += [f"t{n}\t{note}" for note in notes]
    TSV_OUT.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"{TSV_OUT.relative_to(ROOT)}: {len(out)} rows")


if __name__ == "__main__":
    main()
