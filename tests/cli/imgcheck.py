#!/usr/bin/env python3
# imgcheck.py - checks images without third-party modules (the test machine need not
# have PIL), in one process since starting Python is the slow part:
#   imgcheck.py FILE...                  each .png: signature, chunk order, every CRC, a
#                                        zlib stream that inflates; each .svg: XML with
#                                        an <svg> root. Exit 1 naming every bad file.
#   imgcheck.py FILE.png --pixels RRGGBB...   one JSON line: the decoded image's share
#                                        of non-white pixels and how many pixels are
#                                        near each colour.
import json
import struct
import sys
import xml.etree.ElementTree
import zlib


def chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("no PNG signature")
    i = 8
    while i < len(data):
        if i + 12 > len(data):
            raise ValueError("truncated chunk")
        (n,) = struct.unpack(">I", data[i:i + 4])
        kind, body = data[i + 4:i + 8], data[i + 8:i + 8 + n]
        (crc,) = struct.unpack(">I", data[i + 8 + n:i + 12 + n])
        if len(body) != n or zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError("bad CRC in %s chunk" % kind.decode("latin-1"))
        yield kind, body
        i += 12 + n


def unfilter(raw, width, height, bpp):
    """The PNG filters undone (PNG spec, section 9), row by row."""
    stride = width * bpp
    prev = bytearray(stride)
    out = []
    o = 0
    for _ in range(height):
        ftype = raw[o]
        line = bytearray(raw[o + 1:o + 1 + stride])
        o += 1 + stride
        if ftype == 1:
            for x in range(bpp, stride):
                line[x] = (line[x] + line[x - bpp]) & 255
        elif ftype == 2:
            line = bytearray((a + b) & 255 for a, b in zip(line, prev))
        elif ftype == 3:
            for x in range(stride):
                left = line[x - bpp] if x >= bpp else 0
                line[x] = (line[x] + ((left + prev[x]) >> 1)) & 255
        elif ftype == 4:
            for x in range(stride):
                if x >= bpp:
                    a, c = line[x - bpp], prev[x - bpp]
                else:
                    a = c = 0
                b = prev[x]
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        out.append(line)
        prev = line
    return out


def png_info(path):
    data = open(path, "rb").read()
    info = {"file": path}
    idat = b""
    seen = []
    for kind, body in chunks(data):
        seen.append(kind)
        if kind == b"IHDR":
            w, h, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            info.update(width=w, height=h, depth=depth, color_type=ctype, interlace=interlace)
        elif kind == b"IDAT":
            idat += body
    if not seen or seen[0] != b"IHDR" or seen[-1] != b"IEND" or b"IDAT" not in seen:
        raise ValueError("chunks out of order: %s" % seen)
    if not info["width"] or not info["height"]:
        raise ValueError("empty image")
    return info, zlib.decompress(idat)


def pixels(path, want):
    info, raw = png_info(path)
    bpp = {2: 3, 6: 4}.get(info["color_type"])
    if info["depth"] != 8 or not bpp or info["interlace"]:
        raise ValueError("--pixels reads 8-bit RGB(A), not interlaced")
    rows = unfilter(raw, info["width"], info["height"], bpp)
    colours = [tuple(int(c[i:i + 2], 16) for i in (0, 2, 4)) for c in want]
    near = [0] * len(colours)
    nonwhite = 0
    for line in rows:
        for x in range(0, len(line), bpp):
            r, g, b = line[x], line[x + 1], line[x + 2]
            if r < 235 or g < 235 or b < 235:
                nonwhite += 1
                for k, (cr, cg, cb) in enumerate(colours):
                    if abs(r - cr) < 40 and abs(g - cg) < 40 and abs(b - cb) < 40:
                        near[k] += 1
    info["nonwhite_share"] = nonwhite / float(info["width"] * info["height"])
    info["near"] = dict(zip(want, near))
    print(json.dumps(info))


def main():
    args = sys.argv[1:]
    if "--pixels" in args:
        i = args.index("--pixels")
        pixels(args[0], args[i + 1:])
        return 0
    bad = 0
    for path in args:
        try:
            if path.endswith(".svg"):
                root = xml.etree.ElementTree.parse(path).getroot()
                if not root.tag.endswith("svg"):
                    raise ValueError("root element is <%s>, not <svg>" % root.tag)
            else:
                png_info(path)
        except (ValueError, zlib.error, struct.error, OSError, xml.etree.ElementTree.ParseError) as e:
            print("%s: %s" % (path, e))
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except (ValueError, zlib.error, struct.error, OSError) as e:
        print("%s: %s" % (sys.argv[1] if len(sys.argv) > 1 else "", e))
        sys.exit(1)
