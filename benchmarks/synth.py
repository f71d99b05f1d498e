"""Synthetic .txt reports for the import benchmarks: the two sample reports with the commune renamed
and the numbers changed, so that every file has its own content (``bcparse import`` stores a
content only once).

    from synth import make_txt_reports
    paths = make_txt_reports(Path("/var/tmp/bc"), 10_000)     # reused when already there
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
#: the sample → the commune name as written in it
BASES = {"binh-thanh-doi-ngoai-2024.txt": "Bình Thành", "tan-lap-ktxh-2023.txt": "Tân Lập"}
COMMUNES = [
    "An Khánh", "Bảo Cường", "Bình Yên", "Bộc Nhiêu", "Điềm Mặc", "Định Biên", "Đồng Thịnh", "Kim Phượng",
    "Lam Vỹ", "Linh Thông", "Phú Đình", "Phú Tiến", "Phúc Chu", "Phượng Tiến", "Quy Kỳ", "Sơn Phú",
    "Tân Dương", "Tân Thịnh", "Thanh Định", "Trung Hội", "Trung Lương", "Hòa Bình", "Yên Trạch", "Hợp Thành",
    "Xuân Phương", "Mỹ Lộc", "Nam Hòa", "Vân Hán", "Khe Mo", "Cao Ngạn",
]
# a number written the Vietnamese way: 1.422 | 284,62 | 14; never a date part or a year
NUMBER = re.compile(r"(?<![\d/.,])(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?![\d/])")
YEAR = re.compile(r"(?:19|20)\d\d")
NOT_AFTER = ("ngày", "tháng", "năm", "số", "Số:", "số:")


def _vary_numbers(text: str, rng: random.Random) -> str:
    def one(m: re.Match[str]) -> str:
        s = m.group(0)
        before = text[max(0, m.start() - 6):m.start()].strip()
        if YEAR.fullmatch(s) or before.endswith(NOT_AFTER) or rng.random() < 0.3:
            return s
        out = []
        for i, ch in enumerate(s):
            if ch.isdigit() and not (i == 0 and ch == "0"):
                lo = 1 if i == 0 else 0
                out.append(str(rng.randint(lo, 9)))
            else:
                out.append(ch)
        return "".join(out)

    return NUMBER.sub(one, text)


def variant(i: int, seed: int = 17) -> str:
    """The i-th synthetic report's text (deterministic)."""
    rng = random.Random(seed * 1_000_003 + i)
    name = sorted(BASES)[i % len(BASES)]
    text = (SAMPLES / name).read_text(encoding="utf-8")
    old, new = BASES[name], rng.choice(COMMUNES)
    text = text.replace(old, new).replace(old.upper(), new.upper())
    return _vary_numbers(text, rng)


def make_txt_reports(out: Path, n: int, seed: int = 17) -> list[Path]:
    """``n`` distinct synthetic .txt reports under ``out`` (1,000 a folder); reuses those already made."""
    paths = [out / f"d{i // 1000:03d}" / f"r{i:06d}.txt" for i in range(n)]
    marker = out / f".made-{seed}-{n}"
    if marker.exists():
        return paths
    seen: set[bytes] = set()
    j = 0
    for p in paths:
        while True:
            data = variant(j, seed).encode("utf-8")
            j += 1
            h = hashlib.sha256(data).digest()
            if h not in seen:
                seen.add(h)
                break
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    marker.write_text("")
    return paths
