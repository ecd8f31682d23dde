#!/usr/bin/env python3
"""Builds fuzz/corpus/<target>/ seeds from the sample and the test fixtures.

  read_workbook  whole workbooks: the sample, LibreOffice .xlsx/.xls,
                 encrypted .xlsx, .xls with a stray cell (not the zip
                 bomb: every mutation of it would inflate 128 MiB)
  xlsx_sheet     each worksheet XML of the sample and of the LibreOffice
                 .xlsx, followed by \\0\\0SST\\0\\0 and the shared strings
  xls_stream     the BIFF Workbook stream of the .xls fixtures

Usage (from the repository root): python3 fuzz/seed.py
Python 3 standard library only.
"""
import shutil
import struct
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


def workbook_stream(path):
    """The Workbook stream of a simple OLE file (regular sectors only)."""
    data = path.read_bytes()
    size = 1 << struct.unpack_from("<H", data, 30)[0]
    sector = lambda i: data[size + i * size: size + (i + 1) * size]
    difat = [x for x in struct.unpack_from("<109I", data, 76) if x < 0xFFFFFFFA]
    fat = []
    for s in difat:
        fat.extend(struct.unpack(f"<{size // 4}I", sector(s)))

    def chain(start):
        out, i = b"", start
        while i < 0xFFFFFFFA:
            out += sector(i)
            i = fat[i]
        return out

    dirs = chain(struct.unpack_from("<I", data, 48)[0])
    for k in range(0, len(dirs), 128):
        e = dirs[k:k + 128]
        name = e[:64].decode("utf-16-le").split("\0")[0]
        if name in ("Workbook", "Book"):
            start, length = struct.unpack_from("<IQ", e, 116)
            return chain(start)[:length]
    raise SystemExit(f"{path}: no Workbook stream")


def main():
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    rw = CORPUS / "read_workbook"
    rw.mkdir(parents=True)
    shutil.copy(ROOT / "samples" / "shuozhou-investment-2025.xlsx", rw / "sample.xlsx")
    for name in ["libreoffice.xlsx", "libreoffice.xls", "encrypted.xlsx", "stray-iv65536.xls"]:
        shutil.copy(FIXTURES / name, rw / name)

    xs = CORPUS / "xlsx_sheet"
    xs.mkdir()
    for book in [ROOT / "samples" / "shuozhou-investment-2025.xlsx", FIXTURES / "libreoffice.xlsx"]:
        with zipfile.ZipFile(book) as z:
            strings = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in z.namelist() else b""
            for n in z.namelist():
                if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"):
                    (xs / f"{book.stem}-{Path(n).stem}").write_bytes(z.read(n) + b"\0\0SST\0\0" + strings)

    xl = CORPUS / "xls_stream"
    xl.mkdir()
    for name in ["libreoffice.xls", "stray-iv65536.xls"]:
        (xl / Path(name).stem).write_bytes(workbook_stream(FIXTURES / name))
    for d in sorted(CORPUS.iterdir()):
        print(d.name, len(list(d.iterdir())), "seeds")


main()
