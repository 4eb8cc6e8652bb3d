"""benchlib: what Lightbox's benchmark scripts share.

Statistics (a time is the median of its runs with their spread; a stall or a memory peak is the
worst run), emptying the page cache before a cold run, the provenance every section of
docs/benchmarks.md starts with (commit, clean tree or not, date), writing one script's section
of that page, and the targets `--check` enforces.
"""
import datetime
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DOCS_PAGE = REPO / "docs" / "benchmarks.md"


# --- statistics ------------------------------------------------------------------------------


def median(values):
    """The median of the values that were measured (None: not measured), or None."""
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def worst(values):
    """The largest of the values that were measured, or None."""
    values = [v for v in values if v is not None]
    return max(values) if values else None


def spread(values, unit, digits=2):
    """'median unit (min–max)', e.g. '1.23 s (1.19–1.31)'; one run shows just its value, and
    runs that did not measure it are counted."""
    values = list(values)
    measured = [v for v in values if v is not None]
    if not measured:
        return "—"
    number = f"{{:,.{digits}f}}"
    text = f"{number.format(statistics.median(measured))} {unit}"
    if len(measured) > 1:
        text += f" ({number.format(min(measured))}–{number.format(max(measured))})"
    if len(measured) < len(values):
        text += f", not measured in {len(values) - len(measured)} of {len(values)} runs"
    return text


# --- the page cache --------------------------------------------------------------------------


class PageCache:
    """Empties the page cache before a cold run: the whole cache when we may (root), else every
    page of the files we are given (posix_fadvise(DONTNEED) needs no privileges, but only drops
    the clean pages of those files). `method` says which, for the report."""

    DROP = "`sync; echo 3 > /proc/sys/vm/drop_caches` (the whole page cache)"
    FADVISE = "posix_fadvise(POSIX_FADV_DONTNEED) on every corpus and cache file (not root)"

    def __init__(self):
        self.global_drop = os.geteuid() == 0 and os.access("/proc/sys/vm/drop_caches", os.W_OK)
        self.method = self.DROP if self.global_drop else self.FADVISE

    def drop(self, paths):
        """Drops the whole page cache, or else every regular file under each of paths."""
        os.sync()
        if self.global_drop:
            Path("/proc/sys/vm/drop_caches").write_text("3\n")
            return
        for path in paths:
            path = Path(path)
            for file in (path.rglob("*") if path.is_dir() else [path]):
                self._evict(file)

    @staticmethod
    def _evict(path):
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError:
            return
        try:
            if os.path.isfile(path):
                os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
        finally:
            os.close(fd)


def wait_until_quiet(program, max_load, max_wait):
    """The machine may be shared: waits up to max_wait seconds for the 1-minute load average to
    drop under max_load, and returns the load average the run starts at."""
    deadline = time.monotonic() + max_wait
    while os.getloadavg()[0] > max_load and time.monotonic() < deadline:
        print(f"{program}: load average {os.getloadavg()[0]:.2f} > {max_load}: waiting",
              file=sys.stderr, flush=True)
        time.sleep(15)
    return os.getloadavg()[0]


# --- the corpus ----------------------------------------------------------------------------


def build_corpus(many):
    """benchmarks/make-corpus's folder in $XDG_CACHE_HOME/lightbox-benchmarks, built (or
    completed) with many/ of `many` files; make-corpus keeps what is already there."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    dest = cache / "lightbox-benchmarks" / "corpus"
    subprocess.run([str(REPO / "benchmarks" / "make-corpus"), str(dest), "--many", str(many)], check=True)
    return dest


# --- provenance ------------------------------------------------------------------------------


def _git(*argv):
    return subprocess.run(["git", "-C", str(REPO), *argv], capture_output=True, text=True).stdout.strip()


# The files the benchmark scripts write.
WRITTEN_FILES = ("docs/benchmarks.md", "docs/benchmark-engine.svg")


class Provenance:
    """The commit, tree state and date of a measurement, taken when the measuring starts (the
    script rewrites docs/benchmarks.md afterwards, which would make the tree look dirty)."""

    def __init__(self, command):
        self.commit = _git("rev-parse", "--short", "HEAD") or "unknown"
        # What the scripts write is their result, not what they measure.
        self.clean = _git("status", "--porcelain", "--untracked-files=no", "--", ".",
                          *(f":!{path}" for path in WRITTEN_FILES)) == ""
        self.date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        self.command = command

    def line(self):
        """The first line of a section: what was measured, when, by which command."""
        tree = "clean tree" if self.clean else "**uncommitted changes in the tree**"
        return (f"Measured at commit `{self.commit}` ({tree}) on {self.date} by "
                f"`{self.command}`; run it again to refresh this section, not by hand.")


def command_line():
    """The command line this script was started with, relative to the repository."""
    script = Path(sys.argv[0]).resolve()
    try:
        script = script.relative_to(REPO)
    except ValueError:
        pass
    return " ".join([str(script), *sys.argv[1:]])


# --- the page --------------------------------------------------------------------------------


def write_section(name, lines, path=DOCS_PAGE):
    """Replaces the section between `<!-- name: begin -->` and `<!-- name: end -->` of
    docs/benchmarks.md (or appends it); the other scripts' sections stay as they are."""
    begin, end = f"<!-- {name}: begin -->", f"<!-- {name}: end -->"
    section = "\n".join([begin, *lines, end])
    text = path.read_text() if path.exists() else "# Benchmarks\n"
    if begin in text and end in text:
        text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text)


# --- targets ---------------------------------------------------------------------------------


class Targets:
    """The targets of one script, each judged once measured: PASS, FAIL, or not measured."""

    def __init__(self, program):
        self.program = program
        self.rows = []

    def judge(self, target, measured, ok):
        """Records one target: measured is the text shown, ok True/False, or None if not measured."""
        self.rows.append((target, measured, {True: "PASS", False: "FAIL", None: "not measured"}[ok]))

    def missed(self):
        return [(target, measured) for target, measured, result in self.rows if result == "FAIL"]

    def table(self):
        return ["| Target | Measured | Result |", "|---|---|---|",
                *(f"| {t} | {m} | **{r}** |" for t, m, r in self.rows)]

    def exit_status(self, check):
        """Prints every missed target; with check, a missed target makes the status 1."""
        for target, measured in self.missed():
            print(f"{self.program}: target missed: {target}: {measured}", file=sys.stderr)
        unmeasured = sum(1 for row in self.rows if row[2] == "not measured")
        print(f"{self.program}: {len(self.rows) - unmeasured - len(self.missed())} targets met, "
              f"{len(self.missed())} missed, {unmeasured} not measured", file=sys.stderr)
        return 1 if check and self.missed() else 0
