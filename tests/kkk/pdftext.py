"""Text out of a WeasyPrint PDF, in pure Python (poppler's pdftotext is not installed here).

Enough of PDF for what WeasyPrint writes: Flate streams, object streams (/ObjStm), fonts
with /ToUnicode CMaps (bfchar and bfrange), and text shown with Tj/TJ in hex strings under
`/Name size Tf`. Each font's glyph ids are mapped with its own CMap, so subset fonts that
reuse glyph numbers do not garble each other. Not a general PDF reader.
"""

from __future__ import annotations

import re
import zlib

_OBJ = re.compile(rb"(\d+)\s+0\s+obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"stream\r?\n(.*)\r?\nendstream", re.S)


def _decode(body: bytes) -> bytes | None:
    m = _STREAM.search(body)
    if m is None:
        return None
    raw = m.group(1)
    if b"/FlateDecode" in body[: m.start()]:
        try:
            return zlib.decompress(raw)
        except zlib.error:
            return zlib.decompressobj().decompress(raw)
    return raw


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Object number → (dictionary text, decoded stream or None), object streams unpacked."""
    out: dict[int, tuple[bytes, bytes | None]] = {}
    for num, body in _OBJ.findall(data):
        stream = _decode(body)
        head = body.split(b"stream", 1)[0] if stream is not None else body
        out[int(num)] = (head, stream)
    for head, stream in list(out.values()):
        if stream is None or b"/ObjStm" not in head:
            continue
        n = int(re.search(rb"/N\s+(\d+)", head).group(1))
        first = int(re.search(rb"/First\s+(\d+)", head).group(1))
        pairs = [int(x) for x in stream[:first].split()]
        offsets = [(pairs[i], pairs[i + 1]) for i in range(0, 2 * n, 2)]
        for k, (num, off) in enumerate(offsets):
            end = offsets[k + 1][1] if k + 1 < len(offsets) else len(stream) - first
            out[num] = (stream[first + off : first + end], None)
    return out


def _cmap(text: bytes) -> dict[int, str]:
    table: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            table[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be", "replace")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block
        ):
            start = int.from_bytes(bytes.fromhex(dst.decode()), "big")
            for i, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                table[code] = chr(start + i)
    return table


def pdf_text(data: bytes) -> str:
    objects = _objects(data)
    maps: dict[int, dict[int, str]] = {}
    for num, (head, _stream) in objects.items():
        m = re.search(rb"/ToUnicode\s+(\d+)\s+0\s+R", head)
        if m and int(m.group(1)) in objects:
            maps[num] = _cmap(objects[int(m.group(1))][1] or b"")
    fonts: dict[bytes, dict[int, str]] = {}
    blocks: list[bytes] = []
    for head, _stream in objects.values():
        blocks += re.findall(rb"/Font\s*<<(.*?)>>", head, re.S)
        blocks += [
            objects[int(ref)][0]
            for ref in re.findall(rb"/Font\s+(\d+)\s+0\s+R", head)
            if int(ref) in objects
        ]
    for block in blocks:
        for name, ref in re.findall(rb"/([^\s/<>\[\]()]+)\s+(\d+)\s+0\s+R", block):
            if int(ref) in maps:
                fonts[name] = maps[int(ref)]
    words: list[str] = []
    token = re.compile(
        rb"/([^\s/<>\[\]()]+)\s+[\d.]+\s+Tf|\[(.*?)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|(ET|Tm\b)", re.S
    )
    for _head, stream in objects.values():
        if stream is None or b"BT" not in stream:
            continue
        current: dict[int, str] = {}
        line: list[str] = []
        for m in token.finditer(stream):
            if m.group(1):
                current = fonts.get(m.group(1), {})
                continue
            if m.group(4):
                words.append("".join(line))
                line = []
                continue
            chunks = (
                re.findall(rb"<([0-9a-fA-F]*)>", m.group(2))
                if m.group(2) is not None
                else [m.group(3)]
            )
            for hexstr in chunks:
                raw = bytes.fromhex(hexstr.decode())
                width = 2 if len(raw) % 2 == 0 else 1
                for i in range(0, len(raw), width):
                    line.append(current.get(int.from_bytes(raw[i : i + width], "big"), ""))
        if line:
            words.append("".join(line))
    return "\n".join(words)
