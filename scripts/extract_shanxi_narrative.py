#!/usr/bin/env python3
"""The Shanxi reference's narrative (第三部分 情况说明, sections 一–十二) →
tests/data/shanxi-narrative.txt (one paragraph per line) and
tests/data/shanxi-narrative.docx (the same paragraphs, one w:p each).

A developer tool, never run by the build or CI; its outputs are committed.

    pip install python-docx
    python3 scripts/extract_shanxi_narrative.py [REFERENCE.txt]

What is kept, what is not (the text is otherwise copied as it stands):
- from 一、部门预算收支数据变动情况及原因 (after the 第三部分 heading of the
  body, not the table of contents) to 第四部分 名词解释, exclusive;
- blank lines and lines of spaces are dropped (paragraph breaks are lines);
- a paragraph the PDF broke across a page (a long line ending without
  closing punctuation, e.g. "…；卫生" / "健康支出9.61万元…") is joined;
- the performance forms printed inside 十、绩效管理情况 (整体支出绩效目标申报表
  and the 项目支出绩效目标表, tab-separated tables) are left out: they are
  tables, read from the workbook's form sheets, not prose.
"""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared/reference/shuozhou-investment-bureau-2025-budget.txt"
if not DEFAULT.exists():
    DEFAULT = pathlib.Path("/work/shared/reference/shuozhou-investment-bureau-2025-budget.txt")
OUT_TXT = ROOT / "tests/data/shanxi-narrative.txt"
OUT_DOCX = ROOT / "tests/data/shanxi-narrative.docx"

CLOSING = "。：；！？）)"


def narrative_lines(text):
    lines = text.splitlines()
    # The body's 第三部分 heading is the one without a page number.
    start = next(
        i for i, l in enumerate(lines) if l.startswith("第三部分") and "\t" not in l
    )
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("第四部分"))
    out = []
    in_forms = False
    for raw in lines[start + 1 : end]:
        line = raw.strip()
        if not line:
            continue
        if "绩效目标申报表" in line:
            in_forms = True
        if in_forms:
            if line.startswith("十一、"):
                in_forms = False
            else:
                continue
        if "\t" in raw:
            continue
        if out and len(out[-1]) > 40 and out[-1][-1] not in CLOSING:
            out[-1] += line
        else:
            out.append(line)
    return out


def main():
    source = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    paragraphs = narrative_lines(source.read_text(encoding="utf-8"))
    OUT_TXT.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")

    import docx  # python-docx

    document = docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    import datetime

    document.core_properties.created = datetime.datetime(2025, 1, 1)
    document.core_properties.modified = datetime.datetime(2025, 1, 1)
    document.save(OUT_DOCX)
    print(f"{len(paragraphs)} paragraphs → {OUT_TXT.name}, {OUT_DOCX.name}")


if __name__ == "__main__":
    main()
