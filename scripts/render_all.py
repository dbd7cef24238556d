"""Render every report, `flags` and a lease statement of the example registry in every document format and both languages,
then make pictures of them to look at, all in one folder.

    python scripts/render_all.py OUT

Documents are written as OUT/REPORT-LANG.FORMAT (register-zh.xlsx …), from a copy of
examples/registry.json and its log in a temporary folder, with the fixed days of the README. Then, for
looking: HTML → a Chromium screenshot (REPORT-LANG.html.png) and Chromium's print to PDF
(REPORT-LANG.html.pdf, pages as REPORT-LANG.html.pdf-N.png); SVG → a Chromium screenshot; PDF → its pages
(REPORT-LANG.pdf-N.png) by pdftoppm; xlsx → LibreOffice's PDF (REPORT-LANG.xlsx.pdf) → its pages. txt,
md, csv and json are read as they are.

One line per file made (or failed), then a count. Exit 1 when anything failed: a missing tool (chromium,
pdftoppm, soffice) is a failure too, not a quiet skip.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = ["--from", "2004-01-01", "--to", "2004-12-31"]
# What each document is made from, with the README's days (examples/README.md): the register at the
# year's end, the year 2004, the trend over the years the example holds, flags as of 2005-03-15.
REPORTS: dict[str, list[str]] = {
    "register": ["report", "register", "--as-of", "2004-12-31"],
    "value": ["report", "value", *YEAR],
    "trend": ["report", "trend", "--from", "2001-01-01", "--to", "2004-12-31"],
    "leases": ["report", "leases", *YEAR],
    "incidents": ["report", "incidents", *YEAR],
    "summary": ["report", "summary", *YEAR],
    "clearance": ["report", "clearance", "C001"],
    "statement": ["lease", "statement", "L0001", "--as-of", "2004-12-31"],
    "flags": ["flags", "--as-of", "2005-03-15"],
}
FORMATS = ("txt", "md", "html", "svg", "csv", "json", "xlsx", "pdf")
LANGS = ("en", "zh")
DPI = "70"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]
TIMEOUT = 180


class Run:
    """What was made and what failed, printed as it goes."""

    def __init__(self) -> None:
        self.made: list[Path] = []
        self.failed: list[str] = []

    def ok(self, path: Path, what: str) -> None:
        self.made.append(path)
        print(f"ok      {path.name}  ({what})", flush=True)

    def fail(self, name: str, why: str) -> None:
        self.failed.append(name)
        first = next((line for line in why.strip().splitlines() if line.strip()), "no message")
        print(f"FAILED  {name}: {first[:200]}", flush=True)


def run(command: list[str], **options: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False, **options)  # type: ignore[call-overload, no-any-return]


def tool(*names: str) -> str | None:
    return next((found for name in names if (found := shutil.which(name))), None)


def documents(out: Path, registry: Path, log: Run) -> list[Path]:
    """Every report × format × language, through the command line as a person runs it."""
    made = []
    for name, command in REPORTS.items():
        for lang in LANGS:
            for fmt in FORMATS:
                path = out / f"{name}-{lang}.{fmt}"
                path.unlink(missing_ok=True)
                args = ["--registry", str(registry), "--lang", lang, *command, "--format", fmt, "--output", str(path)]
                done = run([sys.executable, "-m", "assetreg", *args])
                if done.returncode != 0 or not path.exists() or path.stat().st_size == 0:
                    log.fail(path.name, done.stderr or f"exit {done.returncode}, no file")
                    continue
                log.ok(path, f"{path.stat().st_size:,} bytes")
                made.append(path)
    return made


def pages(pdf: Path, log: Run) -> None:
    """A PDF's pages as PNG pictures beside it: NAME-1.png, NAME-2.png …"""
    pdftoppm = tool("pdftoppm")
    if pdftoppm is None:
        log.fail(pdf.name + "-*.png", "pdftoppm not found (apt-get install poppler-utils)")
        return
    for old in pdf.parent.glob(f"{pdf.name}-*.png"):
        old.unlink()
    done = run([pdftoppm, "-r", DPI, "-png", str(pdf), str(pdf.parent / pdf.name)])
    found = sorted(pdf.parent.glob(f"{pdf.name}-*.png"))
    if done.returncode != 0 or not found:
        log.fail(pdf.name + "-*.png", done.stderr or "no page")
        return
    for png in found:
        log.ok(png, f"page of {pdf.name}")


