"""Tiny PDFs made at test time: a text layer in any Unicode (Identity-H with a ToUnicode map, no
embedded glyphs: enough for text extraction), or a page with no text at all, as a scan has."""

from __future__ import annotations


def _cmap() -> bytes:
    ranges = [f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256)]
    blocks = []
    for k in range(0, len(ranges), 100):
        chunk = ranges[k:k + 100]
        blocks.append(f"{len(chunk)} beginbfrange\n" + "\n".join(chunk) + "\nendbfrange")
    return ("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
            "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
            "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n" + "\n".join(blocks)
            + "\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").encode("ascii")


def _stream(body: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"


def make_pdf(pages: list[list[str]]) -> bytes:
    """One PDF page per list of lines; an empty list is a page with a drawing and no text."""
    objects: list[bytes] = []
    n_pages = len(pages)
    font, descendant, tounicode, descriptor = 3 + 2 * n_pages, 4 + 2 * n_pages, 5 + 2 * n_pages, 6 + 2 * n_pages
    kids = " ".join(f"{3 + 2 * k} 0 R" for k in range(n_pages))
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(f"<< /Type /Pages /Kids [{kids}] /Count {n_pages} >>".encode())
    for k, lines in enumerate(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 {font} 0 R >> >>"
                       f" /Contents {4 + 2 * k} 0 R >>".encode())
        if lines:
            ops = ["BT", "/F1 10 Tf", "40 800 Td"]
            for line in lines:
                ops.append(f"<{line.encode('utf-16-be').hex().upper()}> Tj")
                ops.append("0 -14 Td")
            ops.append("ET")
        else:
            ops = ["0.5 g", "40 400 300 300 re f"]  # a picture-like block, no text
        objects.append(_stream("\n".join(ops).encode("ascii")))
    objects.append(f"<< /Type /Font /Subtype /Type0 /BaseFont /PlanSong /Encoding /Identity-H "
                   f"/DescendantFonts [{descendant} 0 R] /ToUnicode {tounicode} 0 R >>".encode())
    objects.append(f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /PlanSong /CIDSystemInfo << /Registry (Adobe) "
                   f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 >>".encode())
    objects.append(_stream(_cmap()))
    objects.append(b"<< /Type /FontDescriptor /FontName /PlanSong /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
                   b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>")
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)