def chromium(args: list[str]) -> subprocess.CompletedProcess[str]:
    browser = tool("chromium", "chromium-browser", "google-chrome")
    if browser is None:
        return subprocess.CompletedProcess(args, 127, "", "chromium not found (apt-get install chromium)")
    with tempfile.TemporaryDirectory(prefix="render-all-chromium-") as profile:  # a fresh profile each time
        return run([browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args])


def svg_size(path: Path) -> tuple[int, int]:
    """The picture's own width and height (the svg format sizes itself to its content), at most 4000 px."""
    head = path.read_text(encoding="utf-8")[:2000]
    sizes = [re.search(rf'\b{attr}="([\d.]+)', head) for attr in ("width", "height")]
    width, height = (int(float(m.group(1))) + 16 if m else 1400 for m in sizes)
    return min(width, 4000), min(height, 4000)


def screenshot(path: Path, size: tuple[int, int], log: Run) -> None:
    png = path.with_name(path.name + ".png")
    png.unlink(missing_ok=True)
    done = chromium([f"--screenshot={png}", f"--window-size={size[0]},{size[1]}", path.resolve().as_uri()])
    if not png.exists():
        log.fail(png.name, done.stderr or f"exit {done.returncode}")
        return
    log.ok(png, f"Chromium screenshot {size[0]}×{size[1]}")


def print_html(path: Path, log: Run) -> None:
    pdf = path.with_name(path.name + ".pdf")
    pdf.unlink(missing_ok=True)
    done = chromium([f"--print-to-pdf={pdf}", "--no-pdf-header-footer", path.resolve().as_uri()])
    if not pdf.exists():
        log.fail(pdf.name, done.stderr or f"exit {done.returncode}")
        return
    log.ok(pdf, "Chromium print to PDF")
    pages(pdf, log)


def spreadsheets(books: list[Path], out: Path, log: Run) -> None:
    """Every xlsx printed by LibreOffice (one run for all) as NAME.xlsx.pdf, then its pages."""
    office = tool("soffice", "libreoffice")
    if office is None:
        for book in books:
            log.fail(book.name + ".pdf", "LibreOffice not found (apt-get install -y libreoffice-calc-nogui)")
        return
    with tempfile.TemporaryDirectory(prefix="render-all-office-") as work:
        folder = Path(work)
        profile = (folder / "profile").as_uri()
        done = run([office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf", "--outdir", work,
                    *(str(book) for book in books)])  # fmt: skip
        for book in books:
            made = folder / (book.stem + ".pdf")
            pdf = out / (book.name + ".pdf")
            if not made.exists():
                log.fail(pdf.name, done.stderr or f"LibreOffice exit {done.returncode}, no PDF")
                continue
            shutil.move(made, pdf)
            log.ok(pdf, "LibreOffice print to PDF")
            pages(pdf, log)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    out = Path(argv[0])
    out.mkdir(parents=True, exist_ok=True)
    log = Run()
    with tempfile.TemporaryDirectory(prefix="render-all-") as work:
        for source in (ROOT / "examples").glob("registry.json*"):  # the registry and its log: a copy, never the example
            shutil.copy(source, Path(work) / source.name)
        made = documents(out, Path(work) / "registry.json", log)
    for path in made:
        if path.suffix == ".html":
            screenshot(path, (1400, 1800), log)
            print_html(path, log)
        elif path.suffix == ".svg":
            screenshot(path, svg_size(path), log)
        elif path.suffix == ".pdf":
            pages(path, log)
    spreadsheets([p for p in made if p.suffix == ".xlsx"], out, log)
    pictures = sum(1 for p in log.made if p.suffix == ".png")
    print(
        f"{len(made)} documents ({len(REPORTS)} reports × {len(FORMATS)} formats × {len(LANGS)} languages), "
        f"{pictures} pictures, {len(log.failed)} failed, in {out}"
    )
    return 1 if log.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
